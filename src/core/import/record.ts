// One spreadsheet row (or one block of a wide form row) → one import record, or the reasons it
// cannot be one. Pure: the caller reads files and writes the store.
import type {
  Analytic, BBox, Connectivity, DeviceKind, DeviceStatus, Position, RemoteAccess, SiteCategory,
} from '../model.js';
import type { ImportField } from './fields.js';
import type { ColumnMapping } from './mapping.js';
import { mangledDigits, readCoordinate, toPosition, type Axis, type Repair } from './coordinates.js';
import {
  normaliseReference, parseAnalytics, parseConnectivity, parseDate, parseIp, parseKind, parseMac,
  parseRemoteAccess, parseRetention, parseSiteCategory, parseStatus, unneutralise, type Parsed,
} from './values.js';

export type Cell = string | number | boolean | Date | null | undefined;

export interface SourceRow {
  /** 1-based row number as the user sees it in the file (header row = 1 for tables). */
  row: number;
  cells: readonly Cell[];
}

/** The device fields a row gives; absent means "the file says nothing", never "clear it". */
export interface DevicePatch {
  kind?: DeviceKind;
  brand?: string;
  manufacturer?: string;
  model?: string;
  firmware?: string;
  serial?: string;
  mac?: string;
  ip?: string;
  position?: Position;
  analytics?: Analytic[];
  status?: DeviceStatus;
  purpose?: string;
  legalBasis?: string;
  retentionDays?: number;
  supplier?: string;
  installer?: string;
  installDate?: string;
  externalRef?: string;
  custom?: Record<string, string>;
}

export interface SitePatch {
  name: string;
  category?: SiteCategory;
  address?: string;
  postcode?: string;
  city?: string;
  bagId?: string;
  /** Only site-level sources (GIS layers, the demo) place a site; device rows place devices. */
  position?: Position;
}

export interface NetworkPatch {
  name: string;
  connectivity?: Connectivity;
  remoteAccess?: RemoteAccess;
}

export interface ImportRecord {
  row: number;
  /** Block number (1-based) within a wide form row. */
  group?: number;
  /** camaudit's own id, when re-importing an export. */
  id?: string;
  device: DevicePatch;
  site: SitePatch | null;
  network: NetworkPatch | null;
}

export interface RowError {
  row: number;
  column: string;
  value: string;
  message: string;
}

export interface RecordContext {
  headers: readonly string[];
  mapping: ColumnMapping;
  area: BBox;
  /**
   * How the file's mangled coordinates read, decided from the whole column; null while nobody
   * has looked, in which case a mangled value stops the run so that the caller can profile.
   */
  repairs: ReadonlyMap<Axis, Repair> | null;
}

/** Thrown when a mangled coordinate meets a context whose repairs are not decided yet. */
export class ProfileNeeded extends Error {}

export function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  return unneutralise(String(cell).trim());
}

const TEXT_FIELDS = [
  'brand', 'manufacturer', 'model', 'firmware', 'serial', 'purpose', 'legalBasis', 'supplier', 'installer',
] as const;

export function toRecords(source: SourceRow, ctx: RecordContext): { records: ImportRecord[]; errors: RowError[] } {
  const { mapping } = ctx;
  const blocks = mapping.groups ?? [null];
  const records: ImportRecord[] = [];
  const errors: RowError[] = [];
  const extra = source.cells.slice(ctx.headers.length).map(cellText).filter((t) => t !== '');
  if (extra.length > 0) {
    errors.push({
      row: source.row, column: `#${ctx.headers.length + 1}`, value: extra.join(', '),
      message: `the row has ${extra.length} more value(s) than the header has columns (a separator inside an unquoted cell?)`,
    });
    return { records, errors };
  }
  blocks.forEach((block, index) => {
    const columns = block ? [...mapping.shared, ...block] : ctx.headers.map((_, i) => i);
    const hasDeviceData = !block || block.some((c) => mapping.fields.has(c) && cellText(source.cells[c]) !== '');
    if (!hasDeviceData) return;
    const result = toRecord(source, columns, ctx, block ? index + 1 : undefined);
    if ('record' in result) records.push(result.record);
    else errors.push(...result.errors);
  });
  return { records, errors };
}

