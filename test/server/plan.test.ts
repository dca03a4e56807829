// The phase-out plan through the API: scenarios computed side by side from the latest assessment
// without writing anything, one adopted as the plan, its items moved along the workflow (a
// finished replacement retires the device), disposal records, and the plan workbook as a report
// job. Every write is visible afterwards and in the audit trail; another organisation's ids are 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identifierFor } from '../../src/kb/knowledge.js';
import { applyRecords } from '../../src/store/apply-records.js';
import { listAudit } from '../../src/store/audit.js';
import { listJobFiles, readJobFile } from '../../src/store/jobs.js';
import { ENGINES } from '../helpers/engines.js';
import { finished, waitForJob } from '../helpers/job-wait.js';
import { bearer, startTestServer, type TestServer } from '../helpers/server.js';

interface Comparison {
  name: string;
  totalCost: number;
  actions: number;
  unresolved: number;
  residualRiskAtEnd: number;
  costPerYear: { year: number; cost: number }[];
  residualRisk: { year: number; risk: number }[];
}

interface ScenarioAnswer {
  assessment: { id: string };
  startYear: number;
  years: number;
  riskNow: number;
  comparison: Comparison[];
  scenarios?: { name: string; actions: { id: string; cost: number; year: number }[] }[];
}

interface Item {
  id: string;
  deviceId: string;
  action: string;
  year: number;
  dueDate: string;
  cost: number;
  status: string;
  statusBy: string;
  note: string | null;
  overdue: boolean;
}

const ALPHA = '/api/v1/organisations/alpha';

