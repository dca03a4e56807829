// Open-data and supply-chain exports through the API, on both engines: only the organisation in
// the path, the public edition narrowed by the publication policy, the HBOM valid CycloneDX 1.6,
// and formula payloads neutralised in the Camera in Beeld list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../helpers/engines.js';
import { bearer, startTestServer, type TestServer } from '../helpers/server.js';
import type { SiteCollection } from '../../src/report/geojson-export.js';
import { validateCycloneDx } from '../report/cyclonedx-validate.js';

const ORG = '/api/v1/organisations/alpha';

describe.each(ENGINES)('open exports on $name', (engine) => {
  let s: TestServer;
  const get = (url: string, token = s.tokens.a.viewer) => s.app.inject({ url: `${ORG}/exports/${url}`, headers: bearer(token) });

  beforeAll(async () => {
    s = await startTestServer(engine);
    const sites = await s.app.inject({ url: `${ORG}/sites?sort=name`, headers: bearer(s.tokens.a.viewer) });
    const sporthal = sites.json<{ items: { id: string; name: string }[] }>().items.find((site) => site.name === 'alpha sporthal')!;
    const res = await s.app.inject({
      method: 'POST', url: `${ORG}/devices`, headers: bearer(s.tokens.a.editor),
      payload: { siteId: sporthal.id, externalRef: 'alpha-4', brand: 'HiLook', kind: 'camera', purpose: '=HYPERLINK("http://x")', retentionDays: 14, serial: 'SN-ALPHA-4', ip: '10.0.0.14' },
    });
    expect(res.statusCode, res.body).toBe(201);
  });
  afterAll(async () => {
    await s.close();
    await engine.cleanup();
  });

  it('answers the sites of the organisation in the path as GeoJSON', async () => {
    const res = await get('sites.geojson');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/geo+json; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="alpha-sites.geojson"');
    const geo = res.json<SiteCollection>();
    expect(geo.features.map((f) => [f.properties.name, f.properties.devices]).sort()).toEqual([['alpha garage', 2], ['alpha sporthal', 2]]);
    // The seeded devices were never identified; the HiLook camera was, when it was created.
    const sporthal = geo.features.find((f) => f.properties.name === 'alpha sporthal')!;
    expect(sporthal.properties.byMakerGroup).toEqual({ hikvision: 1, unknown: 1 });
    expect(sporthal.properties.purposes).toEqual(['=HYPERLINK("http://x")']);
    expect(sporthal.properties.retentionDays).toEqual([14]);
    expect(res.body).not.toContain('beta');
    const open = (await get('sites.geojson?public=true')).json<SiteCollection>();
    for (const f of open.features) for (const c of f.geometry?.coordinates ?? []) expect(String(c).split('.')[1]?.length ?? 0).toBeLessThanOrEqual(2);
  });

  it('keeps IPs and serials out of the public HBOM, which validates', async () => {
    const full = await get('devices.cdx.json');
    expect(full.statusCode).toBe(200);
    expect(full.headers['content-type']).toBe('application/vnd.cyclonedx+json; version=1.6; charset=utf-8');
    expect(await validateCycloneDx(full.body)).toBeNull();
    expect(full.body).toContain('SN-ALPHA-4');
    const res = await get('devices.cdx.json?public=true');
    expect(res.headers['content-disposition']).toBe('attachment; filename="alpha-public-devices.cdx.json"');
    expect(await validateCycloneDx(res.body)).toBeNull();
    expect(res.body).not.toContain('SN-ALPHA-4');
    expect(res.body).not.toMatch(/10\.0\.0\.1\d/);
    const bom = res.json<{ components: { name: string; manufacturer?: { name: string } }[] }>();
    expect(bom.components.filter((c) => c.manufacturer !== undefined).map((c) => [c.name, c.manufacturer!.name])).toEqual([['HiLook', 'Hikvision']]);
  });

  it('lists sites with cameras for Camera in Beeld with formulas neutralised', async () => {
    const res = await get('camera-in-beeld.csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = res.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines.slice(1).map((l) => l.split(',').slice(1, 2).concat(l.split(',')[5]!))).toEqual([['alpha garage', '1'], ['alpha sporthal', '2']]);
    expect(lines[2]).toContain(`"'=HYPERLINK(""http://x"")",14`);
    expect(res.body).not.toMatch(/(^|,)"?=HYPERLINK/m);
  });

  it('refuses unknown parameters, strangers and another organisation', async () => {
    expect((await get('sites.geojson?kind=camera')).statusCode).toBe(400);
    expect((await s.app.inject({ url: `${ORG}/exports/sites.geojson` })).statusCode).toBe(401);
    expect((await get('sites.geojson', s.tokens.b.admin)).statusCode).toBe(404);
  });
});
