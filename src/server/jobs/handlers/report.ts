// `report` jobs: the phase-out plan workbook of `camaudit plan --xlsx` — the scenarios compared,
// one sheet of actions per scenario — stored with the job as out/plan.xlsx.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { makerName } from '../../../kb/query.js';
import { DEFAULT_COST_MODEL } from '../../../core/plan/costs.js';
import { buildScenario, buildScenarios, MAX_PLAN_YEARS } from '../../../core/plan/plan.js';
import { SCENARIOS, type PlanInput } from '../../../core/plan/types.js';
import { writePlanWorkbook } from '../../../report/plan-workbook.js';
import { JobCancelled, type JobHandler } from '../types.js';
import { assessForJob } from './assessment.js';
import { withTempDir } from './temp-dir.js';

export const ReportJobParams = z.strictObject({
  /** Euros per calendar year; absent: unlimited. */
  budget: z.number().int().min(0).optional(),
  /** Devices replaced per year; absent: unlimited. */
  capacity: z.number().int().min(0).optional(),
  years: z.number().int().min(1).max(MAX_PLAN_YEARS).default(5),
  /** One scenario only; absent: all of them. */
  scenario: z.enum(SCENARIOS).optional(),
  lang: z.enum(['nl', 'en']).default('nl'),
});
export type ReportJobParams = z.infer<typeof ReportJobParams>;

export const PLAN_FILE = 'plan.xlsx';

export const reportJob: JobHandler = async (ctx) => {
  const p = ReportJobParams.parse(ctx.job.params);
  if (ctx.signal.aborted) throw new JobCancelled();
  const now = ctx.now();
  const { result, outcome, kb } = await assessForJob(ctx, now);
  const input: PlanInput = {
    devices: result.devices, findings: outcome.active, cost: DEFAULT_COST_MODEL, budgetPerYear: p.budget ?? null,
    capacityPerYear: p.capacity ?? null, startYear: Number(now.slice(0, 4)), years: p.years, now,
  };
  const scenarios = p.scenario ? [buildScenario(input, p.scenario)] : buildScenarios(input);
  const devices = new Map(result.devices.map((d) => [d.id, d]));
  const workbook = await withTempDir(async (dir) => {
    const file = join(dir, PLAN_FILE);
    await writePlanWorkbook(file, scenarios, devices, (id) => makerName(kb, id), p.lang);
    return readFile(file);
  });
  await ctx.writeFile(PLAN_FILE, workbook);
  return {
    file: `out/${PLAN_FILE}`, startYear: input.startYear, years: p.years,
    scenarios: scenarios.map((s) => ({ name: s.name, totalCost: s.totalCost, actions: s.actions.length, unresolved: s.unresolved.length })),
  };
};
