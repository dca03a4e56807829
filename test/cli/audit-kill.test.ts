// A process killed while it appends to the audit trail leaves a chain that verifies: the entries
// and their head commit with the change or not at all.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { cli } from '../helpers/cli.js';

const ROOT = join(import.meta.dirname, '..', '..');
const REGISTER = join(ROOT, 'test', 'fixtures', 'registers', 'gemeente-register.csv');

async function writeLargeCsv(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  out.write('Referentie;Merk;Type;Serienummer;Locatie;Verbinding\n');
  for (let i = 0; i < rows; i++) {
    if (!out.write(`K-${i};Axis;P3245-LVE;SN${i};Locatie ${i % 500};intern\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

describe('an import killed with SIGKILL while it writes audit entries', () => {
  it('leaves the chain as it was, verifiable, and open to the next write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'camaudit-audit-kill-'));
    const db = join(dir, 'camaudit.db');
    const file = join(dir, 'large.csv');
    await writeLargeCsv(file, 120_000);
    expect((await cli(['--db', db, 'import', REGISTER])).code).toBe(EXIT.ok);
    const before = JSON.parse((await cli(['--db', db, '--json', 'audit', 'verify'])).out);
    expect(before.chains[0]).toMatchObject({ entries: 10, problems: [] });

    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'helpers', 'cli-entry.ts'), '--db', db, 'import', file], {
      cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'],
    });
    // Progress every 10,000 rows read; by 50,000 batches of entries have been appended inside the transaction.
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

    const after = await cli(['--db', db, '--json', 'audit', 'verify']);
    expect(after.code, after.out).toBe(EXIT.ok);
    expect(JSON.parse(after.out).chains[0]).toMatchObject({ entries: 10, head: before.chains[0].head, problems: [] });

    expect((await cli(['--db', db, 'import', join(ROOT, 'test', 'fixtures', 'registers', 'windows-1252.csv')])).code).toBe(EXIT.ok);
    const next = JSON.parse((await cli(['--db', db, '--json', 'audit', 'verify'])).out);
    expect(next.ok).toBe(true);
    expect(next.chains[0].entries).toBeGreaterThan(10);
  }, 120_000);
});
