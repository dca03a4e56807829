// CSV as registers come: `,` `;` or tab separated, UTF-8 with or without BOM or Windows-1252,
// CRLF or LF. Read as a stream: memory does not grow with the file.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { CamauditError } from '../core/errors.js';
import type { SourceRow } from '../core/import/record.js';
import { assertSize, readHead } from './sniff.js';
import type { ReadOptions, SourceTable } from './table.js';

type Encoding = 'utf-8' | 'windows-1252';

export function detectEncoding(head: Buffer): { encoding: Encoding; bom: boolean } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bom: true };
  try {
    // stream: true tolerates a multi-byte character cut off at the end of the sample.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return { encoding: 'utf-8', bom: false };
  } catch {
    return { encoding: 'windows-1252', bom: false };
  }
}

/** The separator that occurs most in the header line, outside quotes. */
export function detectDelimiter(firstLine: string): string {
  const counts = new Map<string, number>([[',', 0], [';', 0], ['\t', 0]]);
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]![1] === 0 ? ',' : [...counts].sort((a, b) => b[1] - a[1])[0]![0];
}

async function* decode(file: string, encoding: Encoding, bom: boolean): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding, { fatal: encoding === 'utf-8', ignoreBOM: false });
  let offset = 0;
  for await (const chunk of createReadStream(file, { start: bom ? 3 : 0, highWaterMark: 1 << 20 })) {
    try {
      yield decoder.decode(chunk as Buffer, { stream: true });
    } catch (cause) {
      throw new CamauditError('invalid_input', `${file}: invalid UTF-8 near byte ${offset}; save the file as UTF-8`, { file }, { cause });
    }
    offset += (chunk as Buffer).length;
  }
  yield decoder.decode();
}

async function* records(file: string, encoding: Encoding, bom: boolean, delimiter: string) {
  const parser = parse({
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    // Spreadsheets write quotes inside unquoted cells (a remark like 12" dome); keep them as text.
    relax_quotes: true,
    trim: false,
    info: true,
  });
  const source = Readable.from(decode(file, encoding, bom));
  source.on('error', (err) => parser.destroy(err));
  source.pipe(parser);
  try {
    yield* parser as AsyncIterable<{ record: string[]; info: { lines: number } }>;
  } finally {
    // A reader that stops early (after the header row, or on an error) must not leave the file open.
    source.destroy();
    parser.destroy();
  }
}

/** Whether the whole file is valid UTF-8, read as a stream (one bad byte anywhere says no). */
async function wholeFileIsUtf8(file: string): Promise<boolean> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) decoder.decode(chunk as Buffer, { stream: true });
    decoder.decode();
    return true;
  } catch {
    return false;
  }
}

export async function readCsv(file: string, options: ReadOptions): Promise<SourceTable> {
  const size = await assertSize(file, options.maxBytes);
  const head = await readHead(file, 1 << 20);
  const detected = detectEncoding(head);
  // The first megabyte can be plain ASCII while an accented name further down is Windows-1252.
  const { encoding, bom } = detected.encoding === 'utf-8' && !detected.bom && size > head.length && !(await wholeFileIsUtf8(file))
    ? { encoding: 'windows-1252' as const, bom: false }
    : detected;
  const firstLine = new TextDecoder(encoding).decode(head.subarray(bom ? 3 : 0)).split(/\r?\n/, 1)[0] ?? '';
  const delimiter = detectDelimiter(firstLine);

  let headers: string[] | null = null;
  let headerLine = 1;
  for await (const { record, info } of guard(file, records(file, encoding, bom, delimiter))) {
    headers = record.map((h) => h.trim());
    headerLine = info.lines;
    break;
  }
  if (!headers) throw new CamauditError('invalid_input', `${file} is empty`, { file });

  const delimiterName = delimiter === '\t' ? 'tab' : `"${delimiter}"`;
  return {
    file,
    format: 'csv',
    headers,
    notes: [`read as ${encoding.toUpperCase()}${bom ? ' with BOM' : ''}, ${delimiterName}-separated`],
    async *rows(): AsyncGenerator<SourceRow> {
      let first = true;
      for await (const { record, info } of guard(file, records(file, encoding, bom, delimiter))) {
        if (first) {
          first = false;
          continue;
        }
        if (info.lines <= headerLine) continue;
        yield { row: info.lines, cells: record };
      }
    },
  };
}

/** csv-parse errors name a line; ours name the file too. */
async function* guard<T>(file: string, source: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* source;
  } catch (cause) {
    if (cause instanceof CamauditError) throw cause;
    const err = cause as Error & { lines?: number };
    throw new CamauditError('invalid_input', `${file}: ${err.message}`, { file, row: err.lines }, { cause });
  }
}
