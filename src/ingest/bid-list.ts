// Reading a supplier's equipment list (CSV or XLSX) into bid lines, with the register import's
// table readers: the same encoding, delimiter and workbook handling, and the same size limit.
import { CamauditError } from '../core/errors.js';
import { ignoredBidColumns, mapBidColumns, toBidLine, type BidLine } from '../core/screen/columns.js';
import { openTable } from './open-table.js';

/**
 * More lines than a tender's equipment list holds. Screening answers at once (API and CLI alike),
 * so the limit also bounds the answer and the Word report; a larger list is screened in parts.
 */
export const MAX_BID_LINES = 2_000;

export interface BidList {
  file: string;
  format: string;
  notes: readonly string[];
  lines: BidLine[];
}

export async function readBidList(file: string, options: { maxBytes: number; sheet?: string }): Promise<BidList> {
  const table = await openTable(file, options);
  if (table.format !== 'csv' && table.format !== 'xlsx') {
    throw new CamauditError('invalid_input', `${file}: an equipment list is a CSV or XLSX file, not ${table.format}`, { file });
  }
  const columns = mapBidColumns(table.headers, file);
  const lines: BidLine[] = [];
  let count = 0;
  for await (const row of table.rows()) {
    const line = toBidLine(row, columns);
    if (line === null) continue;
    // Counting on past the limit costs little and lets the error say how large the list is.
    count += 1;
    if (count <= MAX_BID_LINES) lines.push(line);
  }
  if (count > MAX_BID_LINES) {
    throw new CamauditError('invalid_input', `${file}: ${count} lines, more than the ${MAX_BID_LINES} one screening takes; split the list`, { file });
  }
  const ignored = ignoredBidColumns(table.headers, columns);
  const notes = ignored.length > 0 ? [...table.notes, `columns not read: ${ignored.join(', ')}`] : table.notes;
  return { file, format: table.format, notes, lines };
}
