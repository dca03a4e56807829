// The register pages' rules that need no React: which filters the address holds, how an API error
// names a form field, who really made a device, which columns a person chose, and what a history
// entry changed. Kept free of imports so they are tested on their own.

/** The device list's filters as the address and the API name them. */
export const DEVICE_FILTER_KEYS = [
  'q', 'kind', 'status', 'manufacturer', 'brand', 'connectivity', 'site', 'category', 'remoteAccess', 'oem', 'rule', 'severity',
] as const;
export type DeviceFilterKey = (typeof DEVICE_FILTER_KEYS)[number];
export type Filters<K extends string> = Partial<Record<K, string>>;

/** The filters present in a query string; empty values are no filter. */
export function filtersFrom<K extends string>(search: URLSearchParams, keys: readonly K[]): Filters<K> {
  const out: Filters<K> = {};
  for (const key of keys) {
    const value = search.get(key)?.trim();
    if (value) out[key] = value;
  }
  return out;
}

export interface ListPosition {
  sort: string | undefined;
  limit: number;
  cursor: string | undefined;
  page: number;
}

export const PAGE_SIZES = [25, 50, 100, 200] as const;

/** Sort, page size and cursor from the address; a page size the list does not offer becomes the default. */
export function positionFrom(search: URLSearchParams, defaultLimit: number): ListPosition {
  const limit = Number(search.get('limit'));
  const page = Number(search.get('page'));
  return {
    sort: search.get('sort') || undefined,
    limit: (PAGE_SIZES as readonly number[]).includes(limit) ? limit : defaultLimit,
    cursor: search.get('cursor') || undefined,
    page: Number.isInteger(page) && page > 1 && search.get('cursor') ? page : 1,
  };
}

/**
 * A new query string: `changes` applied to `search` (undefined or "" removes a key). Any change
 * other than moving between pages starts again at the first page, because a cursor belongs to the
 * filter and order it was given out for.
 */
export function withChanges(search: URLSearchParams, changes: Record<string, string | undefined>, keepPage = false): string {
  const next = new URLSearchParams(search);
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined || value === '') next.delete(key);
    else next.set(key, value);
  }
  if (!keepPage) {
    next.delete('cursor');
    next.delete('page');
  }
  next.sort();
  return next.toString();
}

/**
 * An API problem's detail ("body.name: Too small…; cidrs: \"x\" is not…") split per form field, so
 * each message can be shown at its field; what names no known field stays general.
 */
export function fieldErrors(detail: string | undefined, fields: readonly string[]): { byField: Record<string, string>; general: string[] } {
  const byField: Record<string, string> = {};
  const general: string[] = [];
  if (!detail) return { byField, general };
  for (const part of detail.split(/;\s+/)) {
    const m = /^(?:body\.|set\.|body\.set\.)?([A-Za-z]+)(?:\.[\w.]+)?:\s*(.+)$/s.exec(part.trim());
    const field = m?.[1];
    if (m && field && fields.includes(field)) {
      byField[field] = byField[field] ? `${byField[field]}; ${m[2]}` : m[2]!;
      continue;
    }
    // A name clash names no field in its wording, but only the name can clash.
    if (fields.includes('name') && /already named/.test(part)) {
      byField.name = part.trim();
      continue;
    }
    general.push(part.trim());
  }
  return { byField, general };
}

export interface VendorName {
  id: string;
  name: string;
  aliases?: readonly string[];
}

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * The true maker's name when the label on the device is someone else's brand ("HiWatch" made by
 * Hikvision); null when the brand is the maker, or the maker is unknown.
 */
export function otherMaker(brand: string | null, manufacturer: string | null, vendors: ReadonlyMap<string, VendorName>): string | null {
  if (!manufacturer) return null;
  const vendor = vendors.get(manufacturer);
  const makerName = vendor?.name ?? manufacturer;
  if (!brand) return makerName;
  const label = norm(brand);
  const names = [manufacturer, makerName, ...(vendor?.aliases ?? [])].map(norm);
  return names.includes(label) ? null : makerName;
}

/** The columns a person chose, as stored; unknown keys are dropped, nothing stored gives the defaults. */
export function chosenColumns(stored: string | null, all: readonly string[], defaults: readonly string[]): string[] {
  if (!stored) return [...defaults];
  try {
    const parsed: unknown = JSON.parse(stored);
    if (!Array.isArray(parsed)) return [...defaults];
    const keep = all.filter((k) => parsed.includes(k));
    return keep.length > 0 ? keep : [...defaults];
  } catch {
    return [...defaults];
  }
}

/** Fields a history entry changed, with the value before and after, in the order of `after`. */
export function changedFields(before: Record<string, unknown> | null, after: Record<string, unknown> | null): { field: string; before: unknown; after: unknown }[] {
  const keys = [...new Set([...Object.keys(after ?? {}), ...Object.keys(before ?? {})])];
  return keys
    .filter((k) => JSON.stringify(before?.[k] ?? null) !== JSON.stringify(after?.[k] ?? null))
    .map((k) => ({ field: k, before: before?.[k] ?? null, after: after?.[k] ?? null }));
}

/** A stored value as one line of text; objects (identity, position) as their main facts. */
export function plainValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.length === 0 ? '—' : value.map(plainValue).join(', ');
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ('lat' in o && 'lon' in o) return `${String(o.lat)}, ${String(o.lon)}`;
    if ('manufacturer' in o) return String(o.manufacturer ?? '—');
    return Object.entries(o).map(([k, v]) => `${k}: ${plainValue(v)}`).join(', ');
  }
  return String(value);
}

export const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low', 'info'] as const;

/** The most serious severity of findings that still count (not waived); null when none. */
export function highestSeverity(findings: readonly { severity: string; status?: string }[]): string | null {
  let best: number = SEVERITY_ORDER.length;
  for (const f of findings) {
    if (f.status === 'waived') continue;
    const rank = (SEVERITY_ORDER as readonly string[]).indexOf(f.severity);
    if (rank >= 0 && rank < best) best = rank;
  }
  return best < SEVERITY_ORDER.length ? SEVERITY_ORDER[best]! : null;
}

/** A count and the most a bulk edit may change: whether "all matching" can be selected. */
export function bulkAllowed(total: number, max: number): boolean {
  return total > 0 && total <= max;
}
