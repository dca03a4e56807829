// How far a workbook may unpack. An XLSX file is a ZIP archive, and deflate shrinks repeated
// bytes about a thousandfold: a small upload can ask the workbook reader for gigabytes. Every
// part is therefore inflated here first, as a stream with nothing kept, and counted; the workbook
// reader only ever meets archives whose parts have been measured.
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createInflateRaw } from 'node:zlib';
import { CamauditError } from '../core/errors.js';
import type { ZipEntry } from './zip-order.js';

/** More parts than any workbook has: Excel writes a few per sheet, picture and chart. */
export const MAX_ZIP_ENTRIES = 10_000;
/** Unpacked bytes per packed byte. Real workbooks stay near 10; Apache POI refuses above 100 too. */
export const MAX_INFLATE_RATIO = 100;
/** Small files may always unpack this far: their styles and theme parts compress well. */
export const MIN_INFLATE_ALLOWANCE = 16 * 1024 * 1024;
/** Never more than this many times the import size limit, whatever the ratio allows. */
export const MAX_INFLATE_FACTOR = 10;

export const STORED = 0;
export const DEFLATED = 8;

/** Bytes a workbook of `fileSize` bytes may unpack to under an import limit of `maxBytes`. */
export function inflateLimit(fileSize: number, maxBytes: number): number {
  return Math.min(MAX_INFLATE_FACTOR * maxBytes, Math.max(MAX_INFLATE_RATIO * fileSize, MIN_INFLATE_ALLOWANCE));
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

function bomb(file: string, why: string): CamauditError {
  return new CamauditError('hostile_input', `${file}: ${why}; refused as a possible ZIP bomb`, { file });
}

export function assertEntryCount(file: string, count: number): void {
  if (count > MAX_ZIP_ENTRIES) throw bomb(file, `the archive holds ${count} parts, more than the ${MAX_ZIP_ENTRIES} a workbook may hold`);
}

/** Refuses before inflating anything when the directory itself admits to too much. */
export function assertDeclaredWithin(file: string, entries: readonly ZipEntry[], limit: number): void {
  const total = entries.reduce((sum, e) => sum + e.uncompressedSize, 0);
  if (total <= limit) return;
  const largest = entries.reduce((a, b) => (b.uncompressedSize > a.uncompressedSize ? b : a));
  throw bomb(
    file,
    `part "${largest.name}" unpacks to ${mb(largest.uncompressedSize)} and all parts to ${mb(total)}, above the ${mb(limit)} this workbook may unpack to`,
  );
}

/**
 * Inflates every part and hands its bytes to `onData`. A part is stopped as soon as it yields
 * more than its directory entry declares: with the declared sizes already within the limit, no
 * archive makes this (or the workbook reader after it) unpack more than the limit, whatever it
 * claims.
 */
export async function inflateWithin(
  file: string,
  entries: readonly ZipEntry[],
  onData: (entry: ZipEntry, chunk: Buffer) => void,
): Promise<void> {
  for (const entry of entries) {
    if (entry.method !== STORED && entry.method !== DEFLATED) {
      throw new CamauditError('invalid_input', `${file} is not a readable XLSX workbook: part "${entry.name}" uses compression method ${entry.method}`, { file });
    }
    if (entry.compressedSize === 0) continue;
    let produced = 0;
    // Kept aside: the pipeline reports its own abort rather than the error that stopped it.
    let refused: CamauditError | null = null;
    const sink = async (data: AsyncIterable<Buffer>) => {
      for await (const chunk of data) {
        produced += chunk.length;
        if (produced > entry.uncompressedSize) {
          refused = bomb(file, `part "${entry.name}" unpacks to more than the ${entry.uncompressedSize} bytes its directory entry declares`);
          throw refused;
        }
        onData(entry, chunk);
      }
    };
    const raw = createReadStream(file, { start: entry.dataOffset, end: entry.dataOffset + entry.compressedSize - 1 });
    try {
      if (entry.method === DEFLATED) await pipeline(raw, createInflateRaw(), sink);
      else await pipeline(raw, sink);
    } catch (cause) {
      if (refused) throw refused;
      throw new CamauditError('invalid_input', `${file} is not a readable XLSX workbook: part "${entry.name}": ${(cause as Error).message}`, { file }, { cause });
    }
  }
}
