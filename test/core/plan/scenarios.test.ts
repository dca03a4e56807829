import { describe, expect, it } from 'vitest';
import { buildScenario, buildScenarios } from '../../../src/core/plan/plan.js';
import { SCENARIOS, type PlannedAction, type Scenario } from '../../../src/core/plan/types.js';
import { device, finding, planInput } from './fixtures.js';

// [id, year, dueDate, cost, resolves, riskBefore, riskAfter]: the whole action, compactly.
type Row = [string, number, string, number, string[], number, number];
const rows = (s: Scenario): Row[] => s.actions.map((a: PlannedAction) => [a.id, a.year, a.dueDate, a.cost, a.resolves, a.riskBefore, a.riskAfter]);

// In every scenario of the fixture: the mitigations of the first year, most risk removed per euro
// first (10/80, 5/50, 5/100, 2/80). The KEV deadline falls in the year and is kept; the CVE's
// deadline (2027-03-01) lies beyond the year, so it is due at the year's end.
const MITIGATIONS: Row[] = [
  ['nvr-b:update_firmware', 2026, '2026-03-31', 80, ['known_exploited_vulnerability'], 17, 7],
  ['cam-a:disable_vendor_cloud', 2026, '2026-08-28', 50, ['vendor_cloud'], 11, 6],
  ['cam-c:isolate_network', 2026, '2026-08-28', 100, ['internet_exposed'], 10, 5],
  ['cam-d:update_firmware', 2026, '2026-12-31', 80, ['vulnerability'], 2, 0],
];

/** Replacement rows: new device, old one decommissioned the same day, disposed of 30 days later. */
function replaced(id: string, year: number, due: string, disposal: string, kind: 'camera' | 'recorder', resolves: string[], before: number, after: number): Row[] {
  const [newDevice, disposalCost] = kind === 'camera' ? [1000, 30] : [2800, 200];
  return [
    [`${id}:replace`, year, due, newDevice, resolves, before, after],
    [`${id}:decommission`, year, due, 70, [], after, after],
    [`${id}:dispose`, year, disposal, disposalCost, [], after, after],
  ];
}

describe('buildScenarios', () => {
  it('computes the three scenarios in the order of SCENARIOS, with titles in Dutch and English', () => {
    const scenarios = buildScenarios(planInput());
    expect(scenarios.map((s) => s.name)).toEqual([...SCENARIOS]);
    for (const s of scenarios) {
      expect(s.title.nl).not.toBe(s.title.en);
      expect(s.description.nl.length).toBeGreaterThan(20);
      expect(s.description.en.length).toBeGreaterThan(20);
    }
    expect(scenarios[2]).toEqual(buildScenario(planInput(), 'risk_based'));
  });

  it('plans nothing for a device without findings or out of service', () => {
    const ids = new Set(buildScenarios(planInput()).flatMap((s) => s.actions.map((a) => a.deviceId)));
    expect([...ids].sort()).toEqual(['cam-a', 'cam-c', 'cam-d', 'nvr-b']);
  });
});

