// Accepted risks: stored, listed and revoked within one organisation. A waiver is never edited or
// deleted — a revocation is dated and signed, so the register shows who accepted what, when.
import { CamauditError } from '../core/errors.js';
import { checkWaiverRequest, type Waiver, type WaiverRequest } from '../core/assess/waivers.js';
import type { RuleId } from '../core/assess/types.js';
import type { Store } from './database.js';
import { appendAuditEntry } from './audit.js';
import { newId } from './ids.js';
import { idPrefixPattern } from './prefix.js';
import type { WaiversTable } from './schema.js';
import type { TenantScope } from './tenant.js';

function waiverFromRow(r: WaiversTable): Waiver {
  return {
    id: r.id, deviceId: r.device_id, rule: r.rule as RuleId, reason: r.reason, approver: r.approver, until: r.until,
    createdAt: r.created_at, createdBy: r.created_by, revokedAt: r.revoked_at, revokedBy: r.revoked_by,
  };
}

/** What the audit trail keeps of a waiver: everything but its id (the entry's entity) and stamps (the entry's own). */
function waiverValues(w: Waiver): Record<string, unknown> {
  return { deviceId: w.deviceId, rule: w.rule, reason: w.reason, approver: w.approver, until: w.until };
}

/** Records a waiver for a device of the organisation after checking rule, reason and expiry. */
export async function createWaiver(store: Store, scope: TenantScope, deviceId: string, request: WaiverRequest, now: string): Promise<Waiver> {
  const checked = checkWaiverRequest(request, now);
  const device = await store.db.selectFrom('devices').select('id').where('org_id', '=', scope.orgId).where('id', '=', deviceId).executeTakeFirst();
  if (!device) throw new CamauditError('not_found', `no device ${deviceId} in this organisation`);
  const row: WaiversTable = {
    id: newId(), org_id: scope.orgId, device_id: deviceId, rule: checked.rule, reason: checked.reason, approver: checked.approver,
    until: checked.until, created_at: now, created_by: scope.actor, revoked_at: null, revoked_by: null,
  };
  const waiver = waiverFromRow(row);
  await store.db.transaction().execute(async (trx) => {
    await trx.insertInto('waivers').values(row).execute();
    await appendAuditEntry(trx, scope, { action: 'create', entityType: 'waiver', entityId: row.id, after: waiverValues(waiver) }, now);
  });
  return waiver;
}

/** The organisation's waivers, soonest expiry first; revoked ones only when asked for. */
export async function listWaivers(store: Store, scope: TenantScope, options: { includeRevoked?: boolean } = {}): Promise<Waiver[]> {
  let q = store.db.selectFrom('waivers').selectAll().where('org_id', '=', scope.orgId);
  if (!options.includeRevoked) q = q.where('revoked_at', 'is', null);
  const rows = await q.orderBy('until').orderBy('created_at').orderBy('device_id').orderBy('rule').orderBy('id').execute();
  return rows.map(waiverFromRow);
}

/** Revokes a waiver by id or unambiguous id prefix; the finding it set aside is active again. */
export async function revokeWaiver(store: Store, scope: TenantScope, idOrPrefix: string, now: string): Promise<Waiver> {
  const rows = await store.db.selectFrom('waivers').selectAll().where('org_id', '=', scope.orgId)
    .where('id', 'like', idPrefixPattern(idOrPrefix, 'waiver')).limit(2).execute();
  if (rows.length === 0) throw new CamauditError('not_found', `no waiver "${idOrPrefix}"; see camaudit waive list`);
  if (rows.length > 1) throw new CamauditError('usage', `"${idOrPrefix}" names more than one waiver; give more characters`);
  const row = rows[0]!;
  if (row.revoked_at !== null) throw new CamauditError('conflict', `waiver ${row.id} was already revoked on ${row.revoked_at} by ${row.revoked_by}`);
  const revoked = waiverFromRow({ ...row, revoked_at: now, revoked_by: scope.actor });
  await store.db.transaction().execute(async (trx) => {
    // Only a waiver still in force is revoked: of two revocations at once, the second changes nothing.
    const done = await trx.updateTable('waivers').set({ revoked_at: now, revoked_by: scope.actor })
      .where('org_id', '=', scope.orgId).where('id', '=', row.id).where('revoked_at', 'is', null).executeTakeFirst();
    if (Number(done.numUpdatedRows) === 0) throw new CamauditError('conflict', `waiver ${row.id} was revoked meanwhile`);
    await appendAuditEntry(trx, scope, {
      action: 'revoke', entityType: 'waiver', entityId: row.id,
      before: { revokedAt: null, revokedBy: null }, after: { revokedAt: now, revokedBy: scope.actor },
    }, now);
  });
  return revoked;
}
