// The plan page's arithmetic, apart from React so it can be tested on its own: plan items grouped
// into periods of the timeline, the budget per year, the scenario figures per year, and reading
// the numbers people type.

export type ItemStatus = 'planned' | 'in_progress' | 'done';

export interface PlanItemFigures {
  id: string;
  deviceId: string;
  action: string;
  year: number;
  dueDate: string;
  cost: number;
  status: ItemStatus;
  overdue: boolean;
}

/** The quarter (1–4) of an ISO date. */
export function quarterOf(isoDate: string): number {
  const month = Number(isoDate.slice(5, 7));
  return Math.floor((month - 1) / 3) + 1;
}

/** A timeline period as a key that sorts in time: `2027-Q3`. */
export function periodOf(item: { dueDate: string }): string {
  return `${item.dueDate.slice(0, 4)}-Q${quarterOf(item.dueDate)}`;
}

export interface Period {
  key: string;
  year: number;
  quarter: number;
  actions: number;
  cost: number;
  planned: number;
  inProgress: number;
  done: number;
  overdue: number;
}

/** The plan's items counted per quarter of their due date, earliest first. */
export function periods(items: readonly PlanItemFigures[]): Period[] {
  const byKey = new Map<string, Period>();
  for (const item of items) {
    const key = periodOf(item);
    let p = byKey.get(key);
    if (!p) {
      p = { key, year: Number(item.dueDate.slice(0, 4)), quarter: quarterOf(item.dueDate), actions: 0, cost: 0, planned: 0, inProgress: 0, done: 0, overdue: 0 };
      byKey.set(key, p);
    }
    p.actions++;
    p.cost += item.cost;
    if (item.status === 'planned') p.planned++;
    else if (item.status === 'in_progress') p.inProgress++;
    else p.done++;
    if (item.overdue) p.overdue++;
  }
  return [...byKey.values()].sort((a, b) => a.key.localeCompare(b.key));
}

export interface BudgetRow {
  year: number;
  /** Everything the plan spends in the year. */
  planned: number;
  /** The cost of the year's items that are done. */
  spent: number;
  /** The cost of the year's items under way. */
  inProgress: number;
  /** Planned minus spent: what the year still needs. */
  remaining: number;
}

/** Planned, spent and remaining money per plan year, and the totals over all years. */
export function budgetByYear(items: readonly PlanItemFigures[]): { rows: BudgetRow[]; total: Omit<BudgetRow, 'year'> } {
  const byYear = new Map<number, BudgetRow>();
  for (const item of items) {
    let row = byYear.get(item.year);
    if (!row) {
      row = { year: item.year, planned: 0, spent: 0, inProgress: 0, remaining: 0 };
      byYear.set(item.year, row);
    }
    row.planned += item.cost;
    if (item.status === 'done') row.spent += item.cost;
    if (item.status === 'in_progress') row.inProgress += item.cost;
  }
  const rows = [...byYear.values()].sort((a, b) => a.year - b.year).map((r) => ({ ...r, remaining: r.planned - r.spent }));
  const total = rows.reduce((t, r) => ({ planned: t.planned + r.planned, spent: t.spent + r.spent, inProgress: t.inProgress + r.inProgress, remaining: t.remaining + r.remaining }),
    { planned: 0, spent: 0, inProgress: 0, remaining: 0 });
  return { rows, total };
}

/** The one step an item may take next; null when it is done. */
export function nextStatus(status: ItemStatus): Exclude<ItemStatus, 'planned'> | null {
  if (status === 'planned') return 'in_progress';
  if (status === 'in_progress') return 'done';
  return null;
}

/**
 * A whole number of 0 or more as typed: undefined when the field is empty (no limit), null when
 * it is not a whole number. Spaces and the thousands separators of both languages are allowed.
 */
export function parseWholeNumber(text: string): number | undefined | null {
  const cleaned = text.replace(/[\s.,’']/g, '');
  if (cleaned === '') return text.trim() === '' ? undefined : null;
  if (!/^\d+$/.test(cleaned)) return null;
  const n = Number(cleaned);
  return Number.isSafeInteger(n) ? n : null;
}

export interface ScenarioFigures {
  name: string;
  costPerYear: readonly { year: number; cost: number }[];
  residualRisk: readonly { year: number; risk: number }[];
}

export interface YearRow {
  year: number;
  /** Per scenario name: its cost and the risk left at the end of the year. */
  values: Record<string, { cost: number; risk: number }>;
}

/** The scenarios' figures side by side per year, for the table that goes with the chart. */
export function yearRows(scenarios: readonly ScenarioFigures[]): YearRow[] {
  const years = new Map<number, YearRow>();
  for (const s of scenarios) {
    for (const c of s.costPerYear) {
      const row = years.get(c.year) ?? { year: c.year, values: {} };
      years.set(c.year, row);
      const risk = s.residualRisk.find((r) => r.year === c.year)?.risk ?? 0;
      row.values[s.name] = { cost: c.cost, risk };
    }
  }
  return [...years.values()].sort((a, b) => a.year - b.year);
}

/** One page of a list shown a page at a time; pages count from 1, out-of-range pages clamp. */
export function pageSlice<T>(rows: readonly T[], page: number, size: number): { rows: T[]; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(rows.length / size));
  const p = Math.min(Math.max(1, page), pages);
  return { rows: rows.slice((p - 1) * size, p * size), page: p, pages };
}
