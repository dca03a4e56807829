// Networks of one organisation: the segments devices sit on, with how exposed they are. Lists,
// creation and edits; every write is recorded in the audit trail in the same transaction.
import type { RawBuilder } from 'kysely';
import { CamauditError } from '../core/errors.js';
import { diff, historyValue, siteKey, type NetworkFields } from '../core/register/merge.js';
import { appendAudit } from './audit.js';
import type { Store } from './database.js';
import type { Page } from './devices.js';
import { newId } from './ids.js';
import { afterCursor, containsText, pageOf, plainSort, textSort, type Sort } from './listing.js';
import { networkFromRow } from './rows.js';
import type { NetworksTable } from './schema.js';
import { assertNameFree, type NetworkView } from './sites.js';
import type { TenantScope } from './tenant.js';

/** What network lists sort by, as the API names it. */
export const NETWORK_SORTS = ['name', 'connectivity', 'remoteAccess', 'createdAt', 'updatedAt'] as const;
export type NetworkSort = (typeof NETWORK_SORTS)[number];
const NETWORK_SORT_VALUES: Readonly<Record<NetworkSort, () => RawBuilder<string>>> = {
  name: () => textSort('n.name'), connectivity: () => plainSort('n.connectivity'), remoteAccess: () => plainSort('n.remote_access'),
  createdAt: () => plainSort('n.created_at'), updatedAt: () => plainSort('n.updated_at'),
};

export interface NetworkFilter {
  connectivity?: string;
  remoteAccess?: string;
  /** Free text over the name and the CIDRs. */
  q?: string;
}

function networkQuery(store: Store, scope: TenantScope) {
  return store.db
    .selectFrom('networks as n')
    .selectAll('n')
    .select((eb) =>
      eb.selectFrom('devices as d').select(eb.fn.countAll<number>().as('n'))
        .whereRef('d.network_id', '=', 'n.id').where('d.org_id', '=', scope.orgId).as('devices'),
    )
    .where('n.org_id', '=', scope.orgId);
}

const networkView = (r: NetworksTable & { devices: number | string | null }): NetworkView => ({ ...networkFromRow(r), devices: Number(r.devices ?? 0) });

export async function pageNetworks(
  store: Store,
  scope: TenantScope,
  filter: NetworkFilter,
  page: { limit: number; cursor?: string | null; sort: Sort<NetworkSort> },
): Promise<Page<NetworkView>> {
  const value = NETWORK_SORT_VALUES[page.sort.key]();
  let q = networkQuery(store, scope).select(value.as('sort_value'));
  if (filter.connectivity) q = q.where('n.connectivity', '=', filter.connectivity);
  if (filter.remoteAccess) q = q.where('n.remote_access', '=', filter.remoteAccess);
  if (filter.q) q = q.where(containsText(['n.name', 'n.cidrs_json'], filter.q));
  if (page.cursor) q = q.where(afterCursor(value, 'n.id', page.sort, page.cursor));
  const direction = page.sort.descending ? 'desc' : 'asc';
  const rows = await q.orderBy(value, direction).orderBy('n.id', direction).limit(page.limit + 1).execute();
  return pageOf(rows, page.limit, page.sort, networkView);
}

export async function getNetwork(store: Store, scope: TenantScope, id: string): Promise<NetworkView> {
  const row = await networkQuery(store, scope).where('n.id', '=', id).executeTakeFirst();
  if (!row) throw new CamauditError('not_found', `no network ${id} in this organisation`);
  return networkView(row);
}

function networkRow(fields: NetworkFields) {
  return {
    name: fields.name.trim(), name_key: siteKey(fields.name), cidrs_json: JSON.stringify(fields.cidrs),
    connectivity: fields.connectivity, remote_access: fields.remoteAccess,
  };
}

export async function createNetwork(store: Store, scope: TenantScope, fields: NetworkFields, now: string): Promise<NetworkView> {
  const id = newId();
  await store.db.transaction().execute(async (trx) => {
    await assertNameFree(trx, 'networks', scope, fields.name, null);
    await trx.insertInto('networks').values({ id, org_id: scope.orgId, ...networkRow(fields), created_at: now, updated_at: now }).execute();
    await appendAudit(trx, store.engine, scope, [{ action: 'create', entityType: 'network', entityId: id, after: historyValue({ ...fields }, 'create') }], now);
  });
  return getNetwork(store, scope, id);
}

/** Applies an edit and records it in the audit trail; an edit that changes nothing writes nothing. */
export async function updateNetwork(
  store: Store,
  scope: TenantScope,
  id: string,
  change: (current: NetworkFields) => NetworkFields,
  now: string,
): Promise<{ network: NetworkView; changed: boolean }> {
  const changed = await store.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('networks').selectAll().where('org_id', '=', scope.orgId).where('id', '=', id).executeTakeFirst();
    if (!row) throw new CamauditError('not_found', `no network ${id} in this organisation`);
    const { id: _i, orgId: _o, createdAt: _c, updatedAt: _u, ...current } = networkFromRow(row);
    const next = change(current);
    const delta = diff(current, next);
    if (!delta) return false;
    if (siteKey(next.name) !== siteKey(current.name)) await assertNameFree(trx, 'networks', scope, next.name, id);
    await trx.updateTable('networks').set({ ...networkRow(next), updated_at: now }).where('org_id', '=', scope.orgId).where('id', '=', id).execute();
    await appendAudit(trx, store.engine, scope, [{
      action: 'update', entityType: 'network', entityId: id, before: historyValue(delta.before, 'update'), after: historyValue(delta.after, 'update'),
    }], now);
    return true;
  });
  return { network: await getNetwork(store, scope, id), changed };
}
