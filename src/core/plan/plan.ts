// The phase-out plan: findings + cost model + budget and capacity → per scenario, dated actions
// per device, cost per year, and the risk that remains year by year. Pure and deterministic:
// the same input gives the same plan, whatever the order of devices and findings.
//
// Common to every scenario:
// - Quick mitigations (disable vendor cloud, isolate the network, update firmware, close an open
//   port, activate the device) come first, cheapest risk reduction first; they resolve the
//   findings that ask for exactly them.
// - Findings asking for a review, a legal basis, a shorter retention or identification have no
//   plan action; a device left with one is reported apart from the devices the plan did not reach.
// - A finding asking for replacement makes the device a replacement: new hardware and
//   installation, then the old device decommissioned and disposed of (with certified storage
//   wipe). The new device resolves every finding about the device itself (see worklist.ts).
// - An action is due on its target date when that falls in its plan year. The target is the
//   earliest deadline of the findings it resolves; a replacement at end of life aims for the end
//   of life instead, or that deadline when it is later. A target already passed makes the action
//   due at the start of its year (or today); no target, or a later one, at the end of its year.
//   Replacements are due by 1 December at the latest so that disposal, 30 days later, stays in
//   the same year and budget.
// - Device risk is the sum of its findings' weights (critical 10, high 5, medium 2, low 1).
import { CamauditError } from '../errors.js';
import { isoDay, yearOf } from './dates.js';
import { Ledger } from './ledger.js';
import { SCHEDULERS } from './schedulers.js';
import { SCENARIOS, type PlanInput, type Scenario, type ScenarioName } from './types.js';
import { buildWorklist, type Worklist } from './worklist.js';

/** Longest plan horizon accepted; beyond it prices and lifetimes mean little. */
export const MAX_PLAN_YEARS = 30;

const TEXTS: Readonly<Record<ScenarioName, Pick<Scenario, 'title' | 'description'>>> = {
  replace_now: {
    title: { nl: 'Nu vervangen', en: 'Replace now' },
    description: {
      nl: 'Snelle maatregelen in het eerste jaar; daarna elk apparaat dat vervangen moet worden zo snel als de capaciteit toelaat, hoogste risico eerst, ongeacht het budget.',
      en: 'Quick mitigations in the first year; then every device that must be replaced as fast as capacity allows, highest risk first, regardless of budget.',
    },
  },
  end_of_life: {
    title: { nl: 'Vervangen aan het einde van de levensduur', en: 'Replace at end of life' },
    description: {
      nl: 'Snelle maatregelen in het eerste jaar; vervanging in het jaar waarin de levensduur eindigt (installatiedatum plus levensduur uit het kostenmodel; onbekende installatiedatum: het laatste planjaar).',
      en: 'Quick mitigations in the first year; replacement in the year the device’s life ends (installation date plus the cost model’s lifetime; unknown installation date: the last plan year).',
    },
  },
  risk_based: {
    title: { nl: 'Op risico, binnen budget', en: 'Risk-based within budget' },
    description: {
      nl: 'Elk jaar binnen budget en capaciteit: eerst de snelle maatregelen, daarna vervanging, steeds de meeste risicoreductie per euro eerst.',
      en: 'Each year within budget and capacity: quick mitigations first, then replacements, always the most risk reduction per euro first.',
    },
  },
};

/** The three scenarios side by side, in the order of SCENARIOS. */
export function buildScenarios(input: PlanInput): Scenario[] {
  const today = checkInput(input);
  const list = buildWorklist(input);
  return SCENARIOS.map((name) => runScenario(list, input, today, name));
}

export function buildScenario(input: PlanInput, name: ScenarioName): Scenario {
  const today = checkInput(input);
  return runScenario(buildWorklist(input), input, today, name);
}

function runScenario(list: Worklist, input: PlanInput, today: string, name: ScenarioName): Scenario {
  const ledger = new Ledger(list, input, today);
  SCHEDULERS[name](list, ledger, input);
  const costPerYear = ledger.costs.map((cost, i) => ({ year: input.startYear + i, cost }));
  let risk = list.totalRisk;
  const residualRisk = ledger.reduced.map((reduced, i) => {
    risk -= reduced;
    return { year: input.startYear + i, risk };
  });
  return {
    name,
    ...TEXTS[name],
    actions: ledger.actions,
    costPerYear,
    totalCost: ledger.costs.reduce((sum, cost) => sum + cost, 0),
    residualRisk,
    unresolved: ledger.unresolved(),
    outsidePlan: ledger.outsidePlan(),
  };
}

/** Validates the plan's parameters and returns today's ISO day. */
function checkInput(input: PlanInput): string {
  const fail = (field: string, message: string): never => {
    throw new CamauditError('invalid_input', `plan input: "${field}" ${message}`, { column: field });
  };
  const today = isoDay(input.now);
  if (today === null) return fail('now', `is not a date: ${input.now}`);
  if (!Number.isInteger(input.years) || input.years < 1 || input.years > MAX_PLAN_YEARS) fail('years', `must be a whole number from 1 to ${MAX_PLAN_YEARS}, not ${input.years}`);
  if (!Number.isInteger(input.startYear) || input.startYear < yearOf(today)) fail('startYear', `must be a whole year, not before the current year ${yearOf(today)}, not ${input.startYear}`);
  if (input.budgetPerYear !== null && !(Number.isFinite(input.budgetPerYear) && input.budgetPerYear >= 0)) fail('budgetPerYear', `must be a number of euros ≥ 0 or none, not ${input.budgetPerYear}`);
  if (input.capacityPerYear !== null && !(Number.isInteger(input.capacityPerYear) && input.capacityPerYear >= 0)) fail('capacityPerYear', `must be a whole number of devices ≥ 0 or none, not ${input.capacityPerYear}`);
  return today;
}
