// The plan page's arithmetic without a browser: quarters of the timeline, money per year, the
// workflow's next step, numbers as people type them, scenarios side by side, and paging.
import { describe, expect, it } from 'vitest';
import { budgetByYear, nextStatus, pageSlice, parseWholeNumber, periodOf, periods, quarterOf, yearRows, type PlanItemFigures } from '../../web/src/pages/plan/plan-logic.js';

const item = (over: Partial<PlanItemFigures>): PlanItemFigures => ({
  id: `d${Math.random()}:replace`, deviceId: 'd', action: 'replace', year: 2027, dueDate: '2027-03-31', cost: 1000, status: 'planned', overdue: false, ...over,
});

describe('plan timeline', () => {
  it('puts a due date in its quarter', () => {
    expect(['2027-01-01', '2027-03-31', '2027-04-01', '2027-06-30', '2027-07-15', '2027-12-31'].map(quarterOf)).toEqual([1, 1, 2, 2, 3, 4]);
    expect(periodOf({ dueDate: '2028-11-02' })).toBe('2028-Q4');
  });

  it('counts items per quarter, in time order, by status and overdue', () => {
    const result = periods([
      item({ dueDate: '2028-02-01', cost: 50 }),
      item({ dueDate: '2027-12-01', status: 'done', cost: 100 }),
      item({ dueDate: '2027-11-01', status: 'in_progress', overdue: true, cost: 10 }),
      item({ dueDate: '2027-10-01', overdue: true, cost: 1 }),
    ]);
    expect(result.map((p) => p.key)).toEqual(['2027-Q4', '2028-Q1']);
    expect(result[0]).toMatchObject({ year: 2027, quarter: 4, actions: 3, cost: 111, planned: 1, inProgress: 1, done: 1, overdue: 2 });
    expect(result[1]).toMatchObject({ actions: 1, cost: 50, planned: 1, overdue: 0 });
  });
});

describe('plan budget', () => {
  it('gives planned, spent (done), under way and remaining per year, and the totals', () => {
    const { rows, total } = budgetByYear([
      item({ year: 2027, cost: 1000, status: 'done' }),
      item({ year: 2027, cost: 500, status: 'in_progress' }),
      item({ year: 2027, cost: 250 }),
      item({ year: 2026, cost: 70 }),
    ]);
    expect(rows).toEqual([
      { year: 2026, planned: 70, spent: 0, inProgress: 0, remaining: 70 },
      { year: 2027, planned: 1750, spent: 1000, inProgress: 500, remaining: 750 },
    ]);
    expect(total).toEqual({ planned: 1820, spent: 1000, inProgress: 500, remaining: 820 });
  });
});

describe('plan workflow and input', () => {
  it('moves one step at a time and stops at done', () => {
    expect(nextStatus('planned')).toBe('in_progress');
    expect(nextStatus('in_progress')).toBe('done');
    expect(nextStatus('done')).toBeNull();
  });

  it('reads whole numbers with either language\'s separators; empty is no limit, anything else invalid', () => {
    expect(parseWholeNumber('')).toBeUndefined();
    expect(parseWholeNumber('   ')).toBeUndefined();
    expect(parseWholeNumber('250000')).toBe(250_000);
    expect(parseWholeNumber('250.000')).toBe(250_000);
    expect(parseWholeNumber('250,000')).toBe(250_000);
    expect(parseWholeNumber(' 1 000 ')).toBe(1000);
    expect(parseWholeNumber('0')).toBe(0);
    expect(parseWholeNumber('-5')).toBeNull();
    expect(parseWholeNumber('12k')).toBeNull();
    expect(parseWholeNumber('99999999999999999999')).toBeNull();
  });
});

describe('scenarios side by side', () => {
  it('gives per year each scenario\'s cost and the risk left', () => {
    const rows = yearRows([
      { name: 'replace_now', costPerYear: [{ year: 2027, cost: 900 }, { year: 2026, cost: 100 }], residualRisk: [{ year: 2026, risk: 50 }, { year: 2027, risk: 10 }] },
      { name: 'risk_based', costPerYear: [{ year: 2026, cost: 40 }, { year: 2027, cost: 40 }], residualRisk: [{ year: 2026, risk: 80 }, { year: 2027, risk: 60 }] },
    ]);
    expect(rows.map((r) => r.year)).toEqual([2026, 2027]);
    expect(rows[0]!.values).toEqual({ replace_now: { cost: 100, risk: 50 }, risk_based: { cost: 40, risk: 80 } });
    expect(rows[1]!.values.replace_now).toEqual({ cost: 900, risk: 10 });
  });

  it('pages a list and clamps pages out of range', () => {
    const list = Array.from({ length: 45 }, (_, i) => i);
    expect(pageSlice(list, 1, 20)).toEqual({ rows: list.slice(0, 20), page: 1, pages: 3 });
    expect(pageSlice(list, 3, 20).rows).toEqual([40, 41, 42, 43, 44]);
    expect(pageSlice(list, 9, 20).page).toBe(3);
    expect(pageSlice([], 1, 20)).toEqual({ rows: [], page: 1, pages: 1 });
  });
});
