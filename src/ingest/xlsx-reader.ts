// XLSX workbooks, streamed sheet by sheet. Registers come as templates with an intro sheet and
// hidden lookup lists; the sheet read is the one named, or the first visible sheet whose header
// row names device columns.
import ExcelJS from 'exceljs';
import { CamauditError } from '../core/errors.js';
import { detectMapping } from '../core/import/mapping.js';
import type { Cell, SourceRow } from '../core/import/record.js';
import { assertSize } from './sniff.js';
import { inspectWorkbook } from './zip-order.js';
import type { ReadOptions, SourceTable } from './table.js';

interface SheetLike extends AsyncIterable<ExcelJS.Row> {
  name: string;
  state?: string;
}

type Mode = 'stream' | 'load';

function reader(file: string, mode: Mode): AsyncIterable<SheetLike> {
  return mode === 'stream' ? streamed(file) : loaded(file);
}

function streamed(file: string): AsyncIterable<SheetLike> {
  return new ExcelJS.stream.xlsx.WorkbookReader(file, {
    sharedStrings: 'cache',
    worksheets: 'emit',
    hyperlinks: 'ignore',
    styles: 'cache',
    entries: 'emit',
  }) as unknown as AsyncIterable<SheetLike>;
}

/**
 * Streaming needs the workbook and shared-strings parts before the sheets inside the ZIP (the
 * streaming reader loses rows otherwise). Excel writes them in that order; LibreOffice and some
 * generators do not, and those files are read whole (the size and unpacking limits still apply).
 */
async function* loaded(file: string): AsyncGenerator<SheetLike> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  for (const ws of workbook.worksheets) {
    const rows: ExcelJS.Row[] = [];
    ws.eachRow((row) => rows.push(row));
    yield {
      name: ws.name,
      state: ws.state,
      async *[Symbol.asyncIterator]() {
        yield* rows;
      },
    };
  }
}

async function scan(file: string, mode: Mode, sheetName: string | undefined) {
  const seen: string[] = [];
  const skipped: string[] = [];
  let chosen: { name: string; headers: string[]; headerRow: number } | null = null;
  for await (const sheet of reader(file, mode)) {
    seen.push(sheet.name);
    const wanted = sheetName !== undefined ? sheet.name.toLowerCase() === sheetName.toLowerCase() : !sheet.state || sheet.state === 'visible';
    if (chosen || !wanted) {
      if (!chosen && sheetName === undefined) skipped.push(`${sheet.name} (hidden)`);
      await drain(sheet);
      continue;
    }
    const head = await firstRow(sheet);
    if (!head) {
      skipped.push(`${sheet.name} (empty)`);
      continue;
    }
    if (sheetName === undefined && !looksLikeRegister(head.headers)) {
      skipped.push(`${sheet.name} (no device columns)`);
      continue;
    }
    chosen = { name: sheet.name, headers: head.headers, headerRow: head.row };
  }
  return { seen, skipped, chosen };
}

/** A cell's plain value: formulas by their result, rich text as text, errors as empty. */
export function cellValue(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return null;
  if (v instanceof Date || typeof v !== 'object') return v;
  if ('result' in v) return cellValue(v.result as ExcelJS.CellValue);
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('text' in v) return typeof v.text === 'string' ? v.text : null;
  return null;
}

function rowCells(row: ExcelJS.Row): Cell[] {
  // row.values is 1-based with a hole at index 0.
  const values = (row.values as ExcelJS.CellValue[]).slice(1);
  return Array.from(values, cellValue);
}

const DEVICE_FIELDS = new Set(['externalRef', 'kind', 'brand', 'model', 'serial', 'mac', 'ip', 'site', 'lat', 'lon', 'x', 'y', 'id']);

function looksLikeRegister(headers: readonly string[]): boolean {
  const fields = new Set(detectMapping(headers).fields.values());
  return [...fields].filter((f) => DEVICE_FIELDS.has(f)).length >= 2;
}

/** Streamed sheets must be read to their end for the reader to deliver the next ones intact. */
async function drain(sheet: SheetLike): Promise<void> {
  for await (const _ of sheet) void _;
}

async function firstRow(sheet: SheetLike): Promise<{ headers: string[]; row: number } | null> {
  let found: { headers: string[]; row: number } | null = null;
  for await (const row of sheet) {
    if (found) continue;
    const cells = rowCells(row).map((c) => (c === null ? '' : String(c).trim()));
    if (cells.some((c) => c !== '')) found = { headers: cells, row: row.number };
  }
  return found;
}

export async function readXlsx(file: string, options: ReadOptions): Promise<SourceTable> {
  const size = await assertSize(file, options.maxBytes);
  let result: Awaited<ReturnType<typeof scan>>;
  // Before exceljs sees the file: it inflates whatever the archive holds, as far as it reaches.
  const mode: Mode = (await inspectWorkbook(file, size, options.maxBytes)).streamable ? 'stream' : 'load';
  try {
    result = await scan(file, mode, options.sheet);
  } catch (cause) {
    throw new CamauditError('invalid_input', `${file} is not a readable XLSX workbook: ${(cause as Error).message}`, { file }, { cause });
  }
  const { seen, skipped, chosen } = result;
  if (!chosen) {
    const why = options.sheet !== undefined
      ? `has no sheet named "${options.sheet}" (sheets: ${seen.join(', ')})`
      : `has no sheet with device columns (sheets: ${skipped.join(', ') || 'none'}); choose one with --sheet`;
    throw new CamauditError(options.sheet !== undefined ? 'usage' : 'invalid_input', `${file} ${why}`, { file });
  }
  const { name, headers, headerRow } = chosen;
  return {
    file,
    format: 'xlsx',
    sheet: name,
    headers,
    notes: [
      `sheet "${name}"${skipped.length ? `; skipped ${skipped.join(', ')}` : ''}`,
      ...(mode === 'load' ? ['workbook parts are not in streaming order, or cells are merged; read whole'] : []),
    ],
    async *rows(): AsyncGenerator<SourceRow> {
      for await (const sheet of reader(file, mode)) {
        if (sheet.name !== name) {
          await drain(sheet);
          continue;
        }
        for await (const row of sheet) {
          if (row.number <= headerRow) continue;
          const cells = rowCells(row);
          if (cells.every((c) => c === null || String(c).trim() === '')) continue;
          yield { row: row.number, cells };
        }
        return;
      }
    },
  };
}
