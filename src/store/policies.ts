// The organisation's stored assessment policy (see migration 0008). Validation happens before it
// is stored: a policy in the database always parses.
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
  await store.db.insertInto('organisation_policies').values({ org_id: scope.orgId, ...values })
    .onConflict((oc) => oc.column('org_id').doUpdateSet(values)).execute();
}

/** True when there was a stored policy to remove. */
export async function clearOrganisationPolicy(store: Store, scope: TenantScope): Promise<boolean> {
  const result = await store.db.deleteFrom('organisation_policies').where('org_id', '=', scope.orgId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
