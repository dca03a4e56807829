// A reader trying to recover withheld counts from a published aggregate, the two ways an attacker
// would: subtracting published cells from published totals until nothing more comes out, and
// linear programming, which finds the smallest and largest value every withheld count can take
// given everything published (withheld cells are non-empty; absent cells are empty).
import type { Dimension } from '../../../src/core/aggregate/dimensions.js';
import { marginEntries, readTotal, type AggregatePayload } from '../../../src/core/aggregate/payload.js';
import { PUBLISHED_MARGINS, indexOfCell, indexOfEntry, marginIndex } from '../../../src/core/aggregate/table.js';

export interface Published {
  /** Withheld cells by extended-table index: the attacker's unknowns. */
  unknowns: number[];
  /** Each published total as: the unknowns it sums, and what they must add up to. */
  equations: { vars: number[]; rhs: number }[];
  /** Withheld totals: the unknowns they sum, and the published cells they also hold. */
  withheldTotals: { index: number; vars: number[]; known: number }[];
}

export function readPublished(p: AggregatePayload): Published {
  const unknowns: number[] = [];
  const position = new Map<number, number>();
  const known = new Map<number, number>();
  const members = new Map<number, number[]>();
  const knownSum = new Map<number, number>();
  for (const cell of p.cells) {
    const index = indexOfCell(cell);
    if (cell.count === null) {
      position.set(index, unknowns.length);
      unknowns.push(index);
    } else known.set(index, cell.count);
    for (const dims of PUBLISHED_MARGINS) {
      const m = marginIndex(index, dims);
      if (cell.count === null) members.set(m, [...(members.get(m) ?? []), position.get(index)!]);
      else knownSum.set(m, (knownSum.get(m) ?? 0) + cell.count);
    }
  }
  const equations: Published['equations'] = [];
  const withheldTotals: Published['withheldTotals'] = [];
  for (const dims of PUBLISHED_MARGINS) {
    for (const values of marginEntries(dims)) {
      const index = indexOfEntry(Object.fromEntries(dims.map((d: Dimension, i) => [d, values[i]])));
      const value = readTotal(p.totals, dims, values);
      const vars = members.get(index) ?? [];
      if (value === null) withheldTotals.push({ index, vars, known: knownSum.get(index) ?? 0 });
      else equations.push({ vars, rhs: value - (knownSum.get(index) ?? 0) });
    }
  }
  return { unknowns, equations, withheldTotals };
}

/** Subtraction: solve every equation left with one unknown, repeatedly. Returns what it recovered. */
export function subtract(pub: Published): Map<number, number> {
  const solved = new Map<number, number>();
  for (let progress = true; progress;) {
    progress = false;
    for (const e of pub.equations) {
      const open = e.vars.filter((v) => !solved.has(v));
      if (open.length !== 1) continue;
      solved.set(open[0]!, e.rhs - e.vars.filter((v) => solved.has(v)).reduce((n, v) => n + solved.get(v)!, 0));
      progress = true;
    }
  }
  return solved;
}

const EPS = 1e-9;

/**
 * The attacker's own solver, independent of the one suppression uses (a dense tableau simplex
 * with Bland's rule): maximises or minimises a sum of unknowns over { A y = b, y ≥ 0 }.
 */
class Tableau {
  private readonly rows: Float64Array[];
  private readonly basis: number[];
  readonly feasible: boolean;

  constructor(private readonly n: number, a: number[][], b: number[]) {
    const m = a.length;
    this.rows = a.map((r, i) => {
      const sign = b[i]! < 0 ? -1 : 1;
      const row = new Float64Array(n + m + 1);
      r.forEach((v, j) => (row[j] = v * sign));
      row[n + i] = 1;
      row[n + m] = b[i]! * sign;
      return row;
    });
    this.basis = this.rows.map((_, i) => n + i);
    const phase1 = new Float64Array(n + m).fill(0);
    phase1.fill(-1, n);
    Tableau.run(this.rows, this.basis, phase1, n + m);
    this.feasible = this.rows.every((row, i) => this.basis[i]! < n || row[n + m]! < 1e-7);
    for (let i = this.rows.length - 1; i >= 0 && this.feasible; i--) {
      if (this.basis[i]! < n) continue;
      const j = this.rows[i]!.findIndex((v, k) => k < n && Math.abs(v) > EPS);
      if (j >= 0) Tableau.pivot(this.rows, this.basis, i, j);
      else {
        this.rows.splice(i, 1);
        this.basis.splice(i, 1);
      }
    }
  }

