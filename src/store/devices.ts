// Reading and editing devices, always within one organisation.
import { sql, type ExpressionBuilder, type Nullable, type RawBuilder, type Transaction } from 'kysely';
import { SEVERITIES } from '../core/assess/types.js';
import { dayOf } from '../core/assess/waivers.js';
import { CamauditError } from '../core/errors.js';
import type { Connectivity, Device, DeviceFields, RemoteAccess, SiteCategory } from '../core/model.js';
import { NO_MAKER, type MakerNames } from '../core/overview/labels.js';
import { historyValue, NEW_DEVICE } from '../core/register/merge.js';
import { appendAudit } from './audit.js';
import type { Store } from './database.js';
import { writeDeviceChange } from './device-change.js';
import { newId } from './ids.js';
import { afterCursor, containsText, pageOf, plainSort, textSort, type Sort } from './listing.js';
import { idPrefixPattern } from './prefix.js';
import { deviceFromRow, deviceToRow } from './rows.js';
import type { Database, DevicesTable, NetworksTable, SitesTable } from './schema.js';
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
  /** One status, or several separated by commas. */
  status?: string;
  brand?: string;
  /** A maker (any case); `none`: no maker recorded. */
  manufacturer?: string;
  siteId?: string;
  /** The network's connectivity class, or several separated by commas; `none`: on no known network. */
  connectivity?: string;
  /** The site's category, or several separated by commas; `none`: at no site. */
  category?: string;
  /** The network's remote access. */
  remoteAccess?: string;
  /**
   * Only devices whose label names another company than their true maker (`labelled`), or only
   * the others; `makers` are the knowledge base's names of each maker (core/overview/labels.ts).
   */
  oem?: { labelled: boolean; makers: MakerNames };
  /** Only devices with an active (not waived) finding of this rule in the latest assessment. */
  rule?: string;
  /** Only devices whose most serious active finding has this severity. */
  severity?: string;
  /** The day waivers are judged on (YYYY-MM-DD, Amsterdam); today when absent. */
  today?: string;
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
  let q = filtered(baseQuery(store, scope), scope, filter);
  if (page.cursor) q = q.where('d.id', '>', page.cursor);
  const rows = await q.orderBy('d.id').limit(limit + 1).execute();
  const items = rows.slice(0, limit).map(toView);
  return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null };
}

const listOf = (value: string) => value.split(',').map((v) => v.trim()).filter((v) => v !== '');

type Joined = Database & { d: DevicesTable } & { s: Nullable<SitesTable> } & { n: Nullable<NetworksTable> };
type Row = ExpressionBuilder<Joined, 'd' | 's' | 'n'>;

/**
 * A finding on the device in the list that no waiver in force sets aside: open, or lapsed (its
 * waiver expired), as core/assess/finding-status.ts judges them.
 */
function activeFinding(eb: Row, scope: TenantScope, today: string, column: 'rule' | 'severity', values: readonly string[]) {
  return eb.exists(eb.selectFrom('findings as f').select(sql.lit(1).as('one'))
    .where('f.org_id', '=', scope.orgId).whereRef('f.device_id', '=', 'd.id')
    .where(`f.${column}`, 'in', [...values])
    .where((f) => f.not(f.exists(f.selectFrom('waivers as w').select(sql.lit(1).as('one'))
      .where('w.org_id', '=', scope.orgId).whereRef('w.device_id', '=', 'f.device_id').whereRef('w.rule', '=', 'f.rule')
      .where('w.revoked_at', 'is', null).where('w.until', '>=', today)))));
}

/** The label names another company than the true maker: the same test as isOemLabelled. */
function oemLabelled(eb: Row, makers: MakerNames) {
  const brand = eb.fn<string>('lower', ['d.brand']);
  const maker = eb.fn<string>('lower', ['d.manufacturer']);
  const known = Object.keys(makers);
  const differs = [
    ...known.map((id) => eb.and([eb(maker, '=', id), eb(brand, 'not in', [...makers[id]!])])),
    known.length > 0 ? eb.and([eb(maker, 'not in', known), eb(brand, '<>', maker)]) : eb(brand, '<>', maker),
  ];
  return eb.and([
    eb('d.brand', 'is not', null), eb('d.brand', '<>', ''), eb('d.manufacturer', 'is not', null), eb('d.manufacturer', '<>', ''),
    eb(maker, '<>', NO_MAKER), eb.or(differs),
  ]);
}

