// A small linear-programming solver for the suppression audit: how large can a sum of withheld
// counts get, given everything an aggregate publishes? The system is
//   A y = b, y ≥ 0
// with 0/1 coefficients: a row per published total (at most a hundred), a column per withheld
// cell (up to a few thousand, each in at most eight rows). The revised simplex method keeps only
// the basis inverse (rows × rows) and reads columns from their short row lists, so a question
// costs a copy of that inverse and a few cheap pivots. Phase 1 runs once per system.
const EPS = 1e-9;
/** Consecutive degenerate pivots after which pricing switches to Bland's rule, which cannot cycle. */
const DEGENERATE_LIMIT = 50;

export interface Row {
  /** Columns with coefficient 1. */
  columns: readonly number[];
  rhs: number;
}

interface State {
  /** Basis inverse, row-major m × m. */
  inverse: Float64Array;
  /** Values of the basic variables. */
  values: Float64Array;
  /** Column of each basic variable; column n + i is row i's artificial variable. */
  basis: Int32Array;
}

export class Polytope {
  private readonly m: number;
  /** Each column's rows (signs are per row, below). */
  private readonly rowsOf: number[][];
  /** +1 or −1: rows with a negative right-hand side are negated so that phase 1 starts feasible. */
  private readonly signs: Float64Array;
  private readonly state: State;
  readonly feasible: boolean;

  constructor(private readonly n: number, equations: readonly Row[]) {
    const m = (this.m = equations.length);
    this.rowsOf = Array.from({ length: n }, () => []);
    equations.forEach((e, i) => {
      for (const c of e.columns) this.rowsOf[c]!.push(i);
    });
    this.signs = Float64Array.from(equations, (e) => (e.rhs < 0 ? -1 : 1));
    const inverse = new Float64Array(m * m);
    for (let i = 0; i < m; i++) inverse[i * m + i] = 1;
    this.state = {
      inverse,
      values: Float64Array.from(equations, (e) => Math.abs(e.rhs)),
      basis: Int32Array.from(equations, (_, i) => n + i),
    };
    // Phase 1: maximise −Σ artificials; feasible when they all reach zero.
    const phase1 = new Float64Array(n + m);
    phase1.fill(-1, n);
    this.optimise(this.state, phase1, n + m, Infinity);
    const { values, basis } = this.state;
    this.feasible = Array.from(basis).every((j, i) => j < n || values[i]! < 1e-7);
    if (!this.feasible) return;
    // Artificials left in the basis at zero: swap in a real column where one has a non-zero entry
    // in that row. Where none has, the row is redundant and the artificial stays at zero for good.
    for (let l = 0; l < m; l++) {
      if (basis[l]! < n) continue;
      for (let j = 0; j < n; j++) {
        if (Array.from(basis).includes(j)) continue;
        const u = this.column(this.state, j);
        if (Math.abs(u[l]!) > EPS) {
          this.pivot(this.state, l, j, u);
          break;
        }
      }
    }
  }

  /**
   * Whether the sum of `objective`'s columns, times `sign`, can reach `target` (the search stops
   * as soon as it does; sign −1 asks how low the sum can go). When it cannot: the equations that
   * hold it down (non-zero dual values), by index.
   */
  reach(objective: readonly number[], target: number, sign: 1 | -1 = 1): { reached: true } | { reached: false; binding: number[] } {
    if (!this.feasible) throw new Error('reach on an infeasible system');
    const c = new Float64Array(this.n);
    for (const j of objective) c[j]! += sign;
    const state: State = { inverse: this.state.inverse.slice(), values: this.state.values.slice(), basis: this.state.basis.slice() };
    if (this.optimise(state, c, this.n, target) >= target - 1e-7) return { reached: true };
    const duals = this.duals(state, c);
    const binding: number[] = [];
    duals.forEach((d, i) => {
      if (Math.abs(d) > 1e-7) binding.push(i);
    });
    return { reached: false, binding };
  }

  /** B⁻¹ A_j. */
  private column(state: State, j: number): Float64Array {
    const { m } = this;
    const u = new Float64Array(m);
    if (j >= this.n) {
      for (let i = 0; i < m; i++) u[i] = state.inverse[i * m + (j - this.n)]!;
      return u;
    }
    for (const r of this.rowsOf[j]!) {
      const s = this.signs[r]!;
      for (let i = 0; i < m; i++) u[i]! += s * state.inverse[i * m + r]!;
    }
    return u;
  }

  /** c_B B⁻¹ (in the stored, sign-adjusted rows). */
  private duals(state: State, c: Float64Array): Float64Array {
    const { m } = this;
    const pi = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      const j = state.basis[i]!;
      const cb = j < c.length ? c[j]! : 0;
      if (cb === 0) continue;
      for (let k = 0; k < m; k++) pi[k]! += cb * state.inverse[i * m + k]!;
    }
    return pi;
  }

  private profit(pi: Float64Array, c: Float64Array, j: number): number {
    if (j >= this.n) return c[j]! - pi[j - this.n]!;
    let d = c[j]!;
    for (const r of this.rowsOf[j]!) d -= pi[r]! * this.signs[r]!;
    return d;
  }

  private pivot(state: State, l: number, j: number, u: Float64Array): void {
    const { m } = this;
    const { inverse, values, basis } = state;
    const p = u[l]!;
    const theta = values[l]! / p;
    for (let k = 0; k < m; k++) inverse[l * m + k]! /= p;
    for (let i = 0; i < m; i++) {
      if (i === l || Math.abs(u[i]!) < EPS) continue;
      const f = u[i]!;
      for (let k = 0; k < m; k++) inverse[i * m + k]! -= f * inverse[l * m + k]!;
      values[i]! -= f * theta;
    }
    values[l] = theta;
    basis[l] = j;
  }

  /**
   * Maximises c·y over the first `allowed` columns from the state's basis, in place; returns the
   * objective value reached (Infinity when unbounded), stopping early once it reaches `stopAt`.
   */
  private optimise(state: State, c: Float64Array, allowed: number, stopAt: number): number {
    const { m } = this;
    let value = 0;
    for (let i = 0; i < m; i++) {
      const j = state.basis[i]!;
      if (j < c.length) value += c[j]! * state.values[i]!;
    }
    const basic = new Uint8Array(allowed);
    for (const j of state.basis) if (j < allowed) basic[j] = 1;
    let degenerate = 0;
    for (;;) {
      if (value >= stopAt - 1e-7) return value;
      const pi = this.duals(state, c);
      let enter = -1;
      let best = EPS;
      for (let j = 0; j < allowed; j++) {
        if (basic[j]) continue;
        const d = this.profit(pi, c, j);
        if (d <= EPS) continue;
        if (degenerate >= DEGENERATE_LIMIT) {
          enter = j;
          best = d;
          break;
        }
        if (d > best) [enter, best] = [j, d];
      }
      if (enter < 0) return value;
      const u = this.column(state, enter);
      let leave = -1;
      let ratio = Infinity;
      for (let i = 0; i < m; i++) {
        if (u[i]! <= EPS) continue;
        const r = state.values[i]! / u[i]!;
        if (r < ratio - EPS || (r <= ratio + EPS && state.basis[i]! < state.basis[leave]!)) [ratio, leave] = [r, i];
      }
      if (leave < 0) return Infinity;
      degenerate = ratio <= EPS ? degenerate + 1 : 0;
      const out = state.basis[leave]!;
      if (out < allowed) basic[out] = 0;
      basic[enter] = 1;
      this.pivot(state, leave, enter, u);
      value += best * ratio;
    }
  }
}
