import { describe, expect, it } from 'vitest';
import { addYears, disposalDay, dueInYear, isoDay, lastReplacementDay } from '../../../src/core/plan/dates.js';

describe('plan dates', () => {
  it('reads days, timestamps and bare years, and refuses what is not a date', () => {
    expect(isoDay('2026-03-01T09:00:00Z')).toBe('2026-03-01');
    expect(isoDay('2019-05-10')).toBe('2019-05-10');
    expect(isoDay('2019')).toBe('2019-01-01');
    expect(isoDay('2019-02-30')).toBeNull();
    expect(isoDay('10-05-2019')).toBeNull();
  });

  it('adds years, keeping the day, and moves 29 February to the 28th in a common year', () => {
    expect(addYears('2019-05-10', 8)).toBe('2027-05-10');
    expect(addYears('2020-02-29', 8)).toBe('2028-02-29');
    expect(addYears('2020-02-29', 7)).toBe('2027-02-28');
  });

  it('keeps a deadline in the year, moves a passed one to the first possible day and a later one to the last', () => {
    expect(dueInYear(2026, '2026-08-28', '2026-03-01')).toBe('2026-08-28');
    expect(dueInYear(2026, '2026-02-01', '2026-03-01')).toBe('2026-03-01');
    expect(dueInYear(2027, '2026-08-28', '2026-03-01')).toBe('2027-01-01');
    expect(dueInYear(2026, '2027-03-01', '2026-03-01')).toBe('2026-12-31');
    expect(dueInYear(2026, null, '2026-03-01')).toBe('2026-12-31');
    expect(dueInYear(2026, null, '2026-03-01', lastReplacementDay(2026))).toBe('2026-12-01');
  });

  it('dates disposal 30 days after the replacement, within its year', () => {
    expect(lastReplacementDay(2028)).toBe('2028-12-01');
    expect(disposalDay('2028-12-01')).toBe('2028-12-31');
    expect(disposalDay('2026-08-28')).toBe('2026-09-27');
    expect(disposalDay('2026-12-20')).toBe('2026-12-31');
  });
});
