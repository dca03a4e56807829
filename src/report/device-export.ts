// Device exports as CSV or XLSX, streamed: any register size, and safe to open in a spreadsheet
// (cells that would run as formulas are neutralised).
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import ExcelJS from 'exceljs';
import { neutralise } from '../core/import/values.js';
import { generalise, siteForCaller, sitePrecision, type PositionPrecision } from '../core/map/site-positions.js';
import type { Organisation, PublicationPolicy } from '../core/model.js';
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

/**
 * How precisely a caller sees where each device is. A device at a site is as secret as the site
 * (the most secret device there decides, src/core/map/site-positions.ts): its position and its
 * site's are a few metres apart, so showing one exactly would show the other. A device at no site
 * is decided by the organisation's policy and its own override.
 */
export function devicePrecision(
  policy: PublicationPolicy, overridesAtSite: (siteId: string) => readonly Partial<PublicationPolicy>[], seesSecret: boolean,
): (d: DeviceView) => PositionPrecision {
  return (d) => sitePrecision(policy, [d.publication, ...(d.siteId === null ? [] : overridesAtSite(d.siteId))], seesSecret);
}

type Located = Pick<DeviceView, 'position'>['position'];

/** A recorded position at a precision: generalised to about a kilometre, or gone. */
export function positionAt(position: Located, precision: PositionPrecision): Located {
  return siteForCaller({ address: null, postcode: null, bagId: null, position }, precision).position;
}

/**
 * A device as a caller may see it: its own position and the one shown for it (its site's where it
 * has none) exact, generalised to about a kilometre, or withheld; `positionPrecision` says which.
 */
export function deviceForCaller<D extends DeviceView>(d: D, precision: PositionPrecision): D & { positionPrecision: PositionPrecision | null } {
  if (d.lat === null || d.lon === null) return { ...d, positionPrecision: null };
  if (precision === 'exact') return { ...d, positionPrecision: 'exact' };
  const shown = precision === 'withheld' ? null : generalise({ lat: d.lat, lon: d.lon });
  return { ...d, position: positionAt(d.position, precision), lat: shown?.lat ?? null, lon: shown?.lon ?? null, positionPrecision: precision };
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
