// `camaudit audit`: verify names every problem and exits 1, the JSON export can be checked on its
// own, the CSV export is safe to open in a spreadsheet, and the list pages through entries.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDriver from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { verifyChain, type SealedEntry } from '../../src/core/audit/chain.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { cli } from '../helpers/cli.js';

const ROOT = join(import.meta.dirname, '..', '..');
const REGISTER = join(ROOT, 'test', 'fixtures', 'registers', 'gemeente-register.csv');
let dir: string;
let db: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'camaudit-audit-'));
  db = join(dir, 'camaudit.db');
});

const run = (args: string[], env: Record<string, string> = {}) => cli(['--db', db, ...args], env);

async function deviceId(ref: string): Promise<string> {
  const list = JSON.parse((await run(['--json', 'devices', 'list', '--q', ref])).out) as { id: string }[];
  return list[0]!.id;
}

/** A register imported (3 sites, 3 networks, 4 devices), a device edited, a waiver given and revoked: 13 entries in the organisation's chain. */
async function history(): Promise<void> {
  expect((await run(['import', REGISTER])).code).toBe(EXIT.ok);
  const cam = await deviceId('CAM-001');
  expect((await run(['devices', 'edit', cam, '--set', 'firmware=V5.8.0'])).code).toBe(EXIT.ok);
  const waiver = JSON.parse((await run(['--json', 'waive', cam, 'vendor_cloud', '--reason', 'contract', '--until', '2099-12-31'])).out) as { id: string };
  expect((await run(['waive', 'revoke', waiver.id])).code).toBe(EXIT.ok);
}

/** The database as someone with file access sees it: the append-only triggers dropped. */
function tamper(statements: string[]): void {
  const sqlite = new SqliteDriver(db);
  for (const t of ['history_no_update', 'history_no_delete', 'audit_heads_forward']) sqlite.exec(`drop trigger if exists ${t}`);
  for (const s of statements) sqlite.exec(s);
  sqlite.close();
}

