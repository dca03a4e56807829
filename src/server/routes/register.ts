// The register's devices in the organisation in the path: list, read with identity evidence and
// history, create, edit one, and edit many at once. Values are read as `camaudit devices edit`
// reads them, and every device written is identified again against the knowledge base in force.
import { z } from 'zod';
import { CamauditError } from '../../core/errors.js';
import type { PositionPrecision } from '../../core/map/site-positions.js';
import { DEFAULT_PUBLICATION, type DeviceFields, type Organisation, type Position, type PublicationPolicy } from '../../core/model.js';
import { identifierFor, type Identifier } from '../../kb/knowledge.js';
import type { KnowledgeBase } from '../../kb/schema.js';
import { listAudit, type AuditRecord } from '../../store/audit.js';
import { deviceForCaller, devicePrecision, positionAt } from '../../report/device-export.js';
import { EDITABLE_FIELDS, readDeviceEdit, type EditValue } from '../../store/device-edit.js';
import { countDevices, createDevice, DEVICE_SORTS, getDevice, pageDevices, updateDevices, type DeviceView } from '../../store/devices.js';
import { getOrganisationPublication } from '../../store/organisations.js';
import type { TenantScope } from '../../store/tenant.js';
import type { Role } from '../auth/roles.js';
import type { ServerContext } from '../context.js';
import { route, type RouteSpec } from '../route.js';
import { PAGE_PARAMS } from './paging.js';
import { DEVICE_FILTERS, deviceFilter, IdParam, ORG, sortQuery } from './register-query.js';
import { deviceOverridesBySite, seesSecretPositions } from './site-visibility.js';

const BASE = `${ORG}/devices`;
/** The most devices one bulk edit may change: one transaction, one answer. */
const MAX_BULK = 1000;
/** History entries shown with a device; the rest through its history list. */
const RECENT_HISTORY = 20;

const DeviceQuery = z.strictObject({ ...PAGE_PARAMS, sort: sortQuery(DEVICE_SORTS, 'id'), ...DEVICE_FILTERS });

/** A value as `--set field=value` takes it; null or "" clears the field. Numbers are read as text. */
const Value = z.union([z.string().max(2000), z.number(), z.null()]).transform((v): EditValue => (v === null ? null : String(v)));

/** Field → value; `site` by name, `siteId` and `networkId` by id. */
const DeviceValues = z.strictObject({
  ...Object.fromEntries([...EDITABLE_FIELDS, 'site'].map((f) => [f, Value.optional()])),
  siteId: z.uuid().nullable().optional(),
  networkId: z.uuid().nullable().optional(),
});
type DeviceValues = z.infer<typeof DeviceValues>;

const BulkEdit = z.strictObject({ ids: z.array(z.uuid()).min(1).max(MAX_BULK), set: DeviceValues });

// Compiling the fingerprints takes a while; once per knowledge base is enough.
const identifiers = new WeakMap<KnowledgeBase, Identifier>();

async function identifier(ctx: ServerContext): Promise<Identifier> {
  const kb = await ctx.knowledge();
  let found = identifiers.get(kb);
  if (!found) {
    found = identifierFor(kb);
    identifiers.set(kb, found);
  }
  return found;
}

/** The change the values make, followed by identification of the true maker. */
async function editOf(ctx: ServerContext, scope: TenantScope, org: Organisation, values: DeviceValues): Promise<(d: DeviceFields) => DeviceFields> {
  const entries = Object.entries(values).filter((e): e is [string, EditValue] => e[1] !== undefined);
  const edit = await readDeviceEdit(ctx.store, scope, org, entries);
  const { enrich } = await identifier(ctx);
  return (d) => enrich(edit(d));
}

/**
 * A device as a list shows it: the identification's verdict without the evidence behind it, which
 * `GET …/devices/:id` gives. The evidence is most of a device's size, and a register page of
 * devices is read far more often than one device's reasons.
 */
function listRow(d: DeviceView) {
  const { identity, ...rest } = d;
  return {
    ...rest,
    identity: identity && {
      manufacturer: identity.manufacturer, statedManufacturer: identity.statedManufacturer, confidence: identity.confidence,
      kbVersion: identity.kbVersion, checks: identity.checks,
    },
  };
}

function requireValues(values: DeviceValues): void {
  if (Object.values(values).every((v) => v === undefined)) throw new CamauditError('invalid_input', 'give at least one field to set');
}

/**
 * How precisely the caller sees each device's position: people who maintain the register see
 * every position exactly; people who only read it see a secret one generalised or not at all
 * (src/core/map/site-positions.ts), as on the map and the site routes.
 */
export async function devicePlacement(ctx: ServerContext, scope: TenantScope, role: Role | null) {
  const seesSecret = seesSecretPositions(role);
  if (seesSecret) return devicePrecision(DEFAULT_PUBLICATION, () => [], true);
  const overrides = await deviceOverridesBySite(ctx.store, scope);
  return devicePrecision(await currentPublication(ctx, scope), (siteId) => overrides.get(siteId) ?? [], false);
}