describe('replace_now', () => {
  it('replaces every device with a replacement finding in the first year, highest risk first, after the mitigations', () => {
    const s = buildScenario(planInput(), 'replace_now');
    expect(rows(s)).toEqual([
      ...MITIGATIONS,
      // The recorder first (7 points left to remove), then the cameras (5 each) by device id.
      ...replaced('nvr-b', 2026, '2026-08-28', '2026-09-27', 'recorder', ['restricted_manufacturer', 'end_of_support'], 7, 0),
      ...replaced('cam-a', 2026, '2026-08-28', '2026-09-27', 'camera', ['restricted_manufacturer'], 6, 1),
      ...replaced('cam-c', 2026, '2026-08-28', '2026-09-27', 'camera', ['restricted_manufacturer'], 5, 0),
    ]);
    expect(s.costPerYear).toEqual([{ year: 2026, cost: 310 + 3070 + 1100 + 1100 }, { year: 2027, cost: 0 }, { year: 2028, cost: 0 }]);
    expect(s.totalCost).toBe(5580);
    // Only cam-a's placement finding (low, 1 point) remains: the plan has no action for it, and
    // says so apart from the devices it did not reach.
    expect(s.residualRisk).toEqual([{ year: 2026, risk: 1 }, { year: 2027, risk: 1 }, { year: 2028, risk: 1 }]);
    expect(s.unresolved).toEqual([]);
    expect(s.outsidePlan).toEqual(['cam-a']);
  });

  it('ignores the budget but spills over to later years at the capacity limit', () => {
    const s = buildScenario(planInput({ budgetPerYear: 100, capacityPerYear: 1 }), 'replace_now');
    const replacements = s.actions.filter((a) => a.action === 'replace').map((a) => [a.id, a.year, a.dueDate]);
    // A deadline passed before the year the plan can act makes the action due at that year's start.
    expect(replacements).toEqual([['nvr-b:replace', 2026, '2026-08-28'], ['cam-a:replace', 2027, '2027-01-01'], ['cam-c:replace', 2028, '2028-01-01']]);
    expect(s.actions.find((a) => a.id === 'cam-c:dispose')?.dueDate).toBe('2028-01-31');
    expect(s.costPerYear).toEqual([{ year: 2026, cost: 3380 }, { year: 2027, cost: 1100 }, { year: 2028, cost: 1100 }]);
    expect(s.residualRisk).toEqual([{ year: 2026, risk: 11 }, { year: 2027, risk: 6 }, { year: 2028, risk: 1 }]);
  });

  it('reports devices the horizon leaves unreplaced', () => {
    const s = buildScenario(planInput({ capacityPerYear: 1, years: 2 }), 'replace_now');
    expect(s.actions.some((a) => a.deviceId === 'cam-c' && a.action === 'replace')).toBe(false);
    expect(s.unresolved).toEqual(['cam-c']);
    expect(s.residualRisk).toEqual([{ year: 2026, risk: 11 }, { year: 2027, risk: 6 }]);
  });
});

describe('end_of_life', () => {
  it('replaces each device in the year its life ends, mitigating now', () => {
    const s = buildScenario(planInput(), 'end_of_life');
    expect(rows(s)).toEqual([
      ...MITIGATIONS,
      // Life ended in 2023: the first year, by the findings' deadline (later than the end of life).
      ...replaced('nvr-b', 2026, '2026-08-28', '2026-09-27', 'recorder', ['restricted_manufacturer', 'end_of_support'], 7, 0),
      // Installed 2019-05-10 + 8 years.
      ...replaced('cam-a', 2027, '2027-05-10', '2027-06-09', 'camera', ['restricted_manufacturer'], 6, 1),
      // Installation date unknown: the last plan year, by 1 December so disposal stays in the year.
      ...replaced('cam-c', 2028, '2028-12-01', '2028-12-31', 'camera', ['restricted_manufacturer'], 5, 0),
    ]);
    expect(s.costPerYear).toEqual([{ year: 2026, cost: 3380 }, { year: 2027, cost: 1100 }, { year: 2028, cost: 1100 }]);
    expect(s.totalCost).toBe(5580);
    expect(s.residualRisk).toEqual([{ year: 2026, risk: 11 }, { year: 2027, risk: 6 }, { year: 2028, risk: 1 }]);
    expect(s.unresolved).toEqual([]);
  });

  it('leaves a device whose life ends after the horizon unresolved', () => {
    const s = buildScenario(planInput({ years: 1 }), 'end_of_life');
    expect(s.actions.filter((a) => a.action === 'replace').map((a) => a.id)).toEqual(['nvr-b:replace', 'cam-c:replace']);
    expect(s.unresolved).toEqual(['cam-a']);
    expect(s.residualRisk).toEqual([{ year: 2026, risk: 6 }]);
  });

  it('moves replacements over capacity to the next year, before the devices due then', () => {
    const devices = [device('cam-1', 'camera', '2017-04-01'), device('cam-2', 'camera', '2018-02-01'), device('cam-3', 'camera', '2019-09-15')];
    const findings = devices.map((d) => finding(d.id, 'restricted_manufacturer', 'high', 'replace', '2026-08-28'));
    const s = buildScenario(planInput({ devices, findings, capacityPerYear: 1 }), 'end_of_life');
    // Lives end 2025 (→ 2026), 2026 and 2027; one a year.
    expect(s.actions.filter((a) => a.action === 'replace').map((a) => [a.id, a.year, a.dueDate])).toEqual([
      ['cam-1:replace', 2026, '2026-08-28'],
      ['cam-2:replace', 2027, '2027-01-01'],
      ['cam-3:replace', 2028, '2028-01-01'],
    ]);
  });
});

