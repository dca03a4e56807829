// Device exports as CSV or XLSX, streamed: any register size, and safe to open in a spreadsheet
// (cells that would run as formulas are neutralised).
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import ExcelJS from 'exceljs';
import { neutralise } from '../core/import/values.js';
import type { Organisation } from '../core/model.js';
import { canSee, type Audience } from '../core/register/publication.js';
import type { DeviceView } from '../store/devices.js';
import { DEVICE_COLUMNS } from './device-columns.js';

export interface ExportTable {
  headers: string[];
  rows: (d: DeviceView) => (string | number | null)[];
}

/**
 * The columns an audience may see. Custom fields are organisation data; the public sees only
 * the groups the publication policy opens, and a device's own overrides can close more cells.
 */
export function exportTable(org: Organisation, audience: Audience, customKeys: readonly string[]): ExportTable {
  const columns = DEVICE_COLUMNS.filter((c) => audience === 'organisation' || canSee(audience, c.group, org.publication));
  const custom = audience === 'organisation' ? customKeys : [];
  return {
    headers: [...columns.map((c) => c.header), ...custom],
    rows: (d) => [
      ...columns.map((c) => (canSee(audience, c.group, org.publication, d.publication) ? c.value(d) : null)),
      ...custom.map((k) => d.custom[k] ?? null),
    ],
  };
}

/** One CSV cell: formulas neutralised, quoted when it holds a separator, quote or line break. */
export function csvCell(v: string | number | null): string {
  if (v === null) return '';
  const text = typeof v === 'number' ? String(v) : neutralise(v);
  return /[",\r\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export async function writeCsv(file: string, table: ExportTable, devices: AsyncIterable<DeviceView>): Promise<number> {
  const out = createWriteStream(file, { encoding: 'utf8' });
  const write = async (line: string) => {
    if (!out.write(line)) await once(out, 'drain');
  };
  // A BOM makes Excel open UTF-8 correctly; the importer strips it.
  await write('\uFEFF' + table.headers.map(csvCell).join(',') + '\r\n');
  let n = 0;
  for await (const d of devices) {
    await write(table.rows(d).map(csvCell).join(',') + '\r\n');
    n++;
  }
  out.end();
  await once(out, 'finish');
  return n;
}

export async function writeXlsx(file: string, table: ExportTable, devices: AsyncIterable<DeviceView>): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet('devices');
  sheet.addRow(table.headers).commit();
  let n = 0;
  for await (const d of devices) {
    sheet.addRow(table.rows(d).map((v) => (typeof v === 'string' ? neutralise(v) : v))).commit();
    n++;
  }
  sheet.commit();
  await workbook.commit();
  return n;
}
