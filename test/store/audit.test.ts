// The audit trail on both engines: every write path appends to the organisation's chain in its
// own transaction, the chains verify, tampering of any kind is found and named, the triggers
// refuse changes, concurrent appends stay in one valid chain, and migration 0010 seals old history.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePolicy, type Policy } from '../../src/core/assess/policy.js';
import { DEFAULT_COST_MODEL } from '../../src/core/plan/costs.js';
import { buildScenario } from '../../src/core/plan/plan.js';
import { recordScanRun, finishRun, startRun } from '../../src/discover/record.js';
import { importFile } from '../../src/ingest/import-file.js';
import { readNmapXml } from '../../src/ingest/nmap.js';
import { identifierFor } from '../../src/kb/knowledge.js';
import { loadKnowledgeBase } from '../../src/kb/load.js';
import type { KnowledgeBase } from '../../src/kb/schema.js';
import { enrolAgent, revokeAgent } from '../../src/store/agents.js';
import { runAssessment } from '../../src/store/assessments.js';
import { appendAudit, exportAudit, listAudit, readHead, verifyAudit, type AuditEntry } from '../../src/store/audit.js';
import { migrateTo, migrateToLatest, openStore, type Store } from '../../src/store/database.js';
import { updateDevice } from '../../src/store/devices.js';
import { listHistory } from '../../src/store/history.js';
import { createOrganisation, deleteOrganisation, findOrganisation } from '../../src/store/organisations.js';
import { advancePlanItem, savePlan } from '../../src/store/plan-items.js';
import { clearOrganisationPolicy, setOrganisationPolicy } from '../../src/store/policies.js';
import type { TenantScope } from '../../src/store/tenant.js';
import { createWaiver, revokeWaiver } from '../../src/store/waivers.js';
import { ENGINES, freshStore, PG_AVAILABLE, type EngineFixture } from '../helpers/engines.js';

const FIX = join(import.meta.dirname, '..', 'fixtures');
const REGISTER = join(FIX, 'registers', 'gemeente-register.csv');
const NMAP = join(FIX, 'nmap', 'nmap-7.93-camera-lab.xml');
const POLICY_TEXT = readFileSync(join(import.meta.dirname, '..', '..', 'policies', 'default.yaml'), 'utf8');
let tick = 0;
const now = () => new Date(Date.UTC(2026, 2, 1) + tick++ * 1000).toISOString();

let kb: KnowledgeBase;
let policy: Policy;
beforeAll(async () => {
  kb = await loadKnowledgeBase();
  policy = parsePolicy(POLICY_TEXT, 'policies/default.yaml');
});

afterAll(async () => {
  for (const e of ENGINES) await e.cleanup();
});

async function setup(store: Store, slug = 'utrecht'): Promise<TenantScope> {
  const org = await createOrganisation(store, { slug, name: `Gemeente ${slug}` }, now(), { actor: 'admin:root', source: 'test' });
  return { orgId: org.id, actor: 'user:anna', source: 'test' };
}

const entries = (n: number, tag = 'x'): AuditEntry[] =>
  Array.from({ length: n }, (_, i) => ({ action: 'update', entityType: 'device', entityId: `${tag}-${i}`, before: { i }, after: { i: i + 1 } }));

/** Lets the test tamper as someone with direct database access would: triggers off. */
async function unprotect(store: Store): Promise<void> {
  const statements = store.engine.name === 'postgres'
    ? ['alter table history disable trigger user', 'alter table audit_heads disable trigger user', 'alter table server_history disable trigger user']
    : ['history_no_update', 'history_no_delete', 'audit_heads_forward', 'audit_heads_no_delete', 'server_history_no_update', 'server_history_no_delete'].map((t) => `drop trigger ${t}`);
  for (const s of statements) await sql.raw(s).execute(store.db);
}

async function problems(store: Store, orgId: string | null) {
  return (await verifyAudit(store, orgId)).problems;
}

