// The phase-out plan of the organisation in the path: scenarios computed side by side (nothing
// written), adopting one as the plan, the plan items and their workflow, disposal records, and
// the plan workbook as a report job. Scenarios and the adopted plan start from the findings of
// the latest assessment (re-assess with POST …/assessments), so what one compared is what one
// adopts; every answer names that assessment.
import { z } from 'zod';
import { deviceRisk } from '../../core/assess/risk.js';
import { applyWaivers, dayOf } from '../../core/assess/waivers.js';
import { CamauditError } from '../../core/errors.js';
import { CostModelSchema, DEFAULT_COST_MODEL } from '../../core/plan/costs.js';
import { buildScenario, buildScenarios, MAX_PLAN_YEARS } from '../../core/plan/plan.js';
import { PLAN_ACTIONS, SCENARIOS, type PlanInput, type Scenario } from '../../core/plan/types.js';
import { loadAssessDevices } from '../../store/assess-inputs.js';
import { listAssessmentRuns, listFindings, type AssessmentRun } from '../../store/assessments.js';
import type { Store } from '../../store/database.js';
import { expandDeviceId } from '../../store/devices.js';
import { advancePlanItem, listDisposals, listPlanItems, PLAN_STATUSES, recordDisposal, savePlan, type Disposal, type PlanItem } from '../../store/plan-items.js';
import type { TenantScope } from '../../store/tenant.js';
import { listWaivers } from '../../store/waivers.js';
import { PLAN_FILE, ReportJobParams } from '../jobs/handlers/report.js';
import { submitJob } from '../jobs/submit.js';
import { route, type RouteSpec } from '../route.js';
import { acceptedJob } from './job-accepted.js';
import { listParam, PAGE_PARAMS, pageOf, sortParam, type SortFields } from './paging.js';

const BASE = '/api/v1/organisations/:org';

const PlanParams = {
  /** Euros per calendar year; absent: unlimited. */
  budget: z.number().int().min(0).max(1e12).optional(),
  /** Devices that can be replaced per year; absent: unlimited. */
  capacity: z.number().int().min(0).max(10_000_000).optional(),
  years: z.number().int().min(1).max(MAX_PLAN_YEARS).default(5),
  /** Contract prices instead of the default cost model (policies/costs.yaml), in the same shape. */
  costs: CostModelSchema.optional(),
};

const ScenarioRequest = z.strictObject({
  ...PlanParams,
  /** Which strategies to compare; absent: all of them. */
  scenarios: z.array(z.enum(SCENARIOS)).min(1).max(SCENARIOS.length).optional(),
  /** Leave out each scenario's actions when only the comparison is wanted. */
  actions: z.boolean().default(true),
});

const AdoptRequest = z.strictObject({ ...PlanParams, scenario: z.enum(SCENARIOS) });

interface PlanBasis {
  input: PlanInput;
  assessment: AssessmentRun;
  /** Sum of the risk scores of the findings the plan starts from. */
  riskNow: number;
}

/** The latest assessment's findings with the waivers in force applied, on the devices still assessable. */
async function planBasis(store: Store, scope: TenantScope, params: { budget?: number; capacity?: number; years: number; costs?: PlanInput['cost'] }, now: string): Promise<PlanBasis> {
  const assessment = (await listAssessmentRuns(store, scope))[0];
  if (!assessment) throw new CamauditError('conflict', 'the organisation has not been assessed yet; start an assessment (POST …/assessments) and plan when it has finished');
  const devices = await loadAssessDevices(store.db, scope);
  const present = new Set(devices.map((d) => d.id));
  const findings = (await listFindings(store, scope)).filter((f) => present.has(f.deviceId));
  const { active } = applyWaivers(findings, await listWaivers(store, scope), now);
  return {
    assessment,
    riskNow: deviceRisk(active).score,
    input: {
      devices, findings: active, cost: params.costs ?? DEFAULT_COST_MODEL, budgetPerYear: params.budget ?? null,
      capacityPerYear: params.capacity ?? null, startYear: Number(now.slice(0, 4)), years: params.years, now,
    },
  };
}

/** The figures that compare scenarios, without their actions; `devices` is how many devices the actions touch. */
function summary(s: Scenario) {
  return {
    name: s.name, title: s.title, totalCost: s.totalCost, actions: s.actions.length, devices: new Set(s.actions.map((a) => a.deviceId)).size,
    unresolved: s.unresolved.length, outsidePlan: s.outsidePlan.length,
    residualRiskAtEnd: s.residualRisk[s.residualRisk.length - 1]?.risk ?? null, costPerYear: s.costPerYear, residualRisk: s.residualRisk,
  };
}

const overdue = (item: PlanItem, today: string) => item.status !== 'done' && item.dueDate < today;

const ITEM_SORT: SortFields<PlanItem> = {
  dueDate: (i) => i.dueDate, cost: (i) => i.cost, year: (i) => i.year, status: (i) => i.status, device: (i) => i.deviceId, action: (i) => i.action,
};

const ItemQuery = z.strictObject({
  ...PAGE_PARAMS,
  sort: sortParam(ITEM_SORT, 'dueDate'),
  status: listParam(PLAN_STATUSES),
  action: listParam(PLAN_ACTIONS),
  scenario: z.enum(SCENARIOS).optional(),
  year: z.coerce.number().int().min(2000).max(3000).optional(),
  device: z.uuid().optional(),
  /** Only items past their due date and not done (true), or only the others (false). */
  overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
});

