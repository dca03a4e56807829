// The parts inside an XLSX (ZIP) file, read from its central directory and checked against the
// unpacking limits. A workbook can be streamed only when the workbook and shared-strings parts
// come before the sheets, when no sheet merges cells (a streamed sheet meets its merge list only
// after its rows), and when walking the local headers from the start meets exactly the parts of
// the directory: the whole-file reader goes by the directory, the streaming one by the local
// headers, and only the directory's parts have been measured.
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { CamauditError } from '../core/errors.js';
import { assertDeclaredWithin, assertEntryCount, inflateLimit, inflateWithin } from './zip-limits.js';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const DESCRIPTOR = 0x08074b50;
const ZIP64_EXTRA = 0x0001;
const SATURATED_16 = 0xffff;
const SATURATED_32 = 0xffffffff;
/** Bit 3: sizes follow the data in a descriptor. */
const HAS_DESCRIPTOR = 0x08;
/** A descriptor as the streaming reader takes it: signature, CRC and two 32-bit sizes. */
const DESCRIPTOR_LENGTH = 16;
const EOCD_LENGTH = 22;
const MAX_COMMENT = 0xffff;

export interface ZipEntry {
  name: string;
  /** Where the entry's local header starts. */
  offset: number;
  /** Where its compressed bytes start. */
  dataOffset: number;
  method: number;
  compressedSize: number;
  /** As the directory declares it; measured before the workbook is read. */
  uncompressedSize: number;
  /** The same part as its local header describes it. */
  local: {
    name: string;
    method: number;
    /** Null when the data ends at a descriptor signature rather than after a stated size. */
    compressedSize: number | null;
    /** For descriptor-ended data: whether the descriptor signature follows the directory's size. */
    descriptorAtEnd: boolean;
  };
}

export interface ZipDirectory {
  /** Entries in the order their data lies in the file. */
  entries: ZipEntry[];
  directoryOffset: number;
}

function unreadable(file: string, why: string): CamauditError {
  return new CamauditError('invalid_input', `${file} is not a readable XLSX workbook: ${why}`, { file });
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buf, 0, length, position);
  return buf.subarray(0, bytesRead);
}

/**
 * The ZIP64 extra field's body, if any. Two of them are refused: the directory reader keeps the
 * last, the streaming reader the first.
 */
function zip64Extra(extra: Buffer, file: string, name: string): Buffer | null {
  let found: Buffer | null = null;
  for (let p = 0; p + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(p);
    const length = extra.readUInt16LE(p + 2);
    if (id === ZIP64_EXTRA) {
      if (found) throw unreadable(file, `part "${name}" has two ZIP64 fields`);
      found = extra.subarray(p + 4, p + 4 + length);
    }
    p += 4 + length;
  }
  return found;
}

function wide(body: Buffer | null, at: number, file: string, name: string): number {
  if (!body || at + 8 > body.length) throw unreadable(file, `part "${name}" lacks its ZIP64 sizes`);
  return Number(body.readBigUInt64LE(at));
}

/** The directory's sizes and offset, the saturated ones from the ZIP64 field in the order they appear there. */
function directoryValues(values: readonly [number, number, number], extra: Buffer, file: string, name: string): [number, number, number] {
  let at = 0;
  const widen = (v: number) => {
    if (v !== SATURATED_32) return v;
    const value = wide(zip64Extra(extra, file, name), at, file, name);
    at += 8;
    return value;
  };
  return [widen(values[0]), widen(values[1]), widen(values[2])];
}

async function endRecord(handle: FileHandle, file: string, size: number) {
  const tailStart = Math.max(0, size - EOCD_LENGTH - MAX_COMMENT);
  const tail = await readAt(handle, tailStart, size - tailStart);
  for (let i = tail.length - EOCD_LENGTH; i >= 0; i--) {
    if (tail.readUInt32LE(i) !== EOCD) continue;
    const disk = tail.readUInt16LE(i + 4);
    const directoryDisk = tail.readUInt16LE(i + 6);
    const count = tail.readUInt16LE(i + 10);
    const directorySize = tail.readUInt32LE(i + 12);
    const directoryOffset = tail.readUInt32LE(i + 16);
    assertEntryCount(file, count);
    if (count === SATURATED_16 || directorySize === SATURATED_32 || directoryOffset === SATURATED_32) {
      throw new CamauditError('unsupported', `${file} is a ZIP64 archive, larger than any workbook camaudit imports`, { file });
    }
    if (disk !== 0 || directoryDisk !== 0) throw unreadable(file, 'it spans several disks');
    // The two readers disagree on where the directory is when data sits before it or after it.
    if (directoryOffset + directorySize !== tailStart + i) throw unreadable(file, 'its central directory is not where its end record says');
    return { count, directorySize, directoryOffset };
  }
  throw unreadable(file, 'no ZIP end record');
}

