import { newId } from './ids.js';
import type { ImportRecord, RowError } from '../core/import/record.js';
import type { Store } from './database.js';
import { ImportWriter, type Enrich, type WriteCounts } from './import-writer.js';
import type { TenantScope } from './tenant.js';

/** Records that did not come from a file (the demo, generated data) through the import's writer. */
export async function applyRecords(
  store: Store,
  scope: TenantScope,
  records: readonly ImportRecord[],
  now: string,
  enrich?: Enrich,
): Promise<WriteCounts & { errors: RowError[] }> {
  return store.db.transaction().execute(async (trx) => {
    const writer = new ImportWriter(trx, store.engine, scope, newId(), now, enrich);
    const errors = await writer.write(records);
    if (errors.length > 0) throw new Error(`records refused: ${errors.map((e) => `row ${e.row}: ${e.message}`).join('; ')}`);
    return { ...writer.counts, errors };
  });
}
