import type { Transaction } from 'kysely';
import type { DeviceFields } from '../core/model.js';
import { diff, historyValue } from '../core/register/merge.js';
import { appendAuditEntry } from './audit.js';
import { deviceToRow } from './rows.js';
import type { Database } from './schema.js';
import type { TenantScope } from './tenant.js';

/**
 * Writes a device's new fields and the audit entry for the change, in the caller's
 * transaction; writes nothing when nothing changed. Returns whether it wrote.
 */
export async function writeDeviceChange(
  trx: Transaction<Database>,
  scope: TenantScope,
  id: string,
  current: DeviceFields,
  next: DeviceFields,
  now: string,
): Promise<boolean> {
  const delta = diff(current, next);
  if (!delta) return false;
  await trx.updateTable('devices').set({ ...deviceToRow(next), updated_at: now })
    .where('id', '=', id).where('org_id', '=', scope.orgId).execute();
  await appendAuditEntry(trx, scope, {
    action: 'update', entityType: 'device', entityId: id,
    before: historyValue(delta.before, 'update'), after: historyValue(delta.after, 'update'),
  }, now);
  return true;
}
