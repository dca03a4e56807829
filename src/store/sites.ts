import type { Network, Site } from '../core/model.js';
import type { Store } from './database.js';
import { networkFromRow, siteFromRow } from './rows.js';
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
