// The audit trail: every write appends entries here in the writer's own transaction, so an entry
// exists exactly when its change does. One hash chain per organisation (`history`) and one for the
// server (`server_history`); `audit_heads` holds where each chain ends. See docs/decisions/0008.
import type { Kysely, Transaction } from 'kysely';
import {
  ChainVerifier, EMPTY_HEAD, SERVER_CHAIN, sealEntries, type ChainHead, type ChainProblem, type SealedEntry,
} from '../core/audit/chain.js';
import { CamauditError } from '../core/errors.js';
import type { Store } from './database.js';
import type { Page } from './devices.js';
import type { EngineFlags } from './engine.js';
import { inTransaction } from './in-transaction.js';
import { idPrefixPattern } from './prefix.js';
import type { Database, ServerHistoryTable } from './schema.js';

/** Who acts, through what, for which organisation; `orgId: null` writes to the server chain. */
export interface AuditScope {
  readonly orgId: string | null;
  readonly actor: string;
  readonly source: string;
}

/** One change: what kind of thing, which one, and its values before and after (omitted: none). */
export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/** An entry as read back. */
export interface AuditRecord {
  chain: string;
  seq: number;
  at: string;
  actor: string;
  source: string;
  action: string;
  entityType: string;
  entityId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  prevHash: string;
  hash: string;
}

const ENTRY_COLUMNS = 13;

export function chainOf(orgId: string | null): string {
  return orgId ?? SERVER_CHAIN;
}

/**
 * Appends entries to the scope's chain inside `db`'s transaction (or a transaction of its own
 * when `db` is not one). The chain's head row is locked first, so appends to one chain are
 * serialised until commit and positions follow commit order; a rollback takes the entries with it.
 */
export async function appendAudit(
  db: Kysely<Database>,
  engine: EngineFlags,
  scope: AuditScope,
  entries: readonly AuditEntry[],
  now: string,
): Promise<void> {
  await append(db, scope, entries, now, Math.max(1, Math.floor(engine.maxParameters / ENTRY_COLUMNS) - 1));
}

/** One entry: the same as appendAudit, for writers that have no engine at hand (one row needs no batching). */
export async function appendAuditEntry(db: Kysely<Database>, scope: AuditScope, entry: AuditEntry, now: string): Promise<void> {
  await append(db, scope, [entry], now, 1);
}

async function append(db: Kysely<Database>, scope: AuditScope, entries: readonly AuditEntry[], now: string, rowsPerInsert: number): Promise<void> {
  if (entries.length === 0) return;
  await inTransaction(db, (trx) => appendInTransaction(trx, scope, entries, now, rowsPerInsert));
}

async function appendInTransaction(trx: Transaction<Database>, scope: AuditScope, entries: readonly AuditEntry[], now: string, rowsPerInsert: number): Promise<void> {
  const adb = trx;
  const chain = chainOf(scope.orgId);
  const head = await lockHead(adb, scope.orgId);
  const sealed = sealEntries(chain, head, entries.map((e) => ({
    at: now, actor: scope.actor, source: scope.source, action: e.action, entityType: e.entityType, entityId: e.entityId,
    before: json(e.before), after: json(e.after),
  })));
  const { orgId } = scope;
  for (let i = 0; i < sealed.entries.length; i += rowsPerInsert) {
    const chunk = sealed.entries.slice(i, i + rowsPerInsert);
    if (orgId === null) await adb.insertInto('server_history').values(chunk.map(entryRow)).execute();
    else await adb.insertInto('history').values(chunk.map((e) => ({ org_id: orgId, ...entryRow(e) }))).execute();
  }
  await adb.updateTable('audit_heads').set({ entries: sealed.head.entries, last_hash: sealed.head.lastHash })
    .where('chain', '=', chain).execute();
}

function entryRow(e: SealedEntry): Omit<ServerHistoryTable, 'id'> {
  return {
    seq: e.seq, entity_type: e.entityType, entity_id: e.entityId, action: e.action, actor: e.actor, source: e.source, at: e.at,
    before_json: e.before, after_json: e.after, prev_hash: e.prevHash, hash: e.hash,
  };
}

