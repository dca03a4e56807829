// The aggregate as an extended table: every cell of the five-dimensional cube plus every margin,
// where a margin is the same coordinates with "Total" in one or more dimensions. Coordinates are
// packed into one integer (mixed radix, Total being the last value of each dimension), so the
// whole extended table of at most 6 × 9 × 5 × 8 × 7 entries lives in one typed array and
// suppression can test thousands of candidate patterns per cell cheaply.
import { DIMENSIONS, DIMENSION_NAMES, type CellKey, type Dimension } from './dimensions.js';

/** Dimensions by position: 0 maker group, 1 site category, 2 connectivity, 3 status, 4 severity. */
export const SIZES: readonly number[] = DIMENSION_NAMES.map((d) => DIMENSIONS[d].length);
const RANK = SIZES.length;
/** The coordinate value meaning "all values of this dimension". */
export const totalOf = (dim: number): number => SIZES[dim]!;

export const STRIDES: readonly number[] = (() => {
  const out: number[] = [];
  let stride = 1;
  for (let d = RANK - 1; d >= 0; d--) {
    out[d] = stride;
    stride *= SIZES[d]! + 1;
  }
  return out;
})();
export const EXTENDED_SIZE = SIZES.reduce((n, s) => n * (s + 1), 1);

/**
 * The margins an aggregate publishes, as the dimensions they keep: the grand total, each
 * dimension on its own, and maker group by connectivity (exposure) and by status (phase-out).
 * Every other margin (say maker group by site category) is not published. Each has a weight: how
 * much a coordinator loses when one of its counts is withheld, relative to a cell's count. The
 * national picture is built from the grand total and the maker groups above all.
 */
const MARGINS: readonly { dims: readonly Dimension[]; weight: number }[] = [
  { dims: [], weight: 64 },
  { dims: ['makerGroup'], weight: 32 },
  { dims: ['siteCategory'], weight: 8 },
  { dims: ['connectivity'], weight: 8 },
  { dims: ['status'], weight: 8 },
  { dims: ['severity'], weight: 8 },
  { dims: ['makerGroup', 'connectivity'], weight: 4 },
  { dims: ['makerGroup', 'status'], weight: 4 },
];
export const PUBLISHED_MARGINS: readonly (readonly Dimension[])[] = MARGINS.map((m) => m.dims);

export const coordOf = (index: number, dim: number): number => Math.floor(index / STRIDES[dim]!) % (SIZES[dim]! + 1);
export const withCoord = (index: number, dim: number, value: number): number => index + (value - coordOf(index, dim)) * STRIDES[dim]!;

export function indexOfCell(key: CellKey): number {
  return indexOfEntry(key);
}

/** The index of the entry keeping the given dimensions' values and Total in the others. */
export function indexOfEntry(key: Partial<Record<Dimension, string>>): number {
  return DIMENSION_NAMES.reduce((n, d, i) => {
    const value = key[d];
    return n + (value === undefined ? totalOf(i) : (DIMENSIONS[d] as readonly string[]).indexOf(value)) * STRIDES[i]!;
  }, 0);
}

export function cellKeyOf(index: number): CellKey {
  const entries = DIMENSION_NAMES.map((d, i) => [d, DIMENSIONS[d][coordOf(index, i)]]);
  return Object.fromEntries(entries) as CellKey;
}

/** The bit mask of the dimensions an entry keeps (not Total). */
export function keptMask(index: number): number {
  let mask = 0;
  for (let d = 0; d < RANK; d++) if (coordOf(index, d) !== totalOf(d)) mask |= 1 << d;
  return mask;
}

const FULL = (1 << RANK) - 1;
const maskOf = (dims: readonly Dimension[]) => dims.reduce((mask, d) => mask | (1 << DIMENSION_NAMES.indexOf(d)), 0);
const PUBLISHED_MASKS = new Set(PUBLISHED_MARGINS.map(maskOf));
const WEIGHTS = new Map(MARGINS.map((m) => [maskOf(m.dims), m.weight]));

/** What withholding an entry's count costs the coordinator, relative to a cell's (1); 0 for unpublished entries. */
export function weightOf(index: number): number {
  const mask = keptMask(index);
  return mask === FULL ? 1 : (WEIGHTS.get(mask) ?? 0);
}

/** What an entry of the extended table is. */
export const ENTRY = { cell: 0, publishedMargin: 1, unpublished: 2 } as const;

export const KIND: Uint8Array = (() => {
  const out = new Uint8Array(EXTENDED_SIZE);
  for (let i = 0; i < EXTENDED_SIZE; i++) {
    const mask = keptMask(i);
    out[i] = mask === FULL ? ENTRY.cell : PUBLISHED_MASKS.has(mask) ? ENTRY.publishedMargin : ENTRY.unpublished;
  }
  return out;
})();

/** The published margin an entry belongs to, as the dimensions it keeps (all five for a cell). */
export function dimensionsOf(index: number): readonly Dimension[] {
  const mask = keptMask(index);
  return DIMENSION_NAMES.filter((_, d) => mask & (1 << d));
}

/** The index of the margin that keeps `dims` of the cell `index`. */
export function marginIndex(index: number, dims: readonly Dimension[]): number {
  let out = index;
  for (let d = 0; d < RANK; d++) if (!dims.includes(DIMENSION_NAMES[d]!)) out = withCoord(out, d, totalOf(d));
  return out;
}

/** Every entry of the extended table from the cell counts: each margin is the sum of its cells. */
export function extend(cells: ReadonlyMap<number, number>): Float64Array {
  const ext = new Float64Array(EXTENDED_SIZE);
  for (const [index, count] of cells) ext[index] = count;
  // Dimension by dimension, every entry adds into the one with Total in that dimension; after the
  // last dimension an entry with several Totals holds the sum over all of them.
  for (let d = 0; d < RANK; d++) {
    for (let i = 0; i < EXTENDED_SIZE; i++) {
      if (coordOf(i, d) !== totalOf(d) && ext[i] !== 0) ext[withCoord(i, d, totalOf(d))]! += ext[i]!;
    }
  }
  return ext;
}
