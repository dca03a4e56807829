// A process killed while it appends to the audit trail leaves a chain that verifies: the entries
// and their head commit with the change or not at all.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { cli } from '../helpers/cli.js';
import { killImportAfter, writeLargeCsv } from '../helpers/kill-import.js';

const ROOT = join(import.meta.dirname, '..', '..');
const REGISTER = join(ROOT, 'test', 'fixtures', 'registers', 'gemeente-register.csv');

describe('an import killed with SIGKILL while it writes audit entries', () => {
  it('leaves the chain as it was, verifiable, and open to the next write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'camaudit-audit-kill-'));
    const db = join(dir, 'camaudit.db');
    const file = join(dir, 'large.csv');
    await writeLargeCsv(file, 120_000);
    expect((await cli(['--db', db, 'import', REGISTER])).code).toBe(EXIT.ok);
    const before = JSON.parse((await cli(['--db', db, '--json', 'audit', 'verify'])).out);
    expect(before.chains[0]).toMatchObject({ entries: 10, problems: [] });

    expect(await killImportAfter(db, file, 50_000)).toBe('SIGKILL');

    const after = await cli(['--db', db, '--json', 'audit', 'verify']);
    expect(after.code, after.out).toBe(EXIT.ok);
    expect(JSON.parse(after.out).chains[0]).toMatchObject({ entries: 10, head: before.chains[0].head, problems: [] });

    expect((await cli(['--db', db, 'import', join(ROOT, 'test', 'fixtures', 'registers', 'windows-1252.csv')])).code).toBe(EXIT.ok);
    const next = JSON.parse((await cli(['--db', db, '--json', 'audit', 'verify'])).out);
    expect(next.ok).toBe(true);
    expect(next.chains[0].entries).toBeGreaterThan(10);
  }, 120_000);
});
