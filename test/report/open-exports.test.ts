// GeoJSON, CycloneDX HBOM and the "Camera in Beeld" list, written by `camaudit export` from the
// demo organisation: each checked against the register and, for --public, scanned for what the
// publication policy keeps from the public.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { ASSESSABLE_STATUSES } from '../../src/core/assess/inputs.js';
import { DEFAULT_PUBLICATION, type Organisation } from '../../src/core/model.js';
import { cibCsv, cibRows } from '../../src/report/cib-export.js';
import type { SiteCollection } from '../../src/report/geojson-export.js';
import { siteCollection } from '../../src/report/geojson-export.js';
import { buildHbom } from '../../src/report/hbom.js';
import { loadKnowledgeBase } from '../../src/kb/load.js';
import { openStore } from '../../src/store/database.js';
import { allDevices, type DeviceView } from '../../src/store/devices.js';
import { findOrganisation } from '../../src/store/organisations.js';
import { listSites, type SiteView } from '../../src/store/sites.js';
import { validateCycloneDx } from './cyclonedx-validate.js';

const NOW = '2026-06-01T09:00:00.000Z';
const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/;
const MAC = /\b[0-9a-f]{2}(?:[:-][0-9a-f]{2}){5}\b/i;
let dir: string;
let db: string;
let devices: DeviceView[];
let sites: SiteView[];

async function attempt(...args: string[]): Promise<{ code: number; err: string }> {
  const err: string[] = [];
  const code = await main(['--db', db, '--org', 'demo', ...args], {
    out: () => undefined, err: (t) => err.push(t), env: { CAMAUDIT_ACTOR: 'cli:test' }, now: () => NOW,
  });
  return { code, err: err.join('\n') };
}

async function run(...args: string[]) {
  const { code, err } = await attempt(...args);
  expect(code, err).toBe(0);
}

async function exported(format: string, publicEdition = false): Promise<string> {
  const file = join(dir, `${format}${publicEdition ? '-public' : ''}.out`);
  await run('export', format, ...(publicEdition ? ['--public'] : []), '-o', file);
  return readFileSync(file, 'utf8');
}

/** Decimals a coordinate carries as written. */
const decimals = (n: number) => (String(n).split('.')[1] ?? '').length;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'camaudit-open-'));
  db = join(dir, 'demo.db');
  await run('demo');
  const store = await openStore(db);
  try {
    const org = (await findOrganisation(store, 'demo'))!;
    const scope = { orgId: org.id, actor: 'test', source: 'test' };
    devices = [];
    for await (const d of allDevices(store, scope)) devices.push(d);
    sites = await listSites(store, scope);
  } finally {
    await store.close();
  }
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('GeoJSON open data', () => {
  it('gives every site a longitude-first WGS84 point and counts its devices in service', async () => {
    const geo = JSON.parse(await exported('geojson')) as SiteCollection;
    expect(geo.type).toBe('FeatureCollection');
    expect(geo.features).toHaveLength(sites.length);
    for (const f of geo.features) {
      const [lon, lat] = f.geometry!.coordinates;
      expect(lon).toBeGreaterThan(6.3);
      expect(lon).toBeLessThan(6.6);
      expect(lat).toBeGreaterThan(52.8);
      expect(lat).toBeLessThan(53.1);
      const here = devices.filter((d) => d.siteId === f.properties.id && ASSESSABLE_STATUSES.includes(d.status));
      expect(f.properties.devices).toBe(here.length);
      expect(f.properties.byKind.camera).toBe(here.filter((d) => d.kind === 'camera').length);
    }
    const groups = geo.features.reduce((n, f) => n + (f.properties.byMakerGroup.hikvision ?? 0), 0);
    expect(groups).toBe(devices.filter((d) => d.manufacturer?.toLowerCase() === 'hikvision' && ASSESSABLE_STATUSES.includes(d.status)).length);
  });

  it('rounds positions to an area and leaves out addresses, IPs, MACs and serials in the public edition', async () => {
    const text = await exported('geojson', true);
    const geo = JSON.parse(text) as SiteCollection;
    expect(geo.features).toHaveLength(sites.length);
    for (const f of geo.features) {
      for (const c of f.geometry!.coordinates) expect(decimals(c)).toBeLessThanOrEqual(2);
      expect(f.properties).not.toHaveProperty('address');
      expect(f.properties).not.toHaveProperty('id');
    }
    expect(text).not.toMatch(IPV4);
    expect(text).not.toMatch(MAC);
    for (const d of devices) if (d.serial !== null) expect(text).not.toContain(d.serial);
    for (const s of sites) if (s.address !== null) expect(text).not.toContain(s.address);
  });
});

