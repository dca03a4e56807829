// Date-only facts (a plan item's due date, a waiver's last day) become moments for notifications.
// They are days in the Netherlands' calendar, as waivers define (core/assess/waivers.ts).
import { dayOf } from '../assess/waivers.js';

const HOUR = 3_600_000;

/**
 * The first moment after `day` in Amsterdam: midnight at the start of the next day, which is
 * 22:00 or 23:00 UTC on `day` itself (summer or winter time). Computed by trying both offsets
 * rather than from a time-zone table, so it holds for any year the platform's calendar knows.
 */
export function startOfDayAfter(day: string): string {
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 24 * HOUR);
  const nextDay = next.toISOString().slice(0, 10);
  for (const offset of [2, 1]) {
    const candidate = new Date(next.getTime() - offset * HOUR).toISOString();
    if (dayOf(candidate) === nextDay) return candidate;
  }
  return next.toISOString();
}