function filtered(query: ReturnType<typeof baseQuery>, scope: TenantScope, filter: DeviceFilter): ReturnType<typeof baseQuery> {
  let q = query;
  if (filter.kind) q = q.where('d.kind', '=', filter.kind);
  if (filter.status) q = q.where('d.status', 'in', listOf(filter.status));
  if (filter.brand) q = q.where((eb) => eb(eb.fn('lower', ['d.brand']), '=', filter.brand!.toLowerCase()));
  if (filter.manufacturer) {
    const maker = filter.manufacturer.toLowerCase();
    q = maker === NO_MAKER
      ? q.where((eb) => eb.or([eb('d.manufacturer', 'is', null), eb('d.manufacturer', '=', ''), eb(eb.fn('lower', ['d.manufacturer']), '=', NO_MAKER)]))
      : q.where((eb) => eb(eb.fn('lower', ['d.manufacturer']), '=', maker));
  }
  if (filter.siteId) q = q.where('d.site_id', '=', filter.siteId);
  if (filter.connectivity) q = q.where(oneOf('n.connectivity', listOf(filter.connectivity)));
  if (filter.category) q = q.where(oneOf('s.category', listOf(filter.category)));
  if (filter.remoteAccess) q = q.where('n.remote_access', '=', filter.remoteAccess);
  if (filter.oem) {
    const { labelled, makers } = filter.oem;
    q = q.where((eb) => (labelled ? oemLabelled(eb, makers) : eb.not(oemLabelled(eb, makers))));
  }
  const today = filter.today ?? dayOf(new Date().toISOString());
  if (filter.rule) q = q.where((eb) => activeFinding(eb, scope, today, 'rule', [filter.rule!]));
  if (filter.severity) {
    const higher = SEVERITIES.slice(0, Math.max(0, SEVERITIES.indexOf(filter.severity as (typeof SEVERITIES)[number])));
    q = q.where((eb) => activeFinding(eb, scope, today, 'severity', [filter.severity!]));
    if (higher.length > 0) q = q.where((eb) => eb.not(activeFinding(eb, scope, today, 'severity', higher)));
  }
  if (filter.q) q = q.where(containsText(['d.brand', 'd.model', 'd.serial', 'd.mac', 'd.ip', 'd.external_ref', 's.name'], filter.q));
  return q;
}

/** Values of a joined column, `none` standing for "no row joined" (no site, no network). */
function oneOf(column: 's.category' | 'n.connectivity', values: string[]) {
  return (eb: Row) => {
    const named = values.filter((v) => v !== NO_MAKER);
    const parts = [
      ...(named.length > 0 ? [eb(column, 'in', named)] : []),
      ...(values.includes(NO_MAKER) ? [eb(column, 'is', null)] : []),
    ];
    return eb.or(parts);
  };
}

