// Risk acceptance: a waiver sets one rule's finding on one device aside, for a stated reason,
// approved by a named person, until a date. Expiry is part of the waiver, not a clean-up task:
// once the date has passed the finding is active again without anyone having to remember it, and
// a waiver that no longer matches anything is reported so the register of accepted risks stays
// honest.
import { CamauditError } from '../errors.js';
import { RULES, type Finding, type RuleId } from './types.js';

export interface Waiver {
  id: string;
  deviceId: string;
  rule: RuleId;
  reason: string;
  approver: string;
  /** ISO date: the last day the accepted risk stands. */
  until: string;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
  revokedBy: string | null;
}

export interface WaiverOutcome {
  /** Findings no waiver in force sets aside, in the order given. */
  active: Finding[];
  waived: { finding: Finding; waiver: Waiver }[];
  /** Waivers in force that match no current finding: the device changed, or the rule no longer fires. */
  unusedWaivers: Waiver[];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Waivers are dated in the Netherlands' calendar: "until 30 June" ends at midnight in Amsterdam,
 * not at 02:00 local time, when the UTC day ends in summer. The register has no time zone per
 * organisation; camaudit serves Dutch public bodies, so Europe/Amsterdam is the zone, fixed here
 * rather than taken from the machine, whose zone may be UTC.
 */
export const WAIVER_TIME_ZONE = 'Europe/Amsterdam';

const DAY_FORMAT = new Intl.DateTimeFormat('en-GB', { timeZone: WAIVER_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar day (YYYY-MM-DD) in WAIVER_TIME_ZONE of an ISO timestamp: the unit waivers are dated in. */
export function dayOf(now: string): string {
  const parts = Object.fromEntries(DAY_FORMAT.formatToParts(new Date(now)).map((p) => [p.type, p.value]));
  return `${parts.year!.padStart(4, '0')}-${parts.month}-${parts.day}`;
}

/** In force: not revoked, and `until` is today (in Amsterdam) or later. */
export function waiverInForce(waiver: Waiver, now: string): boolean {
  return waiver.revokedAt === null && waiver.until >= dayOf(now);
}

const key = (deviceId: string, rule: string) => `${deviceId}\u0000${rule}`;

/**
 * Sets aside the findings a waiver in force covers. Where several waivers cover one finding, the
 * one that lasts longest is reported as the reason (ties: the earliest created).
 */
export function applyWaivers(findings: readonly Finding[], waivers: readonly Waiver[], now: string): WaiverOutcome {
  const covering = new Map<string, Waiver>();
  for (const w of waivers) {
    if (!waiverInForce(w, now)) continue;
    const k = key(w.deviceId, w.rule);
    const current = covering.get(k);
    if (!current || w.until > current.until || (w.until === current.until && w.createdAt < current.createdAt)) covering.set(k, w);
  }
  const active: Finding[] = [];
  const waived: WaiverOutcome['waived'] = [];
  const matched = new Set<string>();
  for (const finding of findings) {
    const k = key(finding.deviceId, finding.rule);
    const waiver = covering.get(k);
    if (waiver) {
      waived.push({ finding, waiver });
      matched.add(k);
    } else {
      active.push(finding);
    }
  }
  const unusedWaivers = waivers
    .filter((w) => waiverInForce(w, now) && !matched.has(key(w.deviceId, w.rule)))
    .sort((a, b) => a.until.localeCompare(b.until) || a.id.localeCompare(b.id));
  return { active, waived, unusedWaivers };
}

export interface WaiverRequest {
  rule: string;
  reason: string | undefined;
  until: string | undefined;
  approver: string;
}

/** Checks a new waiver before it is stored: a known rule, a reason, and an expiry today or later. */
export function checkWaiverRequest(request: WaiverRequest, now: string): { rule: RuleId; reason: string; until: string; approver: string } {
  if (!(RULES as readonly string[]).includes(request.rule)) {
    throw new CamauditError('usage', `unknown rule "${request.rule}"; rules: ${RULES.join(', ')}`);
  }
  const reason = request.reason?.trim() ?? '';
  if (reason === '') throw new CamauditError('usage', 'a waiver needs --reason: why the organisation accepts this risk');
  const until = request.until?.trim() ?? '';
  if (!ISO_DATE.test(until) || Number.isNaN(Date.parse(`${until}T00:00:00Z`)) || new Date(`${until}T00:00:00Z`).toISOString().slice(0, 10) !== until) {
    throw new CamauditError('usage', `--until "${until}": give the last day the waiver holds as YYYY-MM-DD`);
  }
  if (until < dayOf(now)) throw new CamauditError('usage', `--until ${until} lies in the past; a waiver must hold until today or later`);
  const approver = request.approver.trim();
  if (approver === '') throw new CamauditError('usage', '--approver must name the person who accepts the risk');
  return { rule: request.rule as RuleId, reason, until, approver };
}
