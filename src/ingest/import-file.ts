// An import from start to end: read the file twice (profile the coordinate columns, then map and
// write), all writes in one transaction. Any row error rolls everything back unless the caller
// asked to skip invalid rows; a dry run always rolls back, so it reports exactly what a real run
// would do.
import { newId } from '../store/ids.js';
import { basename } from 'node:path';
import {
  decideRepair, newProfile, profileValue, repairedExample, type Axis, type ColumnProfile, type Repair,
} from '../core/import/coordinates.js';
import { assertLooksLikeRegister, detectMapping, type ColumnMapping, type MappingOverrides } from '../core/import/mapping.js';
import { cellText, ProfileNeeded, toRecords, type ImportRecord, type RowError, type SourceRow } from '../core/import/record.js';
import { NETHERLANDS_BBOX, type BBox, type Organisation } from '../core/model.js';
import type { Store } from '../store/database.js';
import { ImportWriter, type Enrich } from '../store/import-writer.js';
import type { TenantScope } from '../store/tenant.js';
import { openTable } from './open-table.js';
import { DEFAULT_MAX_BYTES } from './sniff.js';
import type { SourceTable } from './table.js';

export interface ImportOptions {
  dryRun?: boolean;
  skipInvalid?: boolean;
  overrides?: MappingOverrides;
  sheet?: string;
  /** Area positions must fall in; default the organisation's, else the Netherlands. */
  area?: BBox;
  maxBytes?: number;
  batchSize?: number;
  now: () => string;
  onProgress?: (rowsRead: number) => void;
  /** Applied to every device the import writes: identification of the true maker. */
  enrich?: Enrich;
}

export interface RejectedRow {
  row: number;
  cells: readonly string[];
  reasons: string[];
}

export interface ImportReport {
  file: string;
  format: SourceTable['format'];
  sheet?: string;
  dryRun: boolean;
  /** True when the register was changed (not a dry run, and not rolled back). */
  committed: boolean;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  errors: RowError[];
  warnings: string[];
  notes: string[];
  headers: readonly string[];
  rejectedRows: RejectedRow[];
}

class Rollback extends Error {}

export async function importFile(
  store: Store,
  scope: TenantScope,
  org: Organisation,
  file: string,
  options: ImportOptions,
): Promise<ImportReport> {
  const table = await openTable(file, { maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES, sheet: options.sheet });
  const mapping = detectMapping(table.headers, options.overrides);
  assertLooksLikeRegister(mapping, table.headers, file);
  const area = options.area ?? org.area ?? NETHERLANDS_BBOX;

  // Most files have no mangled coordinates: read them once. The first mangled value aborts that
  // attempt; the coordinate columns are then profiled and the import runs again.
  const run = (plan: Plan) => passes(store, scope, file, table, plan, options);
  try {
    return await run({ mapping, area, repairs: null, warnings: [] });
  } catch (err) {
    if (!(err instanceof ProfileNeeded)) throw err;
  }
  return run({ mapping, area, ...(await profileCoordinates(table, mapping.fields, area)) });
}

/**
 * With --skip-invalid, rows with errors must leave no trace — not even a site or network they
 * named. The first pass finds them and is rolled back; the second imports the file without them.
 */
async function passes(
  store: Store, scope: TenantScope, file: string, table: SourceTable, plan: Plan, options: ImportOptions,
): Promise<ImportReport> {
  const first = await attempt(store, scope, file, table, plan, options, new Set());
  if (!options.skipInvalid || first.errors.length === 0) return first;
  const second = await attempt(store, scope, file, table, plan, options, new Set(first.rejectedRows.map((r) => r.row)));
  const byRow = <T extends { row: number }>(a: T, b: T) => a.row - b.row;
  return {
    ...second,
    errors: [...first.errors, ...second.errors].sort(byRow),
    rejectedRows: [...first.rejectedRows, ...second.rejectedRows].sort(byRow),
    rejected: first.rejected + second.rejected,
  };
}

interface Plan {
  mapping: ColumnMapping;
  area: BBox;
  repairs: Map<Axis, Repair> | null;
  warnings: string[];
}

