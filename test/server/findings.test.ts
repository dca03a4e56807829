// Findings, assessments, waivers and the policy through the API: a real assessment job on a
// register with identified devices, findings read back with why and sources, filtered, sorted
// and paged; waivers checked as the CLI checks them, changing the findings' status and recorded
// in the audit trail; another organisation's ids answer 404 like missing ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identifierFor } from '../../src/kb/knowledge.js';
import { applyRecords } from '../../src/store/apply-records.js';
import { listAudit } from '../../src/store/audit.js';
import { ENGINES } from '../helpers/engines.js';
import { finished, waitForJob } from '../helpers/job-wait.js';
import { bearer, startTestServer, type TestServer } from '../helpers/server.js';

interface FindingView {
  id: string;
  deviceId: string;
  rule: string;
  severity: string;
  dueDate: string | null;
  why: { nl: string; en: string };
  sources: unknown[];
  evidence: unknown[];
  status: 'open' | 'waived' | 'lapsed';
  waiver: { id: string; until: string; approver: string; reason: string } | null;
}

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const RANK: Record<string, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };
const ALPHA = '/api/v1/organisations/alpha';

describe.each(ENGINES)('findings, waivers and policy on $name', (engine) => {
  let s: TestServer;
  let hikvision: string;
  let dahua: string;
  let betaDevice: string;

  const get = (url: string, token = s.tokens.a.viewer) => s.app.inject({ method: 'GET', url, headers: bearer(token) });
  const send = (method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, token = s.tokens.a.editor) =>
    s.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload: payload as object }) });
  const findings = async (query = '') => {
    const res = await get(`${ALPHA}/findings${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Page<FindingView> & { assessment: { id: string; policyName: string } | null };
  };
  const assess = async () => {
    // The test clock stands still; runs are told apart by their start time, as in real use.
    s.clock.advance(1000);
    const res = await send('POST', `${ALPHA}/assessments`, {});
    expect(res.statusCode, res.body).toBe(202);
    const { job, links } = res.json() as { job: { id: string; kind: string }; links: { self: string; events: string } };
    expect(job.kind).toBe('assess');
    expect(res.headers.location).toBe(links.self);
    expect(links.events).toBe(`${ALPHA}/jobs/${job.id}/events`);
    const done = await waitForJob(s.store, { orgId: s.orgs.a.id, actor: 'test', source: 'test' }, job.id, finished);
    expect(done.status, done.error ?? '').toBe('succeeded');
    return done;
  };
  const audit = async (entityType: string) =>
    (await listAudit(s.store, { orgId: s.orgs.a.id }, { limit: 1000 })).items.filter((e) => e.entityType === entityType);

  beforeAll(async () => {
    s = await startTestServer(engine, { runJobs: true });
    const scope = { orgId: s.orgs.a.id, actor: 'test', source: 'test' };
    await applyRecords(s.store, scope, [
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

  it('has no findings before the first assessment, and says so', async () => {
    const page = await findings();
    expect(page).toEqual({ items: [], nextCursor: null, assessment: null });
  });

  it('re-assesses as a job and lists the run', async () => {
    const job = await assess();
    expect(job.result).toMatchObject({ policy: 'default', devices: 5, assessed: 5 });
    const runs = (await get(`${ALPHA}/assessments`)).json() as Page<{ id: string; actor: string; policyName: string; findings: number }>;
    expect(runs.items).toHaveLength(1);
    expect(runs.items[0]).toMatchObject({ id: (job.result as { runId: string }).runId, actor: 'token:editor token', policyName: 'default' });
    expect((await audit('assessment')).map((e) => e.entityId)).toContain(runs.items[0]!.id);
  }, 30_000);

  it('lists findings most serious first, each with why in both languages, evidence and sources', async () => {
    const page = await findings();
    expect(page.assessment?.policyName).toBe('default');
    expect(page.items.length).toBeGreaterThan(8);
    const ranks = page.items.map((f) => RANK[f.severity]!);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    for (const f of page.items) {
      expect(f.id).toBe(`${f.deviceId}:${f.rule}`);
      expect(f.why.nl.length).toBeGreaterThan(10);
      expect(f.why.en.length).toBeGreaterThan(10);
      expect(f.status).toBe('open');
    }
    const restricted = page.items.find((f) => f.id === `${hikvision}:restricted_manufacturer`);
    expect(restricted).toMatchObject({ severity: 'high', action: 'replace', dueDate: '2027-05-28' });
    expect(restricted!.sources.length).toBeGreaterThan(0);
    expect(restricted!.evidence.length).toBeGreaterThan(0);
    // The other organisation's devices never appear.
    const beta = await s.store.db.selectFrom('devices').select('id').where('org_id', '=', s.orgs.b.id).execute();
    expect(page.items.some((f) => beta.some((d) => d.id === f.deviceId))).toBe(false);
  });

  it('filters by severity, rule and device, and sorts by due date', async () => {
    const high = await findings('?severity=high,critical');
    expect(high.items.length).toBeGreaterThan(0);
    expect(high.items.every((f) => f.severity === 'high')).toBe(true);
    const rule = await findings('?rule=restricted_manufacturer');
    expect(rule.items.map((f) => f.deviceId).sort()).toEqual([hikvision, dahua].sort());
    const device = await findings(`?device=${dahua}`);
    expect(device.items.length).toBeGreaterThan(0);
    expect(device.items.every((f) => f.deviceId === dahua)).toBe(true);
    const byDue = await findings('?sort=dueDate');
    const dues = byDue.items.map((f) => f.dueDate ?? '9999');
    expect(dues).toEqual([...dues].sort());
  });

  it('pages with a cursor through every finding exactly once', async () => {
    const all = (await findings('?limit=1000')).items.map((f) => f.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page<FindingView> = await findings(`?limit=4&sort=rule${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(4);
      seen.push(...page.items.map((f) => f.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(Math.ceil(all.length / 4));
    expect(seen.sort()).toEqual([...all].sort());
  });

  it('refuses unknown parameters, sort fields, filter values and foreign cursors (400)', async () => {
    for (const query of ['?colour=red', '?sort=colour', '?severity=urgent', '?status=closed', '?device=not-an-id', '?cursor=bm9wZQ']) {
      const res = await get(`${ALPHA}/findings${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
    const page = await findings('?limit=2&sort=rule');
    expect((await get(`${ALPHA}/findings?limit=2&sort=device&cursor=${page.nextCursor}`)).statusCode).toBe(400);
  });

  it('answers one device\'s findings, and 404 for another organisation\'s device', async () => {
    const res = await get(`${ALPHA}/devices/${hikvision}/findings`);
    expect(res.statusCode).toBe(200);
    const items = (res.json() as Page<FindingView>).items;
    expect(items.map((f) => f.rule)).toEqual(expect.arrayContaining(['restricted_manufacturer', 'internet_exposed', 'vendor_cloud']));
    expect(items.every((f) => f.deviceId === hikvision)).toBe(true);
    expect((await get(`${ALPHA}/devices/${betaDevice}/findings`)).statusCode).toBe(404);
  });

  it('refuses waivers as camaudit waive does: rule, reason, date, approver, device', async () => {
    const base = { device: hikvision, rule: 'vendor_cloud', reason: 'contract ends in March', until: '2027-03-31', approver: 'J. de Vries (CISO)' };
    const cases: [Record<string, unknown>, number, RegExp][] = [
      [{ ...base, rule: 'no_such_rule' }, 400, /unknown rule/],
      [{ ...base, reason: '  ' }, 400, /needs --reason|reason/],
      [{ ...base, until: '2026-11-28' }, 400, /in the past/],
      [{ ...base, until: '31-03-2027' }, 400, /YYYY-MM-DD/],
      [{ ...base, approver: undefined }, 400, /approver/],
      [{ ...base, device: betaDevice }, 404, /no device/],
      [{ ...base, extra: true }, 400, /extra|Unrecognized/i],
    ];
    for (const [body, status, detail] of cases) {
      const res = await send('POST', `${ALPHA}/waivers`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect((res.json() as { detail: string }).detail).toMatch(detail);
    }
    expect((await get(`${ALPHA}/waivers?state=in_force,expired,revoked`)).json()).toEqual({ items: [], nextCursor: null });
  });

  it('creates a waiver that sets the finding aside, records it, and revokes it', async () => {
    const res = await send('POST', `${ALPHA}/waivers`, { device: hikvision, rule: 'vendor_cloud', reason: 'contract ends in March', until: '2027-03-31', approver: 'J. de Vries (CISO)' });
    expect(res.statusCode, res.body).toBe(201);
    const waiver = res.json() as { id: string; state: string; approver: string; createdBy: string };
    expect(waiver).toMatchObject({ state: 'in_force', approver: 'J. de Vries (CISO)', createdBy: 'token:editor token' });

    const waived = await findings('?status=waived');
    expect(waived.items.map((f) => f.id)).toEqual([`${hikvision}:vendor_cloud`]);
    expect(waived.items[0]!.waiver).toMatchObject({ id: waiver.id, until: '2027-03-31', approver: 'J. de Vries (CISO)' });
    expect((await findings('?status=open')).items.map((f) => f.id)).not.toContain(`${hikvision}:vendor_cloud`);
    expect((await get(`${ALPHA}/waivers`)).json()).toMatchObject({ items: [{ id: waiver.id, state: 'in_force' }] });
    expect((await audit('waiver')).filter((e) => e.entityId === waiver.id).map((e) => [e.action, e.actor])).toEqual([['create', 'token:editor token']]);

    // Another organisation's waiver id is not found from here; a viewer may not revoke.
    expect((await send('DELETE', `/api/v1/organisations/beta/waivers/${waiver.id}`, undefined, s.tokens.b.editor)).statusCode).toBe(404);
    expect((await send('DELETE', `${ALPHA}/waivers/${waiver.id}`, undefined, s.tokens.a.viewer)).statusCode).toBe(403);

    const revoked = await send('DELETE', `${ALPHA}/waivers/${waiver.id}`);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toMatchObject({ id: waiver.id, state: 'revoked', revokedBy: 'token:editor token' });
    expect((await send('DELETE', `${ALPHA}/waivers/${waiver.id}`)).statusCode).toBe(409);
    expect((await get(`${ALPHA}/waivers`)).json()).toEqual({ items: [], nextCursor: null });
    expect((await get(`${ALPHA}/waivers?state=revoked`)).json()).toMatchObject({ items: [{ id: waiver.id, state: 'revoked' }] });
    expect((await findings('?status=waived')).items).toEqual([]);
    expect((await audit('waiver')).filter((e) => e.entityId === waiver.id).map((e) => e.action)).toEqual(['revoke', 'create']);
  });

  it('stores the organisation\'s policy after checking it, and the next assessment uses it', async () => {
    const before = (await get(`${ALPHA}/policy`)).json() as { origin: string; text: string | null; policy: { name: string } };
    expect(before).toMatchObject({ origin: 'default', text: null, policy: { name: 'default' } });

    const bad = ['extends: default\nname: alpha\nmeasures: [no-such-measure]\n', 'extends: default\nname: alpha\nrulez: {}\n', 'name: [unclosed\n'];
    for (const text of bad) {
      const res = await s.app.inject({ method: 'PUT', url: `${ALPHA}/policy`, headers: { ...bearer(s.tokens.a.admin), 'content-type': 'text/plain' }, payload: text });
      expect(res.statusCode, text).toBe(400);
    }
    expect((await get(`${ALPHA}/policy`)).json()).toMatchObject({ origin: 'default' });
    // Editors change the register, not the policy.
    expect((await send('PUT', `${ALPHA}/policy`, { text: 'extends: default\nname: x\n' })).statusCode).toBe(403);

    const text = 'extends: default\nname: alpha-strict\nrules:\n  restricted_manufacturer: { enabled: true, severity: critical }\n';
    const put = await s.app.inject({ method: 'PUT', url: `${ALPHA}/policy`, headers: { ...bearer(s.tokens.a.admin), 'content-type': 'text/plain' }, payload: text });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ origin: 'organisation', setBy: 'token:admin token', policy: { name: 'alpha-strict' } });
    expect((await get(`${ALPHA}/policy`)).json()).toMatchObject({ origin: 'organisation', file: 'policy.yaml', text, policy: { name: 'alpha-strict', deadlines: { critical: 30 } } });
    expect((await audit('policy')).map((e) => e.action)).toEqual(['set']);

    await assess();
    const restricted = await findings('?rule=restricted_manufacturer');
    expect(restricted.assessment?.policyName).toBe('alpha-strict');
    expect(restricted.items.map((f) => f.severity)).toEqual(['critical', 'critical']);

    const reset = await send('DELETE', `${ALPHA}/policy`, undefined, s.tokens.a.admin);
    expect(reset.statusCode).toBe(204);
    expect((await get(`${ALPHA}/policy`)).json()).toMatchObject({ origin: 'default', text: null });
    expect((await audit('policy')).map((e) => e.action)).toEqual(['delete', 'set']);
  }, 30_000);

  it('shows a finding whose waiver ran out as lapsed, with that waiver', async () => {
    const res = await send('POST', `${ALPHA}/waivers`, { device: dahua, rule: 'vulnerability', reason: 'firmware update booked', until: '2026-11-30', approver: 'J. de Vries (CISO)' });
    expect(res.statusCode).toBe(201);
    const id = (res.json() as { id: string }).id;
    expect((await findings('?status=waived')).items.map((f) => f.id)).toEqual([`${dahua}:vulnerability`]);
    s.clock.advance(2 * 86_400_000);
    const lapsed = await findings('?status=lapsed');
    expect(lapsed.items.map((f) => [f.id, f.waiver?.id])).toEqual([[`${dahua}:vulnerability`, id]]);
    expect((await get(`${ALPHA}/waivers?state=expired`)).json()).toMatchObject({ items: [{ id, state: 'expired' }] });
    expect((await findings('?status=waived')).items).toEqual([]);
  });
});
