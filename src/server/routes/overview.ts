// The overview of the organisation in the path: the council's four questions answered from the
// register, the latest assessment (waivers applied), the adopted plan and the policy in force.
// Each device figure carries the device-list filter that lists exactly those devices.
import { ASSESSABLE_STATUSES } from '../../core/assess/inputs.js';
import { compileKnowledge } from '../../core/assess/assess.js';
import { findingStates } from '../../core/assess/finding-status.js';
import { dayOf, waiverInForce } from '../../core/assess/waivers.js';
import { buildOverview } from '../../core/overview/overview.js';
import { loadPolicy } from '../../ingest/policy.js';
import { listAssessmentRuns, listFindings } from '../../store/assessments.js';
import { deviceFacets } from '../../store/devices.js';
import { listPlanItems } from '../../store/plan-items.js';
import { getOrganisationPolicy } from '../../store/policies.js';
import { listWaivers } from '../../store/waivers.js';
import { route, type RouteSpec } from '../route.js';
import { ORG } from './register-query.js';

export function overviewRoutes(): RouteSpec[] {
  return [
    route({
      method: 'GET', url: `${ORG}/overview`, tags: ['register', 'findings', 'plan'], auth: { org: 'read' },
      summary: 'What the organisation has, how exposed it is, what it does and what it asks of suppliers; each figure with the device-list filter behind it',
      handler: async ({ ctx, scope, org }) => {
        const now = ctx.now();
        const kb = await ctx.knowledge();
        const inService = ASSESSABLE_STATUSES.join(',');
        const devices = await deviceFacets(ctx.store, scope, { status: inService });
        const present = new Set(devices.map((d) => d.id));
        const waivers = await listWaivers(ctx.store, scope);
        const findings = findingStates((await listFindings(ctx.store, scope)).filter((f) => present.has(f.deviceId)), waivers, now);
        const stored = await getOrganisationPolicy(ctx.store, scope);
        const policy = await loadPolicy(undefined, stored);
        // A measure the knowledge base no longer holds is named, not fatal: the rest still answers.
        const known = new Set(kb.restrictions.map((r) => r.id));
        const unknownMeasures = [...policy.measures, ...policy.human_rights_measures].filter((id) => !known.has(id));
        const compiled = compileKnowledge(kb, {
          ...policy, measures: policy.measures.filter((id) => known.has(id)), human_rights_measures: policy.human_rights_measures.filter((id) => known.has(id)),
        });
        const sites = await ctx.store.db.selectFrom('sites').select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
          .where('org_id', '=', scope.orgId).executeTakeFirstOrThrow();
        const overview = buildOverview({
          inService: ASSESSABLE_STATUSES, devices, registerSites: Number(sites.n), findings,
          waiversInForce: waivers.filter((w) => waiverInForce(w, now)).length,
          planItems: await listPlanItems(ctx.store, scope), today: dayOf(now), kb, compiled,
          policy: { name: policy.name, origin: stored ? 'organisation' : 'default', unknownMeasures },
        });
        return {
          organisation: { slug: org.slug, name: org.name }, at: now,
          assessment: (await listAssessmentRuns(ctx.store, scope))[0] ?? null,
          kb: { version: kb.meta.version, date: kb.meta.date },
          ...overview,
        };
      },
    }),
  ];
}
