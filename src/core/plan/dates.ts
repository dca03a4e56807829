// Calendar arithmetic for plan dates. Dates are ISO days (YYYY-MM-DD) in UTC, so they compare as
// strings and never depend on the machine's time zone.

/** Days between a replacement and the disposal of the old device (collected in batches). */
export const DISPOSAL_AFTER_DAYS = 30;

/** The ISO day of a timestamp or day, or null when it is not a date. */
export function isoDay(value: string): string | null {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(value);
  if (!match) return null;
  const [, y, m = '01', d = '01'] = match;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (Number.isNaN(date.getTime()) || date.getUTCMonth() !== Number(m) - 1) return null;
  return date.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The same day `years` later; 29 February becomes 28 February in a year without it. */
export function addYears(day: string, years: number): string {
  const year = yearOf(day) + years;
  const rest = day.slice(4);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return `${String(year).padStart(4, '0')}${rest === '-02-29' && !leap ? '-02-28' : rest}`;
}

export function yearOf(day: string): number {
  return Number(day.slice(0, 4));
}

/**
 * When an action planned in `year` is due: its deadline, but no later than the last day the
 * year leaves for it (`lastDay`) and no earlier than the first day the plan can act in that year
 * (1 January, or today in the current year). So a deadline the plan meets is kept, a deadline
 * the plan can only meet later becomes "at the start of the year the money and people are
 * there", and an action without a deadline is due at the end of its year.
 */
export function dueInYear(year: number, deadline: string | null, today: string, lastDay: string = `${year}-12-31`): string {
  const first = maxDay(`${year}-01-01`, today);
  const capped = deadline === null ? lastDay : minDay(deadline, lastDay);
  return maxDay(first, capped);
}

/**
 * The last day a replacement can be due in `year` and still have its disposal in the same year:
 * 1 December, as December has 31 days. Plain text, as plans date hundreds of thousands of actions.
 */
export function lastReplacementDay(year: number): string {
  return `${year}-12-${String(31 - DISPOSAL_AFTER_DAYS).padStart(2, '0')}`;
}

/** Disposal follows the replacement, within the replacement's year. */
export function disposalDay(replacementDue: string): string {
  return minDay(addDays(replacementDue, DISPOSAL_AFTER_DAYS), `${replacementDue.slice(0, 4)}-12-31`);
}

export function minDay(a: string, b: string): string {
  return a < b ? a : b;
}

export function maxDay(a: string, b: string): string {
  return a > b ? a : b;
}
