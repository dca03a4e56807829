// Every supported format end to end on real and realistic files, into a real SQLite store.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { CamauditError } from '../../src/core/errors.js';
import { importFile } from '../../src/ingest/import-file.js';
import type { Store } from '../../src/store/database.js';
import { listDevices } from '../../src/store/devices.js';
import { createOrganisation } from '../../src/store/organisations.js';
import type { Organisation } from '../../src/core/model.js';
import type { TenantScope } from '../../src/store/tenant.js';
import { ENGINES, freshStore } from '../helpers/engines.js';

const FIX = join(import.meta.dirname, '..', 'fixtures');
const AMS = join(FIX, 'amsterdam');
const TMP = mkdtempSync(join(tmpdir(), 'camaudit-ingest-'));
const now = () => '2026-01-01T00:00:00.000Z';
const sqlite = ENGINES[0]!;

let store: Store;
let org: Organisation;
let scope: TenantScope;
beforeEach(async () => {
  store = await freshStore(sqlite);
  org = await createOrganisation(store, { slug: 'ams', name: 'Gemeente Amsterdam', cbsCode: 'GM0363' }, now());
  scope = { orgId: org.id, actor: 'test', source: 'test' };
  return () => store.close();
});
afterAll(() => sqlite.cleanup());

const run = (file: string, opts: Partial<Parameters<typeof importFile>[4]> = {}) => importFile(store, scope, org, file, { now, ...opts });
const refusal = async (file: string) => {
  try {
    await run(file);
  } catch (err) {
    return err as CamauditError;
  }
  throw new Error(`${file} was accepted`);
};

