// The shapes the scans API answers with (src/server/routes/scans.ts), as these pages read them.

export interface ScanRun {
  id: string;
  origin: string;
  status: string;
  actor: string;
  agentId: string | null;
  params: Record<string, unknown>;
  stats: Record<string, unknown>;
  startedAt: string;
  finishedAt: string | null;
}

export interface FoundEvidence {
  rule: string;
  protocol: string;
  field: string;
  value: string;
  source: string;
}

export interface FoundDevice {
  ip: string;
  mac: string | null;
  manufacturer: string | null;
  brand: string | null;
  model: string | null;
  firmware: string | null;
  serial: string | null;
  kind: string | null;
  confidence: number;
  ports: number[];
  protocols: string[];
  evidence: FoundEvidence[];
  channels: { channel: string; manufacturer: string | null; model: string | null; ip: string | null }[];
  unreadable: number;
}

export interface RunDetail extends ScanRun {
  devices: (FoundDevice & { deviceId: string | null })[];
}

export interface ScanDiff {
  from: string;
  fromStartedAt: string;
  to: string;
  toStartedAt: string;
  added: FoundDevice[];
  gone: FoundDevice[];
  changed: { key: string; ip: string; manufacturer: string | null; changes: { field: string; before: unknown; after: unknown }[] }[];
  unchanged: number;
}

export interface Vendor {
  id: string;
  name: string;
}