async function attempt(
  store: Store,
  scope: TenantScope,
  file: string,
  table: SourceTable,
  plan: Plan,
  options: ImportOptions,
  /** Rows a first pass rejected; they are skipped entirely. */
  exclude: ReadonlySet<number>,
): Promise<ImportReport> {
  const report: ImportReport = {
    file, format: table.format, dryRun: !!options.dryRun, committed: false,
    created: 0, updated: 0, unchanged: 0, rejected: 0, errors: [], warnings: plan.warnings, notes: [...table.notes],
    headers: table.headers, rejectedRows: [],
  };
  if (table.sheet) report.sheet = table.sheet;

  const ctx = { headers: table.headers, mapping: plan.mapping, area: plan.area, repairs: plan.repairs };
  const importId = newId();
  const startedAt = options.now();
  const batchSize = options.batchSize ?? 500;
  try {
    await store.db.transaction().execute(async (trx) => {
      const writer = new ImportWriter(trx, store.engine, scope, importId, startedAt, options.enrich);
      let batch: { record: ImportRecord; source: SourceRow }[] = [];
      let read = 0;
      const flush = async () => {
        const refused = await writer.write(batch.map((b) => b.record));
        for (const err of refused) {
          const source = batch.find((b) => b.record.row === err.row)?.source;
          reject(report, err, source);
        }
        batch = [];
      };
      for await (const source of table.rows()) {
        if (exclude.has(source.row)) continue;
        const { records, errors } = toRecords(source, ctx);
        for (const err of errors) reject(report, err, source);
        for (const record of records) batch.push({ record, source });
        if (batch.length >= batchSize) await flush();
        if (++read % 10_000 === 0) options.onProgress?.(read);
      }
      await flush();
      Object.assign(report, writer.counts);
      // Row errors arrive per stage (reading, then writing a batch); people read them in file order.
      report.errors.sort((a, b) => a.row - b.row);
      report.rejectedRows.sort((a, b) => a.row - b.row);
      // Errors roll everything back, except in the second --skip-invalid pass, whose rows were
      // already found valid once.
      if (report.errors.length > 0 && (!options.skipInvalid || exclude.size === 0)) throw new Rollback();
      if (options.dryRun) throw new Rollback();
      await trx.insertInto('imports').values({
        id: importId, org_id: scope.orgId, file: basename(file), format: table.format, actor: scope.actor,
        started_at: startedAt, finished_at: options.now(), created: report.created, updated: report.updated,
        unchanged: report.unchanged, rejected: report.rejected,
      }).execute();
    });
    report.committed = true;
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
  return report;
}

function reject(report: ImportReport, err: RowError, source: SourceRow | undefined): void {
  report.errors.push(err);
  const last = report.rejectedRows[report.rejectedRows.length - 1];
  if (last && last.row === err.row) {
    last.reasons.push(err.message);
    return;
  }
  report.rejected++;
  report.rejectedRows.push({ row: err.row, cells: source ? source.cells.map(cellText) : [], reasons: [err.message] });
}

const AXES: ReadonlySet<string> = new Set(['lat', 'lon', 'x', 'y']);

/** First pass: decide, per coordinate column, whether mangled numbers have one reading. */
async function profileCoordinates(
  table: SourceTable,
  fields: ReadonlyMap<number, string>,
  area: BBox,
): Promise<{ repairs: Map<Axis, Repair>; warnings: string[] }> {
  const columns = [...fields].filter(([, f]) => AXES.has(f)) as [number, Axis][];
  const repairs = new Map<Axis, Repair>();
  const warnings: string[] = [];
  if (columns.length === 0) return { repairs, warnings };
  const profiles = new Map<number, ColumnProfile>(columns.map(([i, axis]) => [i, newProfile(axis, table.headers[i] ?? axis)]));
  for await (const source of table.rows()) {
    for (const [i, profile] of profiles) {
      const cell = source.cells[i];
      if (cell !== null && cell !== undefined && typeof cell !== 'number') profileValue(profile, cellText(cell), area);
      else if (typeof cell === 'number') profileValue(profile, String(cell), area);
    }
  }
  for (const profile of profiles.values()) {
    const repair = decideRepair(profile);
    if (!repair) continue;
    repairs.set(repair.axis, repair);
    warnings.push(
      `column "${repair.header}": ${repair.count} value(s) lost their decimal separator (e.g. "${repair.example}"); ` +
        `read as ${repairedExample(repair)} — the only reading inside the area`,
    );
  }
  return { repairs, warnings };
}