/** How many devices match the filter: one COUNT, for a list's total. */
export async function countDevices(store: Store, scope: TenantScope, filter: DeviceFilter = {}): Promise<number> {
  const row = await filtered(baseQuery(store, scope), scope, filter).clearSelect()
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** What the overview counts devices by, for every device matching the filter: no JSON, no evidence. */
export interface DeviceFacets {
  id: string;
  brand: string | null;
  manufacturer: string | null;
  siteId: string | null;
  siteCategory: SiteCategory | null;
  connectivity: Connectivity | null;
  remoteAccess: RemoteAccess | null;
}

export async function deviceFacets(store: Store, scope: TenantScope, filter: DeviceFilter = {}): Promise<DeviceFacets[]> {
  const out: DeviceFacets[] = [];
  let cursor = '';
  for (;;) {
    const rows = await filtered(baseQuery(store, scope), scope, filter).clearSelect()
      .select(['d.id', 'd.brand', 'd.manufacturer', 'd.site_id', 's.id as joined_site', 's.category', 'n.connectivity', 'n.remote_access'])
      .where('d.id', '>', cursor).orderBy('d.id').limit(FACET_PAGE).execute();
    for (const r of rows) {
      out.push({
        id: r.id, brand: r.brand, manufacturer: r.manufacturer, siteId: r.joined_site ?? null, siteCategory: (r.category ?? null) as SiteCategory | null,
        connectivity: (r.connectivity ?? null) as Connectivity | null, remoteAccess: (r.remote_access ?? null) as RemoteAccess | null,
      });
    }
    if (rows.length < FACET_PAGE) return out;
    cursor = rows[rows.length - 1]!.id;
  }
}

const FACET_PAGE = 5000;

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

/** What device lists sort by, as the API names it. */
export const DEVICE_SORTS = ['id', 'brand', 'manufacturer', 'model', 'kind', 'status', 'site', 'createdAt', 'updatedAt'] as const;
export type DeviceSort = (typeof DEVICE_SORTS)[number];

const DEVICE_SORT_VALUES: Readonly<Record<DeviceSort, () => RawBuilder<string>>> = {
  id: () => plainSort('d.id'), brand: () => textSort('d.brand'), manufacturer: () => textSort('d.manufacturer'),
  model: () => textSort('d.model'), kind: () => plainSort('d.kind'), status: () => plainSort('d.status'), site: () => textSort('s.name'),
  createdAt: () => plainSort('d.created_at'), updatedAt: () => plainSort('d.updated_at'),
};

/** Devices filtered and sorted by any of DEVICE_SORTS, one page at a time (cursor from pageOf). */
export async function pageDevices(
  store: Store,
  scope: TenantScope,
  filter: DeviceFilter,
  page: { limit: number; cursor?: string | null; sort: Sort<DeviceSort> },
): Promise<Page<DeviceView>> {
  const value = DEVICE_SORT_VALUES[page.sort.key]();
  let q = filtered(baseQuery(store, scope), scope, filter).select(value.as('sort_value'));
  if (page.cursor) q = q.where(afterCursor(value, 'd.id', page.sort, page.cursor));
  const direction = page.sort.descending ? 'desc' : 'asc';
  const rows = await q.orderBy(value, direction).orderBy('d.id', direction).limit(page.limit + 1).execute();
  return pageOf(rows, page.limit, page.sort, toView);
}

const KEY_COLUMNS = [['mac', 'mac'], ['serial', 'serial'], ['externalRef', 'external_ref']] as const;

/**
 * A MAC, serial or reference that already names another device would make two devices one for
 * every later import, so a write that gives one is refused.
 */
async function assertKeysFree(trx: Transaction<Database>, scope: TenantScope, id: string, next: DeviceFields, current: DeviceFields | null): Promise<void> {
  for (const [field, column] of KEY_COLUMNS) {
    const value = next[field];
    if (!value || value === current?.[field]) continue;
    const other = await trx.selectFrom('devices').select('id').where('org_id', '=', scope.orgId)
      .where(column, '=', value).where('id', '!=', id).executeTakeFirst();
    if (other) throw new CamauditError('conflict', `${column.replace('_', ' ')} ${value} already belongs to device ${other.id}`);
  }
}

/**
 * Adds a device made by `build` from the defaults of a new one. It needs a key later imports
 * and scans can find it by: a MAC, serial or reference, or an IP address at a site.
 */
export async function createDevice(
  store: Store,
  scope: TenantScope,
  build: (base: DeviceFields) => DeviceFields,
  now: string,
): Promise<DeviceView> {
  const id = newId();
  const fields = build({ ...NEW_DEVICE });
  if (!fields.mac && !fields.serial && !fields.externalRef && !(fields.siteId && fields.ip)) {
    throw new CamauditError('invalid_input', 'a device needs a MAC address, serial number or reference, or a site together with an IP address');
  }
  await store.db.transaction().execute(async (trx) => {
    await assertKeysFree(trx, scope, id, fields, null);
    await trx.insertInto('devices').values({
      id, org_id: scope.orgId, ...deviceToRow(fields), import_id: null, import_row: null, created_at: now, updated_at: now,
    }).execute();
    await appendAudit(trx, store.engine, scope, [{
      action: 'create', entityType: 'device', entityId: id, after: historyValue({ ...fields }, 'create'),
    }], now);
  });
  return getDevice(store, scope, id);
}

/**
 * Applies one edit to several devices at once, all or nothing: a device that is missing (or of
 * another organisation) or a key clash anywhere writes nothing. Each changed device gets its own
 * history entry. Returns the ids of the devices that changed.
 */
export async function updateDevices(
  store: Store,
  scope: TenantScope,
  ids: readonly string[],
  change: (current: DeviceFields) => DeviceFields,
  now: string,
): Promise<string[]> {
  if (new Set(ids).size !== ids.length) throw new CamauditError('usage', 'each device may be named once');
  return store.db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('devices').selectAll().where('org_id', '=', scope.orgId).where('id', 'in', ids).execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    const missing = ids.find((id) => !byId.has(id));
    if (missing !== undefined) throw new CamauditError('not_found', `no device ${missing} in this organisation`);
    const changed: string[] = [];
    for (const id of ids) {
      const { id: _i, orgId: _o, createdAt: _c, updatedAt: _u, ...current } = deviceFromRow(byId.get(id)!);
      const next = change(current);
      await assertKeysFree(trx, scope, id, next, current);
      if (await writeDeviceChange(trx, scope, id, current, next, now)) changed.push(id);
    }
    return changed;
  });
}
