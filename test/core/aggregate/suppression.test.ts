// Suppression, tested the way a reader of the aggregate would attack it: every withheld count is
// attacked by subtraction and by linear programming over everything published, on registers of
// many shapes and thresholds, using the true counts to judge the result.
import { describe, expect, it } from 'vitest';
import { buildAggregate, type AggregateInput } from '../../../src/core/aggregate/build.js';
import { DIMENSIONS, MAKER_GROUPS, type MakerGroup } from '../../../src/core/aggregate/dimensions.js';
import { AggregateSchema, marginEntries, readTotal, type AggregatePayload } from '../../../src/core/aggregate/payload.js';
import { PUBLISHED_MARGINS, indexOfCell, indexOfEntry, marginIndex } from '../../../src/core/aggregate/table.js';
import { Polytope } from '../../../src/core/aggregate/lp.js';
import { Attack, readPublished, subtract, type Published } from './attacker.js';

const SOURCE = { code: 'GM0344', name: 'Gemeente Teststad' };
const byName = (m: string | null): MakerGroup => (m !== null && (MAKER_GROUPS as readonly string[]).includes(m) ? (m as MakerGroup) : 'unknown');

function options(threshold: number) {
  return { source: SOURCE, period: '2026-06-01', generatedAt: '2026-06-01T09:00:00.000Z', threshold, makerGroup: byName };
}

/** A seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A register with a skewed spread: most devices in a few combinations, a long tail of rare ones. */
function register(seed: number, devices: number): AggregateInput[] {
  const next = random(seed);
  const pick = <T>(values: readonly T[], skew: number): T => values[Math.min(values.length - 1, Math.floor(values.length * next() ** skew))]!;
  const out: AggregateInput[] = [];
  for (let i = 0; i < devices; i++) {
    out.push({
      manufacturer: pick(MAKER_GROUPS, 2),
      siteCategory: pick([...DIMENSIONS.siteCategory.filter((c) => c !== 'none'), null], 2.5),
      connectivity: pick([...DIMENSIONS.connectivity.filter((c) => c !== 'unknown'), null], 2),
      status: pick(DIMENSIONS.status, 3),
      severity: pick([...DIMENSIONS.severity.filter((s) => s !== 'none'), null], 1.5),
      devices: 1,
    });
  }
  return out;
}

/** The true count of every published entry (cells and totals), by extended-table index. */
function truth(payload: AggregatePayload, inputs: readonly AggregateInput[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const input of inputs) {
    const cell = indexOfCell({
      makerGroup: byName(input.manufacturer), siteCategory: (input.siteCategory ?? 'none') as never, connectivity: (input.connectivity ?? 'unknown') as never,
      status: input.status as never, severity: (input.severity ?? 'none') as never,
    });
    for (const dims of [...PUBLISHED_MARGINS, ['makerGroup', 'siteCategory', 'connectivity', 'status', 'severity'] as const]) {
      const m = marginIndex(cell, dims);
      counts.set(m, (counts.get(m) ?? 0) + 1);
    }
  }
  expect(payload.cells.reduce((n, c) => n + (counts.get(indexOfCell(c)) ?? 0), 0)).toBe(inputs.length);
  return counts;
}

interface Withheld {
  index: number;
  actual: number;
  vars: number[];
  /** Published cells inside a withheld total. */
  known: number;
}

/** Every withheld figure (cells and totals) with its true count and the attacker's unknowns it sums. */
function withheldFigures(payload: AggregatePayload, counts: Map<number, number>): Withheld[] {
  const pub = readPublished(payload);
  const out: Withheld[] = pub.unknowns.map((index, v) => ({ index, actual: counts.get(index)!, vars: [v], known: 0 }));
  for (const t of pub.withheldTotals) out.push({ index: t.index, actual: counts.get(t.index)!, vars: t.vars, known: t.known });
  return out;
}

