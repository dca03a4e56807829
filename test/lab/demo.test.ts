import { describe, it, expect } from 'vitest';
import { DEMO_ORGANISATION, demoRecords } from '../../src/lab/demo.js';

// Labels whose devices Hikvision or Dahua made (see shared/reference/oem.yaml); listed here rather
// than imported so the test checks the demo independently.
const HIK_DAHUA_LABELS = new Set(['Hikvision', 'Dahua', 'HiWatch', 'HiLook', 'EZVIZ', 'Annke', 'LTS', 'Lorex', 'Amcrest', 'Imou']);

const records = demoRecords();
const siteOf = (name: string) => records.find((r) => r.site?.name === name)!;
const hikDahuaSites = [...new Set(records.filter((r) => HIK_DAHUA_LABELS.has(r.device.brand ?? '')).map((r) => r.site!.name))];

function inArea(p: { lat: number; lon: number } | undefined) {
  const [minLon, minLat, maxLon, maxLat] = DEMO_ORGANISATION.area;
  return p !== undefined && p.lon >= minLon && p.lon <= maxLon && p.lat >= minLat && p.lat <= maxLat;
}

describe('demo data', () => {
  it('is a fictional Dutch municipality', () => {
    expect(DEMO_ORGANISATION).toMatchObject({ slug: 'demo', cbsCode: 'GM9999', country: 'NL' });
    const [minLon, minLat, maxLon, maxLat] = DEMO_ORGANISATION.area;
    expect(minLon).toBeGreaterThanOrEqual(3.2);
    expect(maxLat).toBeLessThanOrEqual(53.7);
    expect(maxLon - minLon).toBeLessThan(0.2);
    expect(maxLat - minLat).toBeLessThan(0.12);
  });

  it('is deterministic', () => {
    expect(demoRecords()).toEqual(demoRecords());
  });

  it('numbers rows from 1 and gives every record a site and network', () => {
    records.forEach((r, i) => {
      expect(r.row).toBe(i + 1);
      expect(r.site).not.toBeNull();
      expect(r.network).not.toBeNull();
    });
  });

  it('has 22 Hikvision/Dahua sites, all parking garages or sports facilities', () => {
    expect(hikDahuaSites).toHaveLength(22);
    for (const name of hikDahuaSites) {
      expect(['parking_garage', 'sports_facility']).toContain(siteOf(name).site!.category);
    }
  });

  it('puts those sites mostly on closed networks: one exposed, a few with vendor cloud', () => {
    const networks = hikDahuaSites.map((name) => siteOf(name).network!);
    expect(networks.filter((n) => n.connectivity === 'internet_exposed')).toHaveLength(1);
    const cloud = networks.filter((n) => n.remoteAccess === 'vendor_cloud').length;
    expect(cloud).toBeGreaterThanOrEqual(2);
    expect(cloud).toBeLessThanOrEqual(4);
    expect(networks.filter((n) => n.connectivity === 'isolated').length).toBeGreaterThan(11);
  });

  it('leaves the manufacturer of OEM-labelled devices to identification', () => {
    const oem = records.filter((r) => HIK_DAHUA_LABELS.has(r.device.brand ?? '') && !['Hikvision', 'Dahua'].includes(r.device.brand!));
    expect(oem.length).toBeGreaterThan(0);
    for (const r of oem) expect(r.device.manufacturer).toBeUndefined();
  });

  it('has about 200 devices at about 60 sites', () => {
    expect(records.length).toBeGreaterThanOrEqual(180);
    expect(records.length).toBeLessThanOrEqual(230);
    const sites = new Set(records.map((r) => r.site!.name)).size;
    expect(sites).toBeGreaterThanOrEqual(55);
    expect(sites).toBeLessThanOrEqual(70);
  });

  it('gives every device unique stable keys', () => {
    for (const key of ['mac', 'serial', 'externalRef'] as const) {
      const values = records.map((r) => r.device[key]);
      expect(values.every((v) => typeof v === 'string' && v !== '')).toBe(true);
      expect(new Set(values).size).toBe(records.length);
    }
    for (const r of records) expect(r.device.mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
  });

  it('uses private addresses, plausible dates and postcodes', () => {
    for (const r of records) {
      expect(r.device.ip).toMatch(/^(10\.|172\.16\.|192\.168\.)/);
      expect(r.device.installDate! >= '2014-01-01' && r.device.installDate! <= '2024-12-31').toBe(true);
      expect(r.site!.postcode).toMatch(/^\d{4} [A-Z]{2}$/);
    }
  });

  it('places every site and device inside the area', () => {
    for (const r of records) {
      expect(inArea(r.site!.position)).toBe(true);
      if (r.device.position) expect(inArea(r.device.position)).toBe(true);
    }
  });

  it('gives each network name one connectivity and remote access', () => {
    const seen = new Map<string, string>();
    for (const r of records) {
      const n = r.network!;
      const value = `${n.connectivity}/${n.remoteAccess}`;
      expect(seen.get(n.name) ?? value).toBe(value);
      seen.set(n.name, value);
    }
  });
});
