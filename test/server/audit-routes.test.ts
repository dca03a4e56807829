import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain, type SealedEntry } from '../../src/core/audit/chain.js';
import { ENGINES } from '../helpers/engines.js';
import { bearer, startTestServer, type TestServer } from '../helpers/server.js';

const BASE = '/api/v1/organisations/alpha/audit';

describe.each(ENGINES)('the audit trail over the API on $name', (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(engine);
    // A write whose entry the auditor should find: a device name with a spreadsheet formula.
    const devices = await s.app.inject({ url: '/api/v1/organisations/alpha/devices?limit=1', headers: bearer(s.tokens.a.viewer) });
    const id = (devices.json() as { items: { id: string }[] }).items[0]!.id;
    const edit = await s.app.inject({ method: 'PATCH', url: `/api/v1/organisations/alpha/devices/${id}`, headers: bearer(s.tokens.a.editor), payload: { purpose: '=HYPERLINK("http://x.example")' } });
    expect(edit.statusCode, edit.body).toBe(200);
  });
  afterAll(async () => {
    await s.close();
    await engine.cleanup();
  });

  it('lists the entries newest first, with actor, source and before/after', async () => {
    const res = await s.app.inject({ url: `${BASE}/entries?limit=5`, headers: bearer(s.tokens.a.auditor) });
    expect(res.statusCode).toBe(200);
    const { items } = res.json() as { items: { seq: number; actor: string; source: string; entityType: string; after: Record<string, unknown> }[] };
    expect(items[0]).toMatchObject({ actor: 'token:editor token', source: 'api', entityType: 'device', after: { purpose: '=HYPERLINK("http://x.example")' } });
    expect(items.map((e) => e.seq)).toEqual([...items.map((e) => e.seq)].sort((a, b) => b - a));
  });

  it('verifies the chain, and names an entry edited behind the server\'s back', async () => {
    const ok = (await s.app.inject({ url: `${BASE}/verification`, headers: bearer(s.tokens.a.auditor) })).json() as { intact: boolean; entries: number };
    expect(ok.intact).toBe(true);
    expect(ok.entries).toBeGreaterThan(3);
    // Someone with direct access to the database first removes the guard against updates.
    await (engine.name === 'postgres' ? sql`alter table history disable trigger user` : sql`drop trigger history_no_update`).execute(s.store.db);
    await sql`update history set actor = 'someone else' where org_id = ${s.orgs.a.id} and seq = 2`.execute(s.store.db);
    const bad = (await s.app.inject({ url: `${BASE}/verification`, headers: bearer(s.tokens.a.auditor) })).json() as { intact: boolean; problems: { kind: string; seq?: number }[] };
    expect(bad.intact).toBe(false);
    expect(bad.problems).toContainEqual(expect.objectContaining({ kind: 'edited', seq: 2 }));
  });

  it('exports CSV with formulas neutralised, and JSON that verifies without the database', async () => {
    const csv = await s.app.inject({ url: `${BASE}/export?format=csv`, headers: bearer(s.tokens.a.auditor) });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="audit-alpha-/);
    expect(csv.body).not.toMatch(/(^|,)"?=HYPERLINK/m);
    expect(csv.body).toContain('HYPERLINK');

    const json = await s.app.inject({ url: `${BASE}/export?format=json`, headers: bearer(s.tokens.a.admin) });
    const doc = json.json() as { chain: string; head: { entries: number; lastHash: string }; entries: (Omit<SealedEntry, 'chain' | 'before' | 'after'> & { before: unknown; after: unknown })[] };
    expect(doc.entries).toHaveLength(doc.head.entries);
    // The file holds before/after as JSON values; the chain hashed their JSON text.
    const text = (v: unknown) => (v === null ? null : JSON.stringify(v));
    const problems = verifyChain(doc.chain, doc.entries.map((e) => ({ ...e, chain: doc.chain, before: text(e.before), after: text(e.after) })), doc.head);
    // The entry edited in the previous test is named; nothing else.
    expect(problems.map((p) => p.kind)).toEqual(['edited']);
  });

  it('is for auditors and administrators only', async () => {
    for (const role of ['viewer', 'editor', 'coordinator'] as const) {
      expect((await s.app.inject({ url: `${BASE}/entries`, headers: bearer(s.tokens.a[role]) })).statusCode, role).toBe(403);
    }
    expect((await s.app.inject({ url: `${BASE}/entries`, headers: bearer(s.tokens.b.auditor) })).statusCode).toBe(404);
  });
});
