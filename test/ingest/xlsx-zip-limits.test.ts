// Workbooks that unpack far beyond their size are refused before the workbook reader inflates
// them, whatever their directory claims; honest workbooks still read, streamed when they can be.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CamauditError } from '../../src/core/errors.js';
import type { SourceRow } from '../../src/core/import/record.js';
import { openTable } from '../../src/ingest/open-table.js';
import { DEFAULT_MAX_BYTES } from '../../src/ingest/sniff.js';
import { inflateLimit, MAX_ZIP_ENTRIES } from '../../src/ingest/zip-limits.js';
import { walksAsDirectory, type ZipDirectory, type ZipEntry } from '../../src/ingest/zip-order.js';
import { sheetXml, workbookParts, zip, type Part } from './zip-builder.js';

const TMP = mkdtempSync(join(tmpdir(), 'camaudit-zip-'));
const MiB = 1024 * 1024;
const HEADER = ['merk', 'model', 'ip'];

function write(name: string, parts: readonly Part[]): string {
  const file = join(TMP, name);
  writeFileSync(file, zip(parts));
  return file;
}

/** The review's bomb: one cell of `mib` MiB of "A", the sheet packed before the workbook part. */
function bombParts(mib: number, declaredSize?: number): Part[] {
  const parts = workbookParts(sheetXml([HEADER, ['Axis', 'M3106', '10.0.0.1']], 'A'.repeat(mib * MiB)));
  const sheet = { ...parts.pop()!, ...(declaredSize === undefined ? {} : { declaredSize }) };
  return [parts[0]!, parts[1]!, sheet, ...parts.slice(2)];
}

async function refusal(file: string, maxBytes = DEFAULT_MAX_BYTES): Promise<CamauditError> {
  try {
    await openTable(file, { maxBytes });
  } catch (err) {
    return err as CamauditError;
  }
  throw new Error(`${file} was accepted`);
}

async function rows(file: string): Promise<SourceRow[]> {
  const table = await openTable(file, { maxBytes: DEFAULT_MAX_BYTES });
  const out: SourceRow[] = [];
  for await (const row of table.rows()) out.push(row);
  return out;
}

