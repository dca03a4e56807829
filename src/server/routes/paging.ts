// Sorting and cursor paging of lists the store hands over whole (findings, waivers, plan items,
// scan runs: per organisation, small enough to hold, and often filtered on values computed in
// memory, such as a finding's waiver status). The cursor names the last item given out by its
// sort value and id, not by position, so an item added or removed between two requests neither
// repeats nor skips the rest of the list.
import { z } from 'zod';
import { CamauditError } from '../../core/errors.js';
import type { Page } from '../../store/devices.js';

type SortValue = string | number | null;

/** How each sortable field is read from an item; the field names are the `sort` allow-list. */
export type SortFields<T> = Readonly<Record<string, (item: T) => SortValue>>;

/** `sort=field` ascending or `sort=-field` descending, one of the list's own fields. */
export function sortParam<T>(fields: SortFields<T>, fallback: string) {
  const names = Object.keys(fields);
  return z.enum([...names, ...names.map((n) => `-${n}`)] as [string, ...string[]]).default(fallback);
}

/** `limit` and `cursor`, as every list takes them. */
export const PAGE_PARAMS = {
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().max(1000).optional(),
};

/** A comma-separated query value as a list of allowed values (`severity=critical,high`). */
export function listParam<const V extends readonly [string, ...string[]]>(values: V) {
  return z.string().max(1000).transform((text, ctx) => {
    const parts = text.split(',').map((p) => p.trim()).filter((p) => p !== '');
    const unknown = parts.filter((p) => !(values as readonly string[]).includes(p));
    if (unknown.length > 0) ctx.addIssue({ code: 'custom', message: `unknown value ${unknown.map((u) => `"${u}"`).join(', ')}; expected ${values.join(', ')}` });
    return parts as V[number][];
  }).optional();
}

// Missing values sort after present ones whichever the direction: a list sorted by due date shows
// dated items first, and a descending list does not open with a page of blanks.
function compareValues(a: SortValue, b: SortValue, direction: 1 | -1): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return direction * (a - b);
  const x = String(a);
  const y = String(b);
  return direction * (x < y ? -1 : x > y ? 1 : 0);
}

function encodeCursor(sort: string, value: SortValue, id: string): string {
  return Buffer.from(JSON.stringify([sort, value, id]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, sort: string): { value: SortValue; id: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  const ok = Array.isArray(parsed) && parsed.length === 3 && typeof parsed[0] === 'string' && typeof parsed[2] === 'string'
    && (parsed[1] === null || typeof parsed[1] === 'string' || typeof parsed[1] === 'number');
  if (!ok) throw new CamauditError('invalid_input', `cursor "${cursor}" is not one this server gave out`);
  const [cursorSort, value, id] = parsed as [string, SortValue, string];
  // A cursor continues the order it was made for; under another order it names no position.
  if (cursorSort !== sort) throw new CamauditError('invalid_input', `cursor was given out for sort=${cursorSort}, not sort=${sort}; start again without a cursor`);
  return { value, id };
}

type Keyed<T> = { item: T; value: SortValue; id: string };

function ordering<T>(sort: string, fields: SortFields<T>, idOf: (item: T) => string) {
  const descending = sort.startsWith('-');
  const field = descending ? sort.slice(1) : sort;
  const read = fields[field];
  if (!read) throw new CamauditError('invalid_input', `cannot sort by "${field}"; sortable: ${Object.keys(fields).join(', ')}`);
  const direction = descending ? -1 : 1;
  return {
    key: (item: T): Keyed<T> => ({ item, value: read(item), id: idOf(item) }),
    compare: (a: Omit<Keyed<T>, 'item'>, b: Omit<Keyed<T>, 'item'>) =>
      compareValues(a.value, b.value, direction) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  };
}

/** `items` in the order `sort` asks for, ties broken by id. */
export function sortItems<T>(items: readonly T[], sort: string, fields: SortFields<T>, idOf: (item: T) => string): T[] {
  const { key, compare } = ordering(sort, fields, idOf);
  return items.map(key).sort(compare).map((k) => k.item);
}

/** One page of `items` in the order `sort` asks for, ties broken by id. */
export function pageOf<T>(
  items: readonly T[],
  request: { sort: string; limit: number; cursor?: string | undefined },
  fields: SortFields<T>,
  idOf: (item: T) => string,
): Page<T> {
  const { key, compare } = ordering(request.sort, fields, idOf);
  const keyed = items.map(key).sort(compare);
  const after = request.cursor ? decodeCursor(request.cursor, request.sort) : null;
  const start = after ? keyed.findIndex((k) => compare(k, after) > 0) : 0;
  const rest = start < 0 ? [] : keyed.slice(start);
  const page = rest.slice(0, request.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((k) => k.item),
    nextCursor: rest.length > request.limit && last ? encodeCursor(request.sort, last.value, last.id) : null,
  };
}
