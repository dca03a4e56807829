import { describe, expect, it } from 'vitest';
import type { AssessDevice, Finding } from '../../../src/core/assess/types.js';
import { CamauditError } from '../../../src/core/errors.js';
import { DEVICE_KINDS } from '../../../src/core/model.js';
import { buildScenario, buildScenarios } from '../../../src/core/plan/plan.js';
import type { PlanInput, Scenario } from '../../../src/core/plan/types.js';
import { plannable, riskScore } from '../../../src/core/plan/worklist.js';
import { COST, device, finding, planInput } from './fixtures.js';

// A seeded generator, so the "random" organisation is the same on every run.
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An organisation of `n` devices with a realistic mix of findings. */
function organisation(n: number, seed = 7): { devices: AssessDevice[]; findings: Finding[] } {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const devices: AssessDevice[] = [];
  const findings: Finding[] = [];
  for (let i = 0; i < n; i++) {
    const id = `dev-${String(i).padStart(6, '0')}`;
    const installed = rnd() < 0.15 ? null : `${2012 + Math.floor(rnd() * 13)}-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-15`;
    devices.push(device(id, pick(DEVICE_KINDS), installed));
    if (rnd() < 0.4) findings.push(finding(id, 'restricted_manufacturer', 'high', 'replace', '2026-08-28'));
    if (rnd() < 0.1) findings.push(finding(id, 'known_exploited_vulnerability', 'critical', rnd() < 0.5 ? 'update_firmware' : 'replace', '2026-03-31'));
    if (rnd() < 0.1) findings.push(finding(id, 'vendor_cloud', 'high', 'disable_vendor_cloud', '2026-08-28'));
    if (rnd() < 0.05) findings.push(finding(id, 'internet_exposed', 'high', 'isolate_network', '2026-08-28'));
    if (rnd() < 0.2) findings.push(finding(id, 'end_of_support', 'medium', 'replace', '2027-03-01'));
    if (rnd() < 0.2) findings.push(finding(id, 'no_legal_basis', 'medium', 'record_legal_basis', '2027-03-01'));
    if (rnd() < 0.1) findings.push(finding(id, 'firmware_unknown', 'low', 'review', null));
  }
  return { devices, findings };
}

function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const rnd = random(seed);
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The invariants every scenario keeps, whatever the input. */
function checkConsistent(s: Scenario, input: PlanInput): void {
  const years = Array.from({ length: input.years }, (_, i) => input.startYear + i);
  expect(s.costPerYear.map((c) => c.year)).toEqual(years);
  expect(s.residualRisk.map((r) => r.year)).toEqual(years);
  for (const { year, cost } of s.costPerYear) {
    expect(cost).toBe(s.actions.filter((a) => a.year === year).reduce((sum, a) => sum + a.cost, 0));
  }
  expect(s.totalCost).toBe(s.costPerYear.reduce((sum, c) => sum + c.cost, 0));
  // Risk only goes down, and falls each year by exactly what that year's actions remove.
  let risk = riskScore(input.findings);
  for (const { year, risk: left } of s.residualRisk) {
    risk -= s.actions.filter((a) => a.year === year).reduce((sum, a) => sum + a.riskBefore - a.riskAfter, 0);
    expect(left).toBe(risk);
  }
  expect(new Set(s.actions.map((a) => a.id)).size).toBe(s.actions.length);
  let lastYear = input.startYear;
  for (const a of s.actions) {
    expect(a.year).toBeGreaterThanOrEqual(lastYear);
    lastYear = a.year;
    expect(a.dueDate.slice(0, 4)).toBe(String(a.year));
    expect(a.dueDate >= input.now.slice(0, 10)).toBe(true);
  }
  const byId = new Map(s.actions.map((a) => [a.id, a]));
  for (const a of s.actions.filter((x) => x.action === 'replace')) {
    expect(byId.get(`${a.deviceId}:decommission`)).toMatchObject({ year: a.year, dueDate: a.dueDate });
    expect(byId.get(`${a.deviceId}:dispose`)!.dueDate > a.dueDate).toBe(true);
    expect(byId.get(`${a.deviceId}:dispose`)!.year).toBe(a.year);
  }
  const unresolved = new Set(s.unresolved);
  for (const id of s.unresolved) expect(byId.has(`${id}:replace`)).toBe(false);
  expect([...unresolved].sort()).toEqual(s.unresolved);
  // Devices left with work outside the plan have a finding no plan action resolves.
  const outside = new Set(input.findings.filter((f) => !plannable(f)).map((f) => f.deviceId));
  expect([...new Set(s.outsidePlan)].sort()).toEqual(s.outsidePlan);
  for (const id of s.outsidePlan) expect(outside.has(id)).toBe(true);
  // Risk left at the end is always accounted for by a device the totals name.
  if (s.residualRisk.at(-1)!.risk > 0) expect(s.unresolved.length + s.outsidePlan.length).toBeGreaterThan(0);
}

