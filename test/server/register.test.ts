// The register's device routes: listing with filters, sort and cursor paging; one device with its
// identity and history; creation, edits of one device and of many at once (all or nothing) — each
// write visible afterwards, recorded in the audit trail, and never reaching another organisation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoRecords } from '../../src/lab/demo.js';
import { listAudit, verifyAudit } from '../../src/store/audit.js';
import { applyRecords } from '../../src/store/apply-records.js';
import { ENGINES } from '../helpers/engines.js';
import { bearer, startTestServer, type TestServer } from '../helpers/server.js';
import { tenantFingerprint } from '../helpers/tenant-fingerprint.js';

interface Device { id: string; brand: string | null; kind: string; status: string; ip: string | null; serial: string | null; manufacturer: string | null; siteId: string | null; siteName: string | null }
interface Page<T> { items: T[]; nextCursor: string | null }

const DEVICES = '/api/v1/organisations/alpha/devices';

describe.each(ENGINES)('device routes on $name', (engine) => {
  let s: TestServer;
  let editor: string;
  let viewer: string;
  let ids: Record<string, string>;
  let betaDevice: string;
  let betaBefore: string;

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, token = editor) =>
    s.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload: payload as object }) });

  /** Every page of a device list, following the cursors. */
  async function all(query: Record<string, string>): Promise<{ items: Device[]; pages: number }> {
    const items: Device[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await s.app.inject({ url: DEVICES, headers: bearer(viewer), query: { ...query, ...(cursor ? { cursor } : {}) } });
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json() as Page<Device>;
      items.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    return { items, pages };
  }

  beforeAll(async () => {
    s = await startTestServer(engine);
    editor = s.tokens.a.editor;
    viewer = s.tokens.a.viewer;
    const rows = await s.store.db.selectFrom('devices').select(['id', 'external_ref', 'org_id']).execute();
    ids = Object.fromEntries(rows.filter((r) => r.org_id === s.orgs.a.id).map((r) => [r.external_ref!, r.id]));
    betaDevice = rows.find((r) => r.org_id === s.orgs.b.id)!.id;
    betaBefore = await tenantFingerprint(s.store, s.orgs.b.id);
  });
  afterAll(async () => {
    await s.close();
    await engine.cleanup();
  });

  it('filters the list by brand (any case), kind and free text', async () => {
    expect((await all({ brand: 'HIKVISION' })).items.map((d) => d.id)).toEqual([ids['alpha-1']]);
    expect((await all({ kind: 'recorder' })).items.map((d) => d.id)).toEqual([ids['alpha-3']]);
    expect((await all({ q: 'sporthal' })).items.map((d) => d.siteName)).toEqual(['alpha sporthal']);
  });

  it('sorts by an allowed field either way, and pages through the same order without repeats', async () => {
    const down = await all({ sort: '-brand', limit: '100' });
    expect(down.items.map((d) => d.brand)).toEqual(['Hikvision', 'Dahua', 'Axis']);
    const paged = await all({ sort: 'brand', limit: '1' });
    expect(paged.pages).toBe(3);
    expect(paged.items.map((d) => d.brand)).toEqual(['Axis', 'Dahua', 'Hikvision']);
  });

  it('refuses a cursor made for another sort, unknown parameters and values with problem+json', async () => {
    const first = (await call('GET', `${DEVICES}?sort=brand&limit=1`)).json() as Page<Device>;
    const other = await call('GET', `${DEVICES}?sort=-brand&cursor=${first.nextCursor}`);
    expect(other.statusCode).toBe(400);
    expect(other.json().detail).toMatch(/sort=brand/);
    for (const query of ['colour=red', 'sort=serial', 'kind=toaster', 'limit=0', 'cursor=nonsense']) {
      const res = await call('GET', `${DEVICES}?${query}`);
      expect.soft(res.statusCode, query).toBe(400);
      expect.soft(res.headers['content-type'], query).toMatch(/application\/problem\+json/);
    }
  });

  it('creates a device, identifies its true maker, and records the creation', async () => {
    const res = await call('POST', DEVICES, { brand: 'EZVIZ', model: 'C6N', serial: 'EZ-0001', ip: '10.0.0.50', site: 'Alpha Garage', status: 'actief' });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json() as Device & { identity: { evidence: unknown[] } };
    expect(created).toMatchObject({ brand: 'EZVIZ', serial: 'EZ-0001', status: 'active', siteName: 'alpha garage' });
    expect(created.manufacturer).toMatch(/hikvision/i);
    expect(created.identity.evidence.length).toBeGreaterThan(0);

    const shown = (await call('GET', `${DEVICES}/${created.id}`, undefined, viewer)).json() as { identity: { checks: string[] }; history: { action: string; actor: string; source: string }[]; links: { history: string } };
    expect(shown.history).toEqual([expect.objectContaining({ action: 'create', actor: 'token:editor token', source: 'api' })]);
    expect(shown.identity.checks).toEqual(expect.any(Array));
    expect(shown.links.history).toBe(`${DEVICES}/${created.id}/history`);

    // % and _ are text to search for, not wildcards, on every engine.
    const odd = await call('POST', DEVICES, { brand: 'Acme', model: 'X_50%', serial: 'ODD-1' });
    expect(odd.statusCode, odd.body).toBe(201);
    expect((await all({ q: '50%' })).items.map((d) => d.serial)).toEqual(['ODD-1']);
    expect((await all({ q: 'x_5' })).items.map((d) => d.serial)).toEqual(['ODD-1']);
    expect((await all({ q: 'x%5' })).items).toEqual([]);

    // A list gives the verdict; the evidence behind it comes with the device itself.
    const listed = (await all({ q: 'EZ-0001' })).items as unknown as { identity: Record<string, unknown> }[];
    expect(listed).toHaveLength(1);
    expect(listed[0]!.identity).toMatchObject({ manufacturer: created.manufacturer, confidence: expect.any(Number) });
    expect(listed[0]!.identity).not.toHaveProperty('evidence');
  });

  it('refuses a device without a key, a key another device has, bad values and unknown sites', async () => {
    expect((await call('POST', DEVICES, { brand: 'Axis' })).json().detail).toMatch(/MAC address, serial number or reference/);
    const clash = await call('POST', DEVICES, { serial: 'EZ-0001' });
    expect(clash.statusCode).toBe(409);
    const badIp = await call('POST', DEVICES, { serial: 'X-2', ip: '10.0.0.300' });
    expect(badIp.statusCode).toBe(400);
    expect(badIp.json().detail).toMatch(/ip: "10.0.0.300" is not an IP address/);
    expect((await call('POST', DEVICES, { serial: 'X-3', site: 'nowhere' })).statusCode).toBe(404);
    expect((await call('POST', DEVICES, { serial: 'X-4', colour: 'red' })).statusCode).toBe(400);
  });

  it('edits one device as `devices edit` does, and an edit that changes nothing writes nothing', async () => {
    const url = `${DEVICES}/${ids['alpha-2']}`;
    const res = await call('PATCH', url, { ip: '10.0.0.99', status: 'buiten gebruik', brand: null });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ changed: true, device: { ip: '10.0.0.99', status: 'decommissioned', brand: null } });
    const again = await call('PATCH', url, { ip: '10.0.0.99' });
    expect(again.json().changed).toBe(false);
    const history = await listAudit(s.store, { orgId: s.orgs.a.id }, { entityId: ids['alpha-2']! });
    const updates = history.items.filter((e) => e.action === 'update');
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ before: { ip: '10.0.0.12', status: 'active', brand: 'Axis' }, after: { ip: '10.0.0.99', status: 'decommissioned', brand: null } });
    expect((await call('PATCH', url, { kind: null })).json().detail).toMatch(/kind cannot be cleared/);
    expect((await call('PATCH', url, {})).statusCode).toBe(400);
  });

  it('answers 404 for another organisation\'s device on every device route, and changes nothing there', async () => {
    const url = `${DEVICES}/${betaDevice}`;
    for (const [method, path, body] of [['GET', url], ['GET', `${url}/history`], ['PATCH', url, { status: 'isolated' }]] as const) {
      const res = await call(method, path, body);
      expect.soft(res.statusCode, `${method} ${path}`).toBe(404);
      expect.soft(res.json().detail, `${method} ${path}`).toMatch(/^no device/);
    }
    const bulk = await call('PATCH', DEVICES, { ids: [ids['alpha-1'], betaDevice], set: { status: 'scheduled' } });
    expect(bulk.statusCode).toBe(404);
    const first = (await call('GET', `${DEVICES}/${ids['alpha-1']}`)).json() as Device;
    expect(first.status).toBe('active');
    expect(await tenantFingerprint(s.store, s.orgs.b.id)).toBe(betaBefore);
  });

  it('edits many devices at once with one history entry each', async () => {
    const chosen = [ids['alpha-1']!, ids['alpha-3']!];
    const res = await call('PATCH', DEVICES, { ids: chosen, set: { status: 'gepland', supplier: 'Videotech' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ devices: 2, changed: 2, changedIds: chosen });
    for (const id of chosen) {
      const device = (await call('GET', `${DEVICES}/${id}`)).json() as Device & { supplier: string };
      expect(device).toMatchObject({ status: 'scheduled', supplier: 'Videotech' });
      const history = await listAudit(s.store, { orgId: s.orgs.a.id }, { entityId: id });
      expect(history.items.filter((e) => e.action === 'update')).toHaveLength(1);
    }
  });

  it('writes nothing of a bulk edit when one device would clash, and refuses repeated or too many ids', async () => {
    const chosen = [ids['alpha-1']!, ids['alpha-3']!];
    const before = await tenantFingerprint(s.store, s.orgs.a.id);
    const clash = await call('PATCH', DEVICES, { ids: chosen, set: { serial: 'SAME-SERIAL', status: 'isolated' } });
    expect(clash.statusCode).toBe(409);
    expect(await tenantFingerprint(s.store, s.orgs.a.id)).toBe(before);
    expect((await call('PATCH', DEVICES, { ids: [chosen[0], chosen[0]], set: { status: 'isolated' } })).statusCode).toBe(400);
    const many = Array.from({ length: 1001 }, () => chosen[0]);
    expect((await call('PATCH', DEVICES, { ids: many, set: { status: 'isolated' } })).statusCode).toBe(400);
    expect((await call('PATCH', DEVICES, { ids: chosen, set: {} })).statusCode).toBe(400);
  });

  it('pages through a device\'s history, newest first', async () => {
    const url = `${DEVICES}/${ids['alpha-1']}/history`;
    const first = (await call('GET', `${url}?limit=1`, undefined, viewer)).json() as Page<{ action: string; seq: number }>;
    expect(first.items.map((e) => e.action)).toEqual(['update']);
    expect(first.nextCursor).not.toBeNull();
    const rest = (await call('GET', `${url}?limit=10&cursor=${first.nextCursor}`, undefined, viewer)).json() as Page<{ action: string; seq: number }>;
    expect(rest.items.map((e) => e.action)).toEqual(['create']);
    expect(rest.items[0]!.seq).toBeLessThan(first.items[0]!.seq);
    expect(rest.nextCursor).toBeNull();
  });

  it('keeps the audit chain verifiable after all these writes', async () => {
    expect((await verifyAudit(s.store, s.orgs.a.id)).problems).toEqual([]);
  });

  it('lets a viewer read but not write', async () => {
    expect((await call('PATCH', `${DEVICES}/${ids['alpha-1']}`, { status: 'isolated' }, viewer)).statusCode).toBe(403);
  });
});

