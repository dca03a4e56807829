// What the plan can do about each device, worked out once and shared by every scenario: the
// device's findings and risk, the quick mitigations it needs and whether it must be replaced,
// each with its cost and the risk it removes.
import { CamauditError } from '../errors.js';
import type { DeviceStatus } from '../model.js';
import type { AssessDevice, Finding, RuleId } from '../assess/types.js';
import { deviceRisk } from '../assess/risk.js';
import { replacementCost } from './costs.js';
import type { CostModel, PlanInput, PlannedAction } from './types.js';

/** A device's risk score: the sum of its findings' weights (src/core/assess/risk.ts). */
export function riskScore(findings: readonly Finding[]): number {
  return deviceRisk(findings).score;
}

/** Actions that keep the device and resolve the findings asking for exactly them. */
export const MITIGATIONS = ['disable_vendor_cloud', 'isolate_network', 'update_firmware', 'close_port', 'activate_device'] as const satisfies readonly PlannedAction['action'][];
export type Mitigation = (typeof MITIGATIONS)[number];

// A new device is assumed to come from a maker no adopted measure restricts, with current
// firmware, activated and configured by the installer; so replacing one resolves every finding
// about the device itself. Findings about its network, placement or use (exposure, vendor cloud
// on the network, analytics, legal basis, retention) stay with the new device.
const RESOLVED_BY_REPLACEMENT: ReadonlySet<RuleId> = new Set<RuleId>([
  'restricted_manufacturer',
  'human_rights',
  'known_exploited_vulnerability',
  'vulnerability',
  'firmware_unknown',
  'end_of_support',
  'manufacturer_unidentified',
  'not_activated',
  'telnet_open',
]);

export type Resolver = (finding: Finding) => boolean;

export function resolvedByReplacement(finding: Finding): boolean {
  return finding.action === 'replace' || RESOLVED_BY_REPLACEMENT.has(finding.rule);
}

const RESOLVED_BY_MITIGATION: Readonly<Record<Mitigation, Resolver>> = {
  disable_vendor_cloud: (f) => f.action === 'disable_vendor_cloud',
  isolate_network: (f) => f.action === 'isolate_network',
  update_firmware: (f) => f.action === 'update_firmware',
  close_port: (f) => f.action === 'close_port',
  activate_device: (f) => f.action === 'activate_device',
};

export function resolvedByMitigation(action: Mitigation): Resolver {
  return RESOLVED_BY_MITIGATION[action];
}

/**
 * A finding the plan has an action for; while one stays open the device counts as unresolved.
 * The others (review, record_legal_basis, reduce_retention, identify) are work outside the plan.
 */
export function plannable(finding: Finding): boolean {
  return finding.action === 'replace' || (MITIGATIONS as readonly string[]).includes(finding.action);
}

// Devices already out of service need no plan: their findings are history.
const OUT_OF_SERVICE: ReadonlySet<DeviceStatus> = new Set<DeviceStatus>(['replaced', 'decommissioned', 'disposed']);

export interface WorkItem {
  device: AssessDevice;
  findings: readonly Finding[];
  /** Offset of the device's first finding in the plan's flat list of findings. */
  first: number;
  risk: number;
}

export interface Candidate {
  /** Index into Worklist.items. */
  item: number;
  cost: number;
  /** Risk points the action removes when taken in the plan's order (mitigations before replacement). */
  reduction: number;
}

export interface MitigationCandidate extends Candidate {
  action: Mitigation;
}

export interface Worklist {
  /** Devices in service with findings, by device id. */
  items: readonly WorkItem[];
  findingCount: number;
  totalRisk: number;
  /** Cheapest risk reduction first. */
  mitigations: readonly MitigationCandidate[];
  /** Devices with a finding that asks for replacement, by device id. */
  replacements: readonly Candidate[];
}

export function buildWorklist(input: PlanInput): Worklist {
  const byId = new Map<string, AssessDevice>();
  for (const device of input.devices) {
    if (byId.has(device.id)) throw new CamauditError('invalid_input', `plan input: device "${device.id}" appears twice in "devices"`, { column: 'devices' });
    byId.set(device.id, device);
  }
  const grouped = new Map<string, Finding[]>();
  for (const finding of input.findings) {
    const device = byId.get(finding.deviceId);
    if (!device) throw new CamauditError('invalid_input', `plan input: a finding (${finding.rule}) names device "${finding.deviceId}", which is not in "devices"`, { column: 'findings' });
    if (OUT_OF_SERVICE.has(device.status)) continue;
    const list = grouped.get(finding.deviceId);
    if (list) list.push(finding);
    else grouped.set(finding.deviceId, [finding]);
  }

  const ids = [...grouped.keys()].sort(compareIds);
  const items: WorkItem[] = [];
  const mitigations: MitigationCandidate[] = [];
  const replacements: Candidate[] = [];
  let first = 0;
  let totalRisk = 0;
  for (const id of ids) {
    const findings = grouped.get(id)!;
    const device = byId.get(id)!;
    const item = items.length;
    const risk = riskScore(findings);
    items.push({ device, findings, first, risk });
    first += findings.length;
    totalRisk += risk;
    for (const action of MITIGATIONS) {
      const resolves = findings.filter(resolvedByMitigation(action));
      if (resolves.length > 0) mitigations.push({ item, action, cost: input.cost.actions[action], reduction: riskScore(resolves) });
    }
    if (findings.some((f) => f.action === 'replace')) replacements.push(replacementCandidate(item, device, findings, input.cost));
  }
  mitigations.sort((a, b) => byEfficiency(a, b) || MITIGATIONS.indexOf(a.action) - MITIGATIONS.indexOf(b.action));
  return { items, findingCount: first, totalRisk, mitigations, replacements };
}

function replacementCandidate(item: number, device: AssessDevice, findings: readonly Finding[], cost: CostModel): Candidate {
  // Mitigations come first in every scenario, so what they resolve is not the replacement's gain.
  const gained = findings.filter((f) => resolvedByReplacement(f) && !(MITIGATIONS as readonly string[]).includes(f.action));
  return { item, cost: replacementCost(cost, device.kind), reduction: riskScore(gained) };
}

/**
 * Most risk removed per euro first (a free action that removes risk comes before any paid one),
 * then the larger reduction; the caller breaks remaining ties. Cross-multiplied, so no division.
 */
export function byEfficiency(a: Candidate, b: Candidate): number {
  return b.reduction * a.cost - a.reduction * b.cost || b.reduction - a.reduction || a.item - b.item;
}

/** Largest risk reduction first, then by device id (items are in id order). */
export function byReduction(a: Candidate, b: Candidate): number {
  return b.reduction - a.reduction || a.item - b.item;
}

/** Code-unit order: the same on every machine and locale, unlike localeCompare. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
