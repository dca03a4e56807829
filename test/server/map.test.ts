// The map's sites through the API, and the rule that keeps secret positions from people who only
// read the register: writers see exact positions; viewers and auditors get positions rounded to
// about a kilometre (and no address, postcode or BAG id) where the organisation or a device at the
// site marks exact positions secret, and nothing where the area is secret too — on the map
// endpoint and on the site routes alike. Counts, standing findings and restricted makers per site.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PUBLICATION } from '../../src/core/model.js';
import { identifierFor } from '../../src/kb/knowledge.js';
import { applyRecords } from '../../src/store/apply-records.js';
import { ENGINES } from '../helpers/engines.js';
import { finished, waitForJob } from '../helpers/job-wait.js';
import { bearer, startTestServer, type TestServer } from '../helpers/server.js';

interface MapSite {
  id: string; name: string; category: string; city: string | null;
  position: { lat: number; lon: number } | null; precision: 'exact' | 'approximate' | 'withheld' | null;
  devices: number; inService: number; highestSeverity: string | null; openFindings: number; restricted: number;
}
interface MapAnswer { sites: MapSite[]; exactPositions: boolean; assessment: { at: string } | null }
interface Site {
  id: string; name: string; address: string | null; postcode: string | null; bagId: string | null; positionPrecision: string | null;
  position: { lat: number; lon: number; original: { x: number; y: number; crs: string } } | null;
}
interface Finding { deviceId: string; severity: string; status: string }

const ALPHA = '/api/v1/organisations/alpha';
const BETA = '/api/v1/organisations/beta';
const RANK: Record<string, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };
// Exact positions with six decimals: any of these digits in an answer to a reader is a leak.
const MARKT = { lat: 52.091234, lon: 5.121987 };
const STADHUIS = { lat: 52.080511, lon: 5.127744 };
const GARAGE = { lat: 52.157321, lon: 5.387612 };
const SPORTHAL = { lat: 52.161077, lon: 5.395518 };