describe('CycloneDX HBOM', () => {
  it('validates against CycloneDX 1.6 and names the true maker of OEM-labelled devices', async () => {
    const text = await exported('cyclonedx');
    expect(await validateCycloneDx(text)).toBeNull();
    const bom = JSON.parse(text) as {
      specVersion: string; metadata: { supplier?: unknown; manufacturer: { name: string }; tools: { components: { name: string }[] } }; components: Record<string, unknown>[];
    };
    expect(bom.specVersion).toBe('1.6');
    // The organisation made the BOM; the supplier would be whoever supplied the equipment.
    expect(bom.metadata.manufacturer.name).toBe('Gemeente Lindeveld (demo)');
    expect(bom.metadata).not.toHaveProperty('supplier');
    expect(bom.metadata.tools.components[0]!.name).toBe('camaudit');
    expect(bom.components).toHaveLength(devices.filter((d) => d.status !== 'disposed').length);
    const prop = (c: Record<string, unknown>, name: string) => (c.properties as { name: string; value: string }[]).find((p) => p.name === `cdx:device:${name}`)?.value;
    const makerOf = (brand: string) => new Set(bom.components.filter((c) => prop(c, 'brand') === brand).map((c) => (c.manufacturer as { name: string }).name));
    for (const brand of ['HiLook', 'HiWatch', 'EZVIZ', 'Annke']) expect(makerOf(brand)).toEqual(new Set(['Hikvision']));
    for (const brand of ['Lorex', 'Amcrest', 'Imou']) expect(makerOf(brand)).toEqual(new Set(['Dahua']));
    const hilook = bom.components.find((c) => prop(c, 'brand') === 'HiLook')!;
    expect(prop(hilook, 'manufacturerSource')).toMatch(/^https?:\/\//);
    expect(prop(hilook, 'kind')).toMatch(/camera|recorder/);
    expect(prop(hilook, 'serialNumber')).toBeDefined();
    const device = devices.find((d) => `device-${d.id}` === hilook['bom-ref'])!;
    expect(hilook.components).toEqual([{ type: 'firmware', name: `${device.model} firmware`, version: device.firmware, 'bom-ref': `device-${device.id}/firmware` }]);
  });

  it('keeps serials, register ids and network data out of the public edition, which still validates', async () => {
    const text = await exported('cyclonedx', true);
    expect(await validateCycloneDx(text)).toBeNull();
    // Firmware versions such as 9.80.3.8 look like addresses: look for the devices' own.
    for (const d of devices) if (d.ip !== null) expect(text).not.toContain(`"${d.ip}"`);
    expect(text).not.toMatch(MAC);
    expect(text).not.toContain('serialNumber');
    expect(text).not.toContain('connectivity');
    for (const d of devices) {
      expect(text).not.toContain(d.id);
      if (d.serial !== null) expect(text).not.toContain(`"${d.serial}"`);
    }
  });
});

describe('Camera in Beeld list', () => {
  it('has one row per site with cameras in service, counting them as the register does', async () => {
    const lines = (await exported('cib')).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('owner,site,address,postcode,city,cameras,purpose,retention_days');
    const cameras = new Map<string, number>();
    for (const d of devices) {
      if (d.kind === 'camera' && d.siteName !== null && ASSESSABLE_STATUSES.includes(d.status)) cameras.set(d.siteName, (cameras.get(d.siteName) ?? 0) + 1);
    }
    expect(lines).toHaveLength(cameras.size + 1);
    for (const line of lines.slice(1)) {
      const [owner, site, address, , , count] = line.split(',');
      expect(owner).toBe('Gemeente Lindeveld (demo)');
      expect(address).not.toBe('');
      expect(Number(count)).toBe(cameras.get(site!));
    }
    const publicLines = (await exported('cib', true)).trim().split('\r\n');
    expect(publicLines).toHaveLength(lines.length);
    for (const line of publicLines.slice(1)) expect(line.split(',')[2]).toBe('');
  });
});

describe('formula payloads', () => {
  const org: Organisation = {
    id: 'o', slug: 'x', name: '@SUM(1)', cbsCode: null, country: 'NL', area: null, publication: DEFAULT_PUBLICATION, createdAt: NOW,
  };
  const site = (): SiteView => ({
    id: 's', orgId: 'o', name: '=HYPERLINK("http://x")', category: 'public_space', address: '+31 Markt', postcode: null, city: '-Lindeveld',
    bagId: null, position: { lat: 52.951234567, lon: 6.451234567, original: { x: 6.451234567, y: 52.951234567, crs: 'EPSG:4326' } },
    createdAt: NOW, updatedAt: NOW, devices: 1,
  });
  const camera = (overrides: Partial<DeviceView> = {}): DeviceView => ({
    ...devices[0]!, id: 'd', orgId: 'o', kind: 'camera', siteId: 's', status: 'active', purpose: '=cmd|"/c calc"!A1', retentionDays: 7, publication: {}, ...overrides,
  });

  it('neutralises cells that a spreadsheet would run', () => {
    const csv = cibCsv(cibRows(org, 'organisation', [site()], [camera()]));
    const cells = csv.replace(/^\uFEFF/, '').split('\r\n')[1]!;
    expect(cells).toBe(`'@SUM(1),"'=HYPERLINK(""http://x"")",'+31 Markt,,'-Lindeveld,1,"'=cmd|""/c calc""!A1",7`);
  });

  it('withholds a site position that one device there keeps closed', () => {
    const open = siteCollection({ ...org, publication: { ...DEFAULT_PUBLICATION, location_exact: 'public' } }, 'public', [site()], [camera()], () => 'other', NOW);
    expect(open.features[0]!.geometry!.coordinates).toEqual([6.451235, 52.951235]);
    const closed = siteCollection(org, 'public', [site()], [camera({ publication: { location_area: 'organisation' } })], () => 'other', NOW);
    expect(closed.features[0]!.geometry).toBeNull();
    expect(closed.features[0]!.properties).not.toHaveProperty('name');
  });
});

describe('what the public editions withhold', () => {
  const org: Organisation = {
    id: 'o', slug: 'x', name: 'Gemeente X', cbsCode: null, country: 'NL', area: null, publication: DEFAULT_PUBLICATION, createdAt: NOW,
  };
  const site = (id: string): SiteView => ({
    id, orgId: 'o', name: `site ${id}`, category: 'office', address: 'Markt 1', postcode: null, city: 'X', bagId: null,
    position: { lat: 52.95, lon: 6.45, original: { x: 6.45, y: 52.95, crs: 'EPSG:4326' } }, createdAt: NOW, updatedAt: NOW, devices: 1,
  });
  const device = (id: string, overrides: Partial<DeviceView> = {}): DeviceView => ({
    ...devices[0]!, id, orgId: 'o', kind: 'camera', siteId: 's', status: 'active', publication: {}, ...overrides,
  });

  it('keeps a site closed that only a decommissioned device there keeps secret, without counting that device', () => {
    const retired = device('r', { status: 'decommissioned', publication: { location_area: 'secret', location_exact: 'secret' } });
    const geo = siteCollection(org, 'public', [site('s')], [retired, device('a', { siteId: 'other' })], () => 'other', NOW);
    expect(geo.features[0]!.geometry).toBeNull();
    expect(geo.features[0]!.properties).not.toHaveProperty('name');
    expect(geo.features[0]!.properties.devices).toBe(0);
    const exact = siteCollection({ ...org, publication: { ...DEFAULT_PUBLICATION, location_exact: 'public' } }, 'public', [site('s')],
      [device('a'), device('r', { status: 'decommissioned', publication: { location_exact: 'organisation' } })], () => 'other', NOW);
    expect(exact.features[0]!.properties.precision).toBe(2);
    expect(exact.features[0]!.properties).not.toHaveProperty('address');
    expect(exact.features[0]!.properties.devices).toBe(1);
    // The Camera in Beeld list follows the same rule.
    const cib = cibRows(org, 'public', [site('s')], [device('a'), { ...retired, kind: 'recorder' }]);
    expect(cib[0]!.slice(1, 5)).toEqual([null, null, null, null]);
  });

  it('counts a device whose identity is closed under "undisclosed" kind in GeoJSON', () => {
    const geo = siteCollection(org, 'public', [site('s')], [device('a'), device('b', { kind: 'recorder', publication: { identity: 'secret' } })], () => 'other', NOW);
    expect(geo.features[0]!.properties.byKind).toMatchObject({ camera: 1, recorder: 0, undisclosed: 1 });
    expect(geo.features[0]!.properties.byMakerGroup).toEqual({ other: 1, undisclosed: 1 });
  });

  it('leaves disposed devices out of the HBOM, gives the others their status and hides a closed identity\'s kind', async () => {
    const bom = buildHbom({ org, audience: 'public', kb: await loadKnowledgeBase(), now: NOW }, [
      device('a', { status: 'decommissioned' }),
      device('b', { status: 'disposed' }),
      device('c', { kind: 'recorder', publication: { identity: 'secret' } }),
    ]) as { components: { name: string; properties: { name: string; value: string }[] }[] };
    expect(await validateCycloneDx(JSON.stringify(bom))).toBeNull();
    const props = (c: { properties: { name: string; value: string }[] }) => Object.fromEntries(c.properties.map((p) => [p.name, p.value]));
    expect(bom.components).toHaveLength(2);
    expect(props(bom.components[0]!)).toMatchObject({ 'cdx:device:status': 'decommissioned', 'cdx:device:kind': 'camera' });
    expect(bom.components[1]!.name).toBe('undisclosed');
    expect(props(bom.components[1]!)['cdx:device:kind']).toBe('undisclosed');
    expect(JSON.stringify(bom.components[1])).not.toContain('recorder');
  });

  it('refuses device filters for the open formats instead of ignoring them', async () => {
    for (const format of ['geojson', 'cyclonedx', 'cib']) {
      const { code, err } = await attempt('export', format, '--kind', 'camera', '--status', 'active', '-o', join(dir, `filtered.${format}`));
      expect(code).toBe(2);
      expect(err).toContain('--kind, --status');
    }
  });
});
