// Risk derived from findings: a device's score and highest severity, and the same per site and
// for the whole organisation. The plan compares scores before and after actions, and reports
// show the roll-ups, so the weights are fixed here in one place.
import type { SiteCategory } from '../model.js';
import { isAssessed } from './assess.js';
import { SEVERITIES, SEVERITY_RANK, type AssessDevice, type Finding, type Severity } from './types.js';

/**
 * Points per finding. Each step is worth at least twice the one below, so one critical finding
 * (an actively exploited flaw) weighs as much as two high ones and more than four medium
 * governance gaps. Info findings inform and add nothing.
 */
export const SEVERITY_WEIGHTS: Readonly<Record<Severity, number>> = { critical: 10, high: 5, medium: 2, low: 1, info: 0 };

export interface DeviceRisk {
  /** Sum of the weights of the device's findings. */
  score: number;
  /** The highest severity among them; null for a device without findings. */
  severity: Severity | null;
}

export function deviceRisk(findings: readonly Pick<Finding, 'severity'>[]): DeviceRisk {
  let score = 0;
  let severity: Severity | null = null;
  for (const f of findings) {
    score += SEVERITY_WEIGHTS[f.severity];
    if (severity === null || SEVERITY_RANK[f.severity] > SEVERITY_RANK[severity]) severity = f.severity;
  }
  return { score, severity };
}

const NO_RISK: DeviceRisk = { score: 0, severity: null };

export type SeverityCounts = Record<Severity | 'none', number>;

export interface RiskSummary {
  devices: number;
  /** Devices by their highest severity; `none` = no findings. */
  bySeverity: SeverityCounts;
  score: number;
}

export interface SiteRisk extends RiskSummary {
  /** null collects the devices without a site. */
  siteId: string | null;
  name: string | null;
  category: SiteCategory | null;
}

export interface RiskRollUp {
  organisation: RiskSummary;
  /** By site id, devices without a site last. */
  sites: SiteRisk[];
}

function emptyCounts(): SeverityCounts {
  return Object.fromEntries([...SEVERITIES, 'none'].map((s) => [s, 0])) as SeverityCounts;
}

function add(summary: RiskSummary, risk: DeviceRisk): void {
  summary.devices++;
  summary.bySeverity[risk.severity ?? 'none']++;
  summary.score += risk.score;
}

/** Device risk summed per site and for the organisation; devices out of use are left out. */
export function rollUp(devices: readonly AssessDevice[], findings: readonly Finding[]): RiskRollUp {
  // Accumulated per device without collecting the findings: a register has millions of them.
  const byDevice = new Map<string, DeviceRisk>();
  for (const f of findings) {
    const risk = byDevice.get(f.deviceId);
    if (!risk) byDevice.set(f.deviceId, { score: SEVERITY_WEIGHTS[f.severity], severity: f.severity });
    else {
      risk.score += SEVERITY_WEIGHTS[f.severity];
      if (SEVERITY_RANK[f.severity] > SEVERITY_RANK[risk.severity!]) risk.severity = f.severity;
    }
  }
  const organisation: RiskSummary = { devices: 0, bySeverity: emptyCounts(), score: 0 };
  const sites = new Map<string | null, SiteRisk>();
  for (const device of devices) {
    if (!isAssessed(device)) continue;
    const risk = byDevice.get(device.id) ?? NO_RISK;
    add(organisation, risk);
    const siteId = device.site?.id ?? null;
    let site = sites.get(siteId);
    if (!site) {
      site = { siteId, name: device.site?.name ?? null, category: device.site?.category ?? null, devices: 0, bySeverity: emptyCounts(), score: 0 };
      sites.set(siteId, site);
    }
    add(site, risk);
  }
  const ordered = [...sites.values()].sort((a, b) =>
    a.siteId === b.siteId ? 0 : a.siteId === null ? 1 : b.siteId === null ? -1 : a.siteId < b.siteId ? -1 : 1);
  return { organisation, sites: ordered };
}