function toRecord(
  source: SourceRow,
  columns: readonly number[],
  ctx: RecordContext,
  group: number | undefined,
): { record: ImportRecord } | { errors: RowError[] } {
  const errors: RowError[] = [];
  const given = new Map<ImportField, { text: string; raw: Cell; column: string }>();
  const custom: Record<string, string> = {};
  for (const c of columns) {
    const raw = source.cells[c];
    const text = cellText(raw);
    if (text === '') continue;
    const field = ctx.mapping.fields.get(c);
    if (field) given.set(field, { text, raw, column: ctx.headers[c] ?? `#${c + 1}` });
    else {
      const name = ctx.mapping.custom.get(c);
      if (name) custom[name] = text;
    }
  }
  if (given.size === 0 && Object.keys(custom).length === 0) return { errors: [] };

  function take<T>(field: ImportField, parse: (text: string, raw: Cell) => Parsed<T>): T | undefined {
    const g = given.get(field);
    if (!g) return undefined;
    const parsed = parse(g.text, g.raw);
    if (parsed.ok) return parsed.value;
    errors.push({ row: source.row, column: g.column, value: g.text, message: parsed.reason });
    return undefined;
  }
  const text = (field: ImportField) => given.get(field)?.text;

  const device: DevicePatch = {};
  for (const f of TEXT_FIELDS) {
    const v = text(f);
    if (v !== undefined) device[f] = v;
  }
  const setIf = <K extends keyof DevicePatch>(k: K, v: DevicePatch[K] | undefined) => {
    if (v !== undefined) device[k] = v;
  };
  setIf('kind', take('kind', parseKind));
  setIf('mac', take('mac', parseMac));
  setIf('ip', take('ip', parseIp));
  setIf('analytics', take('analytics', parseAnalytics));
  setIf('status', take('status', parseStatus));
  setIf('retentionDays', take('retentionDays', parseRetention));
  setIf('installDate', take('installDate', (t, raw) => parseDate(raw instanceof Date || typeof raw === 'number' ? raw : t)));
  const ref = text('externalRef');
  if (ref !== undefined) {
    const base = normaliseReference(ref);
    // One form submission reports several devices under one reference.
    device.externalRef = group !== undefined ? `${base}#${group}` : base;
  }
  if (Object.keys(custom).length > 0) device.custom = custom;

  const position = readPosition(source.row, given, ctx, errors);
  if (position) device.position = position;

  const site = readSite(given, take);
  const network = readNetwork(source.row, given, take, site, errors);

  if (errors.length > 0) return { errors };
  const id = text('id');
  const hasKey = id || device.mac || device.serial || device.externalRef || (site && device.ip);
  if (!hasKey) {
    return {
      errors: [{
        row: source.row, column: '', value: '',
        message: 'no stable key: give a MAC address, serial number, reference, or a site together with an IP address',
      }],
    };
  }
  const record: ImportRecord = { row: source.row, device, site, network };
  if (group !== undefined) record.group = group;
  if (id) record.id = id;
  return { record };
}

type Given = ReadonlyMap<ImportField, { text: string; raw: Cell; column: string }>;

function readPosition(row: number, given: Given, ctx: RecordContext, errors: RowError[]): Position | undefined {
  const axes = (['lat', 'lon', 'x', 'y'] as const).filter((a) => given.has(a));
  if (axes.length === 0) return undefined;
  const values: Partial<Record<Axis, number>> = {};
  let bad = false;
  for (const axis of axes) {
    const g = given.get(axis)!;
    const text = typeof g.raw === 'number' ? String(g.raw) : g.text;
    if (ctx.repairs === null && mangledDigits(text, axis) !== null) throw new ProfileNeeded();
    const parsed = readCoordinate(text, axis, ctx.repairs?.get(axis));
    if (parsed.ok) values[axis] = parsed.value;
    else {
      errors.push({ row, column: g.column, value: g.text, message: parsed.reason });
      bad = true;
    }
  }
  if (bad) return undefined;
  const pair = values.lat !== undefined || values.lon !== undefined ? (['lat', 'lon'] as const) : (['x', 'y'] as const);
  const missing = pair.find((a) => values[a] === undefined);
  const first = given.get(pair[0]) ?? given.get(pair[1])!;
  if (missing) {
    errors.push({ row, column: first.column, value: first.text, message: `${missing} is missing; a position needs both coordinates` });
    return undefined;
  }
  const position = toPosition(values, ctx.area);
  if (position.ok) return position.value;
  const cols = pair.map((a) => given.get(a)!);
  errors.push({
    row, column: cols.map((c) => c.column).join(' + '), value: cols.map((c) => c.text).join(', '), message: position.reason,
  });
  return undefined;
}

function readSite(
  given: Given,
  take: <T>(field: ImportField, parse: (text: string, raw: Cell) => Parsed<T>) => T | undefined,
): SitePatch | null {
  const t = (f: ImportField) => given.get(f)?.text;
  const street = [t('street'), t('houseNumber'), t('houseNumberAddition')].filter(Boolean).join(' ');
  const address = t('address') ?? (street !== '' ? street : undefined);
  const postcode = t('postcode')?.toUpperCase().replace(/^(\d{4})\s*([A-Z]{2})$/, '$1 $2');
  const fallbackName = address ? [address, postcode].filter(Boolean).join(', ') : undefined;
  const name = t('site') ?? fallbackName;
  if (!name) return null;
  const site: SitePatch = { name };
  const category = take('siteCategory', parseSiteCategory);
  if (category) site.category = category;
  if (address) site.address = address;
  if (postcode) site.postcode = postcode;
  const city = t('city');
  if (city) site.city = city;
  const bag = t('bagId');
  if (bag) site.bagId = normaliseReference(bag);
  return site;
}

function readNetwork(
  row: number,
  given: Given,
  take: <T>(field: ImportField, parse: (text: string, raw: Cell) => Parsed<T>) => T | undefined,
  site: SitePatch | null,
  errors: RowError[],
): NetworkPatch | null {
  const connectivity = take('connectivity', parseConnectivity);
  const remoteAccess = take('remoteAccess', parseRemoteAccess);
  const named = given.get('network')?.text;
  if (!named && !connectivity && !remoteAccess) return null;
  // Registers often say "closed network" per row without naming it: that is the site's network.
  const name = named ?? site?.name;
  if (!name) {
    // Without a network or site, connectivity would land on a network shared by unrelated
    // devices and change theirs too.
    const g = given.get('connectivity') ?? given.get('remoteAccess')!;
    errors.push({ row, column: g.column, value: g.text, message: 'connectivity needs a network or a site to belong to: add a network (Netwerk) or site (Locatie) column' });
    return null;
  }
  const network: NetworkPatch = { name };
  if (connectivity) network.connectivity = connectivity;
  if (remoteAccess) network.remoteAccess = remoteAccess;
  return network;
}
