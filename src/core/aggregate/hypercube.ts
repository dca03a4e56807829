// The hypercube method of statistical disclosure control, on the extended table (cells plus
// margins, table.ts). For a small entry `a` choose, in every dimension, one other value b (another
// category, or Total). The 2^5 entries taking a or b in each dimension are the corners of a
// hypercube. Adding +δ and −δ to the corners in a checkerboard pattern (a corner's sign flips for
// each dimension where it takes b and both a and b are categories) leaves every sum in the
// extended table unchanged: each line through a corner holds exactly two corners, whose changes
// cancel (two categories) or match (a category and its Total). So once every published corner is
// withheld, a reader sees the same figures for a table in which `a` is larger by δ. δ is limited
// by the corner cells that decrease, which must stay at least 1. The cube chosen is the cheapest
// whose δ lifts `a` to the threshold, with no empty corner (a reader knows those are zero). One
// always exists: with b = Total wherever `a` keeps a category, and the categories of one of its
// cells wherever it has Total, nothing flips sign and every corner contains that cell.
import { ENTRY, KIND, SIZES, STRIDES, coordOf, totalOf, weightOf } from './table.js';

const RANK = SIZES.length;
const CORNERS = 1 << RANK;

/** What withholding an entry costs the coordinator: its count, weighted by what the entry is (table.ts). */
export function cost(index: number, count: number): number {
  return count * weightOf(index);
}

export interface Cube {
  corners: number[];
  cost: number;
}

/** The cheapest hypercube around `a` that protects it, or null when there is none. */
export function cheapestCube(ext: Float64Array, suppressed: Uint8Array, a: number, threshold: number): Cube | null {
  const coords = Array.from({ length: RANK }, (_, d) => coordOf(a, d));
  // Each single-flip corner must be non-empty, which prunes most choices in sparse tables.
  const choices = coords.map((ad, d) => {
    const out: number[] = [];
    for (let b = 0; b <= totalOf(d); b++) if (b !== ad && ext[a + (b - ad) * STRIDES[d]!]! > 0) out.push(b);
    return out;
  });
  const need = threshold - ext[a]!;
  const pick = new Array<number>(RANK).fill(0);
  const delta = new Array<number>(RANK).fill(0);
  const flips = new Array<number>(RANK).fill(0);
  let best: Cube | null = null;
  for (;;) {
    for (let d = 0; d < RANK; d++) {
      const b = choices[d]![pick[d]!]!;
      delta[d] = (b - coords[d]!) * STRIDES[d]!;
      flips[d] = b !== totalOf(d) && coords[d] !== totalOf(d) ? 1 : 0;
    }
    const cube = evaluate(ext, suppressed, a, delta, flips, need, best?.cost ?? Infinity);
    if (cube && (!best || cube.cost < best.cost)) {
      best = cube;
      if (best.cost === 0) return best;
    }
    let d = RANK - 1;
    while (d >= 0 && ++pick[d]! === choices[d]!.length) pick[d--] = 0;
    if (d < 0) return best;
  }
}

function evaluate(ext: Float64Array, suppressed: Uint8Array, a: number, delta: number[], flips: number[], need: number, bound: number): Cube | null {
  const corners: number[] = [];
  let price = 0;
  let lift = Infinity;
  for (let s = 0; s < CORNERS; s++) {
    let index = a;
    let parity = 0;
    for (let d = 0; d < RANK; d++) {
      if (s & (1 << d)) {
        index += delta[d]!;
        parity ^= flips[d]!;
      }
    }
    const count = ext[index]!;
    if (count <= 0) return null;
    const kind = KIND[index]!;
    // Only cells bound δ: a margin is the sum of its cells and follows them.
    if (kind === ENTRY.cell && parity === 1) lift = Math.min(lift, count - 1);
    if (kind !== ENTRY.unpublished && !suppressed[index]) {
      price += cost(index, count);
      if (price >= bound) return null;
    }
    corners.push(index);
  }
  return lift >= need ? { corners, cost: price } : null;
}

