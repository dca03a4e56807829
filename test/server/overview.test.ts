// The overview through the API, and the device-list filters that make each of its figures
// traceable: for every figure the overview gives, the device list with the figure's filter holds
// exactly that many devices (its `total`, and the devices paged through one by one). Waivers,
// a retired device and another organisation's devices are each set up to change a figure if the
// overview or a filter got them wrong.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identifierFor } from '../../src/kb/knowledge.js';
import { applyRecords } from '../../src/store/apply-records.js';
import { ENGINES } from '../helpers/engines.js';
import { finished, waitForJob } from '../helpers/job-wait.js';
import { bearer, startTestServer, type TestServer } from '../helpers/server.js';

const ALPHA = '/api/v1/organisations/alpha';

interface Figure { count: number; filter: Record<string, string> }
interface Listed { items: { id: string; brand: string | null; manufacturer: string | null; status: string }[]; nextCursor: string | null; total: number }

/** Every object in the answer that is a figure, with where it sits. */
function figures(value: unknown, path = ''): [string, Figure][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => figures(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  const o = value as Record<string, unknown>;
  const own: [string, Figure][] = typeof o.count === 'number' && o.filter && typeof o.filter === 'object' ? [[path, o as unknown as Figure]] : [];
  return [...own, ...Object.entries(o).flatMap(([k, v]) => (k === 'filter' ? [] : figures(v, `${path}.${k}`)))];
}

describe.each(ENGINES)('the overview on $name', (engine) => {
  let s: TestServer;
  const scopeA = () => ({ orgId: s.orgs.a.id, actor: 'test', source: 'test' });
  const get = (url: string, query: Record<string, string> = {}, token = s.tokens.a.viewer) =>
    s.app.inject({ method: 'GET', url, query, headers: bearer(token) });
  const send = (method: 'POST' | 'PUT' | 'PATCH', url: string, payload: unknown) =>
    s.app.inject({ method, url, headers: bearer(s.tokens.a.editor), payload: payload as object });
  const overview = async () => {
    const res = await get(`${ALPHA}/overview`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  /** The device list with a filter, every page of it. */
  const listed = async (filter: Record<string, string>, limit = '2') => {
    const ids: string[] = [];
    let cursor: string | null = null;
    let total = -1;
    do {
      const res = await get(`${ALPHA}/devices`, { ...filter, limit, ...(cursor ? { cursor } : {}) });
      expect(res.statusCode, `${JSON.stringify(filter)}: ${res.body}`).toBe(200);
      const page = res.json() as Listed;
      if (total === -1) total = page.total;
      expect(page.total, 'the total is the same on every page').toBe(total);
      ids.push(...page.items.map((d) => d.id));
      cursor = page.nextCursor;
    } while (cursor);
    return { ids, total };
  };
  const idOf = async (ref: string) =>
    (await s.store.db.selectFrom('devices').select('id').where('org_id', '=', s.orgs.a.id).where('external_ref', '=', ref).executeTakeFirstOrThrow()).id;

  beforeAll(async () => {
    s = await startTestServer(engine, { runJobs: true });
    const cloud = { name: 'cameranet', connectivity: 'internet_exposed', remoteAccess: 'vendor_cloud' } as const;
    const office = { name: 'kantoornet', connectivity: 'internal', remoteAccess: 'none' } as const;
    await applyRecords(s.store, scopeA(), [
      { row: 1, device: { externalRef: 'ov-hiwatch', kind: 'camera', brand: 'HiWatch', model: 'HWI-T240H', ip: '10.2.0.1' }, site: { name: 'Markt', category: 'public_space' }, network: cloud },
      { row: 2, device: { externalRef: 'ov-hik-kev', kind: 'camera', brand: 'Hikvision', model: 'DS-2CD2132F-IS', firmware: 'V5.3.0 build 150513', ip: '10.2.0.2' }, site: { name: 'Markt', category: 'public_space' }, network: cloud },
      { row: 3, device: { externalRef: 'ov-dahua-kev', kind: 'camera', brand: 'Dahua', model: 'IPC-HFW5442E-ZE', firmware: 'V2.820.0000000.5.R', ip: '10.2.0.3' }, site: { name: 'Stadhuis', category: 'office' }, network: office },
      { row: 4, device: { externalRef: 'ov-amcrest', kind: 'camera', brand: 'Amcrest', model: 'IP4M-1051', ip: '10.2.0.4' }, site: { name: 'Stadhuis', category: 'office' }, network: office },
      { row: 5, device: { externalRef: 'ov-axis', kind: 'camera', brand: 'Axis', model: 'P3245-LVE', ip: '10.2.0.5' }, site: { name: 'Sporthal Oost', category: 'sports_facility' }, network: office },
      { row: 6, device: { externalRef: 'ov-milestone', kind: 'recorder', brand: 'Milestone', ip: '10.2.0.6' }, site: { name: 'Stadhuis', category: 'office' }, network: null },
      { row: 7, device: { externalRef: 'ov-nameless', kind: 'camera', serial: 'SN-0007' }, site: null, network: null },
      { row: 8, device: { externalRef: 'ov-gone', kind: 'camera', brand: 'Hikvision', model: 'DS-2CD2143G0-I', status: 'disposed', ip: '10.2.0.8' }, site: { name: 'Markt', category: 'public_space' }, network: cloud },
    ], s.clock.now(), identifierFor(await s.ctx.knowledge()).enrich);
    const assessed = await send('POST', `${ALPHA}/assessments`, {});
    expect(assessed.statusCode, assessed.body).toBe(202);
    const job = await waitForJob(s.store, scopeA(), (assessed.json() as { job: { id: string } }).job.id, finished);
    expect(job.status).toBe('succeeded');
  }, 60_000);
  afterAll(async () => {
    await s.close();
    await engine.cleanup();
  });

  it('answers the four questions for the devices in service, each device figure listing exactly its devices', async () => {
    const o = await overview();
    expect(o.organisation).toEqual({ slug: 'alpha', name: 'Gemeente alpha' });
    expect(o.assessment).not.toBeNull();
    // Three seeded devices (never identified: no maker) plus seven in service; the disposed one is not counted anywhere.
    expect(o.inventory.devices.count).toBe(10);
    const makers = Object.fromEntries((o.inventory.makers as (Figure & { key: string })[]).map((m) => [m.key, m.count]));
    expect(makers).toEqual({ hikvision: 2, dahua: 2, axis: 1, milestone: 1, none: 4 });
    expect(o.inventory.makers.find((m: { key: string }) => m.key === 'hikvision')).toMatchObject({ name: 'Hikvision', country: 'CN', restricted: true });
    expect(o.inventory.makers.find((m: { key: string }) => m.key === 'axis')).toMatchObject({ restricted: false });

    // HiWatch and Amcrest are labels of another maker; Milestone is its maker's own name.
    expect(o.inventory.oem.count).toBe(2);
    const hiwatch = o.inventory.oem.brands.find((b: { brand: string }) => b.brand === 'HiWatch');
    expect(hiwatch).toMatchObject({ maker: { id: 'hikvision', name: 'Hikvision' }, count: 1, record: { id: 'hiwatch', relationship: 'own_brand' } });
    expect(hiwatch.record.sources.length).toBeGreaterThan(0);
    expect(hiwatch.record.sources[0].title).not.toBe('');

    expect(o.inventory.publicSpace).toMatchObject({ count: 2, sites: 1 });
    expect(o.inventory.noSite.count).toBe(1);
    expect(o.inventory.publicSpace.count + o.inventory.buildings.count + o.inventory.noSite.count).toBe(10);
    expect(o.exposure.internetExposed.count).toBe(2);
    expect(o.exposure.vendorCloudNetworks.count).toBe(2);
    expect(o.exposure.kev.count).toBe(2);
    expect(o.exposure.kev.vulnerabilities.map((v: { id: string }) => v.id)).toContain('CVE-2017-7921');
    expect(o.procurement.policy).toEqual({ name: 'default', origin: 'default', unknownMeasures: [] });
    expect(o.procurement.restrictedMakers.map((m: { id: string }) => m.id)).toEqual(expect.arrayContaining(['hikvision', 'dahua']));
    expect(o.procurement.restrictedMakers.find((m: { id: string }) => m.id === 'hikvision').measures[0].sources.length).toBeGreaterThan(0);
    expect(o.risk.bySeverity.reduce((n: number, b: Figure) => n + b.count, 0)).toBe(o.risk.devicesWithFindings);
    expect(o.plan).toMatchObject({ adopted: false, items: { planned: 0, in_progress: 0, done: 0 } });

    const all = figures(o);
    expect(all.length).toBeGreaterThan(25);
    for (const [where, f] of all) {
      const { ids, total } = await listed(f.filter, '3');
      expect.soft(total, `${where} ${JSON.stringify(f.filter)}`).toBe(f.count);
      expect.soft(ids.length, `${where} ${JSON.stringify(f.filter)}`).toBe(f.count);
    }
  }, 60_000);

  it('counts a waived finding as set aside, a lapsed one as active, and moves the device\'s severity accordingly', async () => {
    const kevDevice = await idOf('ov-dahua-kev');
    const before = await overview();
    const kevBefore = await listed({ rule: 'known_exploited_vulnerability' });
    expect(kevBefore.ids).toContain(kevDevice);
    expect((await listed({ severity: 'critical' })).ids).toContain(kevDevice);

    const waiver = await send('POST', `${ALPHA}/waivers`, { device: kevDevice, rule: 'known_exploited_vulnerability', reason: 'Camera staat los van elk netwerk tot vervanging', until: '2026-12-31', approver: 'J. de Vries' });
    expect(waiver.statusCode, waiver.body).toBe(201);
    const after = await overview();
    expect(after.exposure.kev.count).toBe(before.exposure.kev.count - 1);
    expect(after.risk.waiversInForce).toBe(before.risk.waiversInForce + 1);
    expect(after.risk.findings.waived).toBe(before.risk.findings.waived + 1);
    expect((await listed({ rule: 'known_exploited_vulnerability' })).ids).not.toContain(kevDevice);
    // Its most serious remaining finding is no longer critical.
    expect((await listed({ severity: 'critical' })).ids).not.toContain(kevDevice);
    for (const [where, f] of figures(after)) expect.soft((await listed(f.filter, '50')).total, where).toBe(f.count);

    // Once the waiver's last day has passed the finding counts again, without anyone acting.
    s.clock.advance(40 * 86_400_000);
    const lapsed = await overview();
    expect(lapsed.exposure.kev.count).toBe(before.exposure.kev.count);
    expect(lapsed.risk.findings.lapsed).toBe(1);
    expect(lapsed.risk.waiversInForce).toBe(before.risk.waiversInForce);
    expect((await listed({ rule: 'known_exploited_vulnerability' })).ids).toContain(kevDevice);
  }, 60_000);

  it('shows plan progress and budget once a plan is adopted, and leaves a retired device out', async () => {
    const adopted = await send('PUT', `${ALPHA}/plan`, { scenario: 'replace_now' });
    expect(adopted.statusCode, adopted.body).toBe(200);
    const items = (await get(`${ALPHA}/plan`, { limit: '500' })).json() as { items: { id: string; cost: number; action: string; deviceId: string }[] };
    const replace = items.items.find((i) => i.action === 'replace' && i.deviceId === (items.items[0]!.deviceId))
      ?? items.items.find((i) => i.action === 'replace')!;
    for (const status of ['in_progress', 'done']) {
      const res = await send('PATCH', `${ALPHA}/plan/items/${replace.id}`, { status });
      expect(res.statusCode, res.body).toBe(200);
    }
    const o = await overview();
    const total = items.items.reduce((n, i) => n + i.cost, 0);
    expect(o.plan).toMatchObject({ adopted: true, scenarios: ['replace_now'], items: { planned: items.items.length - 1, in_progress: 0, done: 1 } });
    expect(o.plan.budget).toEqual({ planned: total, spent: replace.cost, remaining: total - replace.cost });
    // The finished replacement retired the device: out of every figure, and out of every list.
    expect(o.inventory.devices.count).toBe(9);
    for (const [where, f] of figures(o)) {
      const { ids, total: n } = await listed(f.filter, '50');
      expect.soft(n, where).toBe(f.count);
      expect.soft(ids, where).not.toContain(replace.deviceId);
    }
  }, 60_000);

  it('never counts or lists another organisation\'s devices', async () => {
    const o = await overview();
    const betaIds = new Set((await s.store.db.selectFrom('devices').select('id').where('org_id', '=', s.orgs.b.id).execute()).map((r) => r.id));
    for (const [, f] of figures(o)) for (const id of (await listed(f.filter, '50')).ids) expect(betaIds.has(id)).toBe(false);
    const beta = await get('/api/v1/organisations/beta/overview', {}, s.tokens.b.viewer);
    expect(beta.statusCode).toBe(200);
    expect(beta.json()).toMatchObject({ assessment: null, inventory: { devices: { count: 3 } }, exposure: { kev: { count: 0 } }, plan: { adopted: false } });
    expect((await get('/api/v1/organisations/beta/overview')).statusCode).toBe(404);
  }, 60_000);

  it('filters the device list by category, remote access, label, rule and severity, and refuses what it does not know', async () => {
    expect((await listed({ category: 'office,sports_facility' })).total).toBe((await listed({ category: 'office' })).total + (await listed({ category: 'sports_facility' })).total);
    const oem = await listed({ oem: 'true' }, '50');
    const rest = await listed({ oem: 'false' }, '50');
    expect(oem.ids).toEqual(expect.arrayContaining([await idOf('ov-hiwatch'), await idOf('ov-amcrest')]));
    expect(rest.ids).toEqual(expect.arrayContaining([await idOf('ov-milestone'), await idOf('ov-nameless')]));
    expect(oem.total + rest.total).toBe((await listed({})).total);
    const nameless = await listed({ manufacturer: 'none' });
    expect(nameless.ids).toContain(await idOf('ov-nameless'));
    expect(nameless.total).toBe(4);
    expect((await listed({ connectivity: 'none', status: 'active' }, '50')).ids).toContain(await idOf('ov-milestone'));
    for (const query of ['category=garden', 'status=active,bogus', 'oem=maybe', 'rule=colour', 'severity=severe', 'remoteAccess=modem', 'connectivity=wifi']) {
      const res = await s.app.inject({ url: `${ALPHA}/devices?${query}`, headers: bearer(s.tokens.a.viewer) });
      expect.soft(res.statusCode, query).toBe(400);
    }
  });
});
