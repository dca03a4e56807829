// From the register to what the rules read: a device with its site, network and the risk facts
// of its latest scan. Pure, so the store query and the benchmark feed the same mapping.
import { DEVICE_STATUSES, type Analytic, type Device, type DeviceStatus, type Network, type Site } from '../model.js';
import { isAssessed } from './assess.js';
import type { CompiledKnowledge } from './rules/knowledge.js';
import { pastSupport } from './rules/lifecycle.js';
import type { AssessDevice } from './types.js';

/**
 * The statuses assess() judges, as a list the store can filter on: replaced, decommissioned and
 * disposed devices carry no risk left to assess; a discovered one does, even before a person has
 * placed it.
 */
export const ASSESSABLE_STATUSES: readonly DeviceStatus[] = DEVICE_STATUSES.filter((status) => isAssessed({ status }));

/** A scan observation of a device: a capture (payload-less here) or a risk fact. */
export interface ScanObservation {
  deviceId: string;
  scanRunId: string | null;
  observedAt: string;
  kind: string;
  /** For `risk_fact`: the fact and what showed it. */
  fact?: { fact: string; detail: string };
}

/**
 * Each device's risk facts from its latest scan only: a fact an earlier scan saw but the latest
 * did not (vendor cloud switched off, telnet closed) no longer counts. The latest scan is the run
 * of the device's newest observation; observations without a run count as one scan per moment.
 */
export function latestScanFacts(observations: readonly ScanObservation[]): Map<string, AssessDevice['facts']> {
  const newest = new Map<string, ScanObservation>();
  for (const o of observations) {
    const current = newest.get(o.deviceId);
    if (!current || o.observedAt > current.observedAt) newest.set(o.deviceId, o);
  }
  const facts = new Map<string, { fact: string; detail: string; observedAt: string }[]>();
  for (const o of observations) {
    if (!o.fact) continue;
    const latest = newest.get(o.deviceId)!;
    const sameScan = latest.scanRunId === null ? o.scanRunId === null && o.observedAt === latest.observedAt : o.scanRunId === latest.scanRunId;
    if (!sameScan) continue;
    const list = facts.get(o.deviceId) ?? [];
    list.push({ fact: o.fact.fact, detail: o.fact.detail, observedAt: o.observedAt });
    facts.set(o.deviceId, list);
  }
  for (const list of facts.values()) list.sort((a, b) => a.fact.localeCompare(b.fact) || a.detail.localeCompare(b.detail));
  return facts;
}

/** The device as the rules see it. `manufacturer` is identification's verdict (a KB vendor id). */
export function toAssessDevice(
  device: Device,
  site: Pick<Site, 'id' | 'name' | 'category'> | null,
  network: Pick<Network, 'id' | 'name' | 'connectivity' | 'remoteAccess'> | null,
  facts: AssessDevice['facts'],
): AssessDevice {
  return {
    id: device.id,
    kind: device.kind,
    status: device.status,
    // Before identification has run, the stated maker is all there is; rules look it up in the KB.
    manufacturer: device.identity ? device.identity.manufacturer : device.manufacturer,
    brand: device.brand,
    model: device.model,
    firmware: device.firmware,
    identityConfidence: device.identity?.confidence ?? null,
    installDate: device.installDate,
    analytics: [...device.analytics].sort() as Analytic[],
    legalBasis: device.legalBasis,
    retentionDays: device.retentionDays,
    custom: sortedRecord(device.custom),
    site: site ? { id: site.id, name: site.name, category: site.category } : null,
    network: network ? { id: network.id, name: network.name, connectivity: network.connectivity, remoteAccess: network.remoteAccess } : null,
    facts,
  };
}

// Key order is part of the input hash: the same custom fields must hash the same however stored.
function sortedRecord(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The facts about a device that change with the calendar alone: a rule comparing against `now`
 * must get a new verdict on the day one of these flips, although the device did not change. Part
 * of the input hash, so incremental re-assessment notices the day a device's support ends.
 */
export function clockInputs(device: AssessDevice, compiled: CompiledKnowledge, now: string): { pastSupport: boolean | null } {
  return { pastSupport: pastSupport(device, compiled, now) };
}
