import { CamauditError } from '../core/errors.js';
import {
  OuiTsvRowSchema,
  type OuiTsvRow,
  type PrefixRow,
  type Registry,
  type Source,
} from './schema.js';
import { formatIssue } from './issues.js';

// oui.tsv is kept byte-for-byte as the reference ships it, so its corporate-group names are mapped
// to vendor ids here rather than rewritten in the file.

/** oui.tsv `group` values and the vendor ids they stand for. Other names fall back to a slug. */
export const OUI_GROUP_VENDORS: Readonly<Record<string, string>> = Object.freeze({
  Hikvision: 'hikvision',
  Dahua: 'dahua',
  Huawei: 'huawei',
  ZTE: 'zte',
  Hytera: 'hytera',
  Uniview: 'uniview',
});

/**
 * A relation that starts with "former" (Honor Device, Huawei Symantec, Lorex) is history: the
 * registrant no longer belongs to the group, so a match must not be attributed to it by default.
 * The group stays visible as `group_vendor`, with the relation and confidence.
 */
export function isFormerRelation(relation: string): boolean {
  return /^former\b/i.test(relation.trim());
}

export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export function groupVendor(group: string): string {
  return OUI_GROUP_VENDORS[group] ?? slugify(group);
}

/** Registry for a prefix of `digits` hex digits, or null when no IEEE block has that length. */
export function registryForDigits(digits: number): Registry | null {
  if (digits === 6) return 'MA-L';
  if (digits === 7) return 'MA-M';
  if (digits === 9) return 'MA-S';
  return null;
}

/** Hex digits only, upper case; null when the text holds anything but hex and separators. */
export function hexDigits(text: string): string | null {
  const hex = text.replace(/[:\-.\s]/g, '').toUpperCase();
  return /^[0-9A-F]*$/.test(hex) ? hex : null;
}

/** `AABBCCD` → `AA:BB:CC:D`, the spelling oui.tsv uses. */
export function colonPrefix(hex: string): string {
  return (hex.match(/.{1,2}/g) ?? []).join(':');
}

const COLUMNS = Object.keys(OuiTsvRowSchema.shape) as (keyof OuiTsvRow)[];

/** Parse oui.tsv: `#` comment lines, one header line, then tab-separated rows. */
export function parseOuiTsv(text: string, label: string): PrefixRow[] {
  const rows: PrefixRow[] = [];
  // 2,778 rows share one source string; share one frozen source list too.
  const sourceLists = new Map<string, Source[]>();
  let header: string[] | null = null;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '' || line.startsWith('#')) continue;
    const cells = line.split('\t');
    const lineNo = i + 1;
    if (!header) {
      header = cells;
      const missing = COLUMNS.filter((c) => !header?.includes(c));
      if (missing.length > 0) {
        throw new CamauditError('invalid_input', `${label}: line ${lineNo}: header lacks column(s) ${missing.join(', ')}`, {
          file: label,
          row: lineNo,
        });
      }
      continue;
    }
    const raw: Record<string, string> = {};
    header.forEach((name, col) => {
      raw[name] = cells[col] ?? '';
    });
    const parsed = OuiTsvRowSchema.safeParse(raw);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new CamauditError('invalid_input', `${label}: line ${lineNo} (${raw.prefix ?? '?'}): ${formatIssue(first)}`, {
        file: label,
        row: lineNo,
      });
    }
    rows.push(toPrefixRow(parsed.data, sourceLists));
  }
  return rows;
}

function toPrefixRow(row: OuiTsvRow, sourceLists: Map<string, Source[]>): PrefixRow {
  let sources = sourceLists.get(row.source);
  if (!sources) {
    sources = Object.freeze([Object.freeze({ ref: row.source, type: 'primary' })]) as Source[];
    sourceLists.set(row.source, sources);
  }
  const group = groupVendor(row.group);
  return {
    prefix: row.prefix,
    hex: row.prefix_hex,
    registry: row.registry,
    bits: row.prefix_bits,
    group_vendor: group,
    vendor: isFormerRelation(row.relation) ? null : group,
    relation: row.relation,
    confidence: row.confidence,
    org_name: row.registry_org_name,
    address: row.registry_address || null,
    country: row.registry_country || null,
    note: row.note.trim() || null,
    sources,
    origin: 'kb',
  };
}
