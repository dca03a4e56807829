import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/ingest/import-file.js';
import { exportTable, writeCsv } from '../../src/report/device-export.js';
import { migrateTo, migrateToLatest, openStore, type Store } from '../../src/store/database.js';
import { allDevices, getDevice, listDevices, updateDevice } from '../../src/store/devices.js';
import { listHistory } from '../../src/store/history.js';
import { createOrganisation } from '../../src/store/organisations.js';
import { listNetworks, listSites } from '../../src/store/sites.js';
import type { TenantScope } from '../../src/store/tenant.js';
import type { Organisation } from '../../src/core/model.js';
import { ENGINES, freshStore } from '../helpers/engines.js';

const FIX = join(import.meta.dirname, '..', 'fixtures');
const REGISTER = join(FIX, 'registers', 'gemeente-register.csv');
const ERRORS = join(FIX, 'registers', 'register-with-errors.csv');
let clock = 0;
const now = () => new Date(Date.UTC(2026, 0, 1) + clock++ * 1000).toISOString();

async function setup(store: Store, slug = 'utrecht'): Promise<{ org: Organisation; scope: TenantScope }> {
  const org = await createOrganisation(store, { slug, name: `Gemeente ${slug}`, cbsCode: 'GM0344' }, now());
  return { org, scope: { orgId: org.id, actor: 'test', source: 'test' } };
}

