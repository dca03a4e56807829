// Which events a subscription still has to hear about, and when a failed send is tried again.
// Each (subscription, event key) is delivered at most once: the store's delivery log holds every
// key a subscription has seen — including the events that already existed when it was created
// (its baseline, never sent) — so only what happens after subscribing goes out.
import type { EventKind, NotifyEvent } from './events.js';

/** Sends per delivery before it is given up as failed. */
export const MAX_ATTEMPTS = 5;

/**
 * When attempt n+1 may be made, counted from the delivery's creation: at once, then after 1, 5,
 * 30 and 120 minutes. Counting from creation rather than from the last try keeps the schedule a
 * fact of the row itself, so any instance running the sweep reaches the same decision.
 */
export const RETRY_SCHEDULE_MS: readonly number[] = [0, 60_000, 5 * 60_000, 30 * 60_000, 120 * 60_000];

/** The events of the subscribed kinds whose keys the subscription has not seen, in the order given. */
export function unseenEvents(events: readonly NotifyEvent[], kinds: readonly EventKind[], seen: ReadonlySet<string>): NotifyEvent[] {
  const wanted = new Set(kinds);
  return events.filter((e) => wanted.has(e.kind) && !seen.has(e.key));
}

/** Whether a pending delivery with `attempts` tries behind it may be tried again at `now`. */
export function attemptDue(delivery: { attempts: number; createdAt: string }, now: string): boolean {
  if (delivery.attempts >= MAX_ATTEMPTS) return false;
  return Date.parse(now) - Date.parse(delivery.createdAt) >= RETRY_SCHEDULE_MS[delivery.attempts]!;
}
