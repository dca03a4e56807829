// A process killed half-way through an import leaves the database as it was before the import.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDriver from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const ROOT = join(import.meta.dirname, '..', '..');

async function writeLargeCsv(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  out.write('Referentie;Merk;Type;Serienummer;Locatie;Verbinding\n');
  for (let i = 0; i < rows; i++) {
    const line = `K-${i};Axis;P3245-LVE;SN${i};Locatie ${i % 500};intern\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

describe('an import killed with SIGKILL', () => {
  it('leaves none of its rows and a usable database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'camaudit-kill-'));
    const db = join(dir, 'camaudit.db');
    const file = join(dir, 'large.csv');
    await writeLargeCsv(file, 300_000);
    expect((await cli(['--db', db, 'import', join(ROOT, 'test', 'fixtures', 'registers', 'gemeente-register.csv')])).code).toBe(0);

    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'helpers', 'cli-entry.ts'), '--db', db, 'import', file], {
      cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'],
    });
    // Progress is reported every 10,000 rows while rows are being written inside the transaction.
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/50000 rows read/.test(stderr)) resolve();
      });
      child.on('exit', () => reject(new Error(`import ended before it could be killed:\n${stderr}`)));
    });
    child.kill('SIGKILL');
    const [, signal] = await once(child, 'exit');
    expect(signal).toBe('SIGKILL');

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