/**
 * The policy as stored now, not as the organisation was briefly cached for the request: a level
 * an administrator has just made stricter must hold from the next request on.
 */
export function currentPublication(ctx: ServerContext, scope: TenantScope): Promise<PublicationPolicy> {
  return getOrganisationPublication(ctx.store, scope);
}

/** A recorded value of `position` (a device's history keeps the whole position) at a precision. */
function recordedAt(values: Record<string, unknown> | null, precision: PositionPrecision): Record<string, unknown> | null {
  if (precision === 'exact' || values === null || !('position' in values)) return values;
  return { ...values, position: positionAt((values.position as Position | null) ?? null, precision) };
}

/** A history entry as people read it; the chain fields are for `audit verify`. Positions as precise as the caller may see them. */
const historyView = (precision: PositionPrecision) => (e: AuditRecord) => ({
  seq: e.seq, at: e.at, actor: e.actor, source: e.source, action: e.action,
  before: recordedAt(e.before, precision), after: recordedAt(e.after, precision),
});

export function deviceRoutes(): RouteSpec[] {
  return [
    route({
      method: 'GET', url: BASE, summary: 'Devices, filtered, sorted and paged with a cursor, with the number matching the filter', tags: ['register'],
      auth: { org: 'read' }, query: DeviceQuery,
      handler: async ({ ctx, scope, role, query: q }) => {
        const filter = deviceFilter(q, { kb: await ctx.knowledge(), now: ctx.now() });
        const page = await pageDevices(ctx.store, scope, filter, { limit: q.limit, cursor: q.cursor ?? null, sort: q.sort });
        const precision = await devicePlacement(ctx, scope, role);
        return {
          items: page.items.map((d) => listRow(deviceForCaller(d, precision(d)))), nextCursor: page.nextCursor, total: await countDevices(ctx.store, scope, filter),
        };
      },
    }),
    route({
      method: 'POST', url: BASE, summary: 'Add a device; it needs a MAC, serial, reference, or a site with an IP address', tags: ['register'],
      auth: { org: 'write' }, body: DeviceValues, status: 201,
      handler: async ({ ctx, scope, org, body }) => {
        const edit = await editOf(ctx, scope, org, body);
        return createDevice(ctx.store, scope, edit, ctx.now());
      },
    }),
    route({
      method: 'PATCH', url: BASE, summary: `Set the same fields on up to ${MAX_BULK} devices, all or nothing`, tags: ['register'],
      auth: { org: 'write' }, body: BulkEdit,
      handler: async ({ ctx, scope, org, body }) => {
        requireValues(body.set);
        const edit = await editOf(ctx, scope, org, body.set);
        const changed = await updateDevices(ctx.store, scope, body.ids, edit, ctx.now());
        return { devices: body.ids.length, changed: changed.length, changedIds: changed };
      },
    }),
    route({
      method: 'GET', url: `${BASE}/:id`, summary: 'One device with the evidence for its true maker, the checks to do, and its latest history', tags: ['register'],
      auth: { org: 'read' }, params: IdParam,
      handler: async ({ ctx, scope, org, role, params }) => {
        const device = await getDevice(ctx.store, scope, params.id);
        const history = await listAudit(ctx.store, scope, { entityId: device.id, limit: RECENT_HISTORY });
        const precision = (await devicePlacement(ctx, scope, role))(device);
        return {
          ...deviceForCaller(device, precision),
          history: history.items.map(historyView(precision)),
          links: { history: `/api/v1/organisations/${encodeURIComponent(org.slug)}/devices/${device.id}/history` },
        };
      },
    }),
    route({
      method: 'PATCH', url: `${BASE}/:id`, summary: 'Change fields of a device; the change is recorded in its history', tags: ['register'],
      auth: { org: 'write' }, params: IdParam, body: DeviceValues,
      handler: async ({ ctx, scope, org, params, body }) => {
        requireValues(body);
        const edit = await editOf(ctx, scope, org, body);
        const changed = await updateDevices(ctx.store, scope, [params.id], edit, ctx.now());
        return { changed: changed.length > 0, device: await getDevice(ctx.store, scope, params.id) };
      },
    }),
    route({
      method: 'GET', url: `${BASE}/:id/history`, summary: 'Every recorded change of a device, newest first, paged with a cursor', tags: ['register'],
      auth: { org: 'read' }, params: IdParam, query: z.strictObject(PAGE_PARAMS),
      handler: async ({ ctx, scope, role, params, query: q }) => {
        const device = await getDevice(ctx.store, scope, params.id);
        const precision = (await devicePlacement(ctx, scope, role))(device);
        const page = await listAudit(ctx.store, scope, { entityId: params.id, limit: q.limit, cursor: q.cursor ?? null });
        return { items: page.items.map(historyView(precision)), nextCursor: page.nextCursor };
      },
    }),
  ];
}
