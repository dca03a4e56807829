import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDriver from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { cli } from '../helpers/cli.js';

const FIX = join(import.meta.dirname, '..', 'fixtures');
const REGISTER = join(FIX, 'registers', 'gemeente-register.csv');
let dir: string;
let db: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'camaudit-cli-'));
  db = join(dir, 'camaudit.db');
});

describe('camaudit CLI', () => {
  it('imports into a fresh database with a default organisation and prints the JSON report', async () => {
    const r = await cli(['--db', db, '--json', 'import', REGISTER]);
    expect(r.code).toBe(EXIT.ok);
    const report = JSON.parse(r.out);
    expect(Object.keys(report)).toEqual(['file', 'format', 'dryRun', 'committed', 'created', 'updated', 'unchanged', 'rejected', 'errors', 'warnings']);
    expect(report).toMatchObject({ file: REGISTER, created: 4, rejected: 0, errors: [] });
    const list = JSON.parse((await cli(['--db', db, '--json', 'devices', 'list'])).out);
    expect(list).toHaveLength(4);
    for (const key of ['id', 'site', 'kind', 'brand', 'manufacturer', 'model', 'firmware', 'serial', 'mac', 'ip', 'lat', 'lon', 'status', 'connectivity']) {
      expect(list[0]).toHaveProperty(key);
    }
    const orgs = JSON.parse((await cli(['--db', db, '--json', 'sites', 'list'])).out);
    expect(orgs.map((s: { name: string }) => s.name)).toContain('Domplein');
  });

  it('exits 1 and writes nothing when rows are wrong; lists every error with row and column', async () => {
    const r = await cli(['--db', db, 'import', join(FIX, 'registers', 'register-with-errors.csv')]);
    expect(r.code).toBe(EXIT.rejected);
    expect(r.err).toMatch(/register-with-errors\.csv, row 2, column "MAC-adres": "zz:zz:zz:zz:zz:zz" is not a MAC address/);
    expect(r.err).toMatch(/row 7, column "Status": unknown status "kapot"/);
    expect(r.err).toMatch(/nothing was written/);
    expect(JSON.parse((await cli(['--db', db, '--json', 'devices', 'list'])).out)).toEqual([]);

    const nowhere = await cli(['--db', db, 'import', '--skip-invalid', '--rejects', join(dir, 'no', 'such', 'dir.csv'), join(FIX, 'registers', 'register-with-errors.csv')]);
    expect(nowhere.code).toBe(EXIT.usage);
    expect(nowhere.err).toMatch(/cannot write the rejects file/);
    expect(JSON.parse((await cli(['--db', db, '--json', 'devices', 'list'])).out)).toEqual([]);
    const skip = await cli(['--db', db, 'import', '--skip-invalid', '--rejects', join(dir, 'rejects.csv'), join(FIX, 'registers', 'register-with-errors.csv')]);
    expect(skip.code).toBe(EXIT.ok);
    const rejects = readFileSync(join(dir, 'rejects.csv'), 'utf8');
    expect(rejects.split('\r\n').filter(Boolean)).toHaveLength(7);
    expect(rejects).toMatch(/B-3;Axis;M3106|B-3,Axis,M3106/);
    expect(rejects).toMatch(/outside the area/);
  });

  it('shows control characters from a cell instead of sending them to the terminal', async () => {
    const file = join(dir, 'escape.csv');
    writeFileSync(file, 'Referentie;Merk;Status\nE-1;Axis;\u001b[2Jimport OK\n');
    const r = await cli(['--db', db, 'import', file]);
    expect(r.code).toBe(EXIT.rejected);
    expect(r.err).toContain('\\u001b[2Jimport OK');
    expect(r.err).not.toContain('\u001b');
  });

  it('maps unknown headers with --map and refuses hostile files with exit 5', async () => {
    const file = join(dir, 'odd.csv');
    writeFileSync(file, 'Kastnummer;Fabricaat;Camera type\nK-1;Axis;P3245\n');
    const refused = await cli(['--db', db, 'import', file]);
    expect(refused.code).toBe(EXIT.invalidInput);
    expect(refused.err).toMatch(/no device columns recognised/);
    const mapped = await cli(['--db', db, '--json', 'import', file, '--map', 'Kastnummer=externalRef', '--map', 'Fabricaat=brand', '--map', 'Camera type=model']);
    expect(JSON.parse(mapped.out)).toMatchObject({ created: 1 });
    const hostile = await cli(['--db', db, 'import', join(FIX, 'hostile', 'xxe-external-entity.xml')]);
    expect(hostile.code).toBe(EXIT.hostileInput);
    expect((await cli(['--db', db, 'import'])).code).toBe(EXIT.usage);
  });

  it('exports CSV and XLSX with formulas neutralised, and a public edition without network data', async () => {
    await cli(['--db', db, 'import', REGISTER]);
    const csv = join(dir, 'out.csv');
    expect((await cli(['--db', db, 'export', 'csv', '-o', csv])).code).toBe(EXIT.ok);
    const text = readFileSync(csv, 'utf8');
    expect(text).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(text).not.toMatch(/[,\n]=HYPERLINK/);
    const xlsx = join(dir, 'out.xlsx');
    await cli(['--db', db, 'export', 'xlsx', '-o', xlsx]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    const sheet = wb.getWorksheet('devices')!;
    const values = sheet.getSheetValues().flat().filter((v) => typeof v === 'string') as string[];
    expect(values).toContain(`'=HYPERLINK("http://x")`);
    expect(sheet.rowCount).toBe(5);
    const pub = join(dir, 'public.csv');
    await cli(['--db', db, 'export', 'csv', '--public', '-o', pub]);
    const header = readFileSync(pub, 'utf8').split('\r\n')[0]!;
    expect(header).toContain('brand');
    for (const secret of ['mac', 'ip', 'serial', 'latitude', 'camaudit_id', 'Opmerking']) expect(header.split(',')).not.toContain(secret);
  });

  it('carries a register to another database through its export', async () => {
    await cli(['--db', db, 'import', REGISTER]);
    const csv = join(dir, 'carry.csv');
    await cli(['--db', db, 'export', 'csv', '-o', csv]);
    const other = join(dir, 'other.db');
    const r = await cli(['--db', other, '--json', 'import', csv]);
    expect(JSON.parse(r.out)).toMatchObject({ committed: true, created: 4, rejected: 0 });
    const moved = JSON.parse((await cli(['--db', other, '--json', 'devices', 'list', '--q', 'CAM-003'])).out)[0];
    expect(moved).toMatchObject({ mac: '3c:ef:8c:aa:bb:01', manufacturer: 'dahua', connectivity: 'internal', site: 'Sporthal De Brink' });
    expect(JSON.parse((await cli(['--db', other, '--json', 'import', csv])).out)).toMatchObject({ created: 0, unchanged: 4 });
  });

  it('edits a device and shows the change in its history', async () => {
    await cli(['--db', db, 'import', REGISTER]);
    const [device] = JSON.parse((await cli(['--db', db, '--json', 'devices', 'list', '--q', 'CAM-004'])).out);
    const edit = await cli(['--db', db, 'devices', 'edit', device.id.slice(0, 8), '--set', 'firmware=11.0.1', '--set', 'status=gepland']);
    expect(edit.code).toBe(EXIT.ok);
    const shown = JSON.parse((await cli(['--db', db, '--json', 'devices', 'show', device.id])).out);
    expect(shown).toMatchObject({ firmware: '11.0.1', status: 'scheduled' });
    expect(shown.history.at(-1)).toMatchObject({ actor: 'cli:test', source: 'cli', after: { firmware: '11.0.1', status: 'scheduled' } });
    const other = JSON.parse((await cli(['--db', db, '--json', 'devices', 'list', '--q', 'CAM-001'])).out)[0];
    const taken = await cli(['--db', db, 'devices', 'edit', device.id, '--set', `mac=${other.mac}`]);
    expect(taken.code).toBe(EXIT.conflict);
    expect(taken.err).toMatch(/already belongs to device/);
    const bad = await cli(['--db', db, 'devices', 'edit', device.id, '--set', 'mac=nope']);
    expect(bad.code).toBe(EXIT.invalidInput);
    expect(bad.err).toMatch(/not a MAC address/);
  });

  it('backs up and restores the SQLite database', async () => {
    await cli(['--db', db, 'import', REGISTER]);
    const backup = join(dir, 'backup.db');
    expect((await cli(['--db', db, 'backup', backup])).code).toBe(EXIT.ok);
    await cli(['--db', db, 'import', join(FIX, 'registers', 'windows-1252.csv')]);
    expect(JSON.parse((await cli(['--db', db, '--json', 'devices', 'list'])).out)).toHaveLength(6);
    expect((await cli(['--db', db, 'restore', backup])).code).toBe(EXIT.ok);
    expect(JSON.parse((await cli(['--db', db, '--json', 'devices', 'list'])).out)).toHaveLength(4);
    const notDb = join(dir, 'not.db');
    writeFileSync(notDb, 'hello');
    const refused = await cli(['--db', db, 'restore', notDb]);
    expect(refused.code).toBe(EXIT.invalidInput);
  });

  it('creates organisations, validates CBS codes, and speaks Dutch', async () => {
    expect((await cli(['--db', db, 'init', '--name', 'Gemeente Utrecht', '--cbs', '344'])).code).toBe(EXIT.usage);
    const ok = await cli(['--db', db, '--lang', 'nl', 'init', '--name', 'Gemeente Utrecht', '--cbs', 'GM0344']);
    expect(ok.out).toMatch(/organisatie "Gemeente Utrecht" \(gemeente-utrecht\) aangemaakt/);
    const nl = await cli(['--db', db, '--lang', 'nl', 'import', REGISTER]);
    expect(nl.out).toMatch(/4 nieuw, 0 bijgewerkt, 0 ongewijzigd, 0 afgewezen/);
    expect((await cli(['--db', db, '--org', 'elders', 'devices', 'list'])).code).toBe(EXIT.notFound);
  });

  it('says so when another writer holds the database, and writes nothing', async () => {
    await cli(['--db', db, 'init', '--name', 'Gemeente Utrecht']);
    const holder = new SqliteDriver(db);
    holder.exec('BEGIN IMMEDIATE');
    try {
      const r = await cli(['--db', db, 'import', REGISTER]);
      expect(r.code).toBe(EXIT.database);
      expect(r.err).toMatch(/database is busy with another write/);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect(JSON.parse((await cli(['--db', db, '--json', 'devices', 'list'])).out)).toEqual([]);
  }, 30_000);

  it('loads the demo organisation idempotently', async () => {
    const first = JSON.parse((await cli(['--db', db, '--json', 'demo'])).out);
    expect(first).toMatchObject({ organisation: 'demo', sites: 62, devices: 208, created: 208 });
    const second = JSON.parse((await cli(['--db', db, '--json', 'demo'])).out);
    expect(second).toMatchObject({ created: 0, updated: 0, unchanged: 208 });
  });
});
