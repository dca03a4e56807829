// What the procurement page needs apart from React: a file name the screening route accepts, the
// media type to send a bid list with, and source references numbered in order of appearance.

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The uploaded file's name as the screening route takes it (letters, digits, . _ - and spaces,
 * starting with a letter or digit, no "..", at most 200 characters); other characters become "_".
 */
export function safeFileName(name: string): string {
  let safe = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9._ -]/g, '_').replace(/\.{2,}/g, '.');
  safe = safe.replace(/^[^A-Za-z0-9]+/, '');
  if (safe === '') safe = 'bid-list';
  if (safe.length > 200) {
    const dot = safe.lastIndexOf('.');
    const ext = dot > 0 && safe.length - dot <= 10 ? safe.slice(dot) : '';
    safe = safe.slice(0, 200 - ext.length) + ext;
  }
  return safe;
}

/** The media type to upload a bid list with; the server recognises the format from the content. */
export function bidContentType(name: string): string {
  const lower = name.toLowerCase();
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return 'text/csv';
  if (lower.endsWith('.xlsx')) return XLSX_TYPE;
  return 'application/octet-stream';
}

/**
 * Source ids numbered 1, 2, … in the order the lines first cite them, so the reference list
 * under the table reads in the order of the table.
 */
export function numberSources(citations: readonly (readonly string[])[]): Map<string, number> {
  const numbers = new Map<string, number>();
  for (const ids of citations) for (const id of ids) if (!numbers.has(id)) numbers.set(id, numbers.size + 1);
  return numbers;
}