describe('budget and capacity', () => {
  const org = organisation(2000);

  it('never spends more than the budget in a year and never replaces more than the capacity', () => {
    const input = planInput({ ...org, budgetPerYear: 150_000, capacityPerYear: 120, years: 6 });
    const s = buildScenario(input, 'risk_based');
    checkConsistent(s, input);
    for (const { cost } of s.costPerYear) expect(cost).toBeLessThanOrEqual(150_000);
    for (const { year } of s.costPerYear) expect(s.actions.filter((a) => a.year === year && a.action === 'replace').length).toBeLessThanOrEqual(120);
    // The budget is the binding limit: work continues every year and some is left at the end.
    for (const { cost } of s.costPerYear) expect(cost).toBeGreaterThan(100_000);
    expect(s.unresolved.length).toBeGreaterThan(0);
  });

  it('reports as unresolved exactly the devices with plannable findings the horizon leaves open', () => {
    const input = planInput({ ...org, budgetPerYear: 50_000, capacityPerYear: null, years: 2 });
    const s = buildScenario(input, 'risk_based');
    checkConsistent(s, input);
    const replaced = new Set(s.actions.filter((a) => a.action === 'replace').map((a) => a.deviceId));
    const mitigated = new Set(s.actions.filter((a) => a.action !== 'replace').map((a) => `${a.deviceId}:${a.action}`));
    const open = new Set<string>();
    for (const f of input.findings) {
      if (f.action === 'replace' && !replaced.has(f.deviceId)) open.add(f.deviceId);
      if ((f.action === 'update_firmware' || f.action === 'disable_vendor_cloud' || f.action === 'isolate_network') && !mitigated.has(`${f.deviceId}:${f.action}`) && !(replaced.has(f.deviceId) && f.rule === 'known_exploited_vulnerability')) open.add(f.deviceId);
    }
    expect(s.unresolved).toEqual([...open].sort());
  });

  it('a budget of nothing plans nothing and leaves every plannable device unresolved', () => {
    const input = planInput({ ...org, budgetPerYear: 0 });
    const s = buildScenario(input, 'risk_based');
    expect(s.actions).toEqual([]);
    expect(s.totalCost).toBe(0);
    expect(s.residualRisk.every((r) => r.risk === riskScore(input.findings))).toBe(true);
    expect(s.unresolved.length).toBe(new Set(input.findings.filter((f) => ['replace', 'update_firmware', 'disable_vendor_cloud', 'isolate_network'].includes(f.action)).map((f) => f.deviceId)).size);
  });

  it('keeps every scenario consistent and within capacity', () => {
    const input = planInput({ ...org, capacityPerYear: 150, years: 4 });
    for (const s of buildScenarios(input)) {
      checkConsistent(s, input);
      for (const { year } of s.costPerYear) expect(s.actions.filter((a) => a.year === year && a.action === 'replace').length).toBeLessThanOrEqual(150);
    }
  });

  it('an unlimited budget in risk_based replaces as much as replace_now', () => {
    const input = planInput({ ...org, years: 4 });
    const [now, , risk] = buildScenarios(input);
    expect(risk!.totalCost).toBe(now!.totalCost);
    expect(risk!.residualRisk).toEqual(now!.residualRisk);
  });
});

describe('determinism', () => {
  it('gives byte-identical JSON for shuffled devices and findings', () => {
    const org = organisation(500, 11);
    const input = planInput({ ...org, budgetPerYear: 40_000, capacityPerYear: 30, years: 5 });
    const expected = JSON.stringify(buildScenarios(input));
    for (const seed of [1, 2, 3]) {
      const again = JSON.stringify(buildScenarios({ ...input, devices: shuffled(org.devices, seed), findings: shuffled(org.findings, seed + 100) }));
      expect(again).toBe(expected);
    }
  });

  it('breaks ties by device id', () => {
    const devices = ['cam-3', 'cam-1', 'cam-2'].map((id) => device(id, 'camera', '2020-01-01'));
    const findings = devices.map((d) => finding(d.id, 'restricted_manufacturer', 'high', 'replace', '2026-08-28'));
    const s = buildScenario(planInput({ devices, findings, capacityPerYear: 1 }), 'replace_now');
    expect(s.actions.filter((a) => a.action === 'replace').map((a) => a.deviceId)).toEqual(['cam-1', 'cam-2', 'cam-3']);
  });
});

describe('plan input', () => {
  const refusal = (overrides: Partial<PlanInput>): string => {
    try {
      buildScenarios(planInput(overrides));
    } catch (err) {
      expect(err).toBeInstanceOf(CamauditError);
      expect((err as CamauditError).code).toBe('invalid_input');
      return (err as CamauditError).message;
    }
    throw new Error('the plan input was accepted');
  };

  it('refuses a finding for a device that is not in the input', () => {
    expect(refusal({ findings: [finding('ghost', 'vendor_cloud', 'high', 'disable_vendor_cloud', null)] })).toMatch(/"ghost"/);
  });

  it('refuses a device listed twice', () => {
    expect(refusal({ devices: [device('cam-1', 'camera', null), device('cam-1', 'recorder', null)] })).toMatch(/"cam-1" appears twice/);
  });

  it('refuses impossible parameters, naming them', () => {
    expect(refusal({ budgetPerYear: -1 })).toMatch(/"budgetPerYear"/);
    expect(refusal({ budgetPerYear: Number.NaN })).toMatch(/"budgetPerYear"/);
    expect(refusal({ capacityPerYear: 2.5 })).toMatch(/"capacityPerYear"/);
    expect(refusal({ years: 0 })).toMatch(/"years"/);
    expect(refusal({ startYear: 2025 })).toMatch(/"startYear".*2026/);
    expect(refusal({ now: 'yesterday' })).toMatch(/"now"/);
  });

  it('accepts a plan that starts in a later year and dates nothing before it', () => {
    const s = buildScenario(planInput({ startYear: 2028, years: 1, cost: COST }), 'replace_now');
    expect(s.actions.length).toBeGreaterThan(0);
    expect(s.actions.every((a) => a.year === 2028 && a.dueDate >= '2028-01-01')).toBe(true);
  });
});
