// A process killed half-way through an import leaves the database as it was before the import.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDriver from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { killImportAfter, writeLargeCsv } from '../helpers/kill-import.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('an import killed with SIGKILL', () => {
  it('leaves none of its rows and a usable database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'camaudit-kill-'));
    const db = join(dir, 'camaudit.db');
    const file = join(dir, 'large.csv');
    await writeLargeCsv(file, 300_000);
    expect((await cli(['--db', db, 'import', join(ROOT, 'test', 'fixtures', 'registers', 'gemeente-register.csv')])).code).toBe(0);

    expect(await killImportAfter(db, file, 50_000)).toBe('SIGKILL');

    const sqlite = new SqliteDriver(db);
    expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    const devices = sqlite.prepare('select count(*) as n from devices').get() as { n: number };
    expect(devices.n).toBe(4);
    expect((sqlite.prepare("select count(*) as n from devices where external_ref like 'K-%'").get() as { n: number }).n).toBe(0);
    sqlite.close();

    const after = await cli(['--db', db, '--json', 'import', join(ROOT, 'test', 'fixtures', 'registers', 'windows-1252.csv')]);
    expect(JSON.parse(after.out)).toMatchObject({ committed: true, created: 2 });
  }, 120_000);
});
