// Where each finding stands with respect to risk acceptance: open (nobody accepted it), waived (a
// waiver in force sets it aside) or lapsed (a waiver accepted it, but its date has passed and the
// finding counts again). Lapsed is kept apart from open because it asks for a decision someone
// already took once: renew the waiver or act. A revoked waiver was withdrawn on purpose, so the
// finding it covered is simply open.
import type { Finding } from './types.js';
import { applyWaivers, dayOf, type Waiver } from './waivers.js';

export const FINDING_STATUSES = ['open', 'waived', 'lapsed'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

export interface FindingState {
  finding: Finding;
  status: FindingStatus;
  /** The waiver in force (waived) or the one that expired last (lapsed); null when open. */
  waiver: Waiver | null;
}

const key = (deviceId: string, rule: string) => `${deviceId}\u0000${rule}`;

/** Every finding with its status, in the order given. */
export function findingStates(findings: readonly Finding[], waivers: readonly Waiver[], now: string): FindingState[] {
  const { waived } = applyWaivers(findings, waivers, now);
  const waiverOf = new Map(waived.map((w) => [w.finding, w.waiver]));
  const today = dayOf(now);
  const expired = new Map<string, Waiver>();
  for (const w of waivers) {
    if (w.revokedAt !== null || w.until >= today) continue;
    const k = key(w.deviceId, w.rule);
    const latest = expired.get(k);
    if (!latest || w.until > latest.until) expired.set(k, w);
  }
  return findings.map((finding) => {
    const inForce = waiverOf.get(finding);
    if (inForce) return { finding, status: 'waived', waiver: inForce };
    const lapsed = expired.get(key(finding.deviceId, finding.rule));
    return lapsed ? { finding, status: 'lapsed', waiver: lapsed } : { finding, status: 'open', waiver: null };
  });
}