  /** The largest value of c·y (Infinity when unbounded). */
  max(c: Float64Array): number {
    const rows = this.rows.map((r) => r.slice());
    const basis = [...this.basis];
    return Tableau.run(rows, basis, c, this.n);
  }

  private static run(rows: Float64Array[], basis: number[], c: Float64Array, allowed: number): number {
    const rhs = rows[0] ? rows[0].length - 1 : 0;
    for (;;) {
      // Bland: the first column with a positive reduced profit enters.
      let enter = -1;
      for (let j = 0; j < allowed && enter < 0; j++) {
        if (basis.includes(j)) continue;
        let d = c[j]!;
        for (let i = 0; i < rows.length; i++) {
          const cb = basis[i]! < c.length ? c[basis[i]!]! : 0;
          if (cb !== 0) d -= cb * rows[i]![j]!;
        }
        if (d > EPS) enter = j;
      }
      if (enter < 0) return rows.reduce((v, row, i) => v + (basis[i]! < c.length ? c[basis[i]!]! * row[rhs]! : 0), 0);
      let leave = -1;
      for (let i = 0; i < rows.length; i++) {
        if (rows[i]![enter]! <= EPS) continue;
        if (leave < 0) {
          leave = i;
          continue;
        }
        const r = rows[i]![rhs]! / rows[i]![enter]!;
        const best = rows[leave]![rhs]! / rows[leave]![enter]!;
        if (r < best - EPS || (r <= best + EPS && basis[i]! < basis[leave]!)) leave = i;
      }
      if (leave < 0) return Infinity;
      Tableau.pivot(rows, basis, leave, enter);
    }
  }

  private static pivot(rows: Float64Array[], basis: number[], r: number, col: number): void {
    const pivotRow = rows[r]!;
    const p = pivotRow[col]!;
    for (let j = 0; j < pivotRow.length; j++) pivotRow[j]! /= p;
    rows.forEach((row, i) => {
      if (i === r || Math.abs(row[col]!) < EPS) return;
      const f = row[col]!;
      for (let j = 0; j < row.length; j++) row[j]! -= f * pivotRow[j]!;
    });
    basis[r] = col;
  }
}

/** The attacker's linear program over what an aggregate publishes: withheld cells are each at least 1. */
export class Attack {
  private readonly tableau: Tableau;

  constructor(private readonly pub: Published) {
    const n = pub.unknowns.length;
    const equations = pub.equations.filter((e) => e.vars.length > 0);
    const a = equations.map((e) => {
      const row = new Array<number>(n).fill(0);
      for (const v of e.vars) row[v]! += 1;
      return row;
    });
    // Unknowns are withheld cells, each at least 1: substitute y = x − 1 ≥ 0.
    this.tableau = new Tableau(n, a, equations.map((e) => e.rhs - e.vars.length));
  }

  /** Whether the published figures are consistent at all (the true table must be a solution). */
  get consistent(): boolean {
    return this.tableau.feasible;
  }

  /** The range the attacker can pin a sum of unknowns to: [min, max] (max may be Infinity). */
  range(vars: readonly number[]): { min: number; max: number } {
    const c = new Float64Array(this.pub.unknowns.length);
    for (const v of vars) c[v]! += 1;
    const max = this.tableau.max(c);
    const min = -this.tableau.max(c.map((v) => -v));
    return { min: min + vars.length, max: max + vars.length };
  }
}
