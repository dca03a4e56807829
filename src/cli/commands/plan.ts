// `camaudit plan`: the phase-out scenarios side by side from the current findings (the
// assessment is run first, incrementally, and waivers are applied), adopting one as the plan
// (`--save`), and the plan items' workflow: start, done, list, and disposal with a certificate.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CamauditError } from '../../core/errors.js';
import { DEFAULT_COST_MODEL, parseCostModel } from '../../core/plan/costs.js';
import { buildScenario, buildScenarios, MAX_PLAN_YEARS } from '../../core/plan/plan.js';
import { SCENARIOS, type CostModel, type PlanInput, type Scenario, type ScenarioName } from '../../core/plan/types.js';
import { t, type Lang } from '../../i18n/messages.js';
import { writePlanWorkbook } from '../../report/plan-workbook.js';
import { expandDeviceId } from '../../store/devices.js';
import { advancePlanItem, listPlanItems, recordDisposal, savePlan, shortRef, type PlanStatus } from '../../store/plan-items.js';
import { resolveOrganisation, scopeFor, withStore, type Io } from '../context.js';
import { printJson, printTable, type CommandContext } from '../program.js';
import { makerName } from '../../kb/query.js';
import { assessOrganisation } from './assess.js';

interface PlanFlags {
  budget?: string;
  capacity?: string;
  years: string;
  scenario?: string;
  costs?: string;
  policy?: string;
  save?: boolean;
  xlsx?: string;
}

/** A whole number ≥ 0 from a flag, or null when the flag is absent (no limit). */
function parseCount(text: string | undefined, flag: string): number | null {
  if (text === undefined) return null;
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < 0) throw new CamauditError('usage', `${flag} "${text}": give a whole number of 0 or more`);
  return n;
}

function parseScenario(text: string | undefined): ScenarioName | null {
  if (text === undefined) return null;
  if (!(SCENARIOS as readonly string[]).includes(text)) throw new CamauditError('usage', `--scenario "${text}": expected one of ${SCENARIOS.join(', ')}`);
  return text as ScenarioName;
}

async function loadCostModel(file: string | undefined): Promise<CostModel> {
  if (file === undefined) return DEFAULT_COST_MODEL;
  const text = await readFile(file, 'utf8').catch((cause: Error) => {
    throw new CamauditError('not_found', `cannot read cost model ${file}: ${cause.message}`, { file });
  });
  return parseCostModel(text, file);
}

const money = (lang: Lang, n: number) => n.toLocaleString(lang === 'nl' ? 'nl-NL' : 'en-GB');

function printScenario(io: Io, lang: Lang, s: Scenario): void {
  io.out(`${s.title[lang]} (${s.name})`);
  io.out(s.description[lang]);
  printTable(io, [t(lang, 'plan.year'), t(lang, 'plan.cost'), t(lang, 'plan.residualRisk'), t(lang, 'plan.actions')], s.costPerYear.map((c, i) => [
    c.year, money(lang, c.cost), s.residualRisk[i]?.risk, s.actions.filter((a) => a.year === c.year).length,
  ]));
  io.out(t(lang, 'plan.totals', { cost: money(lang, s.totalCost), actions: s.actions.length, unresolved: s.unresolved.length, outside: s.outsidePlan.length }));
}