describe('import formats', () => {
  it("reads Amsterdam's bulk CSV: a camera and a chemical sensor with positions", async () => {
    const report = await run(join(AMS, 'amsterdam-sensorregistratie-bulk.csv'));
    expect(report).toMatchObject({ committed: true, created: 2, rejected: 0 });
    const { items } = await listDevices(store, scope);
    const cam = items.find((d) => d.externalRef === '7079-2296')!;
    expect(cam).toMatchObject({ kind: 'camera', lat: 52.3676, lon: 4.9041, purpose: 'Drukte en geluidsoverlast' });
    expect(items.find((d) => d.externalRef === '7079-2297')!.kind).toBe('other');
  });

  it('refuses duplicate references, the Excel ".0" artefact included, and writes nothing', async () => {
    const report = await run(join(AMS, 'amsterdam-sensorregistratie-bulk-duplicate-refs.csv'));
    expect(report.committed).toBe(false);
    expect(report.errors.map((e) => e.row)).toEqual([3, 4, 6]);
    expect(report.errors[0]!.message).toMatch(/same device as row 2 \(reference 7079-2296\)/);
    expect((await listDevices(store, scope)).items).toHaveLength(0);
  });

  it('unpivots the IPROX web-form export into one device per sensor block', async () => {
    const report = await run(join(AMS, 'amsterdam-sensorregistratie-iprox-export-five-sensors.csv'));
    expect(report).toMatchObject({ committed: true, created: 5 });
  });

  it('says why a key/value sheet is not a register', async () => {
    const err = await refusal(join(AMS, 'amsterdam-sensorregistratie-bulk-uw-gegevens.csv'));
    expect(err.code).toBe('invalid_input');
    expect(err.message).toMatch(/no device columns recognised/);
  });

  it("reads the official XLSX template's data sheet, skipping the intro and hidden lookup sheets", async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(AMS, 'amsterdam-sensorenregister-bulk-template.xlsx'));
    const sheet = workbook.getWorksheet('Sensorregistratie')!;
    sheet.addRow(['XL-1', 'Optische / camera sensor', 52.37, 4.9]);
    sheet.addRow(['XL-2', 'Optische / camera sensor', 52.38, 4.91]);
    const file = join(TMP, 'filled-template.xlsx');
    await workbook.xlsx.writeFile(file);
    const report = await run(file);
    expect(report).toMatchObject({ committed: true, created: 2, sheet: 'Sensorregistratie', format: 'xlsx' });
    expect(report.notes[0]).toMatch(/skipped Uw gegevens \(no device columns\)/);
    // exceljs writes the sheets before the workbook part: read whole, and said so.
    expect(report.notes[1]).toMatch(/read whole/);
    const err = await run(file, { sheet: 'Bestaat niet' }).catch((e: CamauditError) => e);
    expect((err as CamauditError).message).toMatch(/no sheet named "Bestaat niet" \(sheets: Uw gegevens, Sensorregistratie/);
  });

  it('streams a workbook packed in the order Excel writes it, every row included', async () => {
    const file = join(FIX, 'xlsx', 'amsterdam-template-filled-excel-order.xlsx');
    for (let i = 0; i < 3; i++) {
      const report = await run(file, { dryRun: true });
      expect(report).toMatchObject({ created: 1200, sheet: 'Sensorregistratie', errors: [] });
      expect(report.notes.join(' ')).not.toMatch(/read whole/);
    }
  });

  it('keeps the value of merged cells for every row they span', async () => {
    const report = await run(join(FIX, 'xlsx', 'merged-site-excel-order.xlsx'));
    expect(report).toMatchObject({ committed: true, created: 3 });
    expect(report.notes.join(' ')).toMatch(/cells are merged; read whole/);
    const { items } = await listDevices(store, scope);
    expect(items.map((d) => [d.externalRef, d.siteName]).sort()).toEqual([
      ['M-1', 'Parkeergarage Noord'], ['M-2', 'Parkeergarage Noord'], ['M-3', 'Stadhuis'],
    ]);
  });

  it('reads Windows-1252 CSV', async () => {
    const report = await run(join(FIX, 'registers', 'windows-1252.csv'));
    expect(report.notes[0]).toMatch(/WINDOWS-1252/);
    const { items } = await listDevices(store, scope);
    expect(items.map((d) => d.siteName)).toEqual(['Café De Zwaan', 'Café De Zwaan']);
    expect(items.map((d) => d.purpose).sort()).toEqual(['Beveiliging entree', 'Beveiliging terras één']);
  });

  it('reads Windows-1252 when the first accented character comes after the first megabyte', async () => {
    const file = join(TMP, 'late-1252.csv');
    const ascii = Array.from({ length: 40_000 }, (_, i) => `W-${i},Axis,Plein ${i}`).join('\r\n');
    writeFileSync(file, Buffer.concat([Buffer.from(`Kenmerk,Merk,Locatie\r\n${ascii}\r\n`), Buffer.from('W-x,Axis,Caf\xe9 De Zwaan\r\n', 'latin1')]));
    const report = await run(file);
    expect(report).toMatchObject({ committed: true, created: 40_001 });
    expect(report.notes[0]).toMatch(/WINDOWS-1252/);
    expect((await listDevices(store, scope, { q: 'W-x' })).items[0]!.siteName).toBe('Café De Zwaan');
  });

  it('repairs mangled coordinates with one file-level warning when the reading is unambiguous', async () => {
    const report = await run(join(FIX, 'registers', 'mangled-coordinates.csv'));
    expect(report).toMatchObject({ committed: true, created: 3 });
    expect(report.warnings).toHaveLength(2);
    expect(report.warnings[0]).toMatch(/column "Latitude": 3 value\(s\) lost their decimal separator/);
    const m1 = (await listDevices(store, scope, { q: 'M-1' })).items[0]!;
    expect([m1.lat, m1.lon]).toEqual([52.0912345, 5.1212345]);
  });

  it('says when latitude/longitude columns hold RD New metres', async () => {
    const file = join(TMP, 'rd-in-latlon.csv');
    writeFileSync(file, 'Referentie;Merk;Latitude;Longitude\nR-1;Axis;456110.9;136503.2\nR-2;Axis;455120.5;137001.1\n');
    const report = await run(file);
    expect(report.committed).toBe(false);
    expect(report.errors[0]!.message).toMatch(/looks like RD New \(EPSG:28992\) metres, not latitude degrees/);
  });

  it('refuses mangled coordinates that allow more than one reading, per row', async () => {
    const report = await run(join(FIX, 'registers', 'ambiguous-coordinates.csv'));
    expect(report.committed).toBe(false);
    expect(report.errors.map((e) => [e.row, e.column])).toEqual([[2, 'Latitude'], [3, 'Latitude']]);
    expect(report.warnings).toHaveLength(1);
  });

  it('reads BGT/IMGeo CityGML camera sensors with RD positions', async () => {
    const report = await run(join(FIX, 'citygml', 'bgt-sensor-cameras.gml'));
    expect(report).toMatchObject({ committed: true, format: 'citygml', created: 4 });
    const { items } = await listDevices(store, scope);
    expect(items.every((d) => d.position?.original.crs === 'EPSG:28992' && d.kind === 'camera')).toBe(true);
  });

  it('reads GeoJSON points', async () => {
    const report = await run(join(FIX, 'geojson', 'cameras.geojson'));
    expect(report).toMatchObject({ committed: true, format: 'geojson', created: 4 });
  });
});

describe('hostile input', () => {
  it('refuses XML with external entities and entity bombs', async () => {
    for (const f of ['xxe-external-entity.xml', 'billion-laughs.xml']) {
      const err = await refusal(join(FIX, 'hostile', f));
      expect(err.code).toBe('hostile_input');
      expect(err.message).toMatch(/DOCTYPE/);
    }
  });

  it('refuses binary garbage and oversized files', async () => {
    const garbage = join(TMP, 'garbage.csv');
    writeFileSync(garbage, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    expect((await refusal(garbage)).message).toMatch(/binary data/);
    const big = join(TMP, 'big.csv');
    writeFileSync(big, 'Merk;Serienummer\n' + 'Axis;1\n'.repeat(2000));
    const err = await run(big, { maxBytes: 1000 }).catch((e: CamauditError) => e);
    expect((err as CamauditError).code).toBe('hostile_input');
    expect((err as CamauditError).message).toMatch(/above the import limit/);
  });
});