describe.each(ENGINES)('the plan on $name', (engine) => {
  let s: TestServer;
  let hikvision: string;
  let dahua: string;
  let betaDevice: string;
  const scopeA = () => ({ orgId: s.orgs.a.id, actor: 'test', source: 'test' });

  const get = (url: string, token = s.tokens.a.viewer) => s.app.inject({ method: 'GET', url, headers: bearer(token) });
  const send = (method: 'POST' | 'PUT' | 'PATCH', url: string, payload: unknown, token = s.tokens.a.editor) =>
    s.app.inject({ method, url, headers: bearer(token), payload: payload as object });
  const scenarios = async (body: Record<string, unknown>) => {
    const res = await send('POST', `${ALPHA}/plan/scenarios`, body, s.tokens.a.viewer);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as ScenarioAnswer;
  };
  const items = async (query = '') => {
    const res = await get(`${ALPHA}/plan${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: Item[]; nextCursor: string | null };
  };
  const audit = async (entityType: string) => (await listAudit(s.store, { orgId: s.orgs.a.id }, { limit: 5000 })).items.filter((e) => e.entityType === entityType);
  const deviceStatus = async (id: string) => (await s.store.db.selectFrom('devices').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

  beforeAll(async () => {
    s = await startTestServer(engine, { runJobs: true });
    await applyRecords(s.store, scopeA(), [
      { row: 1, device: { externalRef: 'risk-1', kind: 'camera', brand: 'Hikvision', model: 'DS-2CD2143G0-I', firmware: 'V5.5.0', installDate: '2018-05-01', ip: '10.1.0.11' },
        site: { name: 'Markt', category: 'public_space' }, network: { name: 'cameranet', connectivity: 'internet_exposed', remoteAccess: 'vendor_cloud' } },
      { row: 2, device: { externalRef: 'risk-2', kind: 'recorder', brand: 'Dahua', model: 'NVR4108HS-4KS2', firmware: 'V4.001', installDate: '2021-05-01', ip: '10.1.0.12' },
        site: { name: 'Stadhuis', category: 'office' }, network: { name: 'intern', connectivity: 'internal', remoteAccess: 'none' } },
    ], s.clock.now(), identifierFor(await s.ctx.knowledge()).enrich);
    const id = async (orgId: string, ref: string) =>
      (await s.store.db.selectFrom('devices').select('id').where('org_id', '=', orgId).where('external_ref', '=', ref).executeTakeFirstOrThrow()).id;
    hikvision = await id(s.orgs.a.id, 'risk-1');
    dahua = await id(s.orgs.a.id, 'risk-2');
    betaDevice = await id(s.orgs.b.id, 'beta-1');
  }, 60_000);
  afterAll(async () => {
    await s.close();
    await engine.cleanup();
  });

  it('asks for an assessment before it can plan (409)', async () => {
    const res = await send('POST', `${ALPHA}/plan/scenarios`, {}, s.tokens.a.viewer);
    expect(res.statusCode).toBe(409);
    expect((res.json() as { detail: string }).detail).toMatch(/assessments/);
    const assessed = await send('POST', `${ALPHA}/assessments`, {});
    expect(assessed.statusCode).toBe(202);
    const job = await waitForJob(s.store, scopeA(), (assessed.json() as { job: { id: string } }).job.id, finished);
    expect(job.status).toBe('succeeded');
  }, 30_000);

  it('compares the three scenarios side by side and writes nothing', async () => {
    const auditBefore = (await listAudit(s.store, { orgId: s.orgs.a.id }, { limit: 5000 })).items.length;
    const all = await scenarios({});
    expect(all.comparison.map((c) => c.name)).toEqual(['replace_now', 'end_of_life', 'risk_based']);
    expect(all).toMatchObject({ startYear: 2026, years: 5 });
    for (const c of all.comparison) {
      expect(c.costPerYear.map((y) => y.year)).toEqual([2026, 2027, 2028, 2029, 2030]);
      expect(c.totalCost).toBe(c.costPerYear.reduce((sum, y) => sum + y.cost, 0));
      expect(c.residualRisk[c.residualRisk.length - 1]!.risk).toBe(c.residualRiskAtEnd);
      expect(c.residualRiskAtEnd).toBeLessThan(all.riskNow);
    }
    const replaceNow = all.scenarios!.find((x) => x.name === 'replace_now')!;
    expect(replaceNow.actions.map((a) => a.id)).toEqual(expect.arrayContaining([`${hikvision}:replace`, `${dahua}:replace`, `${hikvision}:disable_vendor_cloud`]));

    // A small budget: the risk-based plan stays within it each year and leaves more risk.
    const tight = await scenarios({ budget: 1000, scenarios: ['risk_based', 'replace_now'], actions: false });
    expect(tight.scenarios).toBeUndefined();
    expect(tight.comparison.map((c) => c.name)).toEqual(['risk_based', 'replace_now']);
    const riskBased = tight.comparison[0]!;
    expect(riskBased.costPerYear.every((y) => y.cost <= 1000)).toBe(true);
    expect(riskBased.unresolved).toBeGreaterThan(0);
    expect(riskBased.residualRiskAtEnd).toBeGreaterThan(tight.comparison[1]!.residualRiskAtEnd);

    // Contract prices replace the default cost model.
    const defaults = all.comparison.find((c) => c.name === 'replace_now')!.totalCost;
    const model = {
      currency: 'EUR', lifetimeYears: 8,
      kinds: Object.fromEntries(['camera', 'recorder', 'encoder', 'intercom', 'other'].map((k) => [k, { hardware: 2000, installation: 500, disposal: 50 }])),
      actions: { disable_vendor_cloud: 10, isolate_network: 10, update_firmware: 10, close_port: 10, activate_device: 10, decommission: 10 },
    };
    const priced = await scenarios({ costs: model, scenarios: ['replace_now'] });
    expect(priced.comparison[0]!.totalCost).not.toBe(defaults);
    expect(priced.scenarios![0]!.actions.find((a) => a.id === `${dahua}:replace`)!.cost).toBe(2500);

    expect(await s.store.db.selectFrom('plan_items').selectAll().execute()).toEqual([]);
    expect((await listAudit(s.store, { orgId: s.orgs.a.id }, { limit: 5000 })).items.length).toBe(auditBefore);
  });

  it('refuses bad plan parameters (400)', async () => {
    for (const body of [{ years: 0 }, { years: 31 }, { budget: -1 }, { scenarios: ['cheapest'] }, { costs: { currency: 'USD' } }, { budgt: 5 }]) {
      const res = await send('POST', `${ALPHA}/plan/scenarios`, body, s.tokens.a.viewer);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
    }
  });

  it('adopts a scenario as the plan, lists its items with filters, sort and paging', async () => {
    expect((await send('PUT', `${ALPHA}/plan`, { scenario: 'replace_now' }, s.tokens.a.viewer)).statusCode).toBe(403);
    const res = await send('PUT', `${ALPHA}/plan`, { scenario: 'replace_now' });
    expect(res.statusCode, res.body).toBe(200);
    const adopted = res.json() as { scenario: Comparison; saved: { created: number } };
    expect(adopted.scenario.name).toBe('replace_now');
    expect(adopted.saved.created).toBe(adopted.scenario.actions);

    const plan = await items('?limit=1000');
    expect(plan.items).toHaveLength(adopted.scenario.actions);
    expect(plan.items.every((i) => i.status === 'planned' && i.statusBy === 'token:editor token' && !i.overdue)).toBe(true);
    const dues = plan.items.map((i) => i.dueDate);
    expect(dues).toEqual([...dues].sort());
    expect((await audit('plan_item')).length).toBe(adopted.saved.created);

    const replacements = await items('?action=replace');
    expect(replacements.items.map((i) => i.deviceId).sort()).toEqual([hikvision, dahua].sort());
    expect((await items(`?device=${dahua}`)).items.every((i) => i.deviceId === dahua)).toBe(true);
    const byCost = (await items('?sort=-cost')).items.map((i) => i.cost);
    expect(byCost).toEqual([...byCost].sort((a, b) => b - a));

    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Item[]; nextCursor: string | null } = await items(`?limit=2&sort=-cost${cursor ? `&cursor=${cursor}` : ''}`);
      paged.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged.sort()).toEqual(plan.items.map((i) => i.id).sort());
    expect((await get(`${ALPHA}/plan?status=finished`)).statusCode).toBe(400);
  });

  it('moves an item one step at a time; a finished replacement retires the device', async () => {
    const item = `${dahua}:replace`;
    const patch = (body: unknown, token = s.tokens.a.editor, org = 'alpha') => send('PATCH', `/api/v1/organisations/${org}/plan/items/${item}`, body, token);
    expect((await patch({ status: 'done' })).statusCode).toBe(409);
    expect((await patch({ status: 'planned' })).statusCode).toBe(400);
    expect((await patch({ status: 'in_progress' }, s.tokens.a.viewer)).statusCode).toBe(403);
    expect((await patch({ status: 'in_progress' }, s.tokens.b.editor, 'beta')).statusCode).toBe(404);

    const started = await patch({ status: 'in_progress', note: 'order 2026-118' });
    expect(started.statusCode, started.body).toBe(200);
    expect(started.json()).toMatchObject({ from: 'planned', item: { id: item, status: 'in_progress', note: 'order 2026-118' }, deviceStatus: null });
    const done = await patch({ status: 'done' });
    expect(done.json()).toMatchObject({ from: 'in_progress', item: { status: 'done' }, deviceStatus: 'replaced' });
    expect(await deviceStatus(dahua)).toBe('replaced');
    expect((await items('?status=done')).items.map((i) => i.id)).toEqual([item]);
    expect((await audit('plan_item')).filter((e) => e.entityId === item).map((e) => e.after?.status)).toEqual(['done', 'in_progress', 'planned']);
    expect((await audit('device')).some((e) => e.entityId === dahua && e.after?.status === 'replaced')).toBe(true);
  });

  it('records a disposal with its certificate, which closes the dispose item', async () => {
    expect((await send('POST', `${ALPHA}/disposals`, { device: betaDevice, method: 'shred', certificate: 'C-1' })).statusCode).toBe(404);
    expect((await send('POST', `${ALPHA}/disposals`, { device: dahua, method: ' ', certificate: 'C-1' })).statusCode).toBe(400);
    const res = await send('POST', `${ALPHA}/disposals`, { device: dahua, method: 'certified_wipe', certificate: 'VERN-2026-0042' });
    expect(res.statusCode, res.body).toBe(201);
    const disposal = res.json() as { id: string; planItem: string };
    expect(disposal.planItem).toBe(`${dahua}:dispose`);
    expect(await deviceStatus(dahua)).toBe('disposed');
    expect((await send('POST', `${ALPHA}/disposals`, { device: dahua, method: 'shred', certificate: 'C-2' })).statusCode).toBe(409);
    expect((await get(`${ALPHA}/disposals`)).json()).toMatchObject({ items: [{ id: disposal.id, certificate: 'VERN-2026-0042', recordedBy: 'token:editor token' }], nextCursor: null });
    expect((await items(`?device=${dahua}&action=dispose`)).items[0]).toMatchObject({ status: 'done', note: 'certified_wipe, certificate VERN-2026-0042' });
    expect((await audit('disposal')).map((e) => e.entityId)).toEqual([disposal.id]);
    expect((await get('/api/v1/organisations/beta/disposals', s.tokens.b.viewer)).json()).toEqual({ items: [], nextCursor: null });
  });

  it('makes the plan workbook as a report job', async () => {
    expect((await send('POST', `${ALPHA}/reports/plan-workbook`, { lang: 'de' })).statusCode).toBe(400);
    const res = await send('POST', `${ALPHA}/reports/plan-workbook`, { scenario: 'risk_based', budget: 5000, lang: 'en' });
    expect(res.statusCode, res.body).toBe(202);
    const { job, links } = res.json() as { job: { id: string; kind: string; params: Record<string, unknown> }; links: { download: string } };
    expect(job).toMatchObject({ kind: 'report', params: { scenario: 'risk_based', budget: 5000, lang: 'en', years: 5 } });
    expect(links.download).toBe(`${ALPHA}/jobs/${job.id}/files/plan.xlsx`);
    const done = await waitForJob(s.store, scopeA(), job.id, finished);
    expect(done.status, done.error ?? '').toBe('succeeded');
    expect(await listJobFiles(s.store, scopeA(), job.id)).toEqual([expect.objectContaining({ name: 'out/plan.xlsx' })]);
    const xlsx = await readJobFile(s.store, scopeA(), job.id, 'out/plan.xlsx');
    expect(xlsx.subarray(0, 2).toString('latin1')).toBe('PK');
  }, 30_000);

  it('marks items past their due date and not done as overdue', async () => {
    s.clock.advance(40 * 86_400_000);
    const overdue = await items('?overdue=true');
    expect(overdue.items.length).toBeGreaterThan(0);
    expect(overdue.items.every((i) => i.overdue && i.status !== 'done' && i.dueDate < '2027-01-08')).toBe(true);
    const rest = await items('?overdue=false');
    expect(rest.items.every((i) => !i.overdue)).toBe(true);
    expect(rest.items.some((i) => i.status === 'done')).toBe(true);
  });
});
