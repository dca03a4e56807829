import type { Insertable, Transaction } from 'kysely';
import type { EngineFlags } from './engine.js';
import type { Database } from './schema.js';

/** Multi-row inserts sized to the engine's bound-parameter limit. */
export async function insertChunked<T extends keyof Database>(
  trx: Transaction<Database>,
  table: T,
  rows: readonly Insertable<Database[T]>[],
  engine: EngineFlags,
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0] as object).length;
  const size = Math.max(1, Math.floor(engine.maxParameters / columns) - 1);
  for (let i = 0; i < rows.length; i += size) {
    // Kysely cannot relate a generic table name to its row type; the caller's type already did.
    await trx.insertInto(table).values(rows.slice(i, i + size) as never).execute();
  }
}
