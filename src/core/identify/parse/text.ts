// Free text from a register or a note: "Hikvision DS-2CD2386G2-IU", `brand=…, model=…` (also
// `merk: …; type: …` in Dutch registers), or a DHCP vendor class (`AXIS,Network Camera,P3343,5.20.3`).
// This is the weakest evidence there is, so the reader is strict about what counts as a label
// and drops lines that look like code, prose or tables.
import type { Signal } from '../signals.js';
import { atLeastOne, invalid, makeSignal, numbered } from './common.js';
import { normaliseMac } from './mac.js';

type Fields = Record<string, string | undefined>;

// Label keys, lower-cased, with the Dutch words registers use.
const KEYS: Readonly<Record<string, 'brand' | 'manufacturer' | 'model' | 'firmware'>> = {
  brand: 'brand', merk: 'brand', make: 'brand', label: 'brand',
  manufacturer: 'manufacturer', fabrikant: 'manufacturer', vendor: 'manufacturer', maker: 'manufacturer', leverancier: 'manufacturer',
  model: 'model', type: 'model', typenummer: 'model', product: 'model',
  firmware: 'firmware', fw: 'firmware', version: 'firmware', versie: 'firmware', software: 'firmware',
};

const PAIR = /^\s*([A-Za-z][\w -]*?)\s*[=:]\s*(.*?)\s*$/;

/** `key=value` / `key: value` pairs separated by commas, semicolons or newlines. */
function keyedFields(text: string): Fields | null {
  const pieces = text.split(/[\n;,]/).map((p) => p.trim()).filter((p) => p !== '');
  const fields: Fields = {};
  let keyed = 0;
  for (const piece of pieces) {
    // A label field is short; long runs of spaces make the pattern backtrack without end.
    if (piece.length > 300) continue;
    const m = PAIR.exec(piece);
    if (!m) continue;
    keyed++;
    const field = KEYS[(m[1] ?? '').toLowerCase()];
    if (field && fields[field] === undefined && m[2]) fields[field] = m[2];
  }
  return keyed > 0 && keyed >= pieces.length / 2 && Object.keys(fields).length > 0 ? fields : null;
}

// A label is a few word-like tokens: letters, digits and the punctuation model numbers use.
const LABEL = /^[\p{L}\p{N}][\p{L}\p{N} ._/()+&-]{0,119}$/u;

const VERSION = /^v?\d+(?:\.\d+)+[\w.-]*$/i;

/** `Vendor,Description…,Model,Version` as cameras send in DHCP option 60. */
function vendorClassFields(line: string): Fields | null {
  const parts = line.split(',').map((p) => p.trim());
  if (parts.length < 3 || parts.length > 6 || !parts.every((p) => LABEL.test(p))) return null;
  const last = parts[parts.length - 1] ?? '';
  const hasVersion = VERSION.test(last);
  const model = parts[parts.length - (hasVersion ? 2 : 1)];
  return { brand: parts[0], model, firmware: hasVersion ? last : undefined };
}

/** "Brand Model [firmware]": the first word names the maker unless it looks like a model. */
function labelFields(line: string): Fields | null {
  if (!LABEL.test(line)) return null;
  const words = line.split(/\s+/);
  if (words.length > 8) return null;
  const [head = '', ...rest] = words;
  if (rest.length === 0) return /\d/.test(head) ? { model: head } : { brand: head };
  const last = rest[rest.length - 1] ?? '';
  const firmware = rest.length > 1 && VERSION.test(last) ? last : undefined;
  return { brand: head, model: (firmware ? rest.slice(0, -1) : rest).join(' '), firmware };
}

/** Several lines with the same number of separators: a register table, not one device's label. */
function looksLikeTable(text: string): boolean {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  // One maker's DHCP vendor classes, one per line, describe one kind of device, not a table.
  const oneVendorClasses = lines.every((l) => vendorClassFields(l.trim()) !== null)
    && new Set(lines.map((l) => l.split(',')[0]!.trim().toLowerCase())).size === 1;
  if (lines.length < 2 || oneVendorClasses) return false;
  const counts = lines.map((l) => (l.match(/[;\t]|,(?! )/g) ?? []).length);
  return counts[0]! >= 2 && counts.every((c) => c === counts[0]);
}

export function parseText(text: string, source: string): Signal[] {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') throw invalid(source, 'empty text');
  // One identity per file: a table of devices would be merged into one verdict.
  if (looksLikeTable(trimmed)) throw invalid(source, 'this looks like a table of devices; import it with camaudit import (each row is identified)');
  const keyed = keyedFields(trimmed);
  if (keyed) return atLeastOne([makeSignal('text', keyed, source)], source, 'brand or model');
  // Comment lines and bare MACs (which the mac reader handles) are not labels.
  const lines = trimmed.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#') && !normaliseMac(l));
  return atLeastOne(
    lines.map((line, i) => {
      const fields = vendorClassFields(line) ?? labelFields(line);
      return fields ? makeSignal('text', fields, numbered(source, i, lines.length)) : null;
    }),
    source,
    'brand or model',
  );
}
