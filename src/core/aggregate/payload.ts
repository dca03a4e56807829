// The federation aggregate as it travels: a versioned, strictly validated document. Unknown keys
// are refused at every level and every text is either a closed list value or the publisher's
// code and name (which may hold no digits), so a received aggregate cannot carry an address, an
// IP address, a coordinate or a serial number, and a coordinator cannot store anything finer than
// the five dimensions. The figures are checked against each other as well: withheld cells must
// really be withheld, and the totals must add up, so a garbled or forged document is refused
// rather than summed into the national picture.
import { z } from 'zod';
import { CamauditError } from '../errors.js';
import {
  AGGREGATE_CONNECTIVITY, AGGREGATE_SEVERITIES, AGGREGATE_SITE_CATEGORIES, AGGREGATE_STATUSES, DIMENSIONS, IN_SERVICE_STATUSES, MAKER_GROUPS,
  RESTRICTED_GROUPS, type CellKey, type Dimension, type RestrictedGroup,
} from './dimensions.js';
import { Polytope, type Row } from './lp.js';
import { EXTENDED_SIZE, PUBLISHED_MARGINS, indexOfCell, indexOfEntry, marginIndex } from './table.js';

export const AGGREGATE_FORMAT = 'camaudit-aggregate';
export const AGGREGATE_VERSION = 1;
/** Counts below this are withheld unless the publisher or coordinator chooses otherwise. */
export const DEFAULT_THRESHOLD = 5;
/** A threshold of 1 would withhold nothing: suppression cannot be switched off. */
export const MIN_THRESHOLD = 2;
export const MAX_THRESHOLD = 1000;
const MAX_COUNT = 1_000_000_000;
const CELL_COUNT = Object.values(DIMENSIONS).reduce((n, values) => n * values.length, 1);

/** A CBS municipality code, or the publisher's slug when it has none. */
const SourceCode = z.string().regex(/^(GM\d{4}|[a-z0-9][a-z0-9-]{0,62})$/, 'a CBS code (GM0344) or a slug');
/**
 * An organisation's name: letters, spaces and the punctuation of Dutch place names
 * ('s-Hertogenbosch, Súdwest-Fryslân). No digits, so no house number, address, IP address,
 * coordinate or serial number fits in it.
 */
export const SOURCE_NAME = /^\p{L}[\p{L}\p{M} .'’()-]{0,119}$/u;
const SourceName = z.string().regex(SOURCE_NAME, 'letters, spaces and . \' ’ ( ) - only, at most 120 characters');
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'a calendar date');

const Count = z.number().int().min(0).max(MAX_COUNT).nullable();
const countsBy = <T extends readonly [string, ...string[]]>(values: T) => z.record(z.enum(values), Count);

const Cell = z.strictObject({
  makerGroup: z.enum(MAKER_GROUPS),
  siteCategory: z.enum(AGGREGATE_SITE_CATEGORIES),
  connectivity: z.enum(AGGREGATE_CONNECTIVITY),
  status: z.enum(AGGREGATE_STATUSES),
  severity: z.enum(AGGREGATE_SEVERITIES),
  /** Devices in the cell; null when withheld. Empty cells are left out. */
  count: z.number().int().min(1).max(MAX_COUNT).nullable(),
  suppressed: z.literal(true).optional(),
});

const Totals = z.strictObject({
  devices: Count,
  makerGroup: countsBy(MAKER_GROUPS),
  siteCategory: countsBy(AGGREGATE_SITE_CATEGORIES),
  connectivity: countsBy(AGGREGATE_CONNECTIVITY),
  status: countsBy(AGGREGATE_STATUSES),
  severity: countsBy(AGGREGATE_SEVERITIES),
  makerGroupByConnectivity: z.record(z.enum(MAKER_GROUPS), countsBy(AGGREGATE_CONNECTIVITY)),
  makerGroupByStatus: z.record(z.enum(MAKER_GROUPS), countsBy(AGGREGATE_STATUSES)),
});

