// The order of the parts inside an XLSX (ZIP) file, read from its central directory. A workbook
// can be streamed only when the workbook and shared-strings parts come before the sheets.
import { open } from 'node:fs/promises';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;

/** Entry names in the order their data lies in the file. */
export async function zipEntryOrder(file: string): Promise<string[]> {
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
    const entries: { name: string; offset: number }[] = [];
    let p = 0;
    for (let n = 0; n < count && p + 46 <= cd.length && cd.readUInt32LE(p) === CENTRAL; n++) {
      const nameLength = cd.readUInt16LE(p + 28);
      const extraLength = cd.readUInt16LE(p + 30);
      const commentLength = cd.readUInt16LE(p + 32);
      const offset = cd.readUInt32LE(p + 42);
      entries.push({ name: cd.toString('utf8', p + 46, p + 46 + nameLength), offset });
      p += 46 + nameLength + extraLength + commentLength;
    }
    return entries.sort((a, b) => a.offset - b.offset).map((e) => e.name);
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
