// What register lists share: keyset paging in any sort order, and free-text filters. A page ends
// at a row, and the next page starts after that row's (sort value, id); unlike offsets, rows
// written between two requests neither repeat nor go missing, and a deep page costs the same as
// the first.
import { sql, type RawBuilder } from 'kysely';
import { CamauditError } from '../core/errors.js';

export interface Sort<K extends string> {
  key: K;
  descending: boolean;
}

/** `field` or `-field` (NL API Design Rules); the caller's schema limits which fields. */
export function parseSort<K extends string>(text: K | `-${K}`): Sort<K> {
  return text.startsWith('-') ? { key: text.slice(1) as K, descending: true } : { key: text as K, descending: false };
}

const sortText = (sort: Sort<string>) => `${sort.descending ? '-' : ''}${sort.key}`;

/**
 * What a text column sorts by: case-insensitive, and empty rather than null so that rows
 * without a value sort first (ascending) on every engine and compare like any other.
 */
export function textSort(column: string): RawBuilder<string> {
  return sql<string>`lower(coalesce(${sql.ref(column)}, ''))`;
}

/** A column that always has a value and sorts as stored (ids, ISO times): its index can serve. */
export function plainSort(column: string): RawBuilder<string> {
  return sql<string>`${sql.ref(column)}`;
}

interface Position {
  value: string;
  id: string;
}

/** The cursor after a row: opaque to callers, and bound to the sort it was made for. */
export function encodeCursor(sort: Sort<string>, at: Position): string {
  return Buffer.from(JSON.stringify([sortText(sort), at.value, at.id])).toString('base64url');
}

function decodeCursor(cursor: string, sort: Sort<string>): Position {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    // Not ours: reported below like any other foreign cursor.
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || parsed.some((p) => typeof p !== 'string')) {
    throw new CamauditError('invalid_input', `cursor "${cursor}" was not given by this list; pass the nextCursor of the previous page`);
  }
  const [madeFor, value, id] = parsed as [string, string, string];
  if (madeFor !== sortText(sort)) {
    throw new CamauditError('invalid_input', `the cursor belongs to sort=${madeFor}, not sort=${sortText(sort)}; start again without a cursor`);
  }
  return { value, id };
}

/** Rows after the cursor in the sort order, ties broken by id. */
export function afterCursor(value: RawBuilder<string>, idColumn: string, sort: Sort<string>, cursor: string): RawBuilder<boolean> {
  const at = decodeCursor(cursor, sort);
  const beyond = sort.descending ? sql.raw('<') : sql.raw('>');
  return sql<boolean>`(${value} ${beyond} ${at.value} or (${value} = ${at.value} and ${sql.ref(idColumn)} ${beyond} ${at.id}))`;
}

/** One page of rows fetched with one extra, and the cursor after its last row when more follow. */
export function pageOf<R extends { sort_value: string; id: string }, T>(
  rows: readonly R[], limit: number, sort: Sort<string>, view: (row: R) => T,
): { items: T[]; nextCursor: string | null } {
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1];
  return {
    items: shown.map(view),
    nextCursor: rows.length > limit && last ? encodeCursor(sort, { value: last.sort_value, id: last.id }) : null,
  };
}

/** Whether any of the columns contains the text, case-insensitively; % and _ match themselves. */
export function containsText(columns: readonly string[], text: string): RawBuilder<boolean> {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<boolean>`(${sql.join(columns.map((c) => sql`lower(${sql.ref(c)}) like ${pattern} escape '\\'`), sql` or `)})`;
}
