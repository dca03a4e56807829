// What a reader of an aggregate can work out, as a linear program (lp.ts): the attack a careful
// reader would make. Used to audit suppression (can a small count be shown to be small?) and to
// publish withheld figures a reader can compute exactly anyway.
import { Polytope, type Row } from './lp.js';
import { ENTRY, EXTENDED_SIZE, KIND, PUBLISHED_MARGINS, dimensionsOf, marginIndex } from './table.js';

/** A small entry a reader can show to be below the threshold, and the published totals that show it. */
export interface Pinned {
  entry: number;
  by: number[];
}

/**
 * What a reader can work with, as a linear system: unknowns are the withheld cells, each at least
 * 1 (shifted to y = x − 1 ≥ 0); every published total is an equation over the withheld cells in it.
 */
class Reader {
  private readonly cells: number[] = [];
  private readonly column = new Map<number, number>();
  private readonly margins: number[];
  private readonly polytope: Polytope;

  constructor(private readonly ext: Float64Array, private readonly suppressed: Uint8Array) {
    for (let i = 0; i < EXTENDED_SIZE; i++) if (KIND[i] === ENTRY.cell && ext[i]! > 0) this.cells.push(i);
    for (const c of this.cells) if (suppressed[c]) this.column.set(c, this.column.size);
    const rows = new Map<number, { columns: number[]; rhs: number }>();
    for (const c of this.cells) {
      for (const dims of PUBLISHED_MARGINS) {
        const m = marginIndex(c, dims);
        if (suppressed[m]) continue;
        let row = rows.get(m);
        if (!row) rows.set(m, (row = { columns: [], rhs: ext[m]! }));
        if (suppressed[c]) {
          row.columns.push(this.column.get(c)!);
          row.rhs -= 1;
        } else row.rhs -= ext[c]!;
      }
    }
    const equations = [...rows].filter(([, r]) => r.columns.length > 0);
    this.margins = equations.map(([m]) => m);
    this.polytope = new Polytope(this.column.size, equations.map(([, r]) => r as Row));
    if (!this.polytope.feasible) throw new Error('suppression audit: the counts do not add up to their own totals');
  }

  /** An entry as the reader sees it: the columns of its withheld cells, and its published cells' sum. */
  private view(entry: number): { columns: number[]; known: number } {
    const dims = dimensionsOf(entry);
    const inside = KIND[entry] === ENTRY.cell ? [entry] : this.cells.filter((c) => marginIndex(c, dims) === entry);
    const columns = inside.filter((c) => this.suppressed[c]).map((c) => this.column.get(c)!);
    const known = inside.reduce((n, c) => n + (this.suppressed[c] ? 0 : this.ext[c]!), 0);
    return { columns, known };
  }

  /** Null when the entry can reach `target`; else the published totals that hold it below. */
  holdsBelow(entry: number, target: number): number[] | null {
    const { columns, known } = this.view(entry);
    const result = this.polytope.reach(columns, target - known - columns.length);
    return result.reached ? null : result.binding.map((i) => this.margins[i]!);
  }

  /** Whether the reader can work out the entry's exact count. */
  determines(entry: number): boolean {
    const { columns, known } = this.view(entry);
    const y = this.ext[entry]! - known - columns.length;
    return !this.polytope.reach(columns, y + 0.5).reached && !this.polytope.reach(columns, -(y - 0.5), -1).reached;
  }
}

/** The audit: which small entries a reader could show to be below the threshold, given what is withheld so far. */
export function audit(ext: Float64Array, suppressed: Uint8Array, small: readonly number[], threshold: number): Pinned[] {
  const reader = new Reader(ext, suppressed);
  const out: Pinned[] = [];
  for (const entry of small) {
    const by = reader.holdsBelow(entry, threshold);
    if (by) out.push({ entry, by });
  }
  return out;
}

/**
 * Withheld entries the reader can work out exactly anyway (a total that is the sum of published
 * ones) are published after all: that tells the reader nothing new, so every protection holds,
 * and the coordinator gets the figure. Publishing a figure the reader already knows does not
 * change what the reader knows of any other, so one pass decides them all.
 */
export function release(ext: Float64Array, suppressed: Uint8Array, threshold: number): void {
  const reader = new Reader(ext, suppressed);
  const known: number[] = [];
  for (let i = 0; i < EXTENDED_SIZE; i++) {
    if (suppressed[i] && ext[i]! >= threshold && reader.determines(i)) known.push(i);
  }
  for (const i of known) suppressed[i] = 0;
}

