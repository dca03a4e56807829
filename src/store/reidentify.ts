// Identification again over a whole register, after the knowledge base changed. Only devices
// whose verdict or evidence changed are written, each with a history event.
import type { Store } from './database.js';
import type { Enrich } from './import-writer.js';
import { writeDeviceChange } from './device-change.js';
import { deviceFromRow } from './rows.js';
import type { TenantScope } from './tenant.js';

export interface ReidentifyResult {
  checked: number;
  changed: number;
  /** Devices whose true maker changed, as [id, before, after]. */
  makerChanges: [string, string | null, string | null][];
}

export async function reidentifyDevices(store: Store, scope: TenantScope, enrich: Enrich, now: string): Promise<ReidentifyResult> {
  return store.db.transaction().execute(async (trx) => {
    const result: ReidentifyResult = { checked: 0, changed: 0, makerChanges: [] };
    let cursor = '';
    for (;;) {
      const rows = await trx.selectFrom('devices').selectAll().where('org_id', '=', scope.orgId)
        .where('id', '>', cursor).orderBy('id').limit(1000).execute();
      if (rows.length === 0) break;
      cursor = rows[rows.length - 1]!.id;
      for (const row of rows) {
        result.checked++;
        const { id, orgId: _o, createdAt: _c, updatedAt: _u, ...current } = deviceFromRow(row);
        const next = enrich(current);
        if (!(await writeDeviceChange(trx, scope, id, current, next, now))) continue;
        result.changed++;
        if (current.manufacturer !== next.manufacturer) result.makerChanges.push([id, current.manufacturer, next.manufacturer]);
      }
    }
    return result;
  });
}