/** A plan item as `plan list` names it: the device id and the action. */
const ItemId = z.strictObject({ id: z.string().regex(/^[0-9a-f-]{36}:[a-z_]+$/, 'a plan item id: <device id>:<action>') });

const DISPOSAL_SORT: SortFields<Disposal> = { disposedAt: (d) => d.disposedAt, device: (d) => d.deviceId };

export function planRoutes(): RouteSpec[] {
  return [
    route({
      method: 'GET', url: `${BASE}/plan`, tags: ['plan'], auth: { org: 'read' }, query: ItemQuery,
      summary: 'The adopted plan\'s items with due date, cost, status and whether they are overdue; filtered, sorted, paged',
      handler: async ({ ctx, scope, query: q }) => {
        const today = dayOf(ctx.now());
        const items = (await listPlanItems(ctx.store, scope, q.device ? { deviceId: q.device } : {})).filter((i) =>
          (!q.status?.length || q.status.includes(i.status)) && (!q.action?.length || q.action.includes(i.action))
          && (!q.scenario || i.scenario === q.scenario) && (q.year === undefined || i.year === q.year)
          && (q.overdue === undefined || overdue(i, today) === q.overdue));
        const page = pageOf(items, q, ITEM_SORT, (i) => i.id);
        return { items: page.items.map((i) => ({ ...i, overdue: overdue(i, today) })), nextCursor: page.nextCursor };
      },
    }),
    route({
      method: 'PUT', url: `${BASE}/plan`, tags: ['plan'], auth: { org: 'write' }, body: AdoptRequest,
      summary: 'Adopt one scenario as the plan; items already started or done keep their status',
      handler: async ({ ctx, scope, body }) => {
        const now = ctx.now();
        const { input, assessment } = await planBasis(ctx.store, scope, body, now);
        const scenario = buildScenario(input, body.scenario);
        const saved = await savePlan(ctx.store, scope, scenario, now);
        return { scenario: summary(scenario), saved, assessment };
      },
    }),
    route({
      method: 'PATCH', url: `${BASE}/plan/items/:id`, tags: ['plan'], auth: { org: 'write' }, params: ItemId,
      body: z.strictObject({ status: z.enum(['in_progress', 'done']), note: z.string().max(2000).optional() }),
      summary: 'Move a plan item one step: planned → in_progress → done; a finished replacement retires the device',
      handler: async ({ ctx, scope, params, body }) => advancePlanItem(ctx.store, scope, params.id, body.status, ctx.now(), body.note),
    }),
    route({
      method: 'POST', url: `${BASE}/plan/scenarios`, tags: ['plan'], auth: { org: 'read' }, body: ScenarioRequest,
      summary: 'Compute phase-out scenarios side by side — cost and residual risk per year — for a budget and capacity; writes nothing',
      handler: async ({ ctx, scope, body }) => {
        const { input, assessment, riskNow } = await planBasis(ctx.store, scope, body, ctx.now());
        const scenarios = body.scenarios ? body.scenarios.map((name) => buildScenario(input, name)) : buildScenarios(input);
        return {
          assessment, startYear: input.startYear, years: input.years, budget: input.budgetPerYear, capacity: input.capacityPerYear, riskNow,
          // The prices used, so a client can show them and send changed ones back as `costs`.
          costs: input.cost,
          comparison: scenarios.map(summary),
          scenarios: body.actions ? scenarios : undefined,
        };
      },
    }),
    route({
      method: 'POST', url: `${BASE}/reports/plan-workbook`, tags: ['plan', 'reports'], auth: { org: 'write' }, status: 202, body: ReportJobParams,
      summary: 'Make the plan workbook (XLSX: the scenarios compared, one sheet per scenario) as a report job; download it from the job\'s files',
      handler: async ({ ctx, scope, org, body, reply }) => acceptedJob(reply, org, await submitJob(ctx, scope, { kind: 'report', params: body }), PLAN_FILE),
    }),
    route({
      method: 'GET', url: `${BASE}/disposals`, tags: ['plan'], auth: { org: 'read' },
      query: z.strictObject({ ...PAGE_PARAMS, sort: sortParam(DISPOSAL_SORT, '-disposedAt') }),
      summary: 'Disposal records: how each device\'s storage was destroyed, with the certificate',
      handler: async ({ ctx, scope, query: q }) => pageOf(await listDisposals(ctx.store, scope), q, DISPOSAL_SORT, (d) => d.id),
    }),
    route({
      method: 'POST', url: `${BASE}/disposals`, tags: ['plan'], auth: { org: 'write' }, status: 201,
      body: z.strictObject({ device: z.string().min(1).max(64), method: z.string().max(200), certificate: z.string().max(200) }),
      summary: 'Record a device\'s disposal with the certificate of its storage destruction; the device becomes disposed',
      handler: async ({ ctx, scope, body }) => {
        const deviceId = await expandDeviceId(ctx.store, scope, body.device);
        return recordDisposal(ctx.store, scope, { deviceId, method: body.method, certificate: body.certificate }, ctx.now());
      },
    }),
  ];
}
