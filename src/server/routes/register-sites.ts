// Sites and networks of the organisation in the path: list, read, create and edit. Imports find
// them by name, so a name is unique within the organisation (409 otherwise).
import type { Role } from '../auth/roles.js';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { CamauditError } from '../../core/errors.js';
import { toPosition } from '../../core/import/coordinates.js';
import { CONNECTIVITY, NETHERLANDS_BBOX, REMOTE_ACCESS, SITE_CATEGORIES, type Organisation, type Position } from '../../core/model.js';
import type { NetworkFields, SiteFields } from '../../core/register/merge.js';
import { createNetwork, getNetwork, NETWORK_SORTS, pageNetworks, updateNetwork } from '../../store/networks.js';
import { sitePrecision, siteForCaller, type PositionPrecision } from '../../core/map/site-positions.js';
import { createSite, getSite, pageSites, SITE_SORTS, updateSite, type SiteView } from '../../store/sites.js';
import type { Store } from '../../store/database.js';
import type { TenantScope } from '../../store/tenant.js';
import { getOrganisationPublication } from '../../store/organisations.js';
import { route, type RouteSpec } from '../route.js';
import { PAGE_PARAMS } from './paging.js';
import { IdParam, ORG, sortQuery } from './register-query.js';
import { deviceOverridesBySite, seesSecretPositions } from './site-visibility.js';

const Name = z.string().trim().min(1).max(200);
/** Absent keeps the value, null or "" clears it. */
const Text = z.string().trim().max(500).nullable().optional();
/** As imports write them: "1234ab" → "1234 AB". */
const Postcode = z.string().trim().max(20).transform((t) => t.toUpperCase().replace(/^(\d{4})\s*([A-Z]{2})$/, '$1 $2')).nullable().optional();

/** WGS84 degrees, or RD New (EPSG:28992) metres; stored as WGS84 with the original kept. */
const PositionInput = z.union([
  z.strictObject({ lat: z.number(), lon: z.number() }),
  z.strictObject({ x: z.number(), y: z.number() }),
]);

const SiteChange = z.strictObject({
  name: Name.optional(), category: z.enum(SITE_CATEGORIES).optional(), address: Text, postcode: Postcode, city: Text, bagId: Text,
  position: PositionInput.nullable().optional(),
});
const SiteCreate = SiteChange.extend({ name: Name });
type SiteChange = z.infer<typeof SiteChange>;

const NetworkChange = z.strictObject({
  name: Name.optional(),
  /** Address ranges of the segment, e.g. 10.20.0.0/16. */
  cidrs: z.array(z.string().max(64)).max(256).optional(),
  connectivity: z.enum(CONNECTIVITY).optional(),
  remoteAccess: z.enum(REMOTE_ACCESS).optional(),
});
const NetworkCreate = NetworkChange.extend({ name: Name });
type NetworkChange = z.infer<typeof NetworkChange>;

function position(org: Organisation, input: z.infer<typeof PositionInput>): Position {
  const parsed = toPosition(input, org.area ?? NETHERLANDS_BBOX);
  if (!parsed.ok) throw new CamauditError('invalid_input', `position: ${parsed.reason}`);
  return parsed.value;
}

const textOr = (given: string | null | undefined, current: string | null) => (given === undefined ? current : given || null);

function siteChange(org: Organisation, body: SiteChange): (current: SiteFields) => SiteFields {
  const place = body.position === undefined ? undefined : body.position === null ? null : position(org, body.position);
  return (current) => ({
    name: body.name ?? current.name,
    category: body.category ?? current.category,
    address: textOr(body.address, current.address),
    postcode: textOr(body.postcode, current.postcode),
    city: textOr(body.city, current.city),
    bagId: textOr(body.bagId, current.bagId),
    position: place === undefined ? current.position : place,
  });
}

/** CIDRs in their usual spelling; a malformed one is refused. */
/**
 * A network's address ranges say where the server may scan and what agents' scopes cover, so
 * setting them is an administrator's decision, not an editor's.
 */
function rangesByAdmin(role: Role | null, ranges: readonly string[] | undefined): void {
  if (ranges !== undefined && role !== 'admin') {
    throw new CamauditError('forbidden', 'a network\'s address ranges decide what may be scanned; only an administrator sets them');
  }
}

function cidrs(list: readonly string[]): string[] {
  return list.map((text) => {
    try {
      const [address, bits] = ipaddr.parseCIDR(text.trim());
      return `${address.toString()}/${bits}`;
    } catch {
      throw new CamauditError('invalid_input', `cidrs: "${text}" is not an address range such as 10.20.0.0/16`);
    }
  });
}

function networkChange(body: NetworkChange): (current: NetworkFields) => NetworkFields {
  const ranges = body.cidrs === undefined ? undefined : cidrs(body.cidrs);
  return (current) => ({
    name: body.name ?? current.name,
    cidrs: ranges ?? current.cidrs,
    connectivity: body.connectivity ?? current.connectivity,
    remoteAccess: body.remoteAccess ?? current.remoteAccess,
  });
}

function requireChange(body: object): void {
  if (Object.values(body).every((v) => v === undefined)) throw new CamauditError('invalid_input', 'give at least one field to change');
}

/**
 * Sites as the caller may see them: where a site's exact position is secret, people who only read
 * the register get it generalised to about a kilometre, without address, postcode or BAG id
 * (src/core/map/site-positions.ts). People who maintain the register see everything.
 */
