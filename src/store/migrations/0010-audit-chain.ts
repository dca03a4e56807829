import { sql, type Kysely, type Migration } from 'kysely';
import { EMPTY_HEAD, SERVER_CHAIN, sealEntries, type ChainHead } from '../../core/audit/chain.js';
import type { EngineFlags } from '../engine.js';

// The history becomes the audit trail: one hash chain per organisation in `history`, a server
// chain in `server_history` for events that belong to no organisation, and `audit_heads` with
// each chain's entry count and newest hash. Entries written before this migration are sealed in
// the order they were written. Triggers make both tables append-only; an organisation's entries
// and head go only when the organisation itself is deleted (see docs/decisions/0008).
export function auditChain(engine: EngineFlags): Migration {
  const serial = engine.serialPrimaryKey === 'bigserial' ? 'bigserial' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      // SQLite adds a NOT NULL column only with a default; the backfill below replaces it, and a
      // row written past appendAudit keeps position 0 and an empty hash, which verification reports.
      await db.schema.alterTable('history').addColumn('seq', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('history').addColumn('prev_hash', 'text', (c) => c.notNull().defaultTo('')).execute();
      await db.schema.alterTable('history').addColumn('hash', 'text', (c) => c.notNull().defaultTo('')).execute();

      await db.schema
        .createTable('server_history')
        .addColumn('id', serial, (c) => (serial === 'bigserial' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('seq', 'integer', (c) => c.notNull().unique())
        .addColumn('entity_type', 'text', (c) => c.notNull())
        .addColumn('entity_id', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('before_json', 'text')
        .addColumn('after_json', 'text')
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('audit_heads')
        .addColumn('chain', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.references('organisations.id').onDelete('cascade'))
        .addColumn('entries', 'integer', (c) => c.notNull())
        .addColumn('last_hash', 'text', (c) => c.notNull())
        .execute();

      const heads = await backfill(db);
      // Every organisation gets its head now, also one without entries: a missing head is then
      // always a deleted one.
      const orgs = await sql<{ id: string }>`select id from organisations`.execute(db);
      const headRows = [
        { chain: SERVER_CHAIN, org_id: null, ...EMPTY_HEAD },
        ...orgs.rows.map((o) => ({ chain: o.id, org_id: o.id, ...(heads.get(o.id) ?? EMPTY_HEAD) })),
      ];
      for (const h of headRows) {
        await sql`insert into audit_heads (chain, org_id, entries, last_hash) values (${h.chain}, ${h.org_id}, ${h.entries}, ${h.lastHash})`.execute(db);
      }
      await db.schema.createIndex('history_chain').on('history').columns(['org_id', 'seq']).unique().execute();

      for (const statement of engine.name === 'postgres' ? POSTGRES_TRIGGERS : SQLITE_TRIGGERS) await sql.raw(statement).execute(db);
    },

    async down(db: Kysely<unknown>) {
      for (const statement of engine.name === 'postgres' ? POSTGRES_DROP : SQLITE_DROP) await sql.raw(statement).execute(db);
      await db.schema.dropIndex('history_chain').execute();
      await db.schema.dropTable('audit_heads').execute();
      await db.schema.dropTable('server_history').execute();
      await db.schema.alterTable('history').dropColumn('hash').execute();
      await db.schema.alterTable('history').dropColumn('prev_hash').execute();
      await db.schema.alterTable('history').dropColumn('seq').execute();
    },
  };
}

interface OldRow {
  id: number;
  org_id: string;
  entity_type: string;
  entity_id: string;
  action: string;
  actor: string;
  source: string;
  at: string;
  before_json: string | null;
  after_json: string | null;
}

const PAGE = 5000;
/** Rows per UPDATE: 4 parameters each, well under both engines' limits. */
const UPDATE_ROWS = 1000;

/** Seals the existing history, page by page in the order it was written; returns each chain's head. */
async function backfill(db: Kysely<unknown>): Promise<Map<string, ChainHead>> {
  const heads = new Map<string, ChainHead>();
  let after = 0;
  for (;;) {
    const { rows } = await sql<OldRow>`select id, org_id, entity_type, entity_id, action, actor, source, at, before_json, after_json
      from history where id > ${after} order by id limit ${PAGE}`.execute(db);
    if (rows.length === 0) break;
    after = Number(rows[rows.length - 1]!.id);
    const updates: [number, number, string, string][] = [];
    for (const r of rows) {
      const sealed = sealEntries(r.org_id, heads.get(r.org_id) ?? EMPTY_HEAD, [{
        at: r.at, actor: r.actor, source: r.source, action: r.action, entityType: r.entity_type, entityId: r.entity_id,
        before: r.before_json, after: r.after_json,
      }]);
      const e = sealed.entries[0]!;
      heads.set(r.org_id, sealed.head);
      updates.push([Number(r.id), e.seq, e.prevHash, e.hash]);
    }
    for (let i = 0; i < updates.length; i += UPDATE_ROWS) {
      const values = sql.join(updates.slice(i, i + UPDATE_ROWS).map(([id, seq, prev, hash]) =>
        sql`(cast(${id} as bigint), cast(${seq} as integer), ${prev}, ${hash})`));
      // VALUES columns are column1… on both engines.
      await sql`update history set seq = v.column2, prev_hash = v.column3, hash = v.column4
        from (values ${values}) as v where history.id = v.column1`.execute(db);
    }
  }
  return heads;
}

const REFUSED = 'the audit trail is append-only';

const SQLITE_TRIGGERS = [
  `create trigger history_no_update before update on history
   begin select raise(abort, '${REFUSED}: history entries cannot be changed'); end`,
  // An organisation's entries go with it (the cascade runs once the organisation row is gone), never alone.
  `create trigger history_no_delete before delete on history
   when exists (select 1 from organisations where id = old.org_id)
   begin select raise(abort, '${REFUSED}: history entries are deleted only with their organisation'); end`,
  `create trigger server_history_no_update before update on server_history
   begin select raise(abort, '${REFUSED}: server history entries cannot be changed'); end`,
  `create trigger server_history_no_delete before delete on server_history
   begin select raise(abort, '${REFUSED}: server history entries cannot be deleted'); end`,
  `create trigger audit_heads_forward before update on audit_heads
   when new.entries < old.entries or new.chain is not old.chain or new.org_id is not old.org_id
   begin select raise(abort, '${REFUSED}: a chain head only moves forward'); end`,
  `create trigger audit_heads_no_delete before delete on audit_heads
   when old.org_id is null or exists (select 1 from organisations where id = old.org_id)
   begin select raise(abort, '${REFUSED}: a chain head is deleted only with its organisation'); end`,
];

const SQLITE_DROP = [
  'drop trigger audit_heads_no_delete', 'drop trigger audit_heads_forward', 'drop trigger server_history_no_delete',
  'drop trigger server_history_no_update', 'drop trigger history_no_delete', 'drop trigger history_no_update',
];

const POSTGRES_TRIGGERS = [
  `create function history_append_only() returns trigger language plpgsql as $$
   begin
     if tg_op = 'DELETE' and not exists (select 1 from organisations where id = old.org_id) then return old; end if;
     raise exception '${REFUSED}: history entry % of organisation % cannot be %', old.seq, old.org_id,
       case tg_op when 'DELETE' then 'deleted' else 'changed' end using errcode = 'integrity_constraint_violation';
   end $$`,
  `create trigger history_append_only before update or delete on history for each row execute function history_append_only()`,
  `create function server_history_append_only() returns trigger language plpgsql as $$
   begin
     raise exception '${REFUSED}: server history entry % cannot be %', old.seq,
       case tg_op when 'DELETE' then 'deleted' else 'changed' end using errcode = 'integrity_constraint_violation';
   end $$`,
  `create trigger server_history_append_only before update or delete on server_history for each row execute function server_history_append_only()`,
  `create function audit_heads_forward_only() returns trigger language plpgsql as $$
   begin
     if tg_op = 'DELETE' and old.org_id is not null and not exists (select 1 from organisations where id = old.org_id) then return old; end if;
     if tg_op = 'UPDATE' and new.entries >= old.entries and new.chain = old.chain and new.org_id is not distinct from old.org_id then return new; end if;
     raise exception '${REFUSED}: the head of chain % only moves forward', old.chain using errcode = 'integrity_constraint_violation';
   end $$`,
  `create trigger audit_heads_forward_only before update or delete on audit_heads for each row execute function audit_heads_forward_only()`,
  `create function audit_no_truncate() returns trigger language plpgsql as $$
   begin raise exception '${REFUSED}: % cannot be truncated', tg_table_name using errcode = 'integrity_constraint_violation'; end $$`,
  `create trigger history_no_truncate before truncate on history for each statement execute function audit_no_truncate()`,
  `create trigger server_history_no_truncate before truncate on server_history for each statement execute function audit_no_truncate()`,
  `create trigger audit_heads_no_truncate before truncate on audit_heads for each statement execute function audit_no_truncate()`,
];

const POSTGRES_DROP = [
  'drop trigger history_no_truncate on history', 'drop trigger history_append_only on history',
  'drop trigger server_history_no_truncate on server_history', 'drop trigger server_history_append_only on server_history',
  'drop trigger audit_heads_no_truncate on audit_heads', 'drop trigger audit_heads_forward_only on audit_heads',
  'drop function audit_no_truncate()', 'drop function audit_heads_forward_only()', 'drop function server_history_append_only()',
  'drop function history_append_only()',
];
