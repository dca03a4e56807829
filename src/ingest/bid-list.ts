// Reading a supplier's equipment list (CSV or XLSX) into bid lines, with the register import's
// table readers: the same encoding, delimiter and workbook handling, and the same size limit.
import { CamauditError } from '../core/errors.js';
import { mapBidColumns, toBidLine, type BidLine } from '../core/screen/columns.js';
import { openTable } from './open-table.js';

/** More lines than any tender offers; a larger file is not an equipment list. */
export const MAX_BID_LINES = 10_000;

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
  for await (const row of table.rows()) {
    const line = toBidLine(row, columns);
    if (line === null) continue;
    if (lines.length >= MAX_BID_LINES) {
      throw new CamauditError('invalid_input', `${file}: more than ${MAX_BID_LINES} lines; an equipment list is shorter`, { file, row: row.row });
    }
    lines.push(line);
  }
  return { file, format: table.format, notes: table.notes, lines };
}