/** Organisation-level facts for the headline figures: does it run these makers at all, and exposed? */
const Presence = z.strictObject({ inService: z.boolean(), internetExposed: z.boolean() });

const Shape = z.strictObject({
  format: z.literal(AGGREGATE_FORMAT),
  version: z.literal(AGGREGATE_VERSION),
  source: z.strictObject({ code: SourceCode, name: SourceName }),
  /** The day the figures describe. */
  period: Day,
  generatedAt: z.iso.datetime(),
  threshold: z.number().int().min(MIN_THRESHOLD).max(MAX_THRESHOLD),
  totals: Totals,
  presence: z.record(z.enum(RESTRICTED_GROUPS), Presence),
  // Last, so the stored text starts with everything a summary reads (store/federation.ts).
  cells: z.array(Cell).max(CELL_COUNT),
});

export type AggregatePayload = z.infer<typeof Shape>;
export type AggregateCell = AggregatePayload['cells'][number];
export type AggregateTotals = AggregatePayload['totals'];
export type Presence = AggregatePayload['presence'];
/** What a summary reads: the aggregate without its cells. */
export type AggregateHead = Omit<AggregatePayload, 'cells'>;

const MARGIN_FIELDS: Record<string, keyof AggregateTotals> = {
  '': 'devices',
  makerGroup: 'makerGroup',
  siteCategory: 'siteCategory',
  connectivity: 'connectivity',
  status: 'status',
  severity: 'severity',
  'makerGroup,connectivity': 'makerGroupByConnectivity',
  'makerGroup,status': 'makerGroupByStatus',
};

/** Every entry of a published margin: the values it keeps, in the margin's dimension order. */
export function marginEntries(dims: readonly Dimension[]): string[][] {
  return dims.reduce<string[][]>((rows, d) => rows.flatMap((row) => DIMENSIONS[d].map((v) => [...row, v])), [[]]);
}

export function readTotal(totals: AggregateTotals, dims: readonly Dimension[], values: readonly string[]): number | null {
  let node: unknown = totals[MARGIN_FIELDS[dims.join(',')]!];
  for (const v of values) node = (node as Record<string, unknown>)[v];
  return node as number | null;
}

/** The totals object from a reader of each margin entry's published value. */
export function totalsFrom(value: (dims: readonly Dimension[], values: readonly string[]) => number | null): AggregateTotals {
  const out: Record<string, unknown> = {};
  for (const dims of PUBLISHED_MARGINS) {
    const field = MARGIN_FIELDS[dims.join(',')]!;
    if (dims.length === 0) {
      out[field] = value(dims, []);
      continue;
    }
    const root: Record<string, unknown> = {};
    for (const values of marginEntries(dims)) {
      let node = root;
      for (const v of values.slice(0, -1)) node = (node[v] ??= {}) as Record<string, unknown>;
      node[values[values.length - 1]!] = value(dims, values);
    }
    out[field] = root;
  }
  return out as AggregateTotals;
}

/** The headline facts, from which cells are non-empty (withheld or not): they reveal nothing more. */
export function presenceOf(cells: readonly CellKey[]): Presence {
  const inService = new Set<string>(IN_SERVICE_STATUSES);
  const out = Object.fromEntries(RESTRICTED_GROUPS.map((g) => [g, { inService: false, internetExposed: false }])) as Presence;
  for (const c of cells) {
    if (!(RESTRICTED_GROUPS as readonly string[]).includes(c.makerGroup) || !inService.has(c.status)) continue;
    const p = out[c.makerGroup as RestrictedGroup];
    p.inService = true;
    if (c.connectivity === 'internet_exposed') p.internetExposed = true;
  }
  return out;
}