export function registerPlan(program: Command, ctx: CommandContext): void {
  const plan = program
    .command('plan')
    .description('phase-out scenarios (replace_now, end_of_life, risk_based) with cost and residual risk per year; --scenario NAME --save adopts one')
    .option('--budget <euros>', 'money per calendar year (default: unlimited)')
    .option('--capacity <devices>', 'devices that can be replaced per year (default: unlimited)')
    .option('--years <n>', `years the plan covers, 1 to ${MAX_PLAN_YEARS}`, '5')
    .option('--scenario <name>', `one scenario with its actions: ${SCENARIOS.join(', ')}`)
    .option('--costs <file>', 'cost model (default policies/costs.yaml)')
    .option('--policy <file>', 'policy for the assessment the plan starts from (as in camaudit assess)')
    .option('--save', 'store the --scenario\'s actions as the plan items (statuses of existing items are kept)')
    .option('--xlsx <file>', 'write the scenarios to a workbook: a comparison sheet and one sheet per scenario')
    .action(async (opts: PlanFlags) => {
      const g = ctx.globals();
      const now = ctx.io.now();
      const budget = parseCount(opts.budget, '--budget');
      const capacity = parseCount(opts.capacity, '--capacity');
      const years = parseCount(opts.years, '--years')!;
      const only = parseScenario(opts.scenario);
      if (opts.save && only === null) throw new CamauditError('usage', t(g.lang, 'plan.saveNeedsScenario'));
      if (opts.xlsx && g.json) throw new CamauditError('usage', 'give --json or --xlsx, not both');
      const cost = await loadCostModel(opts.costs);
      await withStore(g, async (store) => {
        const org = await resolveOrganisation(store, g, now);
        const scope = scopeFor(org, g, 'plan');
        const { result, outcome, kb } = await assessOrganisation(store, g, scope, opts.policy, now);
        const input: PlanInput = {
          devices: result.devices, findings: outcome.active, cost, budgetPerYear: budget, capacityPerYear: capacity,
          startYear: Number(now.slice(0, 4)), years, now,
        };
        const scenarios = only === null ? buildScenarios(input) : [buildScenario(input, only)];
        const saved = opts.save ? await savePlan(store, scope, scenarios[0]!, now) : null;
        const maker = (id: string | null) => makerName(kb, id);
        const devices = new Map(result.devices.map((d) => [d.id, d]));
        if (opts.xlsx) {
          await writePlanWorkbook(opts.xlsx, scenarios, devices, maker, g.lang);
          ctx.io.out(t(g.lang, 'plan.written', { file: opts.xlsx }));
        } else if (g.json) {
          printJson(ctx.io, { startYear: input.startYear, years, budgetPerYear: budget, capacityPerYear: capacity, scenarios, ...(saved ? { saved } : {}) });
          return;
        } else {
          ctx.io.out(t(g.lang, 'plan.parameters', {
            from: input.startYear, to: input.startYear + years - 1,
            budget: budget === null ? t(g.lang, 'plan.unlimited') : `${money(g.lang, budget)} EUR`,
            capacity: capacity === null ? t(g.lang, 'plan.unlimited') : capacity,
            findings: outcome.active.length, devices: new Set(outcome.active.map((f) => f.deviceId)).size,
          }));
          for (const s of scenarios) {
            ctx.io.out('');
            printScenario(ctx.io, g.lang, s);
          }
          if (only !== null && scenarios[0]!.actions.length > 0) {
            ctx.io.out('');
            printTable(ctx.io, ['item', 'site', 'maker', 'model', 'action', 'due', 'cost', 'resolves'], scenarios[0]!.actions.map((a) => {
              const d = devices.get(a.deviceId);
              return [shortRef(a), d?.site?.name, maker(d?.manufacturer ?? null), d?.model, a.action, a.dueDate, a.cost, a.resolves.join(', ')];
            }));
          }
        }
        if (saved) ctx.io.out(t(g.lang, 'plan.saved', { name: scenarios[0]!.name, ...saved }));
      });
    });

  plan.command('list').description('the stored plan items with their status, who set it and when').action(async () => {
    const g = ctx.globals();
    const now = ctx.io.now();
    await withStore(g, async (store) => {
      const org = await resolveOrganisation(store, g, now);
      const items = await listPlanItems(store, scopeFor(org, g, 'plan'));
      if (g.json) return printJson(ctx.io, items);
      if (items.length === 0) return ctx.io.out(t(g.lang, 'list.empty'));
      printTable(ctx.io, ['item', 'scenario', 'year', 'due', 'cost', 'status', 'since', 'by', 'note'], items.map((i) => [
        shortRef(i), i.scenario, i.year, i.dueDate, i.cost, i.status, i.statusAt.slice(0, 10), i.statusBy, i.note,
      ]));
    });
  });

  const advance = (to: PlanStatus) => async (ref: string, opts: { note?: string }) => {
    const g = ctx.globals();
    const now = ctx.io.now();
    await withStore(g, async (store) => {
      const org = await resolveOrganisation(store, g, now);
      const { item, from, deviceStatus } = await advancePlanItem(store, scopeFor(org, g, 'plan'), ref, to, now, opts.note);
      if (g.json) return printJson(ctx.io, item);
      ctx.io.out(t(g.lang, 'plan.advanced', { id: shortRef(item), action: item.action, from, to }));
      if (deviceStatus !== null) ctx.io.out(t(g.lang, 'plan.deviceRetired', { device: item.deviceId.slice(0, 8), status: deviceStatus }));
    });
  };
  plan.command('start').description('work on a plan item has started (planned → in_progress)')
    .argument('<item>', 'plan item: <device id prefix>:<action> as plan list shows it')
    .option('--note <text>', 'a remark stored with the step').action(advance('in_progress'));
  plan.command('done').description('a plan item is finished (in_progress → done); a finished replace or decommission sets the device replaced or decommissioned')
    .argument('<item>', 'plan item: <device id prefix>:<action> as plan list shows it')
    .option('--note <text>', 'a remark stored with the step').action(advance('done'));

  plan.command('dispose').description('record the disposal of a device with the certificate of its storage destruction; sets its status to disposed')
    .argument('<device>', 'device id (or a unique prefix)')
    .requiredOption('--method <how>', 'how the storage was made unreadable: certified_wipe, shred, degauss, …')
    .requiredOption('--certificate <ref>', 'certificate of destruction: number or document reference')
    .action(async (device: string, opts: { method: string; certificate: string }) => {
      const g = ctx.globals();
      const now = ctx.io.now();
      await withStore(g, async (store) => {
        const org = await resolveOrganisation(store, g, now);
        const scope = scopeFor(org, g, 'plan');
        const disposal = await recordDisposal(store, scope, { deviceId: await expandDeviceId(store, scope, device), ...opts }, now);
        if (g.json) return printJson(ctx.io, disposal);
        ctx.io.out(t(g.lang, 'plan.disposed', { device: disposal.deviceId.slice(0, 8), method: disposal.method, certificate: disposal.certificate }));
      });
    });
}
