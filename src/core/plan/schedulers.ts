// The three scenarios differ in when they act and what limits them; each writes its choices into
// a ledger. Every scheduler sorts its work once and then walks the plan years in order, so a plan
// for 100,000 devices costs one sort plus a pass over the devices per year.
import { addYears, isoDay, maxDay, yearOf } from './dates.js';
import type { Ledger } from './ledger.js';
import type { PlanInput, ScenarioName } from './types.js';
import { byEfficiency, byReduction, type Candidate, type MitigationCandidate, type Worklist } from './worklist.js';

export type Scheduler = (list: Worklist, ledger: Ledger, input: PlanInput) => void;

export const SCHEDULERS: Readonly<Record<ScenarioName, Scheduler>> = {
  replace_now: replaceNow,
  end_of_life: endOfLife,
  risk_based: riskBased,
};

/** Every replacement as soon as capacity allows, highest risk first; money is no limit. */
function replaceNow(list: Worklist, ledger: Ledger, input: PlanInput): void {
  mitigateInFirstYear(list.mitigations, ledger, input);
  const queue = [...list.replacements].sort(byReduction);
  let next = 0;
  for (let year = input.startYear; year < input.startYear + input.years && next < queue.length; year++) {
    for (let done = 0; done < capacity(input) && next < queue.length; done++) ledger.replace(queue[next++]!.item, year);
  }
}

interface EndOfLife {
  candidate: Candidate;
  year: number;
  /** Installation date + lifetime; null when the installation date is unknown or unreadable. */
  date: string | null;
}

/**
 * Each device replaced in the year its life ends (already ended: the first year; installation
 * date unknown or unreadable: the last year). Over capacity, the rest move to the next year, where they go
 * before the devices due that year; among devices due in the same year, the highest risk first.
 * A life that ends after the horizon leaves the device unresolved.
 */
function endOfLife(list: Worklist, ledger: Ledger, input: PlanInput): void {
  mitigateInFirstYear(list.mitigations, ledger, input);
  const lastYear = input.startYear + input.years - 1;
  const queue: EndOfLife[] = list.replacements.map((candidate) => {
    const installed = list.items[candidate.item]!.device.installDate;
    const day = installed === null ? null : isoDay(installed);
    const date = day === null ? null : addYears(day, input.cost.lifetimeYears);
    return { candidate, date, year: date === null ? lastYear : Math.max(input.startYear, yearOf(date)) };
  });
  queue.sort((a, b) => a.year - b.year || byReduction(a.candidate, b.candidate));
  let next = 0;
  for (let year = input.startYear; year <= lastYear && next < queue.length; year++) {
    for (let done = 0; done < capacity(input) && next < queue.length && queue[next]!.year <= year; done++) {
      const { candidate, date } = queue[next++]!;
      // A life that ended before the findings' deadline is no reason to hurry past that deadline.
      const deadline = ledger.replacementDeadline(candidate.item);
      ledger.replace(candidate.item, year, date === null || deadline === null ? date : maxDay(date, deadline));
    }
  }
}

/**
 * Year by year within budget and capacity: first the quick mitigations still open, then
 * replacements, each list most risk removed per euro first. What does not fit this year's
 * remaining budget waits for the next year; cheaper work behind it may still fit now.
 */
function riskBased(list: Worklist, ledger: Ledger, input: PlanInput): void {
  let mitigations: readonly MitigationCandidate[] = list.mitigations;
  let replacements: readonly Candidate[] = [...list.replacements].sort(byEfficiency);
  for (let year = input.startYear; year < input.startYear + input.years; year++) {
    let budget = input.budgetPerYear ?? Infinity;
    let slots = capacity(input);
    const waitingMitigations: MitigationCandidate[] = [];
    for (const c of mitigations) {
      if (!ledger.needed(c)) continue;
      if (c.cost > budget) {
        waitingMitigations.push(c);
        continue;
      }
      ledger.mitigate(c, year);
      budget -= c.cost;
    }
    const waitingReplacements: Candidate[] = [];
    for (const c of replacements) {
      if (slots === 0 || c.cost > budget) {
        waitingReplacements.push(c);
        continue;
      }
      ledger.replace(c.item, year);
      budget -= c.cost;
      slots--;
    }
    mitigations = waitingMitigations;
    replacements = waitingReplacements;
  }
}

/** Quick mitigations cost little and need no installer slot: all of them in the first year. */
function mitigateInFirstYear(mitigations: readonly MitigationCandidate[], ledger: Ledger, input: PlanInput): void {
  for (const c of mitigations) ledger.mitigate(c, input.startYear);
}

function capacity(input: PlanInput): number {
  return input.capacityPerYear ?? Infinity;
}
