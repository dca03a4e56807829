// The parts inside an XLSX (ZIP) file, read from its central directory. A workbook can be
// streamed only when the workbook and shared-strings parts come before the sheets, and when no
// sheet merges cells (a streamed sheet meets its merge list only after its rows).
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInflateRaw } from 'node:zlib';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;

export interface ZipEntry {
  name: string;
  /** Where the entry's local header starts. */
  offset: number;
  method: number;
  compressedSize: number;
}

/** Entries in the order their data lies in the file. */
export async function zipEntries(file: string): Promise<ZipEntry[]> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const tailLength = Math.min(size, 65557);
    const tail = Buffer.alloc(tailLength);
    await handle.read(tail, 0, tailLength, size - tailLength);
    let eocd = -1;
    for (let i = tailLength - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === EOCD) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) return [];
    const count = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    const cd = Buffer.alloc(cdSize);
    await handle.read(cd, 0, cdSize, cdOffset);
    const entries: ZipEntry[] = [];
    let p = 0;
    for (let n = 0; n < count && p + 46 <= cd.length && cd.readUInt32LE(p) === CENTRAL; n++) {
      const nameLength = cd.readUInt16LE(p + 28);
      const extraLength = cd.readUInt16LE(p + 30);
      const commentLength = cd.readUInt16LE(p + 32);
      entries.push({
        name: cd.toString('utf8', p + 46, p + 46 + nameLength),
        method: cd.readUInt16LE(p + 10),
        compressedSize: cd.readUInt32LE(p + 20),
        offset: cd.readUInt32LE(p + 42),
      });
      p += 46 + nameLength + extraLength + commentLength;
    }
    return entries.sort((a, b) => a.offset - b.offset);
  } finally {
    await handle.close();
  }
}

/** True when a streaming reader meets the workbook and shared strings before any sheet. */
export function streamable(order: readonly string[]): boolean {
  const firstSheet = order.findIndex((n) => n.startsWith('xl/worksheets/'));
  if (firstSheet < 0) return false;
  const before = (name: string) => {
    const i = order.indexOf(name);
    return i === -1 || i < firstSheet;
  };
  return order.includes('xl/workbook.xml') && before('xl/workbook.xml') && before('xl/sharedStrings.xml');
}

/** Whether a sheet's XML declares merged cells; decompressed as a stream, nothing kept. */
async function mergesCells(file: string, entry: ZipEntry): Promise<boolean> {
  const handle = await open(file, 'r');
  const header = Buffer.alloc(30);
  try {
    await handle.read(header, 0, 30, entry.offset);
  } finally {
    await handle.close();
  }
  const start = entry.offset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  const raw = createReadStream(file, { start, end: start + entry.compressedSize - 1 });
  const data = entry.method === 8 ? raw.pipe(createInflateRaw()) : raw;
  let carry = '';
  for await (const chunk of data) {
    const text = carry + (chunk as Buffer).toString('latin1');
    if (text.includes('<mergeCell ')) {
      raw.destroy();
      return true;
    }
    carry = text.slice(-16);
  }
  return false;
}

/** Whether the workbook can be streamed without losing rows or merged values. */
export async function canStream(file: string): Promise<boolean> {
  const entries = await zipEntries(file);
  if (!streamable(entries.map((e) => e.name))) return false;
  for (const entry of entries.filter((e) => e.name.startsWith('xl/worksheets/') && e.name.endsWith('.xml'))) {
    if (await mergesCells(file, entry)) return false;
  }
  return true;
}
