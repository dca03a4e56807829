// Grouping sites that would overlap on the screen, and the risk symbol each site or group shows.
// Pure and without imports, so it is tested apart from the map and the browser.

export interface ScreenPoint {
  id: string;
  /** Pixel position in the map's world coordinates at the current zoom. */
  x: number;
  y: number;
}

export interface Cluster<T extends ScreenPoint> {
  /** Stable for the same members: the smallest member id. */
  key: string;
  members: T[];
  /** The members' centroid, in the same pixel coordinates. */
  x: number;
  y: number;
}

/**
 * Points closer than `distance` pixels end up in one cluster. Points are first binned in a grid
 * of that size, then neighbouring bins whose centroids lie within `distance` of each other are
 * merged until none are, so a group never depends on where a grid line happens to fall.
 */
export function clusterPoints<T extends ScreenPoint>(points: readonly T[], distance: number): Cluster<T>[] {
  if (distance <= 0) throw new Error('cluster distance must be positive');
  const bins = new Map<string, T[]>();
  for (const p of points) {
    const k = `${Math.floor(p.x / distance)}:${Math.floor(p.y / distance)}`;
    const bin = bins.get(k);
    if (bin) bin.push(p);
    else bins.set(k, [p]);
  }
  let clusters = [...bins.values()].map(make);
  let merged = true;
  while (merged) {
    merged = false;
    // Largest first, so small groups join big ones rather than the other way round.
    clusters.sort((a, b) => b.members.length - a.members.length || (a.key < b.key ? -1 : 1));
    const out: Cluster<T>[] = [];
    for (const c of clusters) {
      const near = out.find((o) => Math.hypot(o.x - c.x, o.y - c.y) < distance);
      if (near) {
        out[out.indexOf(near)] = make([...near.members, ...c.members]);
        merged = true;
      } else out.push(c);
    }
    clusters = out;
  }
  return clusters.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function make<T extends ScreenPoint>(members: T[]): Cluster<T> {
  const x = members.reduce((s, p) => s + p.x, 0) / members.length;
  const y = members.reduce((s, p) => s + p.y, 0) / members.length;
  const key = members.reduce((k, p) => (p.id < k ? p.id : k), members[0]!.id);
  return { key, members, x, y };
}

/** From most to least serious; `none` is a site with no standing finding. */
export const RISK_LEVELS = ['critical', 'high', 'medium', 'low', 'info', 'none'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export function riskLevel(severity: string | null | undefined): RiskLevel {
  return (RISK_LEVELS as readonly string[]).includes(severity ?? '') ? (severity as RiskLevel) : 'none';
}

/** The most serious of several levels. */
export function worstLevel(levels: Iterable<RiskLevel>): RiskLevel {
  let worst: RiskLevel = 'none';
  for (const l of levels) if (RISK_LEVELS.indexOf(l) < RISK_LEVELS.indexOf(worst)) worst = l;
  return worst;
}

/** Each level's shape, so that risk reads without colour; the legend names them. */
export const RISK_SHAPES: Readonly<Record<RiskLevel, 'diamond' | 'triangle' | 'square' | 'circle' | 'ring' | 'dash'>> = {
  critical: 'diamond', high: 'triangle', medium: 'square', low: 'circle', info: 'ring', none: 'dash',
};

/** The SVG outline of a shape in a 24×24 box. */
export function shapePath(shape: (typeof RISK_SHAPES)[RiskLevel]): string {
  switch (shape) {
    case 'diamond': return 'M12 1 L23 12 L12 23 L1 12 Z';
    case 'triangle': return 'M12 1 L23 22 L1 22 Z';
    case 'square': return 'M3 3 H21 V21 H3 Z';
    case 'circle': return 'M12 2 A10 10 0 1 1 11.99 2 Z';
    case 'ring': return 'M12 3 A9 9 0 1 1 11.99 3 Z';
    case 'dash': return 'M2 8 H22 V16 H2 Z';
  }
}

/** Sorting the table: by a text column, or by risk from most serious. */
export function compareBy<T>(key: (row: T) => string | number, descending = false): (a: T, b: T) => number {
  return (a, b) => {
    const x = key(a);
    const y = key(b);
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'nl', { numeric: true });
    return descending ? -c : c;
  };
}
