// The risk page's reading of findings, filters and the server's waiver messages, apart from React
// so it can be tested on its own. Pure functions and tables only; the one import is itself pure.

// With its suffix: the unit tests type-check this file under Node's module resolution.
import { safeHref } from '../../components/safe-link.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const FINDING_STATUSES = ['open', 'waived', 'lapsed'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];
export const WAIVER_STATES = ['in_force', 'expired', 'revoked'] as const;
export type WaiverState = (typeof WAIVER_STATES)[number];

/** The assessment's rules (src/core/assess/types.ts RULES), in words. */
export const RULE_WORDS: Readonly<Record<string, { nl: string; en: string }>> = {
  restricted_manufacturer: { nl: 'Fabrikant met beperkende maatregelen', en: 'Maker under restrictive measures' },
  human_rights: { nl: 'Betrokkenheid bij mensenrechtenschendingen', en: 'Involvement in human-rights abuses' },
  known_exploited_vulnerability: { nl: 'Lek dat actief misbruikt wordt', en: 'Actively exploited vulnerability' },
  vulnerability: { nl: 'Bekend lek', en: 'Known vulnerability' },
  firmware_unknown: { nl: 'Firmware onbekend', en: 'Firmware unknown' },
  internet_exposed: { nl: 'Bereikbaar vanaf internet', en: 'Reachable from the internet' },
  vendor_cloud: { nl: 'Cloud van de leverancier', en: 'Vendor cloud' },
  not_activated: { nl: 'Niet geactiveerd (standaardwachtwoord)', en: 'Not activated (default password)' },
  telnet_open: { nl: 'Telnet open', en: 'Telnet open' },
  sensitive_analytics: { nl: 'Gevoelige analyse (gezicht, kenteken)', en: 'Sensitive analytics (face, plate)' },
  sensitive_placement: { nl: 'Gevoelige plaats', en: 'Sensitive placement' },
  end_of_support: { nl: 'Einde ondersteuning', en: 'End of support' },
  manufacturer_unidentified: { nl: 'Fabrikant niet vastgesteld', en: 'Maker not established' },
  no_legal_basis: { nl: 'Geen grondslag of DPIA vastgelegd', en: 'No legal basis or DPIA recorded' },
  retention_above_limit: { nl: 'Bewaartermijn te lang', en: 'Retention above the limit' },
};

export function ruleWord(lang: 'nl' | 'en', rule: string): string {
  return RULE_WORDS[rule]?.[lang] ?? rule;
}

export const RULES: readonly string[] = Object.keys(RULE_WORDS);

/** The filters the page holds in its address, so a filtered view can be linked to and reloaded. */
export interface RiskFilters {
  severity: Severity[];
  status: FindingStatus[];
  rule: string;
  device: string;
}

function listOf<V extends string>(text: string | null, allowed: readonly V[]): V[] {
  if (!text) return [];
  return text.split(',').map((p) => p.trim()).filter((p): p is V => (allowed as readonly string[]).includes(p));
}

export function readFilters(params: { get(name: string): string | null }): RiskFilters {
  const device = params.get('device') ?? '';
  const rule = params.get('rule') ?? '';
  return {
    severity: listOf(params.get('severity'), SEVERITIES),
    status: listOf(params.get('status'), FINDING_STATUSES),
    rule: RULES.includes(rule) ? rule : '',
    // The API takes a device's full id; anything else would only earn a 400.
    device: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(device) ? device : '',
  };
}

/** The filters as address parameters; empty ones are left out, so the plain page has a plain address. */
export function filterParams(filters: RiskFilters): Record<string, string> {
  const out: Record<string, string> = {};
  if (filters.severity.length) out.severity = filters.severity.join(',');
  if (filters.status.length) out.status = filters.status.join(',');
  if (filters.rule) out.rule = filters.rule;
  if (filters.device) out.device = filters.device;
  return out;
}

export interface SeverityCount {
  severity: Severity;
  total: number;
  open: number;
  waived: number;
  lapsed: number;
}

/** Findings counted by severity and status, every severity present (zero when none). */
export function countBySeverity(findings: readonly { severity: string; status: string }[]): SeverityCount[] {
  const counts = SEVERITIES.map((severity) => ({ severity, total: 0, open: 0, waived: 0, lapsed: 0 }));
  for (const f of findings) {
    const row = counts.find((c) => c.severity === f.severity);
    if (!row) continue;
    row.total++;
    if (f.status === 'open' || f.status === 'waived' || f.status === 'lapsed') row[f.status]++;
  }
  return counts;
}

export type WaiverField = 'reason' | 'until' | 'approver' | 'rule' | 'device';

/** Which field of the waiver form the server's message is about, so it is shown there. */
export function waiverFieldOf(detail: string): WaiverField | null {
  const text = detail.toLowerCase();
  if (/\breason\b/.test(text)) return 'reason';
  if (/\buntil\b/.test(text)) return 'until';
  if (/\bapprover\b/.test(text)) return 'approver';
  if (/\brule\b/.test(text)) return 'rule';
  if (/\bdevice\b/.test(text)) return 'device';
  return null;
}

/** Which of the known waiver refusals a message is, so it can be said in the page's language. */
export function waiverProblemOf(detail: string): 'reasonMissing' | 'untilFormat' | 'untilPast' | 'approverMissing' | null {
  if (/needs reason/.test(detail)) return 'reasonMissing';
  if (/lies in the past/.test(detail)) return 'untilPast';
  if (/YYYY-MM-DD/.test(detail)) return 'untilFormat';
  if (/approver/.test(detail) && /(name the person|must name)/.test(detail)) return 'approverMissing';
  return null;
}

/** A finding's source as a link when it can be one: a URL, or a pinned file in a public repository. */
export function sourceLink(source: { url?: string; title?: string; ref?: string }): { href: string | null; text: string } {
  const href = safeHref(source.url);
  if (href) return { href, text: source.title ?? source.url ?? href };
  const ref = source.ref ?? source.url ?? '';
  const cve = /^cvelistV5:(cves\/[\w/.-]+)@([0-9a-f]{7,40})$/.exec(ref);
  if (cve) return { href: `https://github.com/CVEProject/cvelistV5/blob/${cve[2]}/${cve[1]}`, text: ref.replace(/@[0-9a-f]+$/, '') };
  const repo = /^([\w.-]+\/[\w.-]+)@([0-9a-f]{7,40}):([\w/.-]+)$/.exec(ref);
  if (repo) return { href: `https://github.com/${repo[1]}/blob/${repo[2]}/${repo[3]}`, text: `${repo[1]}: ${repo[3]}` };
  return { href: null, text: ref };
}

/** The knowledge-base record an evidence line points at (kb:SECTION:ID), for a link to the KB page. */
export function kbRecordOf(ref: string): { section: string; id: string } | null {
  const m = /^kb:([a-z_]+):(.+)$/.exec(ref);
  return m ? { section: m[1]!, id: m[2]! } : null;
}

/** Today as YYYY-MM-DD in the Netherlands' calendar, the day waivers are dated in. */
export function todayInAmsterdam(now: Date): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}
