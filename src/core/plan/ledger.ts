// One scenario's bookkeeping: which findings are still open, the dated actions taken so far, and
// the money spent and risk removed per plan year. Schedulers decide what to do and when; the
// ledger records it, so every scenario counts costs, dates and risk the same way.
import { RULES, type Finding, type RuleId } from '../assess/types.js';
import { dueInYear, disposalDay, lastReplacementDay } from './dates.js';
import type { PlanInput, PlannedAction } from './types.js';
import { plannable, resolvedByMitigation, resolvedByReplacement, type MitigationCandidate, type Resolver, type Worklist } from './worklist.js';
import { SEVERITY_WEIGHTS } from '../assess/risk.js';

export class Ledger {
  /** Actions in the order the plan takes them: year by year, within a year as scheduled. */
  readonly actions: PlannedAction[] = [];
  /** Per plan year (index 0 = startYear). */
  readonly costs: number[];
  readonly reduced: number[];
  private readonly open: Uint8Array;
  private readonly risk: number[];
  /** Replacement due date → disposal date; many replacements share a date. */
  private readonly disposals = new Map<string, string>();

  constructor(
    private readonly list: Worklist,
    private readonly input: PlanInput,
    private readonly today: string,
  ) {
    this.costs = new Array<number>(input.years).fill(0);
    this.reduced = new Array<number>(input.years).fill(0);
    this.open = new Uint8Array(list.findingCount).fill(1);
    this.risk = list.items.map((i) => i.risk);
  }

  /** Whether the mitigation would still resolve an open finding (a replacement may have done it). */
  needed(c: MitigationCandidate): boolean {
    return this.openFindings(c.item, resolvedByMitigation(c.action)).length > 0;
  }

  mitigate(c: MitigationCandidate, year: number): void {
    const resolved = this.openFindings(c.item, resolvedByMitigation(c.action));
    const due = dueInYear(year, this.deadline(c.item, resolved), this.today);
    this.record(c.item, c.action, year, due, c.cost, resolved);
  }

  /**
   * Replace the device in `year`: new hardware and installation, the old device decommissioned
   * the same day and disposed of afterwards. `deadline` is the date the scenario aims for (null:
   * none, so the end of the year); by default the earliest deadline of the findings it resolves.
   */
  replace(item: number, year: number, deadline: string | null = this.replacementDeadline(item)): void {
    const { device } = this.list.items[item]!;
    const kind = this.input.cost.kinds[device.kind];
    const resolved = this.openFindings(item, resolvedByReplacement);
    const due = dueInYear(year, deadline, this.today, lastReplacementDay(year));
    this.record(item, 'replace', year, due, kind.hardware + kind.installation, resolved);
    this.record(item, 'decommission', year, due, this.input.cost.actions.decommission, []);
    let disposal = this.disposals.get(due);
    if (disposal === undefined) this.disposals.set(due, (disposal = disposalDay(due)));
    this.record(item, 'dispose', year, disposal, kind.disposal, []);
  }

  /** Devices left with a finding the plan has an action for, by device id. */
  unresolved(): string[] {
    return this.devicesWithOpen(plannable);
  }

  /** Devices left with a finding no plan action resolves, by device id. */
  outsidePlan(): string[] {
    return this.devicesWithOpen((f) => !plannable(f));
  }

  private devicesWithOpen(which: Resolver): string[] {
    const ids: string[] = [];
    for (const item of this.list.items) {
      if (item.findings.some((f, k) => this.open[item.first + k] === 1 && which(f))) ids.push(item.device.id);
    }
    return ids;
  }

  /** The earliest deadline of the open findings a replacement of the device would resolve. */
  replacementDeadline(item: number): string | null {
    return this.deadline(item, this.openFindings(item, resolvedByReplacement));
  }

  /** Positions (within the device's findings) of the open findings `resolves` accepts. */
  private openFindings(item: number, resolves: Resolver): number[] {
    const { findings, first } = this.list.items[item]!;
    const positions: number[] = [];
    for (const [k, f] of findings.entries()) if (this.open[first + k] === 1 && resolves(f)) positions.push(k);
    return positions;
  }

  private record(item: number, action: PlannedAction['action'], year: number, dueDate: string, cost: number, resolved: readonly number[]): void {
    const { device, findings, first } = this.list.items[item]!;
    const riskBefore = this.risk[item]!;
    let removed = 0;
    for (const k of resolved) {
      this.open[first + k] = 0;
      removed += SEVERITY_WEIGHTS[findings[k]!.severity];
    }
    const riskAfter = riskBefore - removed;
    this.risk[item] = riskAfter;
    const index = year - this.input.startYear;
    this.costs[index]! += cost;
    this.reduced[index]! += removed;
    this.actions.push({ id: `${device.id}:${action}`, deviceId: device.id, action, year, dueDate, cost, resolves: ruleList(findings, resolved), riskBefore, riskAfter });
  }

  /** The earliest due date of the given findings of a device, or null when none has one. */
  private deadline(item: number, positions: readonly number[]): string | null {
    const { findings } = this.list.items[item]!;
    let earliest: string | null = null;
    for (const k of positions) {
      const due = findings[k]!.dueDate?.slice(0, 10) ?? null;
      if (due !== null && (earliest === null || due < earliest)) earliest = due;
    }
    return earliest;
  }
}

const RULE_INDEX = new Map<RuleId, number>(RULES.map((rule, i) => [rule, i]));

/** Each rule once, in the catalogue's order, so the list does not depend on input order. */
function ruleList(findings: readonly Finding[], positions: readonly number[]): RuleId[] {
  if (positions.length === 0) return [];
  let mask = 0;
  for (const k of positions) mask |= 1 << RULE_INDEX.get(findings[k]!.rule)!;
  const rules: RuleId[] = [];
  for (const [i, rule] of RULES.entries()) if (mask & (1 << i)) rules.push(rule);
  return rules;
}