describe('XLSX unpacking limits', () => {
  it('allows 100 times the file size, at least 16 MB, never more than 10 times the import limit', () => {
    expect(inflateLimit(154_479, DEFAULT_MAX_BYTES)).toBe(16 * MiB);
    expect(inflateLimit(2 * MiB, DEFAULT_MAX_BYTES)).toBe(200 * MiB);
    expect(inflateLimit(40 * MiB, 64 * MiB)).toBe(640 * MiB);
    expect(inflateLimit(10_000, MiB)).toBe(10 * MiB);
  });

  it('refuses a workbook read whole whose sheet unpacks to 20 MB from a few KB, naming file and part', async () => {
    const file = write('bomb.xlsx', bombParts(20));
    const err = await refusal(file);
    expect(err.code).toBe('hostile_input');
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/part "xl\/worksheets\/sheet1\.xml" unpacks to 20\.0 MB .* above the 16\.0 MB this workbook may unpack to/);
  });

  it.each([
    ['read whole', bombParts(20, 1024)],
    ['streamed', workbookParts(sheetXml([HEADER, ['Axis', 'M3106', '10.0.0.1']], 'A'.repeat(20 * MiB))).map((p) => (p.name.includes('sheet1') ? { ...p, declaredSize: 1024 } : p))],
  ])('counts what a %s part really unpacks to, not what its directory declares', async (_, parts) => {
    const err = await refusal(write('liar.xlsx', parts));
    expect(err.code).toBe('hostile_input');
    expect(err.message).toMatch(/part "xl\/worksheets\/sheet1\.xml" unpacks to more than the 1024 bytes its directory entry declares/);
  });

  it('derives the limit from the import size limit', async () => {
    const file = write('two-mb.xlsx', bombParts(2));
    expect(await rows(file)).toHaveLength(1);
    const err = await refusal(file, 100 * 1024);
    expect(err.code).toBe('hostile_input');
    expect(err.message).toMatch(/above the 1\.0 MB this workbook may unpack to/);
  });

  it('refuses an archive of more parts than any workbook has', async () => {
    const filler = Array.from({ length: MAX_ZIP_ENTRIES - 4 }, (_, i) => ({ name: `xl/media/p${i}.xml`, content: '' }));
    const file = write('parts.xlsx', [...workbookParts(sheetXml([HEADER])), ...filler]);
    const err = await refusal(file);
    expect(err.code).toBe('hostile_input');
    expect(err.message).toMatch(new RegExp(`holds ${MAX_ZIP_ENTRIES + 1} parts, more than the ${MAX_ZIP_ENTRIES}`));
  });

  it('streams an honest workbook packed in Excel order', async () => {
    const file = write('honest.xlsx', workbookParts(sheetXml([HEADER, ['Axis', 'M3106', '10.0.0.1'], ['Bosch', 'FLEXIDOME', '10.0.0.2']])));
    const table = await openTable(file, { maxBytes: DEFAULT_MAX_BYTES });
    expect(table.notes.join(' ')).not.toMatch(/read whole/);
    expect((await rows(file)).map((r) => r.cells[0])).toEqual(['Axis', 'Bosch']);
  });

  it('reads by the directory when a local entry hides between the parts it lists', async () => {
    // The streaming reader walks local headers and would take the unlisted, unmeasured sheet.
    const parts = workbookParts(sheetXml([HEADER, ['Axis', 'M3106', '10.0.0.1']]));
    const hidden = { name: 'xl/worksheets/sheet1.xml', content: sheetXml([HEADER, ['Hidden', 'X', '10.9.9.9']]), hidden: true };
    const file = write('hidden.xlsx', [...parts.slice(0, -1), hidden, parts.at(-1)!]);
    const table = await openTable(file, { maxBytes: DEFAULT_MAX_BYTES });
    expect(table.notes.join(' ')).toMatch(/read whole/);
    expect((await rows(file)).map((r) => r.cells[0])).toEqual(['Axis']);
  });
});

describe('walking local headers as the directory lists them', () => {
  const entry = (name: string, offset: number, over: Partial<ZipEntry['local']> = {}): ZipEntry => ({
    name, offset, dataOffset: offset + 30 + name.length, method: 8, compressedSize: 10, uncompressedSize: 40,
    local: { name, method: 8, compressedSize: 10, descriptorAtEnd: false, ...over },
  });
  const dir = (...entries: ZipEntry[]): ZipDirectory => {
    const last = entries.at(-1)!;
    const end = last.dataOffset + last.compressedSize + (last.local.compressedSize === null ? 16 : 0);
    return { entries, directoryOffset: end };
  };
  const a = entry('a', 0);
  const next = a.dataOffset + 10;

  it('accepts parts laid end to end, descriptor-ended ones followed by their descriptor', () => {
    expect(walksAsDirectory(dir(a, entry('b', next)), new Set())).toBe(true);
    const ended = entry('a', 0, { compressedSize: null, descriptorAtEnd: true });
    expect(walksAsDirectory(dir(ended, entry('b', next + 16)), new Set())).toBe(true);
  });

  it('refuses gaps, renamed or re-methoded local headers, other sizes and early descriptor signatures', () => {
    expect(walksAsDirectory(dir(a, entry('b', next + 40)), new Set())).toBe(false);
    expect(walksAsDirectory(dir(a, entry('b', next, { name: 'c' })), new Set())).toBe(false);
    expect(walksAsDirectory(dir(a, entry('b', next, { method: 0 })), new Set())).toBe(false);
    expect(walksAsDirectory(dir(a, entry('b', next, { compressedSize: 9 })), new Set())).toBe(false);
    const ended = entry('a', 0, { compressedSize: null, descriptorAtEnd: true });
    expect(walksAsDirectory(dir(ended, entry('b', next + 16)), new Set([ended]))).toBe(false);
    expect(walksAsDirectory(dir({ ...ended, local: { ...ended.local, descriptorAtEnd: false } }, entry('b', next + 16)), new Set())).toBe(false);
  });
});