/** Published figures are true, and every small one is withheld. */
function checkFigures(payload: AggregatePayload, counts: Map<number, number>): void {
  const t = payload.threshold;
  for (const cell of payload.cells) {
    const actual = counts.get(indexOfCell(cell))!;
    if (cell.count !== null) expect(cell.count).toBe(actual);
    if (actual < t) expect(cell.count).toBeNull();
  }
  for (const dims of PUBLISHED_MARGINS) {
    for (const values of marginEntries(dims)) {
      const actual = counts.get(indexOfEntry(Object.fromEntries(dims.map((d, i) => [d, values[i]])))) ?? 0;
      const shown = readTotal(payload.totals, dims, values);
      if (shown !== null) expect(shown).toBe(actual);
      if (actual > 0 && actual < t) expect(shown).toBeNull();
    }
  }
}

/**
 * Both attacks with the attacker's own solver: subtraction recovers nothing; no withheld figure is
 * pinned to one value, and none of the small ones can be shown to be below the threshold.
 */
function attack(payload: AggregatePayload, inputs: readonly AggregateInput[]): Withheld[] {
  const counts = truth(payload, inputs);
  checkFigures(payload, counts);
  const pub = readPublished(payload);
  expect(subtract(pub).size).toBe(0);
  const lp = new Attack(pub);
  expect(lp.consistent, 'the true table is consistent with what was published').toBe(true);
  const figures = withheldFigures(payload, counts);
  for (const f of figures) {
    const found = lp.range(f.vars);
    const r = { min: found.min + f.known, max: found.max + f.known };
    expect(r.min).toBeLessThanOrEqual(f.actual + 1e-6);
    expect(r.max).toBeGreaterThanOrEqual(f.actual - 1e-6);
    expect(r.max - r.min, `withheld figure ${f.index} (true ${f.actual}) is pinned`).toBeGreaterThanOrEqual(1 - 1e-6);
    if (f.actual < payload.threshold) expect(r.max, `small figure ${f.index} (true ${f.actual}) is shown to be below ${payload.threshold}`).toBeGreaterThanOrEqual(payload.threshold - 1e-6);
  }
  return figures;
}

/** For registers too large for the attacker's dense solver: the small figures only, with the sparse one. */
function attackSmallFigures(payload: AggregatePayload, inputs: readonly AggregateInput[]): void {
  const counts = truth(payload, inputs);
  checkFigures(payload, counts);
  const pub: Published = readPublished(payload);
  expect(subtract(pub).size).toBe(0);
  const equations = pub.equations.filter((e) => e.vars.length > 0).map((e) => ({ columns: e.vars, rhs: e.rhs - e.vars.length }));
  const polytope = new Polytope(pub.unknowns.length, equations);
  expect(polytope.feasible).toBe(true);
  for (const f of withheldFigures(payload, counts).filter((w) => w.actual < payload.threshold)) {
    expect(polytope.reach(f.vars, payload.threshold - f.known - f.vars.length).reached, `small figure ${f.index} is shown to be small`).toBe(true);
  }
}

