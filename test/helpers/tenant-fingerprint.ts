// A hash over every row that belongs to one organisation, in every table that has an org_id
// column: equal before and after means nothing of that organisation was written.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Store } from '../../src/store/database.js';

async function tablesWithOrgId(store: Store): Promise<string[]> {
  if (store.engine.name === 'postgres') {
    const r = await sql<{ table_name: string }>`select table_name from information_schema.columns where column_name = 'org_id' and table_schema = 'public' order by table_name`.execute(store.db);
    return r.rows.map((x) => x.table_name);
  }
  const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table' order by name`.execute(store.db);
  const out: string[] = [];
  for (const { name } of tables.rows) {
    const cols = await sql<{ name: string }>`select name from pragma_table_info(${name})`.execute(store.db);
    if (cols.rows.some((c) => c.name === 'org_id')) out.push(name);
  }
  return out;
}

export async function tenantFingerprint(store: Store, orgId: string): Promise<string> {
  const hash = createHash('sha256');
  for (const table of await tablesWithOrgId(store)) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)} where org_id = ${orgId}`.execute(store.db);
    const lines = rows.rows.map((r) => JSON.stringify(r, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v))).sort();
    hash.update(`${table}:${lines.length}\n${lines.join('\n')}\n`);
  }
  return hash.digest('hex');
}