async function count(store: Store, table: 'devices' | 'sites' | 'networks' | 'history' | 'imports'): Promise<number> {
  const row = await store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

afterAll(async () => {
  for (const e of ENGINES) await e.cleanup();
});

describe.each(ENGINES)('store on $name', (engine) => {
  it('migrates down and up again with seeded data in place', async () => {
    const store = await openStore(await engine.create());
    try {
      await migrateTo(store, '0001-register');
      // Created by hand: at 0001 the audit tables that createOrganisation writes do not exist yet.
      const org = { id: 'o1' };
      await store.db.insertInto('organisations').values({ id: 'o1', slug: 'utrecht', name: 'Gemeente utrecht', cbs_code: 'GM0344', country: 'NL', area_json: null, publication_json: '{}', created_at: now() }).execute();
      await store.db.insertInto('sites').values({
        id: 's1', org_id: org.id, name: 'Stadhuis', name_key: 'stadhuis', category: 'office', address: null,
        postcode: null, city: null, bag_id: null, lat: 52.09, lon: 5.12, orig_x: 5.12, orig_y: 52.09,
        orig_crs: 'EPSG:4326', created_at: now(), updated_at: now(),
      }).execute();
      await migrateToLatest(store);
      expect(await count(store, 'sites')).toBe(1);
      expect(await count(store, 'history')).toBe(0);
      await migrateTo(store, '0001-register');
      await expect(store.db.selectFrom('history').selectAll().execute()).rejects.toThrow();
      expect(await count(store, 'sites')).toBe(1);
      await migrateTo(store, '0');
      await expect(store.db.selectFrom('sites').selectAll().execute()).rejects.toThrow();
      await migrateToLatest(store);
      expect(await count(store, 'devices')).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('imports a Dutch register: sites, networks, RD positions, dates, retention', async () => {
    const store = await freshStore(engine);
    try {
      const { org, scope } = await setup(store);
      const report = await importFile(store, scope, org, REGISTER, { now });
      expect(report.errors).toEqual([]);
      expect(report).toMatchObject({ committed: true, created: 4, updated: 0, unchanged: 0, rejected: 0 });
      const { items } = await listDevices(store, scope);
      const byRef = new Map(items.map((d) => [d.externalRef, d]));
      const cam1 = byRef.get('CAM-001')!;
      expect(cam1).toMatchObject({
        mac: '44:19:b6:01:02:03', ip: '10.1.2.11', installDate: '2021-03-15', retentionDays: 28, status: 'active',
        siteName: 'Parkeergarage Centrum – inrit', siteCategory: 'parking_garage', networkName: 'Garage-net',
        connectivity: 'isolated', remoteAccess: 'none',
      });
      expect(cam1.position?.original).toEqual({ x: 136503.2, y: 456110.9, crs: 'EPSG:28992' });
      expect(cam1.lat).toBeCloseTo(52.0929, 3);
      expect(cam1.lon).toBeCloseTo(5.1173, 3);
      expect(cam1.custom).toEqual({ Opmerking: 'inrit noord' });
      expect(byRef.get('CAM-002')!.retentionDays).toBe(28);
      expect(byRef.get('CAM-003')).toMatchObject({ installDate: '2019-06-01', retentionDays: 3, remoteAccess: 'vendor_cloud', connectivity: 'internal' });
      expect(byRef.get('CAM-004')).toMatchObject({ installDate: '2021-12-31', legalBasis: 'Gemeentewet art. 151c', siteCategory: 'public_space' });
      expect((await listSites(store, scope)).map((s) => [s.name, s.devices])).toEqual([
        ['Domplein', 1], ['Parkeergarage Centrum – inrit', 2], ['Sporthal De Brink', 1],
      ]);
      expect((await listNetworks(store, scope)).map((n) => n.name)).toEqual(['Cameranet OR', 'Garage-net', 'Sporthal-net']);
      // 3 sites + 3 networks + 4 devices created, each with one history event.
      expect(await count(store, 'history')).toBe(10);
    } finally {
      await store.close();
    }
  });

  it('re-importing the same file, or its own export, changes nothing', async () => {
    const store = await freshStore(engine);
    try {
      const { org, scope } = await setup(store);
      await importFile(store, scope, org, REGISTER, { now });
      const history = await count(store, 'history');
      const again = await importFile(store, scope, org, REGISTER, { now });
      expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 4, rejected: 0 });
      const file = join(mkdtempSync(join(tmpdir(), 'camaudit-export-')), 'export.csv');
      const keys = new Set<string>();
      for await (const d of allDevices(store, scope)) for (const k of Object.keys(d.custom)) keys.add(k);
      await writeCsv(file, exportTable(org, 'organisation', [...keys]), allDevices(store, scope));
      const roundTrip = await importFile(store, scope, org, file, { now });
      expect(roundTrip.errors).toEqual([]);
      expect(roundTrip).toMatchObject({ created: 0, updated: 0, unchanged: 4 });
      expect(await count(store, 'history')).toBe(history);
    } finally {
      await store.close();
    }
  });

  it('a file with row errors writes nothing and reports every error', async () => {
    const store = await freshStore(engine);
    try {
      const { org, scope } = await setup(store);
      const report = await importFile(store, scope, org, ERRORS, { now });
      expect(report.committed).toBe(false);
      expect(report.errors.map((e) => [e.row, e.column])).toEqual([
        [2, 'MAC-adres'], [3, 'IP-adres'], [4, 'Latitude + Longitude'], [5, 'Installatiedatum'], [6, ''], [7, 'Status'],
      ]);
      expect(report.errors[2]!.message).toMatch(/outside the area/);
      expect(report.errors[4]!.message).toMatch(/no stable key/);
      expect(report.rejected).toBe(6);
      expect(await count(store, 'devices')).toBe(0);
      expect(await count(store, 'history')).toBe(0);
      expect(await count(store, 'imports')).toBe(0);

      const skipped = await importFile(store, scope, org, ERRORS, { now, skipInvalid: true });
      expect(skipped).toMatchObject({ committed: true, created: 1, rejected: 6 });
      expect(skipped.rejectedRows.map((r) => r.cells[0])).toEqual(['B-1', 'B-2', 'B-3', 'B-4', '', 'B-6']);
      expect(await count(store, 'devices')).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('--skip-invalid leaves no trace of a rejected row: no site, no network change', async () => {
    const store = await freshStore(engine);
    try {
      const { org, scope } = await setup(store);
      const dir = mkdtempSync(join(tmpdir(), 'camaudit-skip-'));
      const base = join(dir, 'base.csv');
      const skip = join(dir, 'skip.csv');
      writeFileSync(base, 'MAC-adres;Locatie;Netwerk;Verbinding\n00:40:8c:00:00:01;Stadhuis;CCTV;gesloten\n');
      writeFileSync(skip, 'MAC-adres;Locatie;Netwerk;Verbinding\n00:40:8c:00:00:02;Zwembad;;\n00:40:8c:00:00:02;Geheime Locatie;CCTV;internet\n');
      await importFile(store, scope, org, base, { now });
      const report = await importFile(store, scope, org, skip, { now, skipInvalid: true });
      expect(report).toMatchObject({ committed: true, created: 1, rejected: 1 });
      expect(report.errors.map((e) => e.row)).toEqual([3]);
      expect((await listSites(store, scope)).map((s) => s.name)).toEqual(['Stadhuis', 'Zwembad']);
      expect((await listNetworks(store, scope)).map((n) => [n.name, n.connectivity])).toEqual([['CCTV', 'isolated']]);
    } finally {
      await store.close();
    }
  });

  it('a dry run reports what would change and writes nothing', async () => {
    const store = await freshStore(engine);
    try {
      const { org, scope } = await setup(store);
      const dry = await importFile(store, scope, org, REGISTER, { now, dryRun: true });
      expect(dry).toMatchObject({ committed: false, dryRun: true, created: 4 });
      expect(await count(store, 'devices')).toBe(0);
      expect(await count(store, 'sites')).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('keeps tenants apart', async () => {
    const store = await freshStore(engine);
    try {
      const a = await setup(store, 'a');
      const b = await setup(store, 'b');
      await importFile(store, a.scope, a.org, REGISTER, { now });
      expect((await listDevices(store, b.scope)).items).toEqual([]);
      expect(await listSites(store, b.scope)).toEqual([]);
      const device = (await listDevices(store, a.scope)).items[0]!;
      await expect(getDevice(store, b.scope, device.id)).rejects.toThrow(/no device/);
      await expect(updateDevice(store, b.scope, device.id, (d) => ({ ...d, brand: 'X' }), now())).rejects.toThrow(/no device/);
      // The same MAC in another organisation is another device.
      const other = await importFile(store, b.scope, b.org, REGISTER, { now });
      expect(other.created).toBe(4);
      expect((await listDevices(store, a.scope)).items).toHaveLength(4);
    } finally {
      await store.close();
    }
  });

  it('records every edit with actor, source, before and after', async () => {
    const store = await freshStore(engine);
    try {
      const { org, scope } = await setup(store);
      await importFile(store, scope, org, REGISTER, { now });
      const device = (await listDevices(store, scope, { q: 'CAM-003' })).items[0]!;
      const edit: TenantScope = { ...scope, actor: 'cli:anna', source: 'cli' };
      const { changed } = await updateDevice(store, edit, device.id, (d) => ({ ...d, firmware: 'V2.820', status: 'isolated' }), now());
      expect(changed).toBe(true);
      const unchanged = await updateDevice(store, edit, device.id, (d) => d, now());
      expect(unchanged.changed).toBe(false);
      const history = await listHistory(store, scope, device.id);
      expect(history.map((h) => h.action)).toEqual(['create', 'update']);
      expect(history[1]).toMatchObject({
        actor: 'cli:anna', source: 'cli',
        before: { firmware: 'V2.800.0000000.27.R', status: 'active' }, after: { firmware: 'V2.820', status: 'isolated' },
      });
    } finally {
      await store.close();
    }
  });

  it('matches a device first known by site and IP when a later file adds its MAC', async () => {
    const store = await freshStore(engine);
    try {
      const { org, scope } = await setup(store);
      const dir = mkdtempSync(join(tmpdir(), 'camaudit-keys-'));
      const first = join(dir, 'first.csv');
      const second = join(dir, 'second.csv');
      writeFileSync(first, 'Locatie;IP-adres;Merk\nStadhuis;10.0.0.5;Hikvision\nStadhuis;10.0.0.6;Axis\nDepot;10.0.0.5;Bosch\n');
      writeFileSync(second, 'Locatie;IP-adres;MAC-adres;Firmware\nStadhuis;10.0.0.5;44:19:b6:00:00:01;V5.7.3\n');
      expect(await importFile(store, scope, org, first, { now })).toMatchObject({ created: 3 });
      expect(await importFile(store, scope, org, second, { now })).toMatchObject({ created: 0, updated: 1 });
      const hik = (await listDevices(store, scope, { brand: 'hikvision' })).items[0]!;
      expect(hik).toMatchObject({ mac: '44:19:b6:00:00:01', firmware: 'V5.7.3', siteName: 'Stadhuis' });
      expect((await listDevices(store, scope, { brand: 'bosch' })).items[0]!.mac).toBeNull();
    } finally {
      await store.close();
    }
  });

  it('pages through devices with a cursor and filters', async () => {
    const store = await freshStore(engine);
    try {
      const { org, scope } = await setup(store);
      await importFile(store, scope, org, REGISTER, { now });
      const first = await listDevices(store, scope, {}, { limit: 3 });
      expect(first.items).toHaveLength(3);
      const second = await listDevices(store, scope, {}, { limit: 3, cursor: first.nextCursor });
      expect(second.items).toHaveLength(1);
      expect(second.nextCursor).toBeNull();
      expect(new Set([...first.items, ...second.items].map((d) => d.id)).size).toBe(4);
      expect((await listDevices(store, scope, { brand: 'hikvision' })).items.map((d) => d.externalRef)).toEqual(['CAM-001']);
      expect((await listDevices(store, scope, { connectivity: 'isolated' })).items).toHaveLength(2);
      expect((await listDevices(store, scope, { q: 'brink' })).items.map((d) => d.externalRef)).toEqual(['CAM-003']);
    } finally {
      await store.close();
    }
  });
});
