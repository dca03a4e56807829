import { describe, expect, it } from 'vitest';
import { assess } from '../../../src/core/assess/assess.js';
import { deviceRisk, rollUp, SEVERITY_WEIGHTS } from '../../../src/core/assess/risk.js';
import type { Finding, Severity } from '../../../src/core/assess/types.js';
import { device, HIK_KEV, kb, NOW, policy } from './fixtures.js';

const f = (deviceId: string, severity: Severity) => ({ deviceId, severity }) as Finding;

describe('deviceRisk', () => {
  it('sums the weights and keeps the highest severity', () => {
    expect(deviceRisk([{ severity: 'low' }, { severity: 'critical' }, { severity: 'medium' }])).toEqual({ score: 13, severity: 'critical' });
    expect(deviceRisk([{ severity: 'info' }])).toEqual({ score: 0, severity: 'info' });
    expect(deviceRisk([])).toEqual({ score: 0, severity: null });
  });

  it('weighs each severity at least twice the one below it', () => {
    const order: Severity[] = ['critical', 'high', 'medium', 'low'];
    for (let i = 0; i < order.length - 1; i++) expect(SEVERITY_WEIGHTS[order[i]!]).toBeGreaterThanOrEqual(2 * SEVERITY_WEIGHTS[order[i + 1]!]);
    expect(SEVERITY_WEIGHTS.info).toBe(0);
  });
});

describe('rollUp', () => {
  const a = { id: 's-a', name: 'Garage', category: 'parking_garage' } as const;
  const b = { id: 's-b', name: 'Markt', category: 'public_space' } as const;
  const devices = [
    device({ id: 'd1', site: b }),
    device({ id: 'd2', site: a }),
    device({ id: 'd3', site: a }),
    device({ id: 'd4', site: null }),
    device({ id: 'd5', site: a, status: 'disposed' }),
  ];
  const findings = [f('d2', 'high'), f('d2', 'low'), f('d1', 'critical'), f('d4', 'medium'), f('d5', 'critical'), f('gone', 'high')];

  it('counts devices by their highest severity per site and for the organisation', () => {
    const r = rollUp(devices, findings);
    expect(r.organisation).toEqual({ devices: 4, bySeverity: { critical: 1, high: 1, medium: 1, low: 0, info: 0, none: 1 }, score: 18 });
    expect(r.sites).toEqual([
      { siteId: 's-a', name: 'Garage', category: 'parking_garage', devices: 2, bySeverity: { critical: 0, high: 1, medium: 0, low: 0, info: 0, none: 1 }, score: 6 },
      { siteId: 's-b', name: 'Markt', category: 'public_space', devices: 1, bySeverity: { critical: 1, high: 0, medium: 0, low: 0, info: 0, none: 0 }, score: 10 },
      { siteId: null, name: null, category: null, devices: 1, bySeverity: { critical: 0, high: 0, medium: 1, low: 0, info: 0, none: 0 }, score: 2 },
    ]);
  });

  it('does not depend on the order of devices or findings', () => {
    expect(rollUp([...devices].reverse(), [...findings].reverse())).toEqual(rollUp(devices, findings));
  });

  it('adds up to the sum of device risks for an assessment', () => {
    const ds = [device({ id: 'x', ...HIK_KEV }), device({ id: 'y', retentionDays: 60 }), device({ id: 'z' })];
    const out = assess(ds, kb, policy, NOW);
    const total = ds.reduce((sum, d) => sum + deviceRisk(out.filter((x) => x.deviceId === d.id)).score, 0);
    const r = rollUp(ds, out);
    expect(r.organisation.score).toBe(total);
    expect(r.organisation.bySeverity).toMatchObject({ critical: 1, medium: 1, none: 1 });
  });
});
