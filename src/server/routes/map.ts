// The map of the organisation in the path: every site with its position (exact, or generalised
// to about a kilometre where the caller may not see a secret position), device counts, the most
// serious finding still standing there and how many devices come from a restricted maker; and,
// per site, the devices there. Device positions are never sent: the map places sites.
import { z } from 'zod';
import { makerGrouping } from '../../core/aggregate/maker-groups.js';
import { RESTRICTED_GROUPS, type MakerGroup } from '../../core/aggregate/dimensions.js';
import { findingStates } from '../../core/assess/finding-status.js';
import { ASSESSABLE_STATUSES } from '../../core/assess/inputs.js';
import { SEVERITY_RANK, type Severity } from '../../core/assess/types.js';
import { mapSites } from '../../core/map/map-sites.js';
import { POSITION_PRECISIONS } from '../../core/map/site-positions.js';
import { DEVICE_KINDS, DEVICE_STATUSES, SITE_CATEGORIES } from '../../core/model.js';
import { loadPolicy } from '../../ingest/policy.js';
import { listAssessmentRuns, listFindings } from '../../store/assessments.js';
import { allDevices, type DeviceView } from '../../store/devices.js';
import { getOrganisationPolicy } from '../../store/policies.js';
import { getSite, listSites } from '../../store/sites.js';
import type { TenantScope } from '../../store/tenant.js';
import { listWaivers } from '../../store/waivers.js';
import type { ServerContext } from '../context.js';
import { getOrganisationPublication } from '../../store/organisations.js';
import { route, type RouteSpec } from '../route.js';
import { IdParam, ORG } from './register-query.js';
import { seesSecretPositions } from './site-visibility.js';

const SeverityOrNull = z.enum(['critical', 'high', 'medium', 'low', 'info']).nullable();

const MapSiteSchema = z.object({
  id: z.string(),
  name: z.string(),
  category: z.enum(SITE_CATEGORIES),
  city: z.string().nullable(),
  position: z.object({ lat: z.number(), lon: z.number() }).nullable(),
  precision: z.enum(POSITION_PRECISIONS).nullable(),
  devices: z.number().int(),
  inService: z.number().int(),
  highestSeverity: SeverityOrNull,
  openFindings: z.number().int(),
  restricted: z.number().int(),
});

const MapSitesResponse = z.object({
  sites: z.array(MapSiteSchema),
  /** Whether secret positions are shown exactly to this caller. */
  exactPositions: z.boolean(),
  assessment: z.object({ at: z.string() }).nullable(),
});

const SiteDevice = z.object({
  id: z.string(),
  externalRef: z.string().nullable(),
  kind: z.enum(DEVICE_KINDS),
  brand: z.string().nullable(),
  manufacturer: z.string().nullable(),
  model: z.string().nullable(),
  status: z.enum(DEVICE_STATUSES),
  highestSeverity: SeverityOrNull,
  restricted: z.boolean(),
});

/** Whether a maker is one a restriction adopted by the organisation names. */
async function restrictedMakers(ctx: ServerContext, scope: TenantScope): Promise<(manufacturer: string | null) => boolean> {
  const policy = await loadPolicy(undefined, await getOrganisationPolicy(ctx.store, scope));
  const group = makerGrouping(await ctx.knowledge(), policy);
  return (manufacturer) => (RESTRICTED_GROUPS as readonly MakerGroup[]).includes(group(manufacturer));
}

async function standingFindings(ctx: ServerContext, scope: TenantScope) {
  const states = findingStates(await listFindings(ctx.store, scope), await listWaivers(ctx.store, scope), ctx.now());
  return states.map((s) => ({ deviceId: s.finding.deviceId, severity: s.finding.severity, status: s.status }));
}

export function mapRoutes(): RouteSpec[] {
  return [
    route({
      method: 'GET', url: `${ORG}/map/sites`, tags: ['register'], auth: { org: 'read' }, response: MapSitesResponse,
      summary: 'Every site for the map: position (exact, or about 1 km where a secret position is kept from readers), device counts, highest standing finding, restricted makers',
      handler: async ({ ctx, scope, role }) => {
        const devices: DeviceView[] = [];
        for await (const d of allDevices(ctx.store, scope)) devices.push(d);
        const seesSecret = seesSecretPositions(role);
        const sites = mapSites({
          sites: await listSites(ctx.store, scope),
          devices,
          findings: await standingFindings(ctx, scope),
          // As stored now, not as cached: a level made stricter holds from the next request on.
          policy: await getOrganisationPublication(ctx.store, scope),
          inService: ASSESSABLE_STATUSES,
          isRestricted: await restrictedMakers(ctx, scope),
          seesSecret,
        });
        const latest = (await listAssessmentRuns(ctx.store, scope))[0];
        return { sites, exactPositions: seesSecret, assessment: latest ? { at: latest.at } : null };
      },
    }),
    route({
      method: 'GET', url: `${ORG}/map/sites/:id/devices`, tags: ['register'], auth: { org: 'read' }, params: IdParam,
      response: z.object({ site: z.object({ id: z.string(), name: z.string() }), items: z.array(SiteDevice) }),
      summary: 'The devices at one site with their highest standing finding and whether their maker is restricted',
      handler: async ({ ctx, scope, params }) => {
        const site = await getSite(ctx.store, scope, params.id);
        const restricted = await restrictedMakers(ctx, scope);
        const worst = new Map<string, Severity>();
        for (const f of await standingFindings(ctx, scope)) {
          if (f.status === 'waived') continue;
          const current = worst.get(f.deviceId);
          if (current === undefined || SEVERITY_RANK[f.severity] > SEVERITY_RANK[current]) worst.set(f.deviceId, f.severity);
        }
        const items = [];
        for await (const d of allDevices(ctx.store, scope, { siteId: site.id })) {
          items.push({
            id: d.id, externalRef: d.externalRef, kind: d.kind, brand: d.brand, manufacturer: d.manufacturer, model: d.model, status: d.status,
            highestSeverity: worst.get(d.id) ?? null, restricted: ASSESSABLE_STATUSES.includes(d.status) && restricted(d.manufacturer),
          });
        }
        items.sort((a, b) => (SEVERITY_RANK[b.highestSeverity ?? 'info'] - SEVERITY_RANK[a.highestSeverity ?? 'info'])
          || (a.externalRef ?? a.id).localeCompare(b.externalRef ?? b.id));
        return { site: { id: site.id, name: site.name }, items };
      },
    }),
  ];
}