describe('a register of the demo size', () => {
  const engine = ENGINES[0]!;
  let s: TestServer;

  beforeAll(async () => {
    s = await startTestServer(engine);
    await applyRecords(s.store, { orgId: s.orgs.a.id, actor: 'test', source: 'test' }, demoRecords(), s.clock.now());
  });
  afterAll(async () => {
    await s.close();
    await engine.cleanup();
  });

  it('pages through every device with a cursor', async () => {
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await s.app.inject({ url: DEVICES, headers: bearer(s.tokens.a.viewer), query: { limit: '50', ...(cursor ? { cursor } : {}) } });
      const body = res.json() as Page<Device>;
      body.items.forEach((d) => seen.add(d.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor);
    // The demo's devices and the three the test server starts with.
    expect(seen.size).toBe(demoRecords().length + 3);
    expect(pages).toBe(Math.ceil(seen.size / 50));
  });

  it('filters by connectivity through the device\'s network', async () => {
    const res = await s.app.inject({ url: DEVICES, headers: bearer(s.tokens.a.viewer), query: { connectivity: 'internet_exposed', limit: '1000' } });
    const items = (res.json() as Page<Device & { connectivity: string }>).items;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((d) => d.connectivity === 'internet_exposed')).toBe(true);
  });

  it('answers health with the API-Version header, and unknown paths with problem+json', async () => {
    const health = await s.app.inject('/api/v1/health');
    expect(health.headers['api-version']).toBe('0.1.0');
    expect(health.json()).toEqual({ status: 'ok', version: '0.1.0', engine: engine.name });
    const missing = await s.app.inject('/api/v1/nope');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ status: 404, title: 'Not Found' });
  });

  it('describes the register routes, their filters and sorts in the OpenAPI document', async () => {
    const doc = (await s.app.inject('/api/v1/openapi.json')).json() as { paths: Record<string, Record<string, { parameters: { name: string; schema: { enum?: string[] } }[] }>> };
    const devices = doc.paths['/api/v1/organisations/{org}/devices']!;
    expect(Object.keys(devices).sort()).toEqual(['get', 'patch', 'post']);
    expect(devices.get!.parameters.find((p) => p.name === 'sort')!.schema.enum).toContain('-brand');
    expect(devices.get!.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['limit', 'cursor', 'kind', 'status', 'connectivity', 'q']));
    expect(doc.paths['/api/v1/organisations/{org}/exports/devices.xlsx']).toBeDefined();
  });

  it('shows no register data on the start page, which anyone may read', async () => {
    const page = await s.app.inject('/');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain(s.orgs.a.name);
    expect(page.body).not.toContain('alpha garage');
  });
});
