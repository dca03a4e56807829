// Secret positions stay with the people who maintain the register on every route that carries a
// place, not only on the map and the site routes: the device list, one device with its history,
// a device's history, and the organisation editions of the device, GeoJSON and Camera in Beeld
// exports. Viewers and auditors get a secret place rounded to about a kilometre without address,
// or nothing where the area is secret too; editors get everything.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PUBLICATION } from '../../src/core/model.js';
import { ENGINES } from '../helpers/engines.js';
import { bearer, startTestServer, type TestServer } from '../helpers/server.js';

const ALPHA = '/api/v1/organisations/alpha';
const BETA = '/api/v1/organisations/beta';
// Six decimals: any of these digits in an answer to a reader is a leak.
const GARAGE = { lat: 52.157321, lon: 5.387612 };
const CAMERA = { lat: 52.157389, lon: 5.387744 };
const SPORTHAL = { lat: 52.161077, lon: 5.395518 };
const BETA_GARAGE = { lat: 51.923417, lon: 4.478836 };
const BETA_SPORTHAL = { lat: 51.931276, lon: 4.491563 };
const SECRETS = [GARAGE, CAMERA];

interface DeviceRow {
  id: string; externalRef: string | null; lat: number | null; lon: number | null; positionPrecision: string | null;
  position: { lat: number; lon: number; original: { x: number; y: number; crs: string } } | null;
}
interface HistoryEntry { action: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null }
interface Feature { geometry: { coordinates: [number, number] } | null; properties: { name?: string; address?: string | null; precision: number | null } }

const READERS = ['viewer', 'auditor'] as const;

