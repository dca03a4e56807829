// The shapes of an assessment: what a rule reads about a device, and the finding it writes. Plain
// data, so that findings can be stored, compared run to run, exported and shown with their "why".
import type { Analytic, Connectivity, DeviceKind, DeviceStatus, RemoteAccess, SiteCategory } from '../model.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const LEVELS = ['high', 'medium', 'low'] as const;
export type Level = (typeof LEVELS)[number];

/** What a finding asks to be done; the plan turns these into dated actions. */
export const ACTIONS = ['replace', 'update_firmware', 'disable_vendor_cloud', 'isolate_network', 'close_port', 'activate_device', 'record_legal_basis', 'reduce_retention', 'review', 'identify'] as const;
export type Action = (typeof ACTIONS)[number];

export const RULES = [
  'restricted_manufacturer',
  'human_rights',
  'known_exploited_vulnerability',
  'vulnerability',
  'firmware_unknown',
  'internet_exposed',
  'vendor_cloud',
  'not_activated',
  'telnet_open',
  'sensitive_analytics',
  'sensitive_placement',
  'end_of_support',
  'manufacturer_unidentified',
  'no_legal_basis',
  'retention_above_limit',
] as const;
export type RuleId = (typeof RULES)[number];

/** A device as the rules see it: its register fields, where it is, how it is connected, what scans saw. */
export interface AssessDevice {
  id: string;
  kind: DeviceKind;
  status: DeviceStatus;
  /** KB vendor id of the true maker (identification's verdict), or null. */
  manufacturer: string | null;
  brand: string | null;
  model: string | null;
  firmware: string | null;
  identityConfidence: number | null;
  installDate: string | null;
  analytics: readonly Analytic[];
  legalBasis: string | null;
  retentionDays: number | null;
  /** Free register fields; `dpia` (a reference or date) is read by the legal-basis rule. */
  custom: Readonly<Record<string, string>>;
  site: { id: string; name: string; category: SiteCategory } | null;
  network: { id: string; name: string; connectivity: Connectivity; remoteAccess: RemoteAccess } | null;
  /** Risk facts of the device's latest scan (discover/facts.ts kinds: not_activated, vendor_cloud, telnet_open, …). */
  facts: readonly { fact: string; detail: string; observedAt: string }[];
}

export interface FindingEvidence {
  /** `device.manufacturer`, `kb:brand:lts`, `scan:sadp.activated`, `network.connectivity`. */
  ref: string;
  value: string;
}

export interface SourceRef {
  url?: string;
  title?: string;
  ref?: string;
}

export interface Finding {
  deviceId: string;
  rule: RuleId;
  severity: Severity;
  likelihood: Level;
  impact: Level;
  why: { nl: string; en: string };
  evidence: FindingEvidence[];
  sources: SourceRef[];
  action: Action;
  /** ISO date: assessment date + the policy's deadline for the severity; null when none applies. */
  dueDate: string | null;
  /** Facts behind the finding that a person should verify first (KB uncertainty). */
  uncertain?: string;
}

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };
