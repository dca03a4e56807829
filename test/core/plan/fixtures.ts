// Hand-built plan inputs: devices and findings in the shapes the assessment writes, with prices
// simple enough to check every sum by hand.
import type { AssessDevice, Finding, RuleId, Severity, Action } from '../../../src/core/assess/types.js';
import type { DeviceKind, DeviceStatus } from '../../../src/core/model.js';
import type { CostModel, PlanInput } from '../../../src/core/plan/types.js';

export const COST: CostModel = {
  currency: 'EUR',
  kinds: {
    camera: { hardware: 600, installation: 400, disposal: 30 },
    recorder: { hardware: 2000, installation: 800, disposal: 200 },
    encoder: { hardware: 500, installation: 300, disposal: 30 },
    intercom: { hardware: 800, installation: 500, disposal: 30 },
    other: { hardware: 700, installation: 400, disposal: 50 },
  },
  actions: { disable_vendor_cloud: 50, isolate_network: 100, update_firmware: 80, close_port: 40, activate_device: 30, decommission: 70 },
  lifetimeYears: 8,
};

export function device(id: string, kind: DeviceKind, installDate: string | null, status: DeviceStatus = 'active'): AssessDevice {
  return {
    id, kind, status, installDate,
    manufacturer: null, brand: null, model: null, firmware: null, identityConfidence: null,
    analytics: [], legalBasis: null, retentionDays: null, custom: {}, site: null, network: null, facts: [],
  };
}

export function finding(deviceId: string, rule: RuleId, severity: Severity, action: Action, dueDate: string | null): Finding {
  return {
    deviceId, rule, severity, action, dueDate,
    likelihood: 'medium', impact: 'medium',
    why: { nl: `regel ${rule}`, en: `rule ${rule}` },
    evidence: [{ ref: 'test', value: rule }],
    sources: [{ ref: 'test' }],
  };
}

/**
 * Four devices with findings (risk 11 + 17 + 10 + 2 = 40), one without, one out of service:
 * - cam-a: Hikvision camera, life ends 2027-05-10; restricted (replace), vendor cloud, placement.
 * - nvr-b: Dahua recorder, life ended 2023; restricted and end of support (replace), KEV with a fix.
 * - cam-c: OEM camera, installation date unknown; restricted (replace), internet-exposed.
 * - cam-d: Axis camera with a fixable CVE, no replacement.
 */
export const DEVICES: AssessDevice[] = [
  device('cam-a', 'camera', '2019-05-10'),
  device('nvr-b', 'recorder', '2015-01-20'),
  device('cam-c', 'camera', null),
  device('cam-d', 'camera', '2022-06-01'),
  device('cam-e', 'camera', '2024-02-01'),
  device('cam-f', 'camera', '2012-01-01', 'decommissioned'),
];

export const FINDINGS: Finding[] = [
  finding('cam-a', 'restricted_manufacturer', 'high', 'replace', '2026-08-28'),
  finding('cam-a', 'vendor_cloud', 'high', 'disable_vendor_cloud', '2026-08-28'),
  finding('cam-a', 'sensitive_placement', 'low', 'review', '2028-02-29'),
  finding('nvr-b', 'restricted_manufacturer', 'high', 'replace', '2026-08-28'),
  finding('nvr-b', 'known_exploited_vulnerability', 'critical', 'update_firmware', '2026-03-31'),
  finding('nvr-b', 'end_of_support', 'medium', 'replace', '2027-03-01'),
  finding('cam-c', 'restricted_manufacturer', 'high', 'replace', '2026-08-28'),
  finding('cam-c', 'internet_exposed', 'high', 'isolate_network', '2026-08-28'),
  finding('cam-d', 'vulnerability', 'medium', 'update_firmware', '2027-03-01'),
  finding('cam-f', 'restricted_manufacturer', 'high', 'replace', '2026-08-28'),
];

export function planInput(overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    devices: DEVICES,
    findings: FINDINGS,
    cost: COST,
    budgetPerYear: null,
    capacityPerYear: null,
    startYear: 2026,
    years: 3,
    now: '2026-03-01T09:00:00Z',
    ...overrides,
  };
}