describe.each(ENGINES)('secret positions on the device routes and exports on $name', (engine) => {
  let s: TestServer;
  const get = (url: string, token: string) => s.app.inject({ method: 'GET', url, headers: bearer(token) });
  const ok = async (url: string, token: string) => {
    const res = await get(url, token);
    expect(res.statusCode, res.body).toBe(200);
    return res;
  };
  const id = async (table: 'sites' | 'devices', orgId: string, column: 'name' | 'external_ref', value: string) =>
    (await s.store.db.selectFrom(table).select('id').where('org_id', '=', orgId).where(column, '=', value).executeTakeFirstOrThrow()).id;
  const patch = async (url: string, token: string, payload: object) => {
    const res = await s.app.inject({ method: 'PATCH', url, headers: bearer(token), payload });
    expect(res.statusCode, res.body).toBe(200);
  };
  const expectNoSecrets = (text: string, places = SECRETS, addresses = ['Garageweg 7', '3511 AB', '0344100000012345']) => {
    for (const p of places) {
      expect(text).not.toContain(String(p.lat));
      expect(text).not.toContain(String(p.lon));
    }
    for (const a of addresses) expect(text).not.toContain(a);
  };
  const token = (org: 'a' | 'b', role: 'viewer' | 'auditor' | 'editor') => s.tokens[org][role];
  let camera: string;

  beforeAll(async () => {
    s = await startTestServer(engine);
    // Beta keeps every exact position secret; set before anything reads (and caches) the organisation.
    await s.store.db.updateTable('organisations').set({ publication_json: JSON.stringify({ ...DEFAULT_PUBLICATION, location_exact: 'secret' }) })
      .where('id', '=', s.orgs.b.id).execute();
    const a = s.orgs.a.id;
    const b = s.orgs.b.id;
    await patch(`${ALPHA}/sites/${await id('sites', a, 'name', 'alpha garage')}`, s.tokens.a.editor,
      { position: GARAGE, address: 'Garageweg 7', postcode: '3511AB', bagId: '0344100000012345' });
    await patch(`${ALPHA}/sites/${await id('sites', a, 'name', 'alpha sporthal')}`, s.tokens.a.editor, { position: SPORTHAL, address: 'Sportlaan 3' });
    await patch(`${BETA}/sites/${await id('sites', b, 'name', 'beta garage')}`, s.tokens.b.editor, { position: BETA_GARAGE, address: 'Havenweg 12' });
    await patch(`${BETA}/sites/${await id('sites', b, 'name', 'beta sporthal')}`, s.tokens.b.editor, { position: BETA_SPORTHAL, address: 'Sportlaan 9' });
    // A camera in the alpha garage gets a position of its own: its history records it.
    camera = await id('devices', a, 'external_ref', 'alpha-1');
    await patch(`${ALPHA}/devices/${camera}`, s.tokens.a.editor, CAMERA);
    // The recorder there keeps its exact position secret, which makes the whole garage secret;
    // at the beta sporthal even the area is.
    await s.store.db.updateTable('devices').set({ publication_json: JSON.stringify({ location_exact: 'secret' }) })
      .where('org_id', '=', a).where('external_ref', '=', 'alpha-3').execute();
    await s.store.db.updateTable('devices').set({ publication_json: JSON.stringify({ location_area: 'secret' }) })
      .where('org_id', '=', b).where('external_ref', '=', 'beta-2').execute();
  });
  afterAll(async () => {
    await s.close();
    await engine.cleanup();
  });

  it('lists devices at a secret site approximately for readers, exactly for editors', async () => {
    for (const role of READERS) {
      const res = await ok(`${ALPHA}/devices?limit=100`, token('a', role));
      expectNoSecrets(res.body);
      const rows = (res.json() as { items: DeviceRow[] }).items;
      const byRef = (ref: string) => rows.find((d) => d.externalRef === ref)!;
      expect(byRef('alpha-1'), role).toMatchObject({
        positionPrecision: 'approximate', lat: 52.16, lon: 5.39, position: { lat: 52.16, lon: 5.39, original: { x: 5.39, y: 52.16, crs: 'EPSG:4326' } },
      });
      expect(byRef('alpha-3')).toMatchObject({ positionPrecision: 'approximate', lat: 52.16, lon: 5.39, position: null });
      // A site without a secret device stays exact for readers.
      expect(byRef('alpha-2')).toMatchObject({ positionPrecision: 'exact', lat: SPORTHAL.lat, lon: SPORTHAL.lon });
    }
    const editor = await ok(`${ALPHA}/devices?limit=100`, token('a', 'editor'));
    const rows = (editor.json() as { items: DeviceRow[] }).items;
    expect(rows.find((d) => d.externalRef === 'alpha-1')).toMatchObject({ positionPrecision: 'exact', lat: CAMERA.lat, lon: CAMERA.lon });
    expect(rows.find((d) => d.externalRef === 'alpha-3')).toMatchObject({ positionPrecision: 'exact', lat: GARAGE.lat, lon: GARAGE.lon });
  });

  it('keeps one device and its history as coarse as the list', async () => {
    for (const role of READERS) {
      const one = await ok(`${ALPHA}/devices/${camera}`, token('a', role));
      expectNoSecrets(one.body);
      const device = one.json() as DeviceRow & { history: HistoryEntry[] };
      expect(device).toMatchObject({ positionPrecision: 'approximate', position: { lat: 52.16, lon: 5.39 } });
      // The change that placed the camera is in its history, generalised like the device.
      const placed = device.history.find((e) => e.after && 'position' in e.after);
      expect(placed?.after?.position).toMatchObject({ lat: 52.16, lon: 5.39 });
      const history = await ok(`${ALPHA}/devices/${camera}/history`, token('a', role));
      expectNoSecrets(history.body);
      expect((history.json() as { items: HistoryEntry[] }).items.some((e) => (e.after?.position as { lat?: number } | undefined)?.lat === 52.16)).toBe(true);
    }
    const editor = await ok(`${ALPHA}/devices/${camera}/history`, token('a', 'editor'));
    expect(editor.body).toContain(String(CAMERA.lat));
    const one = await ok(`${ALPHA}/devices/${camera}`, token('a', 'editor'));
    expect(one.json()).toMatchObject({ positionPrecision: 'exact', position: { lat: CAMERA.lat, lon: CAMERA.lon } });
  });

  it('writes device exports with positions as precise as the reader may see', async () => {
    for (const role of READERS) {
      const csv = await ok(`${ALPHA}/exports/devices.csv`, token('a', role));
      expectNoSecrets(csv.body);
      const line = csv.body.split('\r\n').find((l) => l.startsWith(camera))!;
      expect(line).toContain(',52.16,5.39,');
      const xlsx = await ok(`${ALPHA}/exports/devices.xlsx`, token('a', role));
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(xlsx.rawPayload as unknown as ExcelJS.Buffer);
      const cells: string[] = [];
      book.worksheets[0]!.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value))));
      expectNoSecrets(cells.join('\n'));
      expect(cells).toContain('52.16');
    }
    const editor = await ok(`${ALPHA}/exports/devices.csv`, token('a', 'editor'));
    expect(editor.body).toContain(`,${CAMERA.lat},${CAMERA.lon},`);
  });

  it('writes the organisation\'s GeoJSON and Camera in Beeld editions without a secret site\'s place or address', async () => {
    for (const role of READERS) {
      const geo = await ok(`${ALPHA}/exports/sites.geojson`, token('a', role));
      expectNoSecrets(geo.body);
      const features = (geo.json() as { features: Feature[] }).features;
      expect(features.find((f) => f.properties.name === 'alpha garage')).toMatchObject({ geometry: { coordinates: [5.39, 52.16] }, properties: { precision: 2 } });
      expect(features.find((f) => f.properties.name === 'alpha garage')!.properties.address).toBeUndefined();
      expect(features.find((f) => f.properties.name === 'alpha sporthal')).toMatchObject({
        geometry: { coordinates: [SPORTHAL.lon, SPORTHAL.lat] }, properties: { precision: 6, address: 'Sportlaan 3' },
      });
      const cib = await ok(`${ALPHA}/exports/camera-in-beeld.csv`, token('a', role));
      expectNoSecrets(cib.body);
      expect(cib.body).toContain('Sportlaan 3');
      expect(cib.body).toMatch(/alpha garage,,,/);
    }
    const geo = await ok(`${ALPHA}/exports/sites.geojson`, token('a', 'editor'));
    expect((geo.json() as { features: Feature[] }).features.find((f) => f.properties.name === 'alpha garage')).toMatchObject({
      geometry: { coordinates: [GARAGE.lon, GARAGE.lat] }, properties: { precision: 6, address: 'Garageweg 7, 3511 AB' },
    });
    expect((await ok(`${ALPHA}/exports/camera-in-beeld.csv`, token('a', 'editor'))).body).toContain('Garageweg 7');
  });

  it('follows an organisation-wide secret policy, and gives no place at all where the area is secret too', async () => {
    const betaSecrets = [BETA_GARAGE, BETA_SPORTHAL];
    const addresses = ['Havenweg 12', 'Sportlaan 9'];
    for (const role of READERS) {
      const list = await ok(`${BETA}/devices?limit=100`, token('b', role));
      expectNoSecrets(list.body, betaSecrets, addresses);
      const rows = (list.json() as { items: DeviceRow[] }).items;
      expect(rows.find((d) => d.externalRef === 'beta-1')).toMatchObject({ positionPrecision: 'approximate', lat: 51.92, lon: 4.48 });
      expect(rows.find((d) => d.externalRef === 'beta-2')).toMatchObject({ positionPrecision: 'withheld', lat: null, lon: null, position: null });
      const withheld = rows.find((d) => d.externalRef === 'beta-2')!.id;
      expectNoSecrets((await ok(`${BETA}/devices/${withheld}`, token('b', role))).body, betaSecrets, addresses);
      for (const file of ['devices.csv', 'sites.geojson', 'camera-in-beeld.csv']) {
        expectNoSecrets((await ok(`${BETA}/exports/${file}`, token('b', role))).body, betaSecrets, addresses);
      }
      const geo = (await ok(`${BETA}/exports/sites.geojson`, token('b', role))).json() as { features: Feature[] };
      expect(geo.features.find((f) => f.properties.name === 'beta sporthal')).toMatchObject({ geometry: null, properties: { precision: null } });
    }
    const editor = await ok(`${BETA}/exports/sites.geojson`, token('b', 'editor'));
    expect(editor.body).toContain(String(BETA_SPORTHAL.lat));
    expect(editor.body).toContain('Sportlaan 9');
  });
});
