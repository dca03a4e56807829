// The shapes of the register API's answers the pages read (see src/server/routes/register*.ts).

export interface IdentityVerdict {
  manufacturer: string | null;
  statedManufacturer: string | null;
  confidence: number;
  kbVersion: string;
  checks: string[];
}

export interface IdentityEvidence {
  rule: string;
  protocol: string;
  field: string;
  value: string;
  weight: string;
  origin: string;
  note?: string;
}

export interface DeviceRow {
  id: string;
  kind: string;
  brand: string | null;
  manufacturer: string | null;
  model: string | null;
  firmware: string | null;
  serial: string | null;
  mac: string | null;
  ip: string | null;
  siteId: string | null;
  networkId: string | null;
  status: string;
  purpose: string | null;
  legalBasis: string | null;
  retentionDays: number | null;
  supplier: string | null;
  installer: string | null;
  installDate: string | null;
  externalRef: string | null;
  analytics: string[];
  custom: Record<string, string>;
  siteName: string | null;
  siteCategory: string | null;
  networkName: string | null;
  connectivity: string | null;
  remoteAccess: string | null;
  lat: number | null;
  lon: number | null;
  /** `approximate` where the exact position is secret to the reader (rounded to about 1 km). */
  positionPrecision?: 'exact' | 'approximate' | 'withheld';
  createdAt: string;
  updatedAt: string;
  identity: IdentityVerdict | null;
  /** The highest severity among the device's findings that count, when the list gives it. */
  severity?: string | null;
}

export interface HistoryEntry {
  seq: number;
  at: string;
  actor: string;
  source: string;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export interface DeviceDetail extends Omit<DeviceRow, 'identity'> {
  identity: (IdentityVerdict & { evidence: IdentityEvidence[]; conflicts: { manufacturer: string; score: number }[] }) | null;
  history: HistoryEntry[];
}

export interface FindingView {
  id: string;
  deviceId: string;
  rule: string;
  severity: string;
  likelihood: string;
  impact: string;
  why: { nl: string; en: string };
  evidence: { ref: string; value: string }[];
  sources: { url?: string; title?: string; ref?: string }[];
  action: string;
  dueDate: string | null;
  uncertain?: string;
  status: 'open' | 'waived' | 'lapsed';
  waiver: { id: string; until: string; approver: string; reason: string } | null;
}

/** A label for a device where a short name is needed: its reference, serial, model or id. */
export function deviceName(d: Pick<DeviceRow, 'id' | 'externalRef' | 'serial' | 'model'>): string {
  return d.externalRef || d.serial || d.model || d.id.slice(0, 8);
}