describe('small-count suppression', () => {
  it('a naive aggregate (only small cells withheld) gives its small counts away to the attacker', () => {
    // The attacker is real: against primary suppression alone it recovers the withheld count.
    const inputs = [
      ...Array.from({ length: 40 }, () => ({ manufacturer: 'other', siteCategory: 'office', connectivity: 'internal', status: 'active', severity: 'low', devices: 1 })),
      { manufacturer: 'hikvision', siteCategory: 'school', connectivity: 'internet_exposed', status: 'active', severity: 'critical', devices: 1 },
    ];
    const payload = buildAggregate(inputs, options(5));
    const naive: AggregatePayload = {
      ...payload,
      totals: { ...payload.totals, devices: 41 },
      cells: [
        { makerGroup: 'other', siteCategory: 'office', connectivity: 'internal', status: 'active', severity: 'low', count: 40 },
        { makerGroup: 'hikvision', siteCategory: 'school', connectivity: 'internet_exposed', status: 'active', severity: 'critical', count: null, suppressed: true },
      ],
    };
    expect([...subtract(readPublished(naive)).values()]).toEqual([1]);
    // The real aggregate withholds the office cell as well, so neither attack works; the total
    // stays published.
    attack(payload, inputs);
    expect(payload.cells.every((c) => c.suppressed)).toBe(true);
    expect(payload.totals.devices).toBe(41);
  });

  it.each([
    [1, 25, 5], [2, 120, 5], [3, 300, 5], [5, 300, 2], [6, 300, 10], [8, 60, 3],
  ])('register %i (%i devices, threshold %i): nothing withheld can be recovered', (seed, devices, threshold) => {
    const inputs = register(seed, devices);
    const payload = buildAggregate(inputs, options(threshold));
    expect(AggregateSchema.safeParse(payload).success).toBe(true);
    expect(attack(payload, inputs).length).toBeGreaterThan(0);
  });

  it.each([[4, 1500], [7, 3000]])('register %i (%i devices): no small figure can be shown to be small, and the totals survive', (seed, devices) => {
    const inputs = register(seed, devices);
    const payload = buildAggregate(inputs, options(5));
    attackSmallFigures(payload, inputs);
    expect(payload.totals.devices).toBe(devices);
    expect(payload.totals.makerGroup.hikvision).not.toBeNull();
  });

  it('the attacker\'s solver and the suppression audit\'s agree', () => {
    const inputs = register(3, 300);
    const payload = buildAggregate(inputs, options(5));
    const pub = readPublished(payload);
    const equations = pub.equations.filter((e) => e.vars.length > 0).map((e) => ({ columns: e.vars, rhs: e.rhs - e.vars.length }));
    const polytope = new Polytope(pub.unknowns.length, equations);
    const lp = new Attack(pub);
    for (let v = 0; v < pub.unknowns.length; v += 7) {
      const { max } = lp.range([v]);
      if (Number.isFinite(max)) {
        expect(polytope.reach([v], max - 1 + 1e-3).reached).toBe(false);
        expect(polytope.reach([v], max - 1 - 1e-3).reached).toBe(true);
      }
    }
  });

  it('a register with nothing small publishes every count', () => {
    const inputs: AggregateInput[] = [
      { manufacturer: 'hikvision', siteCategory: 'parking_garage', connectivity: 'internal', status: 'active', severity: 'high', devices: 30 },
      { manufacturer: 'other', siteCategory: 'office', connectivity: 'isolated', status: 'active', severity: null, devices: 12 },
    ];
    const payload = buildAggregate(inputs, options(5));
    expect(payload.cells.map((c) => c.count)).toEqual([30, 12]);
    expect(payload.totals.devices).toBe(42);
    expect(payload.totals.makerGroupByConnectivity.hikvision.internal).toBe(30);
    expect(payload.cells.some((c) => c.suppressed)).toBe(false);
  });

  it('a tiny register withholds every count and still reveals nothing but which cells are non-empty', () => {
    const inputs = register(11, 4);
    const payload = buildAggregate(inputs, options(5));
    expect(payload.cells.every((c) => c.count === null)).toBe(true);
    expect(payload.totals.devices).toBeNull();
    attack(payload, inputs);
  });

  it('builds the aggregate of a large register quickly', () => {
    const inputs = register(21, 100_000);
    const started = performance.now();
    const payload = buildAggregate(inputs, options(5));
    const ms = performance.now() - started;
    console.log(`aggregate of 100,000 devices: ${payload.cells.length} cells, ${payload.cells.filter((c) => c.suppressed).length} withheld, ${ms.toFixed(0)} ms`);
    expect(payload.totals.devices).toBe(100_000);
    expect(ms).toBeLessThan(10_000);
  });
});