describe.each(ENGINES)('audit trail on $name', (engine: EngineFixture) => {
  it('records every write path in the organisation chain, and the chains verify', async () => {
    const store = await freshStore(engine);
    try {
      const scope = await setup(store);
      const report = await importFile(store, scope, (await findOrganisation(store, 'utrecht'))!, REGISTER, { now });
      expect(report.committed).toBe(true);
      const device = (await store.db.selectFrom('devices').select('id').where('external_ref', '=', 'CAM-001').executeTakeFirstOrThrow()).id;
      await updateDevice(store, scope, device, (d) => ({ ...d, firmware: 'V5.7.3' }), now());

      const identifier = identifierFor(kb);
      const hosts = readNmapXml(readFileSync(NMAP), NMAP).hosts;
      const at = now();
      const scan = await recordScanRun(store, { ...scope, source: 'import:lab.xml' }, identifier, {
        origin: 'nmap', actor: scope.actor, agentId: null, params: { file: 'lab.xml' }, startedAt: at, finishedAt: at, stats: {}, hosts,
      });
      const live = await startRun(store.db, scope, { origin: 'live', actor: scope.actor, agentId: null, params: { targets: ['10.0.0.0/30'] }, startedAt: now() });
      await finishRun(store.db, scope, live, 'interrupted', { done: 2 }, now());

      const waiver = await createWaiver(store, scope, device, { rule: 'vendor_cloud', reason: 'contract ends', until: '2026-12-31', approver: 'CISO' }, now());
      await revokeWaiver(store, scope, waiver.id, now());
      const assessed = await runAssessment(store, scope, kb, policy, now());
      const scenario = buildScenario({
        devices: assessed.devices, findings: assessed.findings, cost: DEFAULT_COST_MODEL, budgetPerYear: null, capacityPerYear: null,
        startYear: 2026, years: 5, now: now(),
      }, 'replace_now');
      await savePlan(store, scope, scenario, now());
      await advancePlanItem(store, scope, scenario.actions[0]!.id, 'in_progress', now(), 'ordered');
      await setOrganisationPolicy(store, scope, POLICY_TEXT, 'default.yaml', now());
      await clearOrganisationPolicy(store, scope, now());
      const pem = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
      const agent = await enrolAgent(store.db, scope, { name: 'depot', publicKeyPem: pem }, now());
      await revokeAgent(store.db, scope, 'depot', now());

      const report1 = await verifyAudit(store, scope.orgId);
      expect(report1.problems).toEqual([]);
      expect(report1.head).toEqual({ entries: report1.entries, lastHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
      const all = [];
      for await (const e of exportAudit(store, scope)) all.push(e);
      expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
      const kinds = new Set(all.map((e) => `${e.entityType}:${e.action}`));
      for (const k of [
        'site:create', 'network:create', 'device:create', 'device:update', 'scan_run:import', 'scan_run:start', 'scan_run:interrupt',
        'waiver:create', 'waiver:revoke', 'assessment:assess', 'plan_item:create', 'plan_item:update', 'policy:set', 'policy:delete',
        'agent:create', 'agent:revoke',
      ]) expect(kinds, k).toContain(k);
      // One entry per assessment run and per scan run, with the figures.
      expect(all.filter((e) => e.entityType === 'assessment')).toEqual([expect.objectContaining({
        entityId: assessed.runId, actor: 'user:anna', after: expect.objectContaining({ assessed: assessed.assessed, findings: assessed.findings.length }),
      })]);
      expect(all.filter((e) => e.entityId === scan.runId)).toEqual([expect.objectContaining({
        action: 'import', source: 'import:lab.xml', after: expect.objectContaining({ origin: 'nmap', stats: expect.objectContaining({ created: scan.created }) }),
      })]);
      expect(all.find((e) => e.entityType === 'waiver' && e.action === 'revoke')).toMatchObject({
        entityId: waiver.id, before: { revokedAt: null }, after: { revokedBy: 'user:anna' },
      });
      expect(all.find((e) => e.entityType === 'agent' && e.action === 'revoke')).toMatchObject({ entityId: agent.id, after: { name: 'depot' } });

      // The organisation's creation is a server event.
      expect((await verifyAudit(store, null)).problems).toEqual([]);
      const server = [];
      for await (const e of exportAudit(store, { orgId: null })) server.push(e);
      expect(server).toEqual([expect.objectContaining({ seq: 1, action: 'create', entityType: 'organisation', entityId: scope.orgId, actor: 'admin:root' })]);

      // The register's history view still shows only what happened to the device, not its waiver.
      const history = await listHistory(store, scope, device);
      expect(history.map((h) => [h.action, h.after?.firmware ?? null])).toEqual([['create', expect.anything()], ['update', 'V5.7.3']]);
    } finally {
      await store.close();
    }
  });

  it('keeps a chain per organisation: one organisation\'s writes never touch another\'s', async () => {
    const store = await freshStore(engine);
    try {
      const a = await setup(store, 'a');
      const b = await setup(store, 'b');
      await appendAudit(store.db, store.engine, a, entries(3), now());
      await appendAudit(store.db, store.engine, b, entries(2), now());
      await appendAudit(store.db, store.engine, a, entries(1), now());
      expect(await verifyAudit(store, a.orgId)).toMatchObject({ entries: 4, problems: [] });
      expect(await verifyAudit(store, b.orgId)).toMatchObject({ entries: 2, problems: [] });
      const page = await listAudit(store, a, { limit: 3 });
      expect(page.items.map((e) => e.seq)).toEqual([4, 3, 2]);
      expect((await listAudit(store, a, { cursor: page.nextCursor })).items.map((e) => e.seq)).toEqual([1]);
      expect((await listAudit(store, a, { entityId: 'x-0' })).items.map((e) => e.seq)).toEqual([4, 1]);
      expect((await listAudit(store, a, { entityPrefix: 'x-' })).items).toHaveLength(4);
    } finally {
      await store.close();
    }
  });

  it('appends a bulk of entries in one transaction, chunked, and a rollback takes them all', async () => {
    const store = await freshStore(engine);
    try {
      const scope = await setup(store);
      await store.db.transaction().execute(async (trx) => {
        await appendAudit(trx, store.engine, scope, entries(6000), now());
        await appendAudit(trx, store.engine, scope, entries(10, 'y'), now());
      });
      await expect(store.db.transaction().execute(async (trx) => {
        await appendAudit(trx, store.engine, scope, entries(50, 'z'), now());
        throw new Error('the change failed');
      })).rejects.toThrow('the change failed');
      expect(await verifyAudit(store, scope.orgId)).toMatchObject({ entries: 6010, head: { entries: 6010 }, problems: [] });
    } finally {
      await store.close();
    }
  });

  it('finds an edit of any field of any entry and names the entry', async () => {
    const store = await freshStore(engine);
    try {
      const scope = await setup(store);
      await appendAudit(store.db, store.engine, scope, entries(5), now());
      await unprotect(store);
      const edits: [string, string][] = [
        ['at', '2020-01-01T00:00:00.000Z'], ['actor', 'someone-else'], ['source', 'api'], ['action', 'delete'], ['entity_type', 'site'],
        ['entity_id', 'other'], ['before_json', '{"i":9}'], ['after_json', null as unknown as string], ['prev_hash', 'a'.repeat(64)], ['hash', 'b'.repeat(64)],
      ];
      for (const [i, [column, value]] of edits.entries()) {
        const seq = (i % 5) + 1;
        const where = sql`org_id = ${scope.orgId} and seq = ${seq}`;
        const original = await sql<Record<string, unknown>>`select ${sql.ref(column)} as v from history where ${where}`.execute(store.db);
        await sql`update history set ${sql.ref(column)} = ${value} where ${where}`.execute(store.db);
        expect(await problems(store, scope.orgId), column).toContainEqual({ kind: 'edited', seq });
        await sql`update history set ${sql.ref(column)} = ${original.rows[0]!.v} where ${where}`.execute(store.db);
        expect(await problems(store, scope.orgId), `${column} restored`).toEqual([]);
      }
    } finally {
      await store.close();
    }
  });

  it('finds entries deleted in the middle, the newest deleted, a deleted head, and entries reordered', async () => {
    const store = await freshStore(engine);
    try {
      const scope = await setup(store);
      const other = await setup(store, 'other');
      await appendAudit(store.db, store.engine, scope, entries(10), now());
      await appendAudit(store.db, store.engine, other, entries(6), now());
      await unprotect(store);
      const del = (org: string, seqs: number[]) => sql`delete from history where org_id = ${org} and seq in (${sql.join(seqs)})`.execute(store.db);

      await del(scope.orgId, [4, 5]);
      expect(await problems(store, scope.orgId)).toEqual([{ kind: 'missing', from: 4, to: 5 }]);
      await del(scope.orgId, [9, 10]);
      expect(await problems(store, scope.orgId)).toEqual([{ kind: 'missing', from: 4, to: 5 }, { kind: 'truncated', from: 9, to: 10 }]);
      await sql`delete from audit_heads where chain = ${scope.orgId}`.execute(store.db);
      expect(await problems(store, scope.orgId)).toEqual([{ kind: 'head_missing' }, { kind: 'missing', from: 4, to: 5 }]);
      // With its head gone the chain takes no more entries: appending would bury the deletion.
      await expect(appendAudit(store.db, store.engine, scope, entries(1), now())).rejects.toMatchObject({ code: 'database' });

      // Swapping two entries' positions (through a free position, past the unique index).
      const move = (from: number, to: number) => sql`update history set seq = ${to} where org_id = ${other.orgId} and seq = ${from}`.execute(store.db);
      await move(2, 100);
      await move(3, 2);
      await move(100, 3);
      expect(await problems(store, other.orgId)).toEqual([
        { kind: 'moved', seq: 2, writtenAs: 3 }, { kind: 'moved', seq: 3, writtenAs: 2 }, { kind: 'broken_link', seq: 4 },
      ]);
    } finally {
      await store.close();
    }
  });

  it('refuses to change or delete entries, and to move a head back', async () => {
    const store = await freshStore(engine);
    try {
      const scope = await setup(store);
      await appendAudit(store.db, store.engine, scope, entries(3), now());
      const refused = /append-only/;
      await expect(store.db.updateTable('history').set({ actor: 'x' }).where('org_id', '=', scope.orgId).execute()).rejects.toThrow(refused);
      await expect(store.db.deleteFrom('history').where('org_id', '=', scope.orgId).execute()).rejects.toThrow(refused);
      await expect(sql`update server_history set actor = 'x'`.execute(store.db)).rejects.toThrow(refused);
      await expect(sql`delete from server_history`.execute(store.db)).rejects.toThrow(refused);
      await expect(sql`update audit_heads set entries = 1 where chain = ${scope.orgId}`.execute(store.db)).rejects.toThrow(refused);
      await expect(sql`delete from audit_heads where chain = ${scope.orgId}`.execute(store.db)).rejects.toThrow(refused);
      if (store.engine.name === 'postgres') await expect(sql`truncate history`.execute(store.db)).rejects.toThrow(refused);
      expect(await verifyAudit(store, scope.orgId)).toMatchObject({ entries: 3, problems: [] });
    } finally {
      await store.close();
    }
  });

  it('deletes an organisation with its chain, and the server chain keeps the deletion with the final head', async () => {
    const store = await freshStore(engine);
    try {
      const gone = await setup(store, 'gone');
      const stays = await setup(store, 'stays');
      await appendAudit(store.db, store.engine, gone, entries(4), now());
      await appendAudit(store.db, store.engine, stays, entries(2), now());
      const head = await readHead(store.db, gone.orgId);
      await deleteOrganisation(store, 'gone', { actor: 'admin:root', source: 'test' }, now());
      expect(await store.db.selectFrom('history').select('org_id').where('org_id', '=', gone.orgId).execute()).toEqual([]);
      expect(await readHead(store.db, gone.orgId)).toBeNull();
      expect(await verifyAudit(store, stays.orgId)).toMatchObject({ entries: 2, problems: [] });
      expect(await verifyAudit(store, null)).toMatchObject({ entries: 3, problems: [] });
      const last = (await listAudit(store, { orgId: null }, { limit: 1 })).items[0];
      expect(last).toMatchObject({
        action: 'delete', entityType: 'organisation', entityId: gone.orgId, actor: 'admin:root',
        before: { slug: 'gone', auditEntries: 4, auditLastHash: head!.lastHash },
      });
    } finally {
      await store.close();
    }
  });

  it('migration 0010 seals the history written before it, per organisation in written order', async () => {
    const store = await openStore(await engine.create());
    try {
      await migrateTo(store, '0009-server');
      for (const id of ['o1', 'o2']) {
        await sql`insert into organisations (id, slug, name, cbs_code, country, area_json, publication_json, created_at)
          values (${id}, ${id}, ${id}, null, 'NL', null, '{}', '2025-01-01T00:00:00.000Z')`.execute(store.db);
      }
      for (let i = 0; i < 7; i++) {
        await sql`insert into history (org_id, entity_type, entity_id, action, actor, source, at, before_json, after_json)
          values (${i % 3 === 0 ? 'o2' : 'o1'}, 'device', ${`d${i}`}, 'update', 'old', 'cli', ${`2025-01-0${i + 1}`}, null, ${JSON.stringify({ i })})`.execute(store.db);
      }
      await migrateToLatest(store);
      expect(await verifyAudit(store, 'o1')).toMatchObject({ entries: 4, head: { entries: 4 }, problems: [] });
      expect(await verifyAudit(store, 'o2')).toMatchObject({ entries: 3, head: { entries: 3 }, problems: [] });
      expect(await verifyAudit(store, null)).toMatchObject({ entries: 0, head: { entries: 0 }, problems: [] });
      const o2 = [];
      for await (const e of exportAudit(store, { orgId: 'o2' })) o2.push([e.seq, e.entityId]);
      expect(o2).toEqual([[1, 'd0'], [2, 'd3'], [3, 'd6']]);
      await appendAudit(store.db, store.engine, { orgId: 'o2', actor: 'new', source: 'test' }, entries(1), now());
      expect(await verifyAudit(store, 'o2')).toMatchObject({ entries: 4, problems: [] });

      await migrateTo(store, '0009-server');
      await migrateToLatest(store);
      expect(await verifyAudit(store, 'o2')).toMatchObject({ entries: 4, problems: [] });
    } finally {
      await store.close();
    }
  });
});

describe.runIf(PG_AVAILABLE)('audit trail under concurrent writers on PostgreSQL', () => {
  it('keeps one valid chain when two connections append to it in parallel', async () => {
    const postgres = ENGINES.find((e) => e.name === 'postgres')!;
    const url = await postgres.create();
    const one = await openStore(url);
    await migrateToLatest(one);
    const two = await openStore(url);
    try {
      const scope = await setup(one);
      const writer = (store: Store, tag: string) => Promise.all(Array.from({ length: 40 }, (_, i) =>
        store.db.transaction().execute(async (trx) => {
          await appendAudit(trx, store.engine, { ...scope, actor: tag }, entries(3, `${tag}-${i}`), now());
          // Work after the append keeps the chain locked a while, so the other connection must wait.
          await sql`select pg_sleep(0.002)`.execute(trx);
        })));
      await Promise.all([writer(one, 'one'), writer(two, 'two')]);
      const report = await verifyAudit(one, scope.orgId);
      expect(report).toMatchObject({ entries: 240, head: { entries: 240 }, problems: [] });
      const actors = new Set<string>();
      for await (const e of exportAudit(one, scope)) actors.add(e.actor);
      expect(actors).toEqual(new Set(['one', 'two']));
    } finally {
      await one.close();
      await two.close();
    }
  }, 60_000);
});
