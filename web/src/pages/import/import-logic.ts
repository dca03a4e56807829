// The import page's logic without React: a file name the server accepts, the column mapping as
// the person edits it (one column per target field) turned into the API's `map` parameter, and
// what a previewed record holds for a field. Pure and without imports, so it is unit-tested.

/** A column as the preview reports it: its header and the field camaudit reads it as. */
export interface PreviewColumn {
  index: number;
  header: string;
  field: string | null;
  custom: string | null;
}

/** Target field → the index of the column that feeds it; absent or null: not used. */
export type Assignment = Record<string, number | null>;

/**
 * The server stores uploads under their name: letters, digits, ". _ -" and spaces, starting with
 * a letter or digit, no "..", at most 200 characters. Anything else becomes "_"; the extension
 * stays, since the server reads the format from the content but people read it from the name.
 */
export function safeFileName(name: string): string {
  let out = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9._ -]/g, '_');
  while (out.includes('..')) out = out.replace('..', '.');
  out = out.replace(/^[^A-Za-z0-9]+/, '');
  if (out.length > 200) {
    const dot = out.lastIndexOf('.');
    const ext = dot > 0 && out.length - dot <= 10 ? out.slice(dot) : '';
    out = out.slice(0, 200 - ext.length) + ext;
  }
  return out.trim() === '' ? 'register' : out.trimEnd();
}

/** The assignment the detected mapping amounts to. */
export function assignmentOf(columns: readonly PreviewColumn[]): Assignment {
  const out: Assignment = {};
  for (const c of columns) if (c.field !== null && out[c.field] === undefined) out[c.field] = c.index;
  return out;
}

/** Gives `field` the column `index` (null: not used); a column feeds one field, so it leaves any other. */
export function assign(current: Assignment, field: string, index: number | null): Assignment {
  const next: Assignment = {};
  for (const [f, i] of Object.entries(current)) if (f !== field && i !== null && i !== index) next[f] = i;
  if (index !== null) next[field] = index;
  return next;
}

/**
 * The API's `map` (`{"Column": "field" | "ignore"}`): every assigned column by its field; a column
 * camaudit recognised by itself but that is no longer assigned is "ignore", so it is not read as
 * that field after all. Columns nobody assigned and camaudit did not recognise need no entry:
 * they are kept as extra (custom) fields. Null when the mapping is the detected one.
 */
export function mapParam(detected: readonly PreviewColumn[], assignment: Assignment): Record<string, string> | null {
  const byColumn = new Map<number, string>();
  for (const [field, index] of Object.entries(assignment)) if (index !== null) byColumn.set(index, field);
  const out: Record<string, string> = {};
  let changed = false;
  for (const c of detected) {
    const field = byColumn.get(c.index);
    if (field !== undefined) {
      out[c.header] = field;
      if (field !== c.field) changed = true;
    } else if (c.field !== null) {
      out[c.header] = 'ignore';
      changed = true;
    }
  }
  return changed ? out : null;
}

export interface PreviewRecord {
  id?: string;
  device: Record<string, unknown> & { position?: { lat: number; lon: number; original: { x: number; y: number } } };
  site: Record<string, unknown> | null;
  network: Record<string, unknown> | null;
}

const SITE_FIELDS: Record<string, string> = {
  site: 'name', siteCategory: 'category', address: 'address', street: 'address', houseNumber: 'address', houseNumberAddition: 'address',
  postcode: 'postcode', city: 'city', bagId: 'bagId',
};
const NETWORK_FIELDS: Record<string, string> = { network: 'name', connectivity: 'connectivity', remoteAccess: 'remoteAccess' };

const text = (value: unknown): string => {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(text).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
};

/** What a record read from the file holds for an import field, as text ("" when nothing). */
export function recordValue(record: PreviewRecord, field: string): string {
  if (field === 'id') return text(record.id);
  if (field in SITE_FIELDS) return text(record.site?.[SITE_FIELDS[field]!]);
  if (field in NETWORK_FIELDS) return text(record.network?.[NETWORK_FIELDS[field]!]);
  const position = record.device.position;
  if (field === 'lat' || field === 'lon') return position ? String(position[field]) : '';
  if (field === 'x' || field === 'y') return position ? String(position.original[field]) : '';
  return text(record.device[field]);
}
