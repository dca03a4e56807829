// Deciding what a file is before reading it: by its first bytes, not only by its name.
import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { CamauditError } from '../core/errors.js';

export type FileFormat = 'csv' | 'xlsx' | 'geojson' | 'citygml';

export const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;

export async function readHead(file: string, bytes = 65536): Promise<Buffer> {
  const handle = await open(file, 'r').catch((cause: NodeJS.ErrnoException) => {
    throw new CamauditError(cause.code === 'ENOENT' ? 'not_found' : 'invalid_input', `cannot open ${file}: ${cause.message}`, { file }, { cause });
  });
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

export async function assertSize(file: string, maxBytes: number): Promise<number> {
  const { size } = await stat(file).catch((cause: NodeJS.ErrnoException) => {
    throw new CamauditError('not_found', `cannot read ${file}: ${cause.message}`, { file }, { cause });
  });
  if (size > maxBytes) {
    throw new CamauditError(
      'hostile_input',
      `${file} is ${mb(size)}, above the import limit of ${mb(maxBytes)} (raise it with --max-size)`,
      { file },
    );
  }
  return size;
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** Text files have no NUL bytes and few control characters. */
export function looksBinary(head: Buffer): boolean {
  if (head.length === 0) return false;
  let control = 0;
  for (const b of head) {
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  return control / head.length > 0.05;
}

export async function detectFormat(file: string): Promise<FileFormat> {
  const head = await readHead(file, 4096);
  const ext = extname(file).toLowerCase();
  if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return 'xlsx';
  if (head.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) {
    throw new CamauditError('invalid_input', `${file} is a legacy Excel 97-2003 (.xls) workbook; save it as .xlsx or CSV`, { file });
  }
  if (looksBinary(head)) {
    throw new CamauditError('hostile_input', `${file} holds binary data, not a CSV, XLSX, GeoJSON or CityGML file`, { file });
  }
  if (ext === '.xlsx') throw new CamauditError('invalid_input', `${file} is named .xlsx but is not a ZIP-based workbook`, { file });
  const text = head.toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('<')) return 'citygml';
  if (text.startsWith('{') || text.startsWith('[')) return 'geojson';
  return 'csv';
}
