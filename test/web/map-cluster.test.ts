// Grouping of map markers and the risk symbols: pure functions of the map page.
import { describe, expect, it } from 'vitest';
import { clusterPoints, compareBy, riskLevel, RISK_LEVELS, RISK_SHAPES, shapePath, worstLevel } from '../../web/src/pages/map/cluster.js';

const p = (id: string, x: number, y: number) => ({ id, x, y });

describe('clusterPoints', () => {
  it('keeps points further apart than the distance on their own', () => {
    const out = clusterPoints([p('a', 0, 0), p('b', 100, 0), p('c', 0, 100)], 40);
    expect(out.map((c) => c.members.map((m) => m.id))).toEqual([['a'], ['b'], ['c']]);
    expect(out[1]).toMatchObject({ key: 'b', x: 100, y: 0 });
  });

  it('groups points closer than the distance even across a grid line, with their centroid', () => {
    // 39 and 41 fall in different 40-pixel cells; 2 pixels apart they still overlap on screen.
    const out = clusterPoints([p('b', 39, 10), p('a', 41, 10), p('far', 400, 400)], 40);
    expect(out).toHaveLength(2);
    const group = out.find((c) => c.members.length === 2)!;
    expect(group.key).toBe('a');
    expect(group.x).toBe(40);
    expect(group.y).toBe(10);
  });

  it('merges until no two groups overlap, and loses no point', () => {
    const points = Array.from({ length: 200 }, (_, i) => p(`s${i}`, (i * 37) % 300, (i * 53) % 300));
    const out = clusterPoints(points, 50);
    expect(out.reduce((n, c) => n + c.members.length, 0)).toBe(200);
    expect(new Set(out.flatMap((c) => c.members.map((m) => m.id))).size).toBe(200);
    for (const a of out) for (const b of out) if (a !== b) expect(Math.hypot(a.x - b.x, a.y - b.y)).toBeGreaterThanOrEqual(50);
  });

  it('puts points at one spot (approximate positions can coincide) in one group', () => {
    const out = clusterPoints([p('x', 5, 5), p('y', 5, 5), p('z', 5, 5)], 10);
    expect(out).toHaveLength(1);
    expect(out[0]!.members).toHaveLength(3);
  });

  it('refuses a distance that is not positive', () => {
    expect(() => clusterPoints([p('a', 0, 0)], 0)).toThrow(/positive/);
  });
});

describe('risk symbols', () => {
  it('reads unknown or missing severities as no standing finding', () => {
    expect(riskLevel('high')).toBe('high');
    expect(riskLevel(null)).toBe('none');
    expect(riskLevel('bogus')).toBe('none');
  });

  it('finds the most serious level', () => {
    expect(worstLevel(['low', 'none', 'high', 'medium'])).toBe('high');
    expect(worstLevel([])).toBe('none');
    expect(worstLevel(['info', 'critical'])).toBe('critical');
  });

  it('gives every level its own shape with an outline', () => {
    const shapes = RISK_LEVELS.map((l) => RISK_SHAPES[l]);
    expect(new Set(shapes).size).toBe(RISK_LEVELS.length);
    for (const s of shapes) expect(shapePath(s)).toMatch(/^M.*Z$/);
  });

  it('sorts numbers as numbers and text naturally, either way', () => {
    const rows = [{ n: 10, t: 'Site 10' }, { n: 9, t: 'Site 9' }, { n: 100, t: 'site 2' }];
    expect([...rows].sort(compareBy((r) => r.n)).map((r) => r.n)).toEqual([9, 10, 100]);
    expect([...rows].sort(compareBy((r) => r.t)).map((r) => r.t)).toEqual(['site 2', 'Site 9', 'Site 10']);
    expect([...rows].sort(compareBy((r) => r.n, true)).map((r) => r.n)).toEqual([100, 10, 9]);
  });
});
