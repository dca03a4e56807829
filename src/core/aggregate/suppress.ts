// Small-count suppression of an aggregate, primary and secondary. Primary: every published entry
// (cell or published margin) counting 1 to threshold − 1 devices is withheld. Secondary: more
// entries are withheld until the published figures are consistent with every withheld small
// count being the threshold or more; subtracting published cells from published totals, in any
// combination, then cannot show that a small count is small, let alone give its value.
//
// The audit (reader.ts) finds, by linear programming, the small counts a reader could pin below
// the threshold; in a sparse register most small counts protect each other, since together they
// leave too much room for any one of them. Pinned ones get room: a published cell or total that
// holds them down is withheld, or, when that is not enough or costs more, a hypercube
// (hypercube.ts), which settles an entry at once. Withholding more never narrows what a reader can
// infer, so protection found for one entry still holds when later entries are withheld. Finally
// withheld figures a reader can compute exactly anyway are published after all.
import { cheapestCube, cost } from './hypercube.js';
import { audit, release } from './reader.js';
import { ENTRY, EXTENDED_SIZE, KIND, PUBLISHED_MARGINS, marginIndex } from './table.js';

/** Rounds of targeted relief before only hypercubes are used. */
const RELIEF_ROUNDS = 8;

/** Published totals with what is known of them: published cells' sum and withheld cells' number. */
class Margins {
  private readonly known = new Float64Array(EXTENDED_SIZE);
  private readonly unknown = new Float64Array(EXTENDED_SIZE);
  /** Each published margin's non-empty cells. */
  readonly cells = new Map<number, number[]>();
  /** Published totals whose equations changed through this object: withheld, or with a cell withheld. */
  readonly touched = new Set<number>();

  constructor(private readonly ext: Float64Array, private readonly suppressed: Uint8Array) {
    for (let c = 0; c < EXTENDED_SIZE; c++) {
      if (KIND[c] !== ENTRY.cell || ext[c] === 0) continue;
      for (const m of this.of(c)) {
        const list = this.cells.get(m);
        if (list) list.push(c);
        else this.cells.set(m, [c]);
        if (suppressed[c]) this.unknown[m]! += 1;
        else this.known[m]! += ext[c]!;
      }
    }
  }

  of(cell: number): number[] {
    return PUBLISHED_MARGINS.map((dims) => marginIndex(cell, dims));
  }

  /** How far the withheld cells of a published total can rise above 1 each, together. */
  slack(m: number): number {
    return this.ext[m]! - this.known[m]! - this.unknown[m]!;
  }

  withhold(index: number): void {
    if (this.suppressed[index]) return;
    this.suppressed[index] = 1;
    this.touched.add(index);
    if (KIND[index] !== ENTRY.cell) return;
    for (const m of this.of(index)) {
      this.touched.add(m);
      this.known[m]! -= this.ext[index]!;
      this.unknown[m]! += 1;
    }
  }
}

/**
 * The usual way a small cell gets pinned: one published total leaves it too little room (its
 * other withheld cells fill the rest). Relieve each such total as cheaply as possible: withhold a
 * published cell in it big enough to give the room, or the total itself. False when no single
 * total pins the cell (a combination does), for the hypercube to handle.
 */
function relieve(ext: Float64Array, margins: Margins, suppressed: Uint8Array, a: number, threshold: number): boolean {
  let relieved = false;
  for (const m of margins.of(a)) {
    if (suppressed[m]) continue;
    const gap = threshold - 1 - margins.slack(m);
    if (gap <= 0) continue;
    let choice = m;
    let price = cost(m, ext[m]!);
    for (const c of margins.cells.get(m)!) {
      if (!suppressed[c] && ext[c]! - 1 >= gap && cost(c, ext[c]!) < price) [choice, price] = [c, cost(c, ext[c]!)];
    }
    margins.withhold(choice);
    relieved = true;
  }
  return relieved;
}

/** Entries of the extended table to withhold (1) for the threshold; `ext` holds every entry's count. */
export function suppress(ext: Float64Array, threshold: number): Uint8Array {
  const suppressed = new Uint8Array(EXTENDED_SIZE);
  const small: number[] = [];
  for (let i = 0; i < EXTENDED_SIZE; i++) {
    if (KIND[i] !== ENTRY.unpublished && ext[i]! > 0 && ext[i]! < threshold) small.push(i);
  }
  for (const i of small) suppressed[i] = 1;
  const tried = new Set<number>();
  // Rounds of audit and relief. A pinned cell first gets room in the totals that obviously pin it
  // (relieve). After that, a pinned entry gets the cheaper of: withholding the cheapest total the
  // audit names as holding it down, or a hypercube, which settles it at once (a total whose cells
  // are all published gives no room by being withheld alone; the cube withholds such cells too).
  // After RELIEF_ROUNDS only hypercubes are used. Every round withholds more, so the rounds end; a
  // round that withholds nothing new means every entry left has a hypercube of withheld corners,
  // which protects it whatever the audit's rounding says.
  for (let round = 0, open = small; open.length > 0; round++) {
    const pinnedNow = audit(ext, suppressed, open, threshold).sort((x, y) => ext[x.entry]! - ext[y.entry]! || x.entry - y.entry);
    open = pinnedNow.map((p) => p.entry);
    const margins = new Margins(ext, suppressed);
    const relieving = round < RELIEF_ROUNDS;
    for (const { entry: a, by } of pinnedNow) {
      // Room made for one entry often frees others held down by the same totals: those wait for the next audit.
      if (relieving && by.some((m) => margins.touched.has(m))) continue;
      if (relieving && KIND[a] === ENTRY.cell && !tried.has(a)) {
        tried.add(a);
        if (relieve(ext, margins, suppressed, a, threshold)) continue;
      }
      const cube = cheapestCube(ext, suppressed, a, threshold);
      if (cube === null) throw new Error(`suppression: no hypercube around entry ${a}, which cannot happen for a non-empty entry`);
      const holding = relieving ? by.filter((m) => !suppressed[m]).sort((x, y) => cost(x, ext[x]!) - cost(y, ext[y]!) || x - y)[0] : undefined;
      if (holding !== undefined && cost(holding, ext[holding]!) < cube.cost) margins.withhold(holding);
      else for (const c of cube.corners) if (KIND[c] !== ENTRY.unpublished) margins.withhold(c);
    }
    if (margins.touched.size === 0) break;
  }
  if (small.length > 0) release(ext, suppressed, threshold);
  return suppressed;
}