describe.each(ENGINES)('map sites and secret positions on $name', (engine) => {
  let s: TestServer;
  const get = (url: string, token: string) => s.app.inject({ method: 'GET', url, headers: bearer(token) });
  const json = async <T>(url: string, token: string): Promise<{ body: string; data: T }> => {
    const res = await get(url, token);
    expect(res.statusCode, res.body).toBe(200);
    return { body: res.body, data: res.json() as T };
  };
  const siteId = async (orgId: string, name: string) =>
    (await s.store.db.selectFrom('sites').select('id').where('org_id', '=', orgId).where('name', '=', name).executeTakeFirstOrThrow()).id;
  const place = async (org: string, token: string, id: string, position: { lat: number; lon: number }, address: string) => {
    const res = await s.app.inject({ method: 'PATCH', url: `${org}/sites/${id}`, headers: bearer(token), payload: { position, address, postcode: '3511AB', bagId: '0344100000012345' } });
    expect(res.statusCode, res.body).toBe(200);
  };

  beforeAll(async () => {
    s = await startTestServer(engine, { runJobs: true });
    // Beta keeps every exact position secret; set before anything reads (and caches) the organisation.
    await s.store.db.updateTable('organisations').set({ publication_json: JSON.stringify({ ...DEFAULT_PUBLICATION, location_exact: 'secret' }) })
      .where('id', '=', s.orgs.b.id).execute();
    const scope = { orgId: s.orgs.a.id, actor: 'test', source: 'test' };
    await applyRecords(s.store, scope, [
      { row: 1, device: { externalRef: 'map-1', kind: 'camera', brand: 'Hikvision', model: 'DS-2CD2143G0-I', firmware: 'V5.5.0', ip: '10.1.0.11' },
        site: { name: 'Markt', category: 'public_space' }, network: { name: 'cameranet', connectivity: 'internet_exposed', remoteAccess: 'vendor_cloud' } },
      { row: 2, device: { externalRef: 'map-2', kind: 'camera', brand: 'Axis', model: 'P3245-LVE', ip: '10.1.0.12' },
        site: { name: 'Markt', category: 'public_space' }, network: { name: 'cameranet', connectivity: 'internet_exposed', remoteAccess: 'vendor_cloud' } },
      { row: 3, device: { externalRef: 'map-3', kind: 'camera', brand: 'Axis', model: 'P3245-LVE', ip: '10.1.0.13', status: 'decommissioned' },
        site: { name: 'Stadhuis', category: 'office' }, network: null },
    ], s.clock.now(), identifierFor(await s.ctx.knowledge()).enrich);
    await place(ALPHA, s.tokens.a.editor, await siteId(s.orgs.a.id, 'Markt'), MARKT, 'Markt 1');
    await place(ALPHA, s.tokens.a.editor, await siteId(s.orgs.a.id, 'Stadhuis'), STADHUIS, 'Stadhuisplein 1');
    await place(BETA, s.tokens.b.editor, await siteId(s.orgs.b.id, 'beta garage'), GARAGE, 'Garageweg 7');
    await place(BETA, s.tokens.b.editor, await siteId(s.orgs.b.id, 'beta sporthal'), SPORTHAL, 'Sportlaan 3');
    // One device at Markt keeps its exact position secret; at the beta sporthal even the area is.
    await s.store.db.updateTable('devices').set({ publication_json: JSON.stringify({ location_exact: 'secret' }) })
      .where('org_id', '=', s.orgs.a.id).where('external_ref', '=', 'map-2').execute();
    await s.store.db.updateTable('devices').set({ publication_json: JSON.stringify({ location_area: 'secret' }) })
      .where('org_id', '=', s.orgs.b.id).where('external_ref', '=', 'beta-2').execute();
    s.clock.advance(1000);
    const res = await s.app.inject({ method: 'POST', url: `${ALPHA}/assessments`, headers: bearer(s.tokens.a.editor), payload: {} });
    expect(res.statusCode, res.body).toBe(202);
    const done = await waitForJob(s.store, scope, (res.json() as { job: { id: string } }).job.id, finished);
    expect(done.status, done.error ?? '').toBe('succeeded');
  }, 60_000);
  afterAll(async () => {
    await s.close();
    await engine.cleanup();
  });

  it('gives writers every site exactly, with counts, the worst standing finding and restricted makers', async () => {
    const { data } = await json<MapAnswer>(`${ALPHA}/map/sites`, s.tokens.a.editor);
    expect(data.exactPositions).toBe(true);
    expect(data.assessment).not.toBeNull();
    const markt = data.sites.find((x) => x.name === 'Markt')!;
    expect(markt).toMatchObject({ precision: 'exact', position: MARKT, devices: 2, inService: 2, restricted: 1, category: 'public_space' });
    const stadhuis = data.sites.find((x) => x.name === 'Stadhuis')!;
    expect(stadhuis).toMatchObject({ precision: 'exact', position: STADHUIS, devices: 1, inService: 0, restricted: 0, highestSeverity: null, openFindings: 0 });
    // The seeded garage has no position: on the list (for the table), not placed.
    expect(data.sites.find((x) => x.name === 'alpha garage')).toMatchObject({ position: null, precision: null, devices: 2 });
    // The worst standing finding at Markt is the worst open finding on its devices, as the findings list says.
    const findings = (await json<{ items: Finding[] }>(`${ALPHA}/findings?limit=1000`, s.tokens.a.editor)).data.items;
    const devices = (await json<{ items: { id: string; siteId: string | null }[] }>(`${ALPHA}/devices?site=${markt.id}`, s.tokens.a.editor)).data.items.map((d) => d.id);
    const here = findings.filter((f) => devices.includes(f.deviceId) && f.status !== 'waived');
    expect(here.length).toBeGreaterThan(0);
    expect(markt.openFindings).toBe(here.length);
    expect(RANK[markt.highestSeverity!]).toBe(Math.max(...here.map((f) => RANK[f.severity]!)));
  });

  it('gives viewers and auditors a secret site only approximately, and nothing that pins it down', async () => {
    for (const token of [s.tokens.a.viewer, s.tokens.a.auditor]) {
      const { body, data } = await json<MapAnswer>(`${ALPHA}/map/sites`, token);
      expect(data.exactPositions).toBe(false);
      expect(data.sites.find((x) => x.name === 'Markt')).toMatchObject({ precision: 'approximate', position: { lat: 52.09, lon: 5.12 }, devices: 2, restricted: 1 });
      // A site without a secret device stays exact for readers.
      expect(data.sites.find((x) => x.name === 'Stadhuis')).toMatchObject({ precision: 'exact', position: STADHUIS });
      expect(body).not.toContain(String(MARKT.lat));
      expect(body).not.toContain(String(MARKT.lon));
    }
  });

  it('keeps the same rule on the site routes: rounded position, no address, postcode or BAG id', async () => {
    const markt = await siteId(s.orgs.a.id, 'Markt');
    const one = await json<Site>(`${ALPHA}/sites/${markt}`, s.tokens.a.viewer);
    expect(one.data).toMatchObject({
      positionPrecision: 'approximate', address: null, postcode: null, bagId: null,
      position: { lat: 52.09, lon: 5.12, original: { x: 5.12, y: 52.09, crs: 'EPSG:4326' } },
    });
    const list = await json<{ items: Site[] }>(`${ALPHA}/sites?limit=100`, s.tokens.a.auditor);
    expect(list.data.items.find((x) => x.id === markt)).toMatchObject({ positionPrecision: 'approximate', address: null });
    expect(list.data.items.find((x) => x.name === 'Stadhuis')).toMatchObject({ positionPrecision: 'exact', address: 'Stadhuisplein 1', position: { lat: STADHUIS.lat } });
    for (const body of [one.body, list.body]) {
      expect(body).not.toContain(String(MARKT.lat));
      expect(body).not.toContain(String(MARKT.lon));
      expect(body).not.toContain('Markt 1');
    }
    // Nor can a reader find the secret site by its address; a writer can, and sees it exactly.
    expect((await json<{ items: Site[] }>(`${ALPHA}/sites?q=Markt%201`, s.tokens.a.viewer)).data.items).toEqual([]);
    expect((await json<{ items: Site[] }>(`${ALPHA}/sites?q=Markt`, s.tokens.a.viewer)).data.items.map((x) => x.id)).toEqual([markt]);
    const writer = await json<Site>(`${ALPHA}/sites/${markt}`, s.tokens.a.editor);
    expect(writer.data).toMatchObject({ positionPrecision: 'exact', address: 'Markt 1', position: { lat: MARKT.lat, lon: MARKT.lon } });
    expect((await json<{ items: Site[] }>(`${ALPHA}/sites?q=Markt%201`, s.tokens.a.admin)).data.items.map((x) => x.id)).toEqual([markt]);
  });

  it('follows an organisation-wide secret policy, and withholds a site whose area is secret too', async () => {
    const { body, data } = await json<MapAnswer>(`${BETA}/map/sites`, s.tokens.b.viewer);
    expect(data.sites.find((x) => x.name === 'beta garage')).toMatchObject({ precision: 'approximate', position: { lat: 52.16, lon: 5.39 } });
    expect(data.sites.find((x) => x.name === 'beta sporthal')).toMatchObject({ precision: 'withheld', position: null, devices: 1 });
    const sites = await json<{ items: Site[] }>(`${BETA}/sites`, s.tokens.b.viewer);
    expect(sites.data.items.find((x) => x.name === 'beta sporthal')).toMatchObject({ positionPrecision: 'withheld', position: null, address: null });
    for (const text of [body, sites.body]) {
      for (const p of [GARAGE, SPORTHAL]) {
        expect(text).not.toContain(String(p.lat));
        expect(text).not.toContain(String(p.lon));
      }
    }
    const admin = await json<MapAnswer>(`${BETA}/map/sites`, s.tokens.b.admin);
    expect(admin.data.sites.find((x) => x.name === 'beta sporthal')).toMatchObject({ precision: 'exact', position: SPORTHAL });
  });

  it('lists the devices at a site, worst first, and answers another organisation\'s site as missing', async () => {
    const markt = await siteId(s.orgs.a.id, 'Markt');
    const { body, data } = await json<{ site: { id: string; name: string }; items: { externalRef: string; restricted: boolean; highestSeverity: string | null }[] }>(
      `${ALPHA}/map/sites/${markt}/devices`, s.tokens.a.viewer);
    expect(data.site).toEqual({ id: markt, name: 'Markt' });
    expect(data.items.map((d) => d.externalRef).sort()).toEqual(['map-1', 'map-2']);
    expect(data.items.find((d) => d.externalRef === 'map-1')!.restricted).toBe(true);
    expect(data.items.find((d) => d.externalRef === 'map-2')!.restricted).toBe(false);
    const ranks = data.items.map((d) => RANK[d.highestSeverity ?? 'info']!);
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    expect(body).not.toContain(String(MARKT.lat));
    const beta = await siteId(s.orgs.b.id, 'beta garage');
    expect((await get(`${ALPHA}/map/sites/${beta}/devices`, s.tokens.a.viewer)).statusCode).toBe(404);
    expect((await get(`${BETA}/map/sites`, s.tokens.a.viewer)).statusCode).toBe(404);
  });
});