describe('camaudit audit', () => {
  it('verify: both chains intact after imports, edits and waivers', async () => {
    await history();
    const r = await run(['audit', 'verify']);
    expect(r.code, r.err).toBe(EXIT.ok);
    expect(r.out).toMatch(/^organisation default: 13 entries, intact \(head [0-9a-f]{16}\)$/m);
    expect(r.out).toMatch(/^server: 1 entries, intact/m);
    const json = JSON.parse((await run(['--json', 'audit', 'verify'])).out);
    expect(json).toMatchObject({ ok: true, chains: [{ organisation: 'default', entries: 13, problems: [] }, { chain: 'server', entries: 1, problems: [] }] });
  });

  it('verify: names every edited, deleted and moved entry, in English and Dutch, and exits 1', async () => {
    await history();
    tamper([
      "update history set actor = 'someone-else' where seq = 3",
      'delete from history where seq in (6, 7)',
      'delete from history where seq in (12, 13)',
      'update history set seq = 100 where seq = 9', 'update history set seq = 9 where seq = 10', 'update history set seq = 10 where seq = 100',
    ]);
    const r = await run(['audit', 'verify']);
    expect(r.code).toBe(1);
    expect(r.out.split('\n')).toEqual([
      'organisation default: 9 entries, 6 problem(s):',
      '  - entry 3: changed after it was written (its content no longer matches its hash)',
      '  - entries 6–7: missing (deleted)',
      '  - entry 9: moved; it was written as entry 10',
      '  - entry 10: moved; it was written as entry 9',
      '  - entry 11: does not follow the entry before it (that one was replaced or moved)',
      '  - entries 12–13: deleted from the end (the chain head counts 13 entries)',
      expect.stringMatching(/^server: 1 entries, intact/),
    ]);
    const nl = await run(['--lang', 'nl', 'audit', 'verify']);
    expect(nl.out).toMatch(/vermelding 3: gewijzigd nadat hij is vastgelegd/);
    expect(nl.out).toMatch(/vermeldingen 12–13: aan het eind verwijderd \(de kop van de keten telt 13 vermeldingen\)/);
    const json = JSON.parse((await run(['--json', 'audit', 'verify'])).out);
    expect(json.ok).toBe(false);
    expect(json.chains[0].problems).toContainEqual({ kind: 'missing', from: 6, to: 7, message: 'entries 6–7: missing (deleted)' });
  });

  it('export json: the whole chain with its head, verifiable without the database', async () => {
    await history();
    const file = join(dir, 'audit.json');
    const r = await run(['audit', 'export', '--format', 'json', '-o', file]);
    expect(r.code, r.err).toBe(EXIT.ok);
    expect(r.out).toBe(`13 entries of organisation default written to ${file}`);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    expect(doc).toMatchObject({ format: 'camaudit-audit/1', organisation: 'default', head: { entries: 13 } });
    expect(doc.entries).toHaveLength(13);
    const sealed = (doc.entries as (Omit<SealedEntry, 'before' | 'after' | 'chain'> & { before: unknown; after: unknown })[]).map((e) => ({
      ...e, chain: doc.chain as string, before: e.before === null ? null : JSON.stringify(e.before), after: e.after === null ? null : JSON.stringify(e.after),
    }));
    expect(verifyChain(doc.chain, sealed, doc.head)).toEqual([]);
    // An edited line in the file is found as well.
    sealed[4] = { ...sealed[4]!, actor: 'someone-else' };
    expect(verifyChain(doc.chain, sealed, doc.head)).toEqual([{ kind: 'edited', seq: 5 }]);

    // To standard output, and limited to days.
    const today = new Date().toISOString().slice(0, 10);
    expect(JSON.parse((await run(['audit', 'export', '--format', 'json', '--from', today, '--to', today])).out).entries).toHaveLength(13);
    expect(JSON.parse((await run(['audit', 'export', '--format', 'json', '--to', '2000-01-01'])).out).entries).toEqual([]);
    expect((await run(['audit', 'export', '--format', 'json', '--from', '1-2-2026'])).code).toBe(EXIT.usage);
    expect((await run(['audit', 'export', '--format', 'xml'])).code).toBe(EXIT.usage);
  });

  it('export csv: one row per entry, cells a spreadsheet would run as formulas neutralised', async () => {
    await run(['import', REGISTER], { CAMAUDIT_ACTOR: '=HYPERLINK("http://evil.example","x")' });
    const file = join(dir, 'audit.csv');
    expect((await run(['audit', 'export', '--format', 'csv', '-o', file])).code).toBe(EXIT.ok);
    const lines = readFileSync(file, 'utf8').replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('chain,seq,at,actor,source,action,entity_type,entity_id,before,after,prev_hash,hash');
    expect(lines).toHaveLength(11);
    expect(lines[1]).toContain(`,"'=HYPERLINK(""http://evil.example"",""x"")",`);
    expect(lines.slice(1).every((l) => !/,=/.test(l))).toBe(true);
  });

  it('list: newest first, by entity prefix, paged, and the server chain', async () => {
    await history();
    const cam = await deviceId('CAM-001');
    const mine = JSON.parse((await run(['--json', 'audit', 'list', '--entity', cam.slice(0, 8)])).out) as { seq: number; action: string }[];
    expect(mine.map((e) => e.action)).toEqual(['update', 'create']);
    const page = await run(['audit', 'list', '--limit', '2']);
    expect(page.out.split('\n')[0]).toMatch(/^seq\s+at\s+actor\s+source\s+action\s+entity\s+id\s+change$/);
    expect(page.out).toMatch(/^13\s.*revoke\s+waiver/m);
    expect(page.out).toMatch(/more: --cursor 12$/);
    const server = JSON.parse((await run(['--json', 'audit', 'list', '--server'])).out);
    expect(server).toEqual([expect.objectContaining({ seq: 1, action: 'create', entityType: 'organisation' })]);
  });

  it('a knowledge-base update is an entry in the server chain', async () => {
    const update = join(dir, 'update');
    cpSync(join(ROOT, 'kb', 'data'), update, { recursive: true });
    const meta = readFileSync(join(update, 'meta.yaml'), 'utf8');
    const version = /version: (\S+)/.exec(meta)![1]!;
    writeFileSync(join(update, 'meta.yaml'), meta.replace(`version: ${version}`, 'version: 2099.1.1'));
    expect((await run(['kb', 'update', join(update, 'meta.yaml')])).code).toBe(EXIT.ok);
    const server = JSON.parse((await run(['--json', 'audit', 'list', '--server'])).out);
    expect(server.find((e: { action: string }) => e.action === 'install')).toMatchObject({
      action: 'install', entityType: 'knowledge_base', entityId: '2099.1.1', actor: 'cli:test',
      before: { version }, after: { version: '2099.1.1', files: { 'meta.yaml': expect.stringMatching(/^[0-9a-f]{64}$/) } },
    });
    expect((await run(['audit', 'verify'])).code).toBe(EXIT.ok);
  });
});
