// Tables of API lists: column headers that sort (server-side, `sort=±field`), optional row
// selection, and cursor paging. Sorting is announced through aria-sort on the header.
import { useCallback, useState, type ReactNode } from 'react';
import { defineMessages, useT } from '../i18n';

const messages = defineMessages({
  nl: { first: 'Eerste pagina', previous: 'Vorige', next: 'Volgende', page: 'Pagina {n}', sortBy: 'Sorteer op {column}', selectAll: 'Alles op deze pagina selecteren', select: 'Selecteer {row}', empty: 'Geen resultaten.' },
  en: { first: 'First page', previous: 'Previous', next: 'Next', page: 'Page {n}', sortBy: 'Sort by {column}', selectAll: 'Select everything on this page', select: 'Select {row}', empty: 'No results.' },
});

export interface Column<T> {
  key: string;
  header: string;
  render(row: T): ReactNode;
  /** The API's sort field for this column, when the list can be sorted by it. */
  sort?: string;
  numeric?: boolean;
}

export interface DataTableProps<T> {
  caption: string;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey(row: T): string;
  /** Current sort as the API takes it: `field` or `-field`. */
  sort?: string;
  onSort?(sort: string): void;
  /** Row selection for bulk actions. */
  selected?: ReadonlySet<string>;
  onSelect?(keys: string[], on: boolean): void;
  rowLabel?(row: T): string;
}

export function DataTable<T>({ caption, columns, rows, rowKey, sort, onSort, selected, onSelect, rowLabel }: DataTableProps<T>) {
  const t = useT(messages);
  const field = sort?.replace(/^-/, '');
  const descending = sort?.startsWith('-') ?? false;
  const allSelected = selected !== undefined && rows.length > 0 && rows.every((r) => selected.has(rowKey(r)));
  return (
    <div className="camaudit-table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table className="utrecht-table utrecht-table--html-table camaudit-table">
        <caption className="utrecht-table__caption">{caption}</caption>
        <thead className="utrecht-table__header">
          <tr className="utrecht-table__row">
            {onSelect && (
              <th className="utrecht-table__header-cell" scope="col">
                <input type="checkbox" className="utrecht-checkbox utrecht-checkbox--html-input" aria-label={t('selectAll')} checked={allSelected}
                  onChange={(e) => onSelect(rows.map(rowKey), e.target.checked)} />
              </th>
            )}
            {columns.map((c) => {
              const active = c.sort !== undefined && c.sort === field;
              return (
                <th key={c.key} scope="col" className={`utrecht-table__header-cell${c.numeric ? ' utrecht-table__header-cell--numeric' : ''}`}
                  aria-sort={active ? (descending ? 'descending' : 'ascending') : undefined}>
                  {c.sort && onSort ? (
                    <button type="button" className="camaudit-sort" title={t('sortBy', { column: c.header })}
                      onClick={() => onSort(active && !descending ? `-${c.sort}` : c.sort!)}>
                      {c.header}<span aria-hidden="true">{active ? (descending ? ' ▼' : ' ▲') : ' ↕'}</span>
                    </button>
                  ) : c.header}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody className="utrecht-table__body">
          {rows.length === 0 && (
            <tr className="utrecht-table__row"><td className="utrecht-table__cell" colSpan={columns.length + (onSelect ? 1 : 0)}>{t('empty')}</td></tr>
          )}
          {rows.map((row) => {
            const key = rowKey(row);
            return (
              <tr key={key} className="utrecht-table__row">
                {onSelect && (
                  <td className="utrecht-table__cell">
                    <input type="checkbox" className="utrecht-checkbox utrecht-checkbox--html-input" aria-label={t('select', { row: rowLabel?.(row) ?? key })}
                      checked={selected?.has(key) ?? false} onChange={(e) => onSelect([key], e.target.checked)} />
                  </td>
                )}
                {columns.map((c) => (
                  <td key={c.key} className={`utrecht-table__cell${c.numeric ? ' utrecht-table__cell--numeric' : ''}`}>{c.render(row)}</td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Cursor paging state: the cursor of the page shown and the way back. */
export function useCursorPaging() {
  const [stack, setStack] = useState<(string | undefined)[]>([undefined]);
  const cursor = stack[stack.length - 1];
  const next = useCallback((nextCursor: string) => setStack((s) => [...s, nextCursor]), []);
  const previous = useCallback(() => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)), []);
  const reset = useCallback(() => setStack([undefined]), []);
  return { cursor, page: stack.length, next, previous, reset };
}

export function Pager({ paging, nextCursor }: { paging: ReturnType<typeof useCursorPaging>; nextCursor: string | null | undefined }) {
  const t = useT(messages);
  return (
    <nav className="camaudit-pager" aria-label={t('page', { n: paging.page })}>
      <button type="button" className="utrecht-button utrecht-button--secondary-action" disabled={paging.page === 1} onClick={paging.reset}>{t('first')}</button>
      <button type="button" className="utrecht-button utrecht-button--secondary-action" disabled={paging.page === 1} onClick={paging.previous}>{t('previous')}</button>
      <span className="camaudit-pager__page">{t('page', { n: paging.page })}</span>
      <button type="button" className="utrecht-button utrecht-button--secondary-action" disabled={!nextCursor} onClick={() => nextCursor && paging.next(nextCursor)}>{t('next')}</button>
    </nav>
  );
}