async function sitesForCaller(store: Store, scope: TenantScope, org: Organisation, role: Role | null, sites: readonly SiteView[]) {
  const seesSecret = seesSecretPositions(role);
  const overrides = seesSecret ? new Map<string, never[]>() : await deviceOverridesBySite(store, scope);
  // As stored now, not as cached with the organisation: a level made stricter holds at once.
  const policy = seesSecret ? org.publication : await getOrganisationPublication(store, scope);
  return sites.map((site) => {
    const precision = sitePrecision(policy, overrides.get(site.id) ?? [], seesSecret);
    return { site: siteForCaller(site, precision), precision };
  });
}

/**
 * Free text also searches addresses and postcodes; a reader who may not see a site's address
 * must not be able to find the site by it either, so such a site only matches on name or city.
 */
function matchesForCaller(site: SiteView, precision: PositionPrecision, q: string | undefined): boolean {
  if (!q || precision === 'exact') return true;
  const needle = q.toLowerCase();
  return [site.name, site.city ?? ''].some((text) => text.toLowerCase().includes(needle));
}

const EMPTY_SITE: SiteFields = { name: '', category: 'other', address: null, postcode: null, city: null, bagId: null, position: null };
const EMPTY_NETWORK: NetworkFields = { name: '', cidrs: [], connectivity: 'unknown', remoteAccess: 'none' };

export function siteRoutes(): RouteSpec[] {
  const base = `${ORG}/sites`;
  return [
    route({
      method: 'GET', url: base, summary: 'Sites with their device counts, filtered, sorted and paged with a cursor', tags: ['register'],
      auth: { org: 'read' },
      query: z.strictObject({ ...PAGE_PARAMS, sort: sortQuery(SITE_SORTS, 'name'), category: z.enum(SITE_CATEGORIES).optional(), q: z.string().max(200).optional() }),
      handler: async ({ ctx, scope, org, role, query: q }) => {
        const page = await pageSites(ctx.store, scope, { category: q.category, q: q.q }, { limit: q.limit, cursor: q.cursor ?? null, sort: q.sort });
        const shown = await sitesForCaller(ctx.store, scope, org, role, page.items);
        return { ...page, items: shown.filter((x) => matchesForCaller(x.site, x.precision, q.q)).map((x) => x.site) };
      },
    }),
    route({
      method: 'GET', url: `${base}/:id`, summary: 'One site with its device count', tags: ['register'], auth: { org: 'read' }, params: IdParam,
      handler: async ({ ctx, scope, org, role, params }) => (await sitesForCaller(ctx.store, scope, org, role, [await getSite(ctx.store, scope, params.id)]))[0]!.site,
    }),
    route({
      method: 'POST', url: base, summary: 'Add a site', tags: ['register'], auth: { org: 'write' }, body: SiteCreate, status: 201,
      handler: async ({ ctx, scope, org, body }) => createSite(ctx.store, scope, siteChange(org, body)(EMPTY_SITE), ctx.now()),
    }),
    route({
      method: 'PATCH', url: `${base}/:id`, summary: 'Change a site; null or "" clears a field', tags: ['register'],
      auth: { org: 'write' }, params: IdParam, body: SiteChange,
      handler: async ({ ctx, scope, org, params, body }) => {
        requireChange(body);
        return updateSite(ctx.store, scope, params.id, siteChange(org, body), ctx.now());
      },
    }),
  ];
}

export function networkRoutes(): RouteSpec[] {
  const base = `${ORG}/networks`;
  return [
    route({
      method: 'GET', url: base, summary: 'Networks with their device counts, filtered, sorted and paged with a cursor', tags: ['register'],
      auth: { org: 'read' },
      query: z.strictObject({
        ...PAGE_PARAMS, sort: sortQuery(NETWORK_SORTS, 'name'), connectivity: z.enum(CONNECTIVITY).optional(),
        remoteAccess: z.enum(REMOTE_ACCESS).optional(), q: z.string().max(200).optional(),
      }),
      handler: async ({ ctx, scope, query: q }) => pageNetworks(ctx.store, scope, { connectivity: q.connectivity, remoteAccess: q.remoteAccess, q: q.q }, {
        limit: q.limit, cursor: q.cursor ?? null, sort: q.sort,
      }),
    }),
    route({
      method: 'GET', url: `${base}/:id`, summary: 'One network with its device count', tags: ['register'], auth: { org: 'read' }, params: IdParam,
      handler: async ({ ctx, scope, params }) => getNetwork(ctx.store, scope, params.id),
    }),
    route({
      method: 'POST', url: base, summary: 'Add a network (with address ranges: administrators only)', tags: ['register'], auth: { org: 'write' }, body: NetworkCreate, status: 201,
      handler: async ({ ctx, scope, role, body }) => {
        rangesByAdmin(role, body.cidrs);
        return createNetwork(ctx.store, scope, networkChange(body)(EMPTY_NETWORK), ctx.now());
      },
    }),
    route({
      method: 'PATCH', url: `${base}/:id`, summary: 'Change a network (its address ranges: administrators only)', tags: ['register'], auth: { org: 'write' }, params: IdParam, body: NetworkChange,
      handler: async ({ ctx, scope, role, params, body }) => {
        requireChange(body);
        rangesByAdmin(role, body.cidrs);
        return updateNetwork(ctx.store, scope, params.id, networkChange(body), ctx.now());
      },
    }),
  ];
}
