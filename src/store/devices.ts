// Reading and editing devices, always within one organisation.
import { CamauditError } from '../core/errors.js';
import type { Connectivity, Device, DeviceFields, RemoteAccess, SiteCategory } from '../core/model.js';
import type { Store } from './database.js';
import { writeDeviceChange } from './device-change.js';
import { idPrefixPattern } from './prefix.js';
import { deviceFromRow } from './rows.js';
import type { TenantScope } from './tenant.js';

/** A device with what a listing needs from its site and network. */
export interface DeviceView extends Device {
  siteName: string | null;
  siteCategory: SiteCategory | null;
  networkName: string | null;
  connectivity: Connectivity | null;
  remoteAccess: RemoteAccess | null;
  /** The device's own position, or else its site's. */
  lat: number | null;
  lon: number | null;
}

export interface DeviceFilter {
  kind?: string;
  status?: string;
  brand?: string;
  manufacturer?: string;
  siteId?: string;
  connectivity?: string;
  /** Free text over brand, model, serial, MAC, IP, reference and site name. */
  q?: string;
}

export interface Page<T> {
  items: T[];
  /** Pass back to get the next page; null on the last page. */
  nextCursor: string | null;
}

function baseQuery(store: Store, scope: TenantScope) {
  return store.db
    .selectFrom('devices as d')
    .leftJoin('sites as s', (j) => j.onRef('s.id', '=', 'd.site_id').on('s.org_id', '=', scope.orgId))
    .leftJoin('networks as n', (j) => j.onRef('n.id', '=', 'd.network_id').on('n.org_id', '=', scope.orgId))
    .selectAll('d')
    .select([
      's.name as site_name', 's.category as site_category', 's.lat as site_lat', 's.lon as site_lon',
      'n.name as network_name', 'n.connectivity as connectivity', 'n.remote_access as remote_access',
    ])
    .where('d.org_id', '=', scope.orgId);
}

type ViewRow = Awaited<ReturnType<ReturnType<typeof baseQuery>['execute']>>[number];

function toView(r: ViewRow): DeviceView {
  const device = deviceFromRow(r);
  return {
    ...device,
    siteName: r.site_name,
    siteCategory: r.site_category as SiteCategory | null,
    networkName: r.network_name,
    connectivity: r.connectivity as Connectivity | null,
    remoteAccess: r.remote_access as RemoteAccess | null,
    lat: device.position?.lat ?? r.site_lat,
    lon: device.position?.lon ?? r.site_lon,
  };
}

/** Devices in a stable order (by id), filtered, one page at a time. */
export async function listDevices(
  store: Store,
  scope: TenantScope,
  filter: DeviceFilter = {},
  page: { limit?: number; cursor?: string | null } = {},
): Promise<Page<DeviceView>> {
  const limit = Math.min(Math.max(page.limit ?? 100, 1), 10_000);
  let q = baseQuery(store, scope);
  if (filter.kind) q = q.where('d.kind', '=', filter.kind);
  if (filter.status) q = q.where('d.status', '=', filter.status);
  if (filter.brand) q = q.where((eb) => eb(eb.fn('lower', ['d.brand']), '=', filter.brand!.toLowerCase()));
  if (filter.manufacturer) {
    q = q.where((eb) => eb(eb.fn('lower', ['d.manufacturer']), '=', filter.manufacturer!.toLowerCase()));
  }
  if (filter.siteId) q = q.where('d.site_id', '=', filter.siteId);
  if (filter.connectivity) q = q.where('n.connectivity', '=', filter.connectivity);
  if (filter.q) {
    const like = `%${filter.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or(
        (['d.brand', 'd.model', 'd.serial', 'd.mac', 'd.ip', 'd.external_ref', 's.name'] as const).map((col) =>
          eb(eb.fn('lower', [col]), 'like', like),
        ),
      ),
    );
  }
  if (page.cursor) q = q.where('d.id', '>', page.cursor);
  const rows = await q.orderBy('d.id').limit(limit + 1).execute();
  const items = rows.slice(0, limit).map(toView);
  return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null };
}

/** Every device matching the filter, page by page: for exports of any size. */
export async function* allDevices(store: Store, scope: TenantScope, filter: DeviceFilter = {}): AsyncGenerator<DeviceView> {
  let cursor: string | null = null;
  do {
    const page: Page<DeviceView> = await listDevices(store, scope, filter, { limit: 1000, cursor });
    yield* page.items;
    cursor = page.nextCursor;
  } while (cursor);
}

export async function getDevice(store: Store, scope: TenantScope, id: string): Promise<DeviceView> {
  const row = await baseQuery(store, scope).where('d.id', '=', id).executeTakeFirst();
  if (!row) throw new CamauditError('not_found', `no device ${id} in this organisation`);
  return toView(row);
}

/** Applies an edit and records it in the history; an edit that changes nothing writes nothing. */
export async function updateDevice(
  store: Store,
  scope: TenantScope,
  id: string,
  change: (current: DeviceFields) => DeviceFields,
  now: string,
): Promise<{ device: DeviceView; changed: boolean }> {
  return store.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('devices').selectAll().where('id', '=', id).where('org_id', '=', scope.orgId)
      .executeTakeFirst();
    if (!row) throw new CamauditError('not_found', `no device ${id} in this organisation`);
    const { id: _i, orgId: _o, createdAt: _c, updatedAt: _u, ...current } = deviceFromRow(row);
    return { changed: await writeDeviceChange(trx, scope, id, current, change(current), now) };
  }).then(async ({ changed }) => ({ device: await getDevice(store, scope, id), changed }));
}

/** A device id from its first characters, as people type them (like git). */
export async function expandDeviceId(store: Store, scope: TenantScope, prefix: string): Promise<string> {
  const rows = await store.db.selectFrom('devices').select('id').where('org_id', '=', scope.orgId)
    .where('id', 'like', idPrefixPattern(prefix, 'device')).limit(2).execute();
  if (rows.length === 0) throw new CamauditError('not_found', `no device ${prefix} in this organisation`);
  if (rows.length > 1) throw new CamauditError('usage', `device id prefix "${prefix}" is ambiguous; give more characters`);
  return rows[0]!.id;
}
