import { CamauditError } from '../errors.js';
import { fieldForHeader, isImportField, normaliseHeader, type ImportField } from './fields.js';

/** Which column feeds which field; columns not mapped become custom fields. */
export interface ColumnMapping {
  /** Column index → field. */
  fields: ReadonlyMap<number, ImportField>;
  /** Column index → custom field name, for every column that is neither mapped nor empty. */
  custom: ReadonlyMap<number, string>;
  /**
   * Forms that repeat a block of columns per device (one wide row with "sensor 1 … sensor 5")
   * are read as one record per block. Each block is a list of column indexes; columns before the
   * first block are shared by all blocks.
   */
  groups: readonly (readonly number[])[] | null;
  shared: readonly number[];
}

/** `--map "Kolom=field"` overrides, by header text (case- and accent-insensitive). */
export type MappingOverrides = ReadonlyMap<string, ImportField | 'ignore'>;

export function parseMapOption(specs: readonly string[]): MappingOverrides {
  const out = new Map<string, ImportField | 'ignore'>();
  for (const spec of specs) {
    const eq = spec.lastIndexOf('=');
    if (eq <= 0) throw new CamauditError('usage', `--map "${spec}": expected "Column=field"`);
    const column = spec.slice(0, eq).trim();
    const field = spec.slice(eq + 1).trim();
    if (field !== 'ignore' && !isImportField(field)) {
      throw new CamauditError('usage', `--map "${spec}": unknown field "${field}"`);
    }
    out.set(normaliseHeader(column), field);
  }
  return out;
}

// A mapped field that occurs more than once marks a repeated block, except for fields that forms
// legitimately repeat within one record (an organisation's postcode and the device's postcode).
const GROUP_MARKERS: readonly ImportField[] = ['kind', 'brand', 'model', 'serial', 'mac'];

export function detectMapping(headers: readonly string[], overrides: MappingOverrides = new Map()): ColumnMapping {
  const resolved: (ImportField | undefined)[] = headers.map((h) => {
    const override = overrides.get(normaliseHeader(h));
    if (override === 'ignore') return undefined;
    return override ?? fieldForHeader(h);
  });
  const ignored = new Set(headers.flatMap((h, i) => (overrides.get(normaliseHeader(h)) === 'ignore' ? [i] : [])));

  // A form repeats the same question ("Kies soort / type sensor" five times); a register that has
  // both a "Type" and a "Model" column does not.
  const marker = GROUP_MARKERS.find((f) => {
    const names = headers.filter((_, i) => resolved[i] === f).map(normaliseHeader);
    return names.length > 1 && names.every((n) => n === names[0]);
  });
  let groups: number[][] | null = null;
  let shared: number[] = [];
  if (marker) {
    const markerName = normaliseHeader(headers[resolved.indexOf(marker)]!);
    const starts = resolved.flatMap((r, i) => (r === marker && normaliseHeader(headers[i]!) === markerName ? [i] : []));
    groups = starts.map((start, k) => range(start, starts[k + 1] ?? headers.length));
    shared = range(0, starts[0]!);
  }

  const fields = new Map<number, ImportField>();
  const custom = new Map<number, string>();
  const seenInScope = new Map<string, number>();
  headers.forEach((header, i) => {
    if (ignored.has(i)) return;
    const field = resolved[i];
    const inShared = groups !== null && i < (groups[0]?.[0] ?? 0);
    // In a repeated form the shared columns describe the submitter, not the device: only the
    // reference is taken from them, the rest is kept as custom data.
    if (field && !(inShared && field !== 'externalRef')) {
      const scope = `${groups ? groupIndexOf(groups, i) : 0}:${field}`;
      if (!seenInScope.has(scope)) {
        seenInScope.set(scope, i);
        fields.set(i, field);
        return;
      }
    }
    if (header.trim() === '') return;
    // Two columns with one name both keep their values: the second becomes "Name (2)".
    let name = header.trim();
    for (let n = 2; [...custom.values()].includes(name); n++) name = `${header.trim()} (${n})`;
    custom.set(i, name);
  });
  return { fields, custom, groups, shared };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, k) => from + k);
}

function groupIndexOf(groups: readonly (readonly number[])[], column: number): number {
  const g = groups.findIndex((cols) => cols.includes(column));
  return g === -1 ? -1 : g;
}

/** Fields that say something about a device; a header with fewer than two is not a register. */
const DEVICE_EVIDENCE: readonly ImportField[] = [
  'externalRef', 'kind', 'brand', 'manufacturer', 'model', 'serial', 'mac', 'ip', 'site', 'lat', 'lon', 'x', 'y', 'id',
];

export function assertLooksLikeRegister(mapping: ColumnMapping, headers: readonly string[], file: string): void {
  const found = new Set([...mapping.fields.values()].filter((f) => DEVICE_EVIDENCE.includes(f)));
  if (found.size < 2) {
    const shown = headers.filter((h) => h.trim() !== '').slice(0, 8).map((h) => `"${h}"`).join(', ');
    throw new CamauditError(
      'invalid_input',
      `no device columns recognised in the header row (${shown || 'empty'}); ` +
        'expected at least two of reference, brand, model, serial, MAC, IP, site or coordinates — use --map "Column=field"',
      { file, row: 1 },
    );
  }
}