describe('risk_based', () => {
  it('stays within the annual budget, most risk per euro first, and carries the rest over', () => {
    const s = buildScenario(planInput({ budgetPerYear: 2000 }), 'risk_based');
    expect(rows(s)).toEqual([
      ...MITIGATIONS,
      // 2026: 2000 − 310 = 1690 left; cam-a (5 points for 1100) fits, cam-c no longer does.
      ...replaced('cam-a', 2026, '2026-08-28', '2026-09-27', 'camera', ['restricted_manufacturer'], 6, 1),
      ...replaced('cam-c', 2027, '2027-01-01', '2027-01-31', 'camera', ['restricted_manufacturer'], 5, 0),
      // nvr-b (3070) never fits a budget of 2000.
    ]);
    expect(s.costPerYear).toEqual([{ year: 2026, cost: 1410 }, { year: 2027, cost: 1100 }, { year: 2028, cost: 0 }]);
    expect(s.totalCost).toBe(2510);
    expect(s.residualRisk).toEqual([{ year: 2026, risk: 13 }, { year: 2027, risk: 8 }, { year: 2028, risk: 8 }]);
    expect(s.unresolved).toEqual(['nvr-b']);
  });

  it('lets cheaper work fill what a large replacement leaves of the budget', () => {
    const s = buildScenario(planInput({ budgetPerYear: 3500, years: 2 }), 'risk_based');
    expect(s.actions.filter((a) => a.action === 'replace').map((a) => [a.id, a.year])).toEqual([['cam-a:replace', 2026], ['cam-c:replace', 2026], ['nvr-b:replace', 2027]]);
    expect(s.costPerYear).toEqual([{ year: 2026, cost: 2510 }, { year: 2027, cost: 3070 }]);
    expect(s.residualRisk).toEqual([{ year: 2026, risk: 8 }, { year: 2027, risk: 1 }]);
    expect(s.unresolved).toEqual([]);
  });

  it('spreads mitigations over years when the budget cannot pay them all at once', () => {
    const s = buildScenario(planInput({ budgetPerYear: 100, years: 2 }), 'risk_based');
    expect(s.actions.map((a) => [a.id, a.year, a.cost])).toEqual([['nvr-b:update_firmware', 2026, 80], ['cam-a:disable_vendor_cloud', 2027, 50]]);
    expect(s.unresolved).toEqual(['cam-a', 'cam-c', 'cam-d', 'nvr-b']);
    expect(s.residualRisk).toEqual([{ year: 2026, risk: 30 }, { year: 2027, risk: 25 }]);
  });

  it('respects capacity without a budget', () => {
    const s = buildScenario(planInput({ capacityPerYear: 1 }), 'risk_based');
    expect(s.actions.filter((a) => a.action === 'replace').map((a) => [a.id, a.year])).toEqual([['cam-a:replace', 2026], ['cam-c:replace', 2027], ['nvr-b:replace', 2028]]);
  });

  it('drops a mitigation a replacement has made unnecessary', () => {
    const devices = [device('nvr-b', 'recorder', '2015-01-20')];
    const findings = [
      finding('nvr-b', 'restricted_manufacturer', 'high', 'replace', '2026-08-28'),
      finding('nvr-b', 'known_exploited_vulnerability', 'critical', 'update_firmware', '2026-03-31'),
    ];
    const cost = { ...planInput().cost, actions: { ...planInput().cost.actions, update_firmware: 4000 } };
    const s = buildScenario(planInput({ devices, findings, cost, budgetPerYear: 3500 }), 'risk_based');
    // The firmware update (4000) does not fit; the replacement (3070) does and removes the KEV too.
    expect(rows(s)).toEqual(replaced('nvr-b', 2026, '2026-03-31', '2026-04-30', 'recorder', ['restricted_manufacturer', 'known_exploited_vulnerability'], 15, 0));
    expect(s.unresolved).toEqual([]);
  });

  it('a new device resolves the findings about the device, not those about its use', () => {
    const devices = [device('cam-9', 'camera', '2018-01-01')];
    const findings = [
      finding('cam-9', 'restricted_manufacturer', 'high', 'replace', '2026-08-28'),
      finding('cam-9', 'telnet_open', 'medium', 'close_port', '2027-03-01'),
      finding('cam-9', 'no_legal_basis', 'medium', 'record_legal_basis', '2027-03-01'),
    ];
    // Closing the port does not fit a budget of 1100 next to the replacement (1100); the new device closes it.
    const cost = { ...planInput().cost, actions: { ...planInput().cost.actions, close_port: 1200 } };
    const s = buildScenario(planInput({ devices, findings, cost, budgetPerYear: 1100 }), 'risk_based');
    expect(rows(s)[0]).toEqual(['cam-9:replace', 2026, '2026-08-28', 1000, ['restricted_manufacturer', 'telnet_open'], 9, 2]);
    // The legal basis is paperwork the plan has no action for: not an unresolved device, but one
    // with work outside the plan.
    expect(s.residualRisk.at(-1)).toEqual({ year: 2028, risk: 2 });
    expect(s.unresolved).toEqual([]);
    expect(s.outsidePlan).toEqual(['cam-9']);
  });
});

