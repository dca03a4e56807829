// Sites and networks through the API: lists with filters, sort and paging; creation with RD New
// coordinates and address ranges; edits recorded in the audit trail; unique names; and another
// organisation's sites and networks answered as missing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit, verifyAudit } from '../../src/store/audit.js';
import { ENGINES } from '../helpers/engines.js';
import { bearer, startTestServer, type TestServer } from '../helpers/server.js';
import { tenantFingerprint } from '../helpers/tenant-fingerprint.js';

interface Site { id: string; name: string; category: string; address: string | null; postcode: string | null; devices: number; position: { lat: number; lon: number; original: { crs: string } } | null }
interface Network { id: string; name: string; cidrs: string[]; connectivity: string; remoteAccess: string; devices: number }
interface Page<T> { items: T[]; nextCursor: string | null }

const ORG = '/api/v1/organisations/alpha';

describe.each(ENGINES)('site and network routes on $name', (engine) => {
  let s: TestServer;
  let betaSite: string;
  let betaBefore: string;
  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, token = s.tokens.a.editor) =>
    s.app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload: payload as object }) });
  /** Address ranges decide what may be scanned: an administrator sets them. */
  const asAdmin = (method: 'POST' | 'PATCH', url: string, payload: unknown) => call(method, url, payload, s.tokens.a.admin);
  const history = async (id: string) => (await listAudit(s.store, { orgId: s.orgs.a.id }, { entityId: id })).items;

  beforeAll(async () => {
    s = await startTestServer(engine);
    betaSite = (await s.store.db.selectFrom('sites').select('id').where('org_id', '=', s.orgs.b.id).executeTakeFirstOrThrow()).id;
    betaBefore = await tenantFingerprint(s.store, s.orgs.b.id);
  });
  afterAll(async () => {
    await s.close();
    await engine.cleanup();
  });

  it('creates a site from RD New coordinates, stored as WGS84 with the original kept', async () => {
    const res = await call('POST', `${ORG}/sites`, { name: 'Stadhuis', category: 'office', address: 'Markt 1', postcode: '1234ab', position: { x: 136503.2, y: 456110.9 } });
    expect(res.statusCode, res.body).toBe(201);
    const site = res.json() as Site;
    expect(site).toMatchObject({ name: 'Stadhuis', category: 'office', postcode: '1234 AB', devices: 0 });
    expect(site.position!.lat).toBeCloseTo(52.09, 2);
    expect(site.position!.lon).toBeCloseTo(5.12, 2);
    expect(site.position!.original.crs).toBe('EPSG:28992');
    expect(await history(site.id)).toEqual([expect.objectContaining({ action: 'create', entityType: 'site', actor: 'token:editor token' })]);
  });

  it('refuses a second site of the same name, a position outside the area and unknown fields', async () => {
    expect((await call('POST', `${ORG}/sites`, { name: '  stadhuis ' })).statusCode).toBe(409);
    const paris = await call('POST', `${ORG}/sites`, { name: 'Parijs', position: { lat: 48.85, lon: 2.35 } });
    expect(paris.statusCode).toBe(400);
    expect(paris.json().detail).toMatch(/outside the area/);
    expect((await call('POST', `${ORG}/sites`, { name: 'X', colour: 'red' })).statusCode).toBe(400);
    expect((await call('POST', `${ORG}/sites`, { category: 'office' })).statusCode).toBe(400);
  });

  it('lists sites filtered, sorted and paged', async () => {
    const byName = (await call('GET', `${ORG}/sites?sort=-name`)).json() as Page<Site>;
    expect(byName.items.map((x) => x.name)).toEqual(['Stadhuis', 'alpha sporthal', 'alpha garage']);
    expect(byName.items.find((x) => x.name === 'alpha garage')!.devices).toBe(2);
    const garages = (await call('GET', `${ORG}/sites?category=parking_garage`)).json() as Page<Site>;
    expect(garages.items.map((x) => x.name)).toEqual(['alpha garage']);
    expect(((await call('GET', `${ORG}/sites?q=markt`)).json() as Page<Site>).items.map((x) => x.name)).toEqual(['Stadhuis']);
    const first = (await call('GET', `${ORG}/sites?limit=2`)).json() as Page<Site>;
    const second = (await call('GET', `${ORG}/sites?limit=2&cursor=${first.nextCursor}`)).json() as Page<Site>;
    expect([...first.items, ...second.items].map((x) => x.name)).toEqual(['alpha garage', 'alpha sporthal', 'Stadhuis']);
    expect(second.nextCursor).toBeNull();
  });

  it('edits a site, clears a field with null, records the change, and writes nothing for no change', async () => {
    const site = ((await call('GET', `${ORG}/sites?q=stadhuis`)).json() as Page<Site>).items[0]!;
    const res = await call('PATCH', `${ORG}/sites/${site.id}`, { name: 'Stadhuis (oud)', address: null });
    expect(res.json()).toMatchObject({ changed: true, site: { name: 'Stadhuis (oud)', address: null, postcode: '1234 AB' } });
    expect((await call('PATCH', `${ORG}/sites/${site.id}`, { category: 'office' })).json().changed).toBe(false);
    const updates = (await history(site.id)).filter((e) => e.action === 'update');
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ before: { name: 'Stadhuis', address: 'Markt 1' }, after: { name: 'Stadhuis (oud)', address: null } });
    expect((await call('PATCH', `${ORG}/sites/${site.id}`, { name: 'Alpha Garage' })).statusCode).toBe(409);
    expect((await call('GET', `${ORG}/sites/${site.id}`)).json()).toMatchObject({ name: 'Stadhuis (oud)' });
  });

  it('creates networks with their address ranges, and refuses a malformed range', async () => {
    const byEditor = await call('POST', `${ORG}/networks`, { name: 'Cameranet', cidrs: ['10.20.0.0/16'] });
    expect(byEditor.statusCode).toBe(403);
    const res = await asAdmin('POST', `${ORG}/networks`, { name: 'Cameranet', cidrs: ['10.20.0.0/16', ' 2001:DB8::/32'], connectivity: 'internet_exposed', remoteAccess: 'vendor_cloud' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ name: 'Cameranet', cidrs: ['10.20.0.0/16', '2001:db8::/32'], connectivity: 'internet_exposed', devices: 0 });
    const bad = await asAdmin('POST', `${ORG}/networks`, { name: 'Kapot', cidrs: ['10.20.0.0/33'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toMatch(/10\.20\.0\.0\/33/);
    expect((await call('POST', `${ORG}/networks`, { name: 'Intern' })).json()).toMatchObject({ connectivity: 'unknown', remoteAccess: 'none', cidrs: [] });
  });

  it('places a device on a network, which the device list then filters by', async () => {
    const net = ((await call('GET', `${ORG}/networks?connectivity=internet_exposed`)).json() as Page<Network>).items;
    expect(net.map((n) => n.name)).toEqual(['Cameranet']);
    const device = (await s.store.db.selectFrom('devices').select('id').where('org_id', '=', s.orgs.a.id).where('external_ref', '=', 'alpha-2').executeTakeFirstOrThrow()).id;
    expect((await call('PATCH', `${ORG}/devices/${device}`, { networkId: net[0]!.id })).statusCode).toBe(200);
    const exposed = (await call('GET', `${ORG}/devices?connectivity=internet_exposed`)).json() as Page<{ id: string }>;
    expect(exposed.items.map((d) => d.id)).toEqual([device]);
    expect((await call('GET', `${ORG}/networks/${net[0]!.id}`)).json()).toMatchObject({ devices: 1 });
  });

  it('lists networks sorted and filtered, and edits one with an audit entry', async () => {
    const sorted = (await call('GET', `${ORG}/networks?sort=-connectivity`)).json() as Page<Network>;
    expect(sorted.items.map((n) => n.connectivity)).toEqual(['unknown', 'internet_exposed']);
    expect(((await call('GET', `${ORG}/networks?q=10.20`)).json() as Page<Network>).items.map((n) => n.name)).toEqual(['Cameranet']);
    const intern = sorted.items[0]!;
    expect((await call('PATCH', `${ORG}/networks/${intern.id}`, { cidrs: ['0.0.0.0/0'] })).statusCode).toBe(403);
    const res = await asAdmin('PATCH', `${ORG}/networks/${intern.id}`, { connectivity: 'isolated', cidrs: ['192.168.1.0/24'] });
    expect(res.json()).toMatchObject({ changed: true, network: { connectivity: 'isolated', cidrs: ['192.168.1.0/24'] } });
    expect((await history(intern.id)).map((e) => e.action)).toEqual(['update', 'create']);
  });

  it('answers another organisation\'s site or network as missing, and leaves it alone', async () => {
    for (const [method, path] of [['GET', `${ORG}/sites/${betaSite}`], ['PATCH', `${ORG}/sites/${betaSite}`], ['GET', `${ORG}/networks/${betaSite}`], ['PATCH', `${ORG}/networks/${betaSite}`]] as const) {
      const res = await call(method, path, method === 'PATCH' ? { name: 'overgenomen' } : undefined);
      expect.soft(res.statusCode, `${method} ${path}`).toBe(404);
    }
    expect((await call('PATCH', `${ORG}/devices/${(await s.store.db.selectFrom('devices').select('id').where('org_id', '=', s.orgs.a.id).executeTakeFirstOrThrow()).id}`, { siteId: betaSite })).statusCode).toBe(404);
    expect(await tenantFingerprint(s.store, s.orgs.b.id)).toBe(betaBefore);
    expect((await verifyAudit(s.store, s.orgs.a.id)).problems).toEqual([]);
  });
});
