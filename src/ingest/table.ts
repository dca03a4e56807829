import type { SourceRow } from '../core/import/record.js';

/**
 * A file read as a table: a header row and data rows. `rows()` may be called more than once —
 * an import reads the file twice (profile, then apply) so that memory stays flat.
 */
export interface SourceTable {
  file: string;
  format: 'csv' | 'xlsx' | 'geojson' | 'citygml';
  /** The sheet read, for workbooks. */
  sheet?: string;
  headers: readonly string[];
  rows(): AsyncIterable<SourceRow>;
  /** Notes for the user about how the file was read (encoding, delimiter, sheets skipped). */
  notes: readonly string[];
}

export interface ReadOptions {
  /** Refuse files larger than this many bytes. */
  maxBytes: number;
  /** Workbook sheet to read; default: the first visible sheet that looks like a register. */
  sheet?: string;
}