describe('mitigations for open ports and devices never activated', () => {
  const devices = [device('cam-x', 'camera', '2023-01-01'), device('cam-y', 'camera', '2019-01-01')];
  const findings = [
    finding('cam-x', 'not_activated', 'high', 'activate_device', '2026-08-28'),
    finding('cam-x', 'telnet_open', 'medium', 'close_port', '2027-03-01'),
    finding('cam-y', 'restricted_manufacturer', 'high', 'replace', '2026-08-28'),
    finding('cam-y', 'telnet_open', 'medium', 'close_port', '2027-03-01'),
  ];

  it('activates the device and closes the port in the first year, also on a device that is not replaced', () => {
    for (const s of buildScenarios(planInput({ devices, findings }))) {
      expect(rows(s).slice(0, 3)).toEqual([
        // Most risk per euro first: 5 points for 30, then 2 for 40 on each camera.
        ['cam-x:activate_device', 2026, '2026-08-28', 30, ['not_activated'], 7, 2],
        ['cam-x:close_port', 2026, '2026-12-31', 40, ['telnet_open'], 2, 0],
        ['cam-y:close_port', 2026, '2026-12-31', 40, ['telnet_open'], 7, 5],
      ]);
      expect(s.unresolved).toEqual([]);
      expect(s.outsidePlan).toEqual([]);
      expect(s.residualRisk.at(-1)).toEqual({ year: 2028, risk: 0 });
    }
  });

  it('counts a device whose port the budget leaves open as unresolved', () => {
    const s = buildScenario(planInput({ devices, findings, budgetPerYear: 60 }), 'risk_based');
    // 30 + 40 of 60 do not fit: one port is closed in 2026, the other in 2027; no money for cam-y's replacement.
    expect(s.actions.map((a) => [a.id, a.year])).toEqual([['cam-x:activate_device', 2026], ['cam-x:close_port', 2027], ['cam-y:close_port', 2028]]);
    expect(s.unresolved).toEqual(['cam-y']);
    const none = buildScenario(planInput({ devices, findings, budgetPerYear: 0 }), 'risk_based');
    expect(none.unresolved).toEqual(['cam-x', 'cam-y']);
    expect(none.residualRisk.at(-1)).toEqual({ year: 2028, risk: 14 });
  });
});

describe('plan dates', () => {
  it('never dates an action before today in the first year', () => {
    const s = buildScenario(planInput({ now: '2026-06-15T08:00:00Z' }), 'replace_now');
    // The KEV deadline (2026-03-31) has passed: the update is due today.
    expect(s.actions[0]).toMatchObject({ id: 'nvr-b:update_firmware', dueDate: '2026-06-15' });
    for (const a of s.actions) expect(a.dueDate >= '2026-06-15').toBe(true);
  });

  it('keeps a late start in the year consistent: disposal never before the replacement, in the same year', () => {
    const s = buildScenario(planInput({ now: '2026-12-20' }), 'replace_now');
    const replace = s.actions.find((a) => a.id === 'cam-a:replace')!;
    const dispose = s.actions.find((a) => a.id === 'cam-a:dispose')!;
    expect(replace.dueDate).toBe('2026-12-20');
    expect(dispose.dueDate).toBe('2026-12-31');
  });
});