function json(value: Record<string, unknown> | null | undefined): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/**
 * The chain's head, locked for the rest of the transaction: a no-op update takes the row lock on
 * PostgreSQL (and returns the row as committed by whoever held it before) and the write lock on
 * SQLite. A chain without a head gets one only while it has no entries; otherwise its head was
 * deleted and appending would only bury that.
 */
async function lockHead(db: Kysely<Database>, orgId: string | null): Promise<ChainHead> {
  const chain = chainOf(orgId);
  const touch = () => db.updateTable('audit_heads').set((eb) => ({ entries: eb.ref('entries') }))
    .where('chain', '=', chain).returning(['entries', 'last_hash']).executeTakeFirst();
  let row = await touch();
  if (!row) {
    if (await hasEntries(db, orgId)) {
      throw new CamauditError('database', `the audit chain ${chain} has entries but no head; it was tampered with (see camaudit audit verify)`);
    }
    await db.insertInto('audit_heads').values({ chain, org_id: orgId, entries: EMPTY_HEAD.entries, last_hash: EMPTY_HEAD.lastHash })
      .onConflict((oc) => oc.column('chain').doNothing()).execute();
    row = await touch();
  }
  return { entries: Number(row!.entries), lastHash: row!.last_hash };
}

async function hasEntries(db: Kysely<Database>, orgId: string | null): Promise<boolean> {
  const row = orgId === null
    ? await db.selectFrom('server_history').select('seq').limit(1).executeTakeFirst()
    : await db.selectFrom('history').select('seq').where('org_id', '=', orgId).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** The chain's head, locked until the transaction ends: nothing is appended to the chain meanwhile. */
export async function lockChainHead(trx: Transaction<Database>, orgId: string | null): Promise<ChainHead> {
  return lockHead(trx, orgId);
}

/** Creates the head of a new organisation's chain, so that from then on a missing head is a deleted one. */
export async function createChainHead(db: Kysely<Database>, orgId: string): Promise<void> {
  await db.insertInto('audit_heads').values({ chain: orgId, org_id: orgId, entries: EMPTY_HEAD.entries, last_hash: EMPTY_HEAD.lastHash }).execute();
}

/** The chain's head as stored, without locking it; null when it has none. */
export async function readHead(db: Kysely<Database>, orgId: string | null): Promise<ChainHead | null> {
  const row = await db.selectFrom('audit_heads').select(['entries', 'last_hash']).where('chain', '=', chainOf(orgId)).executeTakeFirst();
  return row ? { entries: Number(row.entries), lastHash: row.last_hash } : null;
}

const PAGE = 5000;

type EntryRow = Omit<ServerHistoryTable, 'id'>;

const READ_COLUMNS = [
  'seq', 'at', 'actor', 'source', 'action', 'entity_type', 'entity_id', 'before_json', 'after_json', 'prev_hash', 'hash',
] as const;

/** Entries of one chain by position: ascending after `after`, or descending before `before` (or from the newest). */
async function readEntries(
  db: Kysely<Database>,
  orgId: string | null,
  options: { order: 'asc' | 'desc'; after?: number; before?: number; limit: number; entityId?: string; entityPattern?: string },
): Promise<EntryRow[]> {
  const { order, after, before, limit, entityId, entityPattern } = options;
  if (orgId === null) {
    let q = db.selectFrom('server_history').select(READ_COLUMNS);
    if (after !== undefined) q = q.where('seq', '>', after);
    if (before !== undefined) q = q.where('seq', '<', before);
    if (entityId !== undefined) q = q.where('entity_id', '=', entityId);
    if (entityPattern !== undefined) q = q.where('entity_id', 'like', entityPattern);
    return q.orderBy('seq', order).limit(limit).execute();
  }
  let q = db.selectFrom('history').select(READ_COLUMNS).where('org_id', '=', orgId);
  if (after !== undefined) q = q.where('seq', '>', after);
  if (before !== undefined) q = q.where('seq', '<', before);
  if (entityId !== undefined) q = q.where('entity_id', '=', entityId);
  if (entityPattern !== undefined) q = q.where('entity_id', 'like', entityPattern);
  return q.orderBy('seq', order).limit(limit).execute();
}

function sealedFromRow(chain: string, r: EntryRow): SealedEntry {
  return {
    chain, seq: Number(r.seq), at: r.at, actor: r.actor, source: r.source, action: r.action, entityType: r.entity_type,
    entityId: r.entity_id, before: r.before_json, after: r.after_json, prevHash: r.prev_hash, hash: r.hash,
  };
}

function recordFromRow(chain: string, r: EntryRow): AuditRecord {
  const e = sealedFromRow(chain, r);
  return {
    ...e,
    before: e.before === null ? null : (JSON.parse(e.before) as Record<string, unknown>),
    after: e.after === null ? null : (JSON.parse(e.after) as Record<string, unknown>),
  };
}

export interface ChainReport {
  chain: string;
  orgId: string | null;
  /** Entries present. */
  entries: number;
  head: ChainHead | null;
  problems: ChainProblem[];
}

/**
 * Verifies one chain (an organisation's, or the server's with null) against its head, streaming
 * its entries in one snapshot so that writes meanwhile cannot look like tampering.
 */
export async function verifyAudit(store: Store, orgId: string | null): Promise<ChainReport> {
  const chain = chainOf(orgId);
  return store.db.transaction().setIsolationLevel('repeatable read').execute(async (trx) => {
    const adb = trx;
    const head = await readHead(trx, orgId);
    const verifier = new ChainVerifier(chain);
    let afterSeq = 0;
    for (;;) {
      const rows = await readEntries(adb, orgId, { order: 'asc', after: afterSeq, limit: PAGE });
      for (const r of rows) verifier.add(sealedFromRow(chain, r));
      if (rows.length < PAGE) break;
      afterSeq = Number(rows[rows.length - 1]!.seq);
    }
    return { chain, orgId, entries: verifier.entries, head, problems: verifier.finish(head) };
  });
}

/** Entries of the chain written from `from` until before `until` (ISO instants or dates), oldest first. */
export async function* exportAudit(store: Store, scope: { orgId: string | null }, range: { from?: string; until?: string } = {}): AsyncGenerator<AuditRecord> {
  const chain = chainOf(scope.orgId);
  const adb = store.db;
  let afterSeq = 0;
  for (;;) {
    const rows = await readEntries(adb, scope.orgId, { order: 'asc', after: afterSeq, limit: PAGE });
    for (const r of rows) {
      if ((range.from === undefined || r.at >= range.from) && (range.until === undefined || r.at < range.until)) yield recordFromRow(chain, r);
    }
    if (rows.length < PAGE) return;
    afterSeq = Number(rows[rows.length - 1]!.seq);
  }
}

/**
 * The newest entries first, optionally about one entity: by its id, or by its first characters
 * as people type them. The cursor is the position to continue below.
 */
export async function listAudit(
  store: Store,
  scope: { orgId: string | null },
  page: { limit?: number; cursor?: string | null; entityId?: string; entityPrefix?: string } = {},
): Promise<Page<AuditRecord>> {
  const limit = Math.min(Math.max(page.limit ?? 100, 1), 10_000);
  const before = page.cursor ? Number(page.cursor) : undefined;
  if (before !== undefined && !(Number.isInteger(before) && before >= 1)) throw new CamauditError('usage', `cursor "${page.cursor}" is not an entry position`);
  const rows = await readEntries(store.db, scope.orgId, {
    order: 'desc', limit: limit + 1, ...(before !== undefined ? { before } : {}),
    ...(page.entityId !== undefined ? { entityId: page.entityId } : {}),
    ...(page.entityPrefix !== undefined ? { entityPattern: idPrefixPattern(page.entityPrefix, 'entity') } : {}),
  });
  const items = rows.slice(0, limit).map((r) => recordFromRow(chainOf(scope.orgId), r));
  return { items, nextCursor: rows.length > limit ? String(items[items.length - 1]!.seq) : null };
}
