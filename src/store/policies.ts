// The organisation's stored assessment policy (see migration 0008). Validation happens before it
// is stored: a policy in the database always parses.
import { appendAuditEntry } from './audit.js';
import type { Store } from './database.js';
import type { TenantScope } from './tenant.js';

export interface StoredPolicy {
  text: string;
  fileName: string;
  setAt: string;
  setBy: string;
}

export async function getOrganisationPolicy(store: Store, scope: TenantScope): Promise<StoredPolicy | null> {
  const row = await store.db.selectFrom('organisation_policies').selectAll().where('org_id', '=', scope.orgId).executeTakeFirst();
  return row ? { text: row.policy_yaml, fileName: row.file_name, setAt: row.set_at, setBy: row.set_by } : null;
}

export async function setOrganisationPolicy(store: Store, scope: TenantScope, text: string, fileName: string, now: string): Promise<void> {
  const values = { policy_yaml: text, file_name: fileName, set_at: now, set_by: scope.actor };
  await store.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('organisation_policies').select(['policy_yaml', 'file_name']).where('org_id', '=', scope.orgId).executeTakeFirst();
    await trx.insertInto('organisation_policies').values({ org_id: scope.orgId, ...values })
      .onConflict((oc) => oc.column('org_id').doUpdateSet(values)).execute();
    await appendAuditEntry(trx, scope, {
      action: 'set', entityType: 'policy', entityId: scope.orgId,
      before: before ? { fileName: before.file_name, text: before.policy_yaml } : null, after: { fileName, text },
    }, now);
  });
}

/** True when there was a stored policy to remove. */
export async function clearOrganisationPolicy(store: Store, scope: TenantScope, now: string): Promise<boolean> {
  return store.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('organisation_policies').select(['policy_yaml', 'file_name']).where('org_id', '=', scope.orgId).executeTakeFirst();
    if (!before) return false;
    await trx.deleteFrom('organisation_policies').where('org_id', '=', scope.orgId).execute();
    await appendAuditEntry(trx, scope, {
      action: 'delete', entityType: 'policy', entityId: scope.orgId, before: { fileName: before.file_name, text: before.policy_yaml },
    }, now);
    return true;
  });
}