function consistency(payload: AggregatePayload, ctx: z.RefinementCtx): void {
  let failures = 0;
  const issue = (message: string, path: (string | number)[]) => {
    failures++;
    ctx.addIssue({ code: 'custom', message, path });
  };
  const known = new Float64Array(EXTENDED_SIZE);
  /** The withheld cells inside each published margin entry, by their position among withheld cells. */
  const withheld = new Map<number, number[]>();
  let unknowns = 0;
  const seen = new Set<number>();
  payload.cells.forEach((cell, i) => {
    const index = indexOfCell(cell);
    if (seen.has(index)) issue('the same cell appears twice', ['cells', i]);
    seen.add(index);
    if ((cell.count === null) !== (cell.suppressed === true)) issue('a withheld cell has count null and suppressed true; a published one a count only', ['cells', i]);
    if (cell.count !== null && cell.count < payload.threshold) issue(`count ${cell.count} is below the aggregate's own threshold ${payload.threshold}`, ['cells', i, 'count']);
    const column = cell.count === null ? unknowns++ : -1;
    for (const dims of PUBLISHED_MARGINS) {
      const m = marginIndex(index, dims);
      if (cell.count !== null) known[m]! += cell.count;
      else withheld.set(m, [...(withheld.get(m) ?? []), column]);
    }
  });
  const equations: Row[] = [];
  for (const dims of PUBLISHED_MARGINS) {
    for (const values of marginEntries(dims)) {
      const value = readTotal(payload.totals, dims, values);
      const index = indexOfEntry(Object.fromEntries(dims.map((d, i) => [d, values[i]])));
      const path = ['totals', MARGIN_FIELDS[dims.join(',')]!, ...values];
      const [k, w] = [known[index]!, withheld.get(index) ?? []];
      if (value === null) {
        if (w.length === 0) issue('a withheld total must contain withheld cells', path);
      } else if (value > 0 && value < payload.threshold) {
        issue(`total ${value} is below the aggregate's own threshold ${payload.threshold}`, path);
      } else if (w.length === 0 ? value !== k : value < k + w.length) {
        issue(`total ${value} does not match its cells (${k} published${w.length > 0 ? ` and ${w.length} withheld` : ''})`, path);
      } else if (w.length > 0) {
        // Withheld cells are at least 1 each: y = x − 1 ≥ 0.
        equations.push({ columns: w, rhs: value - k - w.length });
      }
    }
  }
  // Each total may fit its cells while the totals contradict each other (a grand total that is
  // not the sum of the maker totals): the totals must have a common solution.
  if (failures === 0 && !new Polytope(unknowns, equations).feasible) {
    issue('the totals cannot all hold at once: no table of non-empty withheld cells adds up to them', ['totals']);
  }
  const presence = presenceOf(payload.cells);
  for (const g of RESTRICTED_GROUPS) {
    if (JSON.stringify(payload.presence[g]) !== JSON.stringify(presence[g])) issue('presence does not match the cells', ['presence', g]);
  }
}

/** The schema a coordinator applies to everything it receives, and the publisher to what it sends. */
export const AggregateSchema = Shape.superRefine(consistency);

/** A received document as an aggregate, or an error saying what is wrong with it. */
export function parseAggregate(input: unknown, origin: string): AggregatePayload {
  const head = input as { format?: unknown; version?: unknown } | null;
  if (typeof head !== 'object' || head === null || head.format !== AGGREGATE_FORMAT) {
    throw new CamauditError('invalid_input', `${origin}: not a camaudit aggregate (format must be "${AGGREGATE_FORMAT}")`);
  }
  if (head.version !== AGGREGATE_VERSION) {
    throw new CamauditError('unsupported', `${origin}: aggregate version ${String(head.version)}; this camaudit reads version ${AGGREGATE_VERSION}`);
  }
  const parsed = AggregateSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(document)'}: ${i.message}`);
    const more = parsed.error.issues.length > 5 ? ` (and ${parsed.error.issues.length - 5} more)` : '';
    throw new CamauditError('invalid_input', `${origin}: aggregate refused: ${issues.join('; ')}${more}`);
  }
  return parsed.data;
}