async function localHeader(handle: FileHandle, file: string, entry: Omit<ZipEntry, 'dataOffset' | 'local'>, directoryOffset: number): Promise<ZipEntry> {
  const head = await readAt(handle, entry.offset, 30);
  if (entry.offset + 30 > directoryOffset || head.length < 30 || head.readUInt32LE(0) !== LOCAL) {
    throw unreadable(file, `part "${entry.name}" has no local header`);
  }
  const flags = head.readUInt16LE(6);
  const nameLength = head.readUInt16LE(26);
  const extraLength = head.readUInt16LE(28);
  const rest = await readAt(handle, entry.offset + 30, nameLength + extraLength);
  const dataOffset = entry.offset + 30 + nameLength + extraLength;
  if (dataOffset + entry.compressedSize > directoryOffset) throw unreadable(file, `part "${entry.name}" runs into the central directory`);
  // A local ZIP64 field holds both sizes, and the streaming reader takes the compressed one from
  // its second place whichever were saturated.
  const short = head.readUInt32LE(18);
  const stated = short === SATURATED_32 ? wide(zip64Extra(rest.subarray(nameLength), file, entry.name), 8, file, entry.name) : short;
  const untilDescriptor = (flags & HAS_DESCRIPTOR) !== 0 && stated === 0;
  const end = untilDescriptor ? await readAt(handle, dataOffset + entry.compressedSize, 4) : null;
  return {
    ...entry,
    dataOffset,
    local: {
      name: rest.toString('utf8', 0, nameLength),
      method: head.readUInt16LE(8),
      compressedSize: untilDescriptor ? null : stated,
      descriptorAtEnd: end !== null && end.length === 4 && end.readUInt32LE(0) === DESCRIPTOR,
    },
  };
}

/** The archive's parts by its central directory, each with its local header; at most MAX_ZIP_ENTRIES. */
export async function zipDirectory(file: string): Promise<ZipDirectory> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const { count, directorySize, directoryOffset } = await endRecord(handle, file, size);
    const cd = await readAt(handle, directoryOffset, directorySize);
    const entries: ZipEntry[] = [];
    let p = 0;
    for (let n = 0; n < count; n++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL) throw unreadable(file, 'its central directory is cut short');
      const nameLength = cd.readUInt16LE(p + 28);
      const extraLength = cd.readUInt16LE(p + 30);
      const commentLength = cd.readUInt16LE(p + 32);
      const name = cd.toString('utf8', p + 46, p + 46 + nameLength);
      const extra = cd.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength);
      const [uncompressedSize, compressedSize, offset] = directoryValues([cd.readUInt32LE(p + 24), cd.readUInt32LE(p + 20), cd.readUInt32LE(p + 42)], extra, file, name);
      entries.push(await localHeader(handle, file, { name, method: cd.readUInt16LE(p + 10), compressedSize, uncompressedSize, offset }, directoryOffset));
      p += 46 + nameLength + extraLength + commentLength;
    }
    if (p !== cd.length) throw unreadable(file, 'its central directory holds more than its end record counts');
    return { entries: entries.sort((a, b) => a.offset - b.offset), directoryOffset };
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

/**
 * Whether walking the local headers from the first byte meets the directory's parts one after
 * another, each with the same name, method and extent, and nothing else before the directory.
 * `signatureInside` holds the descriptor-ended parts whose data contains a descriptor signature:
 * a streaming reader would end those early and read on from inside them.
 */
export function walksAsDirectory(directory: ZipDirectory, signatureInside: ReadonlySet<ZipEntry>): boolean {
  let at = 0;
  for (const entry of directory.entries) {
    const { local } = entry;
    if (entry.offset !== at || local.name !== entry.name || local.method !== entry.method) return false;
    const end = entry.dataOffset + entry.compressedSize;
    if (local.compressedSize === null) {
      if (!local.descriptorAtEnd || signatureInside.has(entry)) return false;
      at = end + DESCRIPTOR_LENGTH;
    } else {
      if (local.compressedSize !== entry.compressedSize) return false;
      at = end;
    }
  }
  return at === directory.directoryOffset;
}

/** Whether a part's raw (compressed) bytes contain a descriptor signature. */
async function holdsDescriptorSignature(file: string, entry: ZipEntry): Promise<boolean> {
  if (entry.compressedSize === 0) return false;
  const signature = Buffer.alloc(4);
  signature.writeUInt32LE(DESCRIPTOR);
  let carry = Buffer.alloc(0);
  for await (const chunk of createReadStream(file, { start: entry.dataOffset, end: entry.dataOffset + entry.compressedSize - 1 })) {
    const joined = Buffer.concat([carry, chunk as Buffer]);
    if (joined.includes(signature)) return true;
    carry = joined.subarray(-3);
  }
  return false;
}

const isSheet = (name: string) => name.startsWith('xl/worksheets/') && name.endsWith('.xml');

/** Spots `<mergeCell ` in a sheet's XML as it passes, across chunk boundaries. */
function mergeSpotter() {
  let carry = '';
  let found = false;
  return {
    feed(chunk: Buffer) {
      if (found) return;
      const text = carry + chunk.toString('latin1');
      found = text.includes('<mergeCell ');
      carry = text.slice(-16);
    },
    get found() {
      return found;
    },
  };
}

/**
 * Measures every part against the unpacking limits (throws `hostile_input` above them) and says
 * whether the workbook can be streamed without losing rows or merged values.
 */
export async function inspectWorkbook(file: string, fileSize: number, maxBytes: number): Promise<{ streamable: boolean }> {
  const directory = await zipDirectory(file);
  const { entries } = directory;
  assertDeclaredWithin(file, entries, inflateLimit(fileSize, maxBytes));
  const spotters = new Map(entries.filter((e) => isSheet(e.name)).map((e) => [e, mergeSpotter()]));
  await inflateWithin(file, entries, (entry, chunk) => spotters.get(entry)?.feed(chunk));
  if (!streamable(entries.map((e) => e.name)) || [...spotters.values()].some((s) => s.found)) return { streamable: false };
  const signatureInside = new Set<ZipEntry>();
  for (const entry of entries.filter((e) => e.local.compressedSize === null)) {
    if (await holdsDescriptorSignature(file, entry)) signatureInside.add(entry);
  }
  return { streamable: walksAsDirectory(directory, signatureInside) };
}
