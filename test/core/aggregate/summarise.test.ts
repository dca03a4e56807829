// The coordinator's view: national totals, per municipality, trend and headlines, with withheld
// figures kept withheld (sums become lower bounds that say how many withheld figures they hold).
import { describe, expect, it } from 'vitest';
import { buildAggregate, type AggregateInput } from '../../../src/core/aggregate/build.js';
import type { MakerGroup } from '../../../src/core/aggregate/dimensions.js';
import type { AggregatePayload } from '../../../src/core/aggregate/payload.js';
import { summarise } from '../../../src/core/aggregate/summarise.js';

const groupOf = (m: string | null) => (m ?? 'unknown') as MakerGroup;
const device = (over: Partial<AggregateInput>): AggregateInput => ({
  manufacturer: 'other', siteCategory: 'office', connectivity: 'internal', status: 'active', severity: 'low', devices: 1, ...over,
});

function publish(code: string, name: string, period: string, inputs: AggregateInput[], threshold = 5): AggregatePayload {
  return buildAggregate(inputs, { source: { code, name }, period, generatedAt: `${period}T10:00:00.000Z`, threshold, makerGroup: groupOf });
}

// Utrecht: Hikvision, some of it internet-exposed. Lindeveld: Dahua on closed networks, and one
// internet-exposed camera of another maker, which is withheld.
const utrecht = (period: string, hik = 30) => publish('GM0344', 'Utrecht', period, [
  device({ manufacturer: 'hikvision', siteCategory: 'parking_garage', severity: 'high', devices: hik }),
  device({ manufacturer: 'hikvision', siteCategory: 'parking_garage', connectivity: 'internet_exposed', severity: 'critical', devices: 10 }),
  device({ devices: 50, severity: null }),
]);
const lindeveld = publish('GM9999', 'Lindeveld', '2026-06-03', [
  device({ manufacturer: 'dahua', siteCategory: 'sports_facility', connectivity: 'isolated', severity: 'medium', devices: 20 }),
  device({ devices: 25 }),
  device({ connectivity: 'internet_exposed', siteCategory: 'school', severity: 'critical', devices: 1 }),
  device({ manufacturer: 'other', siteCategory: 'school', connectivity: 'internal', severity: 'low', devices: 12 }),
]);

describe('the coordinator summary', () => {
  it('adds up national totals from each municipality\'s latest aggregate', () => {
    const s = summarise([utrecht('2026-03-01', 20), utrecht('2026-06-01'), lindeveld], { threshold: 5 });
    expect(s.asOf).toBe('2026-06-03');
    expect(s.municipalities.map((m) => [m.code, m.period])).toEqual([['GM0344', '2026-06-01'], ['GM9999', '2026-06-03']]);
    expect(s.national.makerGroup.hikvision).toEqual({ value: 40, suppressed: 0 });
    expect(s.national.makerGroup.dahua).toEqual({ value: 20, suppressed: 0 });
    expect(s.national.makerGroupByConnectivity.hikvision.internet_exposed).toEqual({ value: 10, suppressed: 0 });
    expect(s.national.devices.value).toBeGreaterThanOrEqual(90);
  });

  it('keeps withheld figures withheld: a sum with one is a lower bound that says so', () => {
    const s = summarise([utrecht('2026-06-01'), lindeveld], { threshold: 5 });
    const row = s.municipalities.find((m) => m.code === 'GM9999')!;
    // Lindeveld's one internet-exposed camera is withheld in every figure that would show it.
    expect(lindeveld.totals.connectivity.internet_exposed).toBeNull();
    expect(row.internetExposed).toBeNull();
    expect(s.national.connectivity.internet_exposed.suppressed).toBe(1);
    expect(s.national.connectivity.internet_exposed.value).toBe(10 + 1);
    expect(JSON.stringify(s)).not.toMatch(/"internet_exposed":\{"value":11,"suppressed":0\}/);
  });

  it('gives the headline figures from the municipalities\' presence facts', () => {
    const s = summarise([utrecht('2026-06-01'), lindeveld], { threshold: 5 });
    expect(s.headlines).toEqual({ municipalities: 2, hikvisionOrDahua: 2, hikvisionOrDahuaInternetExposed: 1, otherRestricted: 0 });
    expect(s.municipalities.find((m) => m.code === 'GM0344')!.hikvisionOrDahuaInService).toEqual({ value: 40, suppressed: 0 });
  });

  it('shows the trend month by month, counting a municipality with its latest figures up to then', () => {
    const s = summarise([utrecht('2026-03-01', 20), utrecht('2026-06-01'), lindeveld], { threshold: 5 });
    expect(s.trend.map((t) => [t.month, t.sources, t.updated, t.hikvisionOrDahuaInService.value])).toEqual([
      ['2026-03', 1, 1, 30], ['2026-04', 1, 0, 30], ['2026-05', 1, 0, 30], ['2026-06', 2, 2, 60],
    ]);
    expect(s.trend[3]!.municipalitiesWithHikvisionOrDahua).toBe(2);
  });

  it('leaves out aggregates published with a lower threshold than the coordinator accepts', () => {
    const loose = publish('GM0363', 'Amsterdam', '2026-06-01', [device({ devices: 3 }), device({ manufacturer: 'hikvision', devices: 40 })], 2);
    expect(loose.cells.some((c) => c.count === 3)).toBe(true);
    const s = summarise([utrecht('2026-06-01'), loose], { threshold: 5 });
    expect(s.municipalities.map((m) => m.code)).toEqual(['GM0344']);
    expect(s.excluded).toEqual([{ code: 'GM0363', name: 'Amsterdam', period: '2026-06-01', threshold: 2 }]);
    expect(summarise([loose], { threshold: 2 }).municipalities).toHaveLength(1);
  });

  it('is empty, not wrong, without aggregates', () => {
    const s = summarise([], { threshold: 5 });
    expect(s).toMatchObject({ asOf: null, municipalities: [], trend: [], headlines: { municipalities: 0, hikvisionOrDahua: 0 } });
    expect(s.national.devices).toEqual({ value: 0, suppressed: 0 });
  });
});
