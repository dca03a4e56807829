import type { Kysely, RawBuilder } from 'kysely';
import { CamauditError } from '../core/errors.js';
import type { Network, Site } from '../core/model.js';
import { diff, historyValue, siteKey, type SiteFields } from '../core/register/merge.js';
import { appendAudit } from './audit.js';
import type { Store } from './database.js';
import type { Page } from './devices.js';
import { newId } from './ids.js';
import { afterCursor, containsText, pageOf, plainSort, textSort, type Sort } from './listing.js';
import { networkFromRow, positionToRow, siteFromRow } from './rows.js';
import type { Database, SitesTable } from './schema.js';
import type { TenantScope } from './tenant.js';

export interface SiteView extends Site {
  devices: number;
}

export async function listSites(store: Store, scope: TenantScope): Promise<SiteView[]> {
  const rows = await store.db
    .selectFrom('sites as s')
    .selectAll('s')
    .select((eb) =>
      eb.selectFrom('devices as d').select(eb.fn.countAll<number>().as('n'))
        .whereRef('d.site_id', '=', 's.id').where('d.org_id', '=', scope.orgId).as('devices'),
    )
    .where('s.org_id', '=', scope.orgId)
    .orderBy('s.name')
    .execute();
  return rows.map((r) => ({ ...siteFromRow(r), devices: Number(r.devices ?? 0) }));
}

export interface NetworkView extends Network {
  devices: number;
}

export async function listNetworks(store: Store, scope: TenantScope): Promise<NetworkView[]> {
  const rows = await store.db
    .selectFrom('networks as n')
    .selectAll('n')
    .select((eb) =>
      eb.selectFrom('devices as d').select(eb.fn.countAll<number>().as('n'))
        .whereRef('d.network_id', '=', 'n.id').where('d.org_id', '=', scope.orgId).as('devices'),
    )
    .where('n.org_id', '=', scope.orgId)
    .orderBy('n.name')
    .execute();
  return rows.map((r) => ({ ...networkFromRow(r), devices: Number(r.devices ?? 0) }));
}

/** What site lists sort by, as the API names it. */
export const SITE_SORTS = ['name', 'category', 'city', 'createdAt', 'updatedAt'] as const;
export type SiteSort = (typeof SITE_SORTS)[number];
const SITE_SORT_VALUES: Readonly<Record<SiteSort, () => RawBuilder<string>>> = {
  name: () => textSort('s.name'), category: () => plainSort('s.category'), city: () => textSort('s.city'),
  createdAt: () => plainSort('s.created_at'), updatedAt: () => plainSort('s.updated_at'),
};

export interface SiteFilter {
  category?: string;
  /** Free text over name, address, postcode and city. */
  q?: string;
}

function siteQuery(store: Store, scope: TenantScope) {
  return store.db
    .selectFrom('sites as s')
    .selectAll('s')
    .select((eb) =>
      eb.selectFrom('devices as d').select(eb.fn.countAll<number>().as('n'))
        .whereRef('d.site_id', '=', 's.id').where('d.org_id', '=', scope.orgId).as('devices'),
    )
    .where('s.org_id', '=', scope.orgId);
}

const siteView = (r: SitesTable & { devices: number | string | null }): SiteView => ({ ...siteFromRow(r), devices: Number(r.devices ?? 0) });

export async function pageSites(
  store: Store,
  scope: TenantScope,
  filter: SiteFilter,
  page: { limit: number; cursor?: string | null; sort: Sort<SiteSort> },
): Promise<Page<SiteView>> {
  const value = SITE_SORT_VALUES[page.sort.key]();
  let q = siteQuery(store, scope).select(value.as('sort_value'));
  if (filter.category) q = q.where('s.category', '=', filter.category);
  if (filter.q) q = q.where(containsText(['s.name', 's.address', 's.postcode', 's.city'], filter.q));
  if (page.cursor) q = q.where(afterCursor(value, 's.id', page.sort, page.cursor));
  const direction = page.sort.descending ? 'desc' : 'asc';
  const rows = await q.orderBy(value, direction).orderBy('s.id', direction).limit(page.limit + 1).execute();
  return pageOf(rows, page.limit, page.sort, siteView);
}

export async function getSite(store: Store, scope: TenantScope, id: string): Promise<SiteView> {
  const row = await siteQuery(store, scope).where('s.id', '=', id).executeTakeFirst();
  if (!row) throw new CamauditError('not_found', `no site ${id} in this organisation`);
  return siteView(row);
}

type Db = Kysely<Database>;

/** Imports find sites by name, so two sites of one organisation may not share one. */
export async function assertNameFree(db: Db, table: 'sites' | 'networks', scope: TenantScope, name: string, id: string | null): Promise<void> {
  let q = db.selectFrom(table).select('id').where('org_id', '=', scope.orgId).where('name_key', '=', siteKey(name));
  if (id !== null) q = q.where('id', '!=', id);
  const other = await q.executeTakeFirst();
  if (other) throw new CamauditError('conflict', `${table === 'sites' ? 'site' : 'network'} ${other.id} is already named "${name.trim()}"`);
}

function siteRow(fields: SiteFields) {
  return {
    name: fields.name.trim(), name_key: siteKey(fields.name), category: fields.category, address: fields.address,
    postcode: fields.postcode, city: fields.city, bag_id: fields.bagId, ...positionToRow(fields.position),
  };
}

export async function createSite(store: Store, scope: TenantScope, fields: SiteFields, now: string): Promise<SiteView> {
  const id = newId();
  await store.db.transaction().execute(async (trx) => {
    await assertNameFree(trx, 'sites', scope, fields.name, null);
    await trx.insertInto('sites').values({ id, org_id: scope.orgId, ...siteRow(fields), created_at: now, updated_at: now }).execute();
    await appendAudit(trx, store.engine, scope, [{ action: 'create', entityType: 'site', entityId: id, after: historyValue({ ...fields }, 'create') }], now);
  });
  return getSite(store, scope, id);
}

/** Applies an edit and records it in the audit trail; an edit that changes nothing writes nothing. */
export async function updateSite(
  store: Store,
  scope: TenantScope,
  id: string,
  change: (current: SiteFields) => SiteFields,
  now: string,
): Promise<{ site: SiteView; changed: boolean }> {
  const changed = await store.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('sites').selectAll().where('org_id', '=', scope.orgId).where('id', '=', id).executeTakeFirst();
    if (!row) throw new CamauditError('not_found', `no site ${id} in this organisation`);
    const { id: _i, orgId: _o, createdAt: _c, updatedAt: _u, ...current } = siteFromRow(row);
    const next = change(current);
    const delta = diff(current, next);
    if (!delta) return false;
    if (siteKey(next.name) !== siteKey(current.name)) await assertNameFree(trx, 'sites', scope, next.name, id);
    await trx.updateTable('sites').set({ ...siteRow(next), updated_at: now }).where('org_id', '=', scope.orgId).where('id', '=', id).execute();
    await appendAudit(trx, store.engine, scope, [{
      action: 'update', entityType: 'site', entityId: id, before: historyValue(delta.before, 'update'), after: historyValue(delta.after, 'update'),
    }], now);
    return true;
  });
  return { site: await getSite(store, scope, id), changed };
}
