// Firmware versions and the affected model families and firmware ranges of the KB's vulnerability
// records. The KB keeps each record's range as the advisory wrote it (`affected.as_given`), so this
// module reads that text once per KB: it finds each named family in the text, takes the first
// range expression after it, and compiles the family into a model pattern. A record whose range
// cannot be read still matches on its families, and says so, so that a person checks the firmware.
import type { Vulnerability } from '../../kb/schema.js';

/** A device's firmware as far as it can be read: version numbers and the build date, if shown. */
export interface Firmware {
  /** Empty when the text shows no number that is recognisably a version (`IPC_R6`): such firmware cannot be placed in a version range. */
  numbers: readonly number[];
  /** ISO date of the build, from `build 160530` (Hikvision) or `Build Date: 2021-03-15` (Dahua). */
  build: string | null;
}

export interface VersionBound {
  numbers: readonly number[];
  build: string | null;
  inclusive: boolean;
  /** `V2.X`: only the leading numbers count. */
  prefix: boolean;
}

export type AffectedRange =
  | { kind: 'versions'; from: VersionBound | null; to: VersionBound | null; text: string }
  | { kind: 'built_before'; date: string; text: string };

export interface AffectedFamily {
  /** The family as the KB names it: `DS-2CD2xx2F-I`, `IPC-HX3XXX`. */
  family: string;
  pattern: RegExp;
  /** Characters of a model the family fixes; among matching families, the most specific decides the range. */
  specificity: number;
  /** null: the record's text gives no range this module can read for the family. */
  range: AffectedRange | null;
  /** How the range was read when the text leaves room for doubt. */
  note: string | null;
}

export interface AffectedModels {
  id: string;
  families: readonly AffectedFamily[];
  /** `none` also covers records that name no families at all (they never match a model). */
  ranges: 'all' | 'some' | 'none';
}

// --- device firmware ---------------------------------------------------------------------------

// `build` may touch the version (`V4.30.096build221220`); Dahua writes `Build Date: 2021-03-15`.
const BUILD = /build(?:\s*(?:date|time))?\s*[:=]?\s*(\d{4}-\d{2}-\d{2}|\d{8}|\d{6})(?!\d)/i;
const ISO_DATE = /(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)/;
// A version is dotted (`5.3.0`; `V2.3.8-8` has a dash-separated last component; Dahua adds letters
// after the numbers, `.R`) or a V-prefixed number (`V5`). A bare number is not taken for one: in
// `IPC_R6 V5.3.0` it is part of a product name, and reading it as version 6 would place the
// firmware far outside the range it is in.
const DOTTED = /(?<![\d.])(\d+(?:\.\d+)+(?:-\d+)?)/;
const V_NUMBER = /(?<![A-Za-z0-9_])V(\d+)(?![\d.])/i;

/**
 * Reads a firmware text; null when the text holds no digit at all (`onbekend`, `unknown`, `n/a`,
 * `-`): a placeholder, not a version. Text with digits but no recognisable version or build date
 * gives a firmware without numbers, which no version range can place.
 */
export function parseFirmware(text: string): Firmware | null {
  if (!/\d/.test(text)) return null;
  const buildMatch = BUILD.exec(text);
  const build = buildMatch ? buildDate(buildMatch[1]!) : isoDate(ISO_DATE.exec(text)?.[1]);
  const rest = buildMatch ? text.slice(0, buildMatch.index) + text.slice(buildMatch.index + buildMatch[0].length) : text;
  const withoutDate = build && !buildMatch ? rest.replace(ISO_DATE, ' ') : rest;
  const version = DOTTED.exec(withoutDate)?.[1] ?? V_NUMBER.exec(withoutDate)?.[1];
  return { numbers: version?.split(/[.-]/).map(Number) ?? [], build };
}

/** `160530` (YYMMDD, Hikvision), `20160530` or `2016-05-30` → `2016-05-30`; null when not a date. */
function buildDate(digits: string): string | null {
  const d = digits.replaceAll('-', '');
  return d.length === 6 ? isoDate(`20${d.slice(0, 2)}-${d.slice(2, 4)}-${d.slice(4, 6)}`) : isoDate(`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`);
}

function isoDate(text: string | undefined): string | null {
  if (text === undefined) return null;
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31 ? text : null;
}

// --- ranges in the advisory text -----------------------------------------------------------------

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const VER = String.raw`V?\d+(?:\.(?:\d+|X))*(?:-\d+)?(?:\s*build\s*\d{6,8})?`;
const DATE = String.raw`\d{4}-\d{2}-\d{2}|(?:\d{1,2}\s+)?(?:${MONTHS.join('|')})\s+\d{4}`;

type RangeReader = { re: RegExp; read: (m: RegExpExecArray) => AffectedRange | null };

const bound = (text: string, inclusive: boolean): VersionBound | null => {
  const prefix = /\.X\b/i.test(text);
  const fw = parseFirmware(prefix ? text.replace(/\.X\b.*$/i, '') : text);
  return fw && fw.numbers.length > 0 ? { numbers: fw.numbers, build: fw.build, inclusive, prefix } : null;
};
const versions = (text: string, from: VersionBound | null, to: VersionBound | null): AffectedRange | null =>
  from || to ? { kind: 'versions', from, to, text: text.trim() } : null;

// Tried together; the expression that starts first in the text wins, ties go to the earlier
// reader (so "before 16 April 2025" is a date, not version 16).
const READERS: readonly RangeReader[] = [
  { re: new RegExp(`from\\s+(${VER})\\s+to\\s+before\\s+(${VER})`, 'i'), read: (m) => versions(m[0], bound(m[1]!, true), bound(m[2]!, false)) },
  { re: new RegExp(`(${VER})\\s+up\\s+to\\s+and\\s+including\\s+(${VER})`, 'i'), read: (m) => versions(m[0], bound(m[1]!, true), bound(m[2]!, true)) },
  { re: new RegExp(`(${VER})\\s+to\\s+(${VER})`, 'i'), read: (m) => versions(m[0], bound(m[1]!, true), bound(m[2]!, true)) },
  { re: new RegExp(`(${VER})\\s+and\\s+earlier`, 'i'), read: (m) => versions(m[0], null, bound(m[1]!, true)) },
  { re: new RegExp(`below\\s+(${VER})\\s*\\(including[^)]*\\)`, 'i'), read: (m) => versions(m[0], null, bound(m[1]!, true)) },
  { re: new RegExp(`before\\s+(${DATE})`, 'i'), read: (m) => builtBefore(m) },
  { re: new RegExp(`(?:below|before)\\s+(${VER})`, 'i'), read: (m) => versions(m[0], null, bound(m[1]!, false)) },
  { re: new RegExp(`through\\s+(${VER})`, 'i'), read: (m) => versions(m[0], null, bound(m[1]!, true)) },
];

function builtBefore(m: RegExpExecArray): AffectedRange | null {
  const text = m[1]!.toLowerCase();
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? isoDate(text) : null;
  if (iso) return { kind: 'built_before', date: iso, text: `build time ${m[0].trim()}` };
  const parts = /^(?:(\d{1,2})\s+)?([a-z]+)\s+(\d{4})$/.exec(text);
  if (!parts) return null;
  const month = String(MONTHS.indexOf(parts[2]!) + 1).padStart(2, '0');
  const day = (parts[1] ?? '1').padStart(2, '0');
  const date = isoDate(`${parts[3]}-${month}-${day}`);
  return date ? { kind: 'built_before', date, text: `build time ${m[0].trim()}` } : null;
}

/** The first range expression in the text and where it ends, or null. */
function firstRange(text: string): { range: AffectedRange; end: number } | null {
  let best: { at: number; end: number; range: AffectedRange } | null = null;
  for (const reader of READERS) {
    const m = reader.re.exec(text);
    if (!m || (best && m.index >= best.at)) continue;
    const range = reader.read(m);
    if (range) best = { at: m.index, end: m.index + m[0].length, range };
  }
  return best;
}

function rangeCount(text: string): number {
  let count = 0;
  for (let found = firstRange(text), rest = text; found; found = firstRange(rest)) {
    count++;
    rest = rest.slice(found.end);
  }
  return count;
}

// --- families ------------------------------------------------------------------------------------

const SAME_AS = /^Same\b[^(]*?\bas\s+(CVE-\d{4}-\d{4,})/i;
const ALNUM = /[A-Za-z0-9]/;

/**
 * A family name as a model pattern. Advisories write wildcards as `x` (Hikvision, always) or `X`
 * (Dahua); an upper-case X is a wildcard only next to a digit or another wildcard, or at the end,
 * so the literal X of `NXI` or `XVR` stays literal. Dahua names camera series without the
 * form-factor letters (`IPC-2XXX`) or with a wildcard for them (`IPC-HX3XXX`): both stand for
 * IPC-HFW2431S, IPC-HDBW3441E and the like. Hikvision lists sibling models with other last
 * digits after slashes (`DS-A71024/48/72R`: DS-A71024R, DS-A71048R, DS-A71072R); see
 * familyModels. Matching is on the start of the model.
 */
export function familyPattern(family: string): RegExp {
  return compileFamily(family).pattern;
}

/**
 * The family's pattern, and how many characters of a model it fixes: more is more specific. Of
 * the families of one record that fit a model, the most specific one's range applies
 * (DS-7604NI-M1/4P has its own range within DS-76xxNI-Mx).
 */
function compileFamily(family: string): { pattern: RegExp; specificity: number } {
  const models = familyModels(family).map(modelPattern);
  return { pattern: new RegExp(`^(?:${models.map((m) => m.source).join('|')})`), specificity: Math.min(...models.map((m) => m.literal)) };
}

// `DS-A71024/48/72R`: a digit run, other endings for its last digits, then a shared suffix.
const SIBLINGS = /^(.*?)(\d+)((?:\/\d+)+)(.*)$/;

/**
 * The models a family name stands for. A slash followed by digits shorter than the digit run
 * before it replaces that run's last digits; anything else with a slash is one model name
 * (`DS-3WF01C-2N/O`, and `DS-7604NI-K1/4P(B)`, where 1/4 counts drive bays and PoE ports).
 */
function familyModels(family: string): string[] {
  const m = SIBLINGS.exec(family);
  if (!m) return [family];
  const [, head, digits, endings, tail] = m as unknown as [string, string, string, string, string];
  const others = endings.slice(1).split('/');
  if (others.some((e) => e.length >= digits.length)) return [family];
  return [digits, ...others.map((e) => digits.slice(0, digits.length - e.length) + e)].map((d) => `${head}${d}${tail}`);
}

function modelPattern(model: string): { source: string; literal: number } {
  let source = '';
  let literal = 0;
  let i = 0;
  const head = /^IPC-HX(?=\d)/i.exec(model) ?? /^IPC-(?=\d)/i.exec(model);
  if (head) {
    source = head[0].length === 6 ? 'IPC-H[A-Z]+' : 'IPC-[A-Z]*';
    literal = head[0].length === 6 ? 5 : 4;
    i = head[0].length;
  }
  for (; i < model.length; i++) {
    if (isWildcard(model, i)) {
      source += '[A-Z0-9]';
    } else {
      source += model[i]!.toUpperCase().replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      literal++;
    }
  }
  return { source, literal };
}

function isWildcard(family: string, i: number): boolean {
  const c = family[i];
  if (c === 'x') return true;
  if (c !== 'X') return false;
  const near = (j: number) => j >= 0 && j < family.length && /[0-9xX]/.test(family[j]!);
  const last = i === family.length - 1 || !ALNUM.test(family[i + 1]!);
  return near(i - 1) || near(i + 1) || last;
}

/** Upper case, without Dahua's regional prefix (`DHI-NVR4108HS` is the NVR4108HS). */
export function normaliseModel(model: string): string {
  return model.trim().toUpperCase().replace(/^DHI?-/, '');
}

/** Where the family is named in the text as a whole word, or -1. */
function findFamily(text: string, family: string): number {
  for (let at = text.indexOf(family); at >= 0; at = text.indexOf(family, at + 1)) {
    const before = text[at - 1];
    const after = text[at + family.length];
    const wordBefore = before !== undefined && /[A-Za-z0-9-]/.test(before);
    const wordAfter = after !== undefined && /[A-Za-z0-9\-/]/.test(after);
    if (!wordBefore && !wordAfter) return at;
  }
  return -1;
}

type Ranged = { range: AffectedRange | null; note: string | null };

/** Each family's range as the text gives it; see the module comment. */
function readRanges(id: string, families: readonly string[], text: string): Map<string, Ranged> {
  const out = new Map<string, Ranged>();
  const located = families.map((family) => ({ family, at: findFamily(text, family) })).filter((f) => f.at >= 0).sort((a, b) => a.at - b.at);
  const clauses = located.map((f, i) => text.slice(f.at + f.family.length, located[i + 1]?.at ?? text.length));
  // A range written once after a list of families applies to the whole list ("IPC-HX3XXX,
  // IPC-HX5XXX - build time before June 2021"): carry it back to the families before it.
  let carried: AffectedRange | null = null;
  let crossed = false;
  for (let i = located.length - 1; i >= 0; i--) {
    const own = firstRange(clauses[i]!)?.range ?? null;
    const family = located[i]!.family;
    if (own) {
      carried = own;
      crossed = false;
      out.set(family, { range: own, note: null });
      continue;
    }
    if (clauses[i]!.includes(';')) crossed = true;
    const note = carried && crossed ? `${id} gives "${carried.text}" once for several groups of models; it is read as applying to ${family} too` : null;
    out.set(family, { range: carried, note });
  }
  // A family the text does not spell out takes the text's only range, if it has exactly one.
  const only = rangeCount(text) === 1 ? (firstRange(text)?.range ?? null) : null;
  for (const family of families) if (!out.has(family)) out.set(family, { range: only, note: null });
  return out;
}

/**
 * The affected families of every record, with their ranges. A record that says it has the same
 * ranges as another (`Same series and build ranges as CVE-2017-7921`) takes that record's ranges.
 */
export function parseAffected(records: readonly Vulnerability[]): Map<string, AffectedModels> {
  const byId = new Map(records.map((r) => [r.id, r]));
  const out = new Map<string, AffectedModels>();
  for (const record of records) {
    const { families, as_given: text } = record.affected;
    const target = SAME_AS.exec(text)?.[1];
    const source = target !== undefined ? byId.get(target) : undefined;
    const ranges = source && !SAME_AS.test(source.affected.as_given)
      ? readRanges(source.id, source.affected.families, source.affected.as_given)
      : readRanges(record.id, families, text);
    const parsed: AffectedFamily[] = families.map((family) => {
      const r = ranges.get(family) ?? { range: null, note: null };
      return { family, ...compileFamily(family), range: r.range, note: r.note };
    });
    const withRange = parsed.filter((f) => f.range !== null).length;
    out.set(record.id, { id: record.id, families: parsed, ranges: withRange === 0 ? 'none' : withRange === parsed.length ? 'all' : 'some' });
  }
  return out;
}

/** The most specific family whose pattern matches the (normalised) model, or null; ties go to the KB's order. */
export function matchFamily(affected: AffectedModels, model: string): AffectedFamily | null {
  let best: AffectedFamily | null = null;
  for (const f of affected.families) {
    if (f.pattern.test(model) && (best === null || f.specificity > best.specificity)) best = f;
  }
  return best;
}

// --- comparing ----------------------------------------------------------------------------------

/**
 * The firmware against a bound: negative below, 0 equal, positive above; null when the version
 * numbers equal the bound's and only the bound names a build, so the firmware may be on either
 * side of it (`V5.4.0` against `V5.4.0 build 160530`).
 */
function compare(fw: Firmware, b: VersionBound): number | null {
  const n = b.prefix ? b.numbers.length : Math.max(fw.numbers.length, b.numbers.length);
  for (let i = 0; i < n; i++) {
    const d = (fw.numbers[i] ?? 0) - (b.numbers[i] ?? 0);
    if (d !== 0) return d;
  }
  if (b.prefix || b.build === null) return 0;
  if (fw.build === null) return null;
  return fw.build < b.build ? -1 : fw.build > b.build ? 1 : 0;
}

/** Whether the firmware falls in the range; null when the firmware cannot be placed in it. */
export function rangeContains(range: AffectedRange, fw: Firmware): boolean | null {
  if (range.kind === 'built_before') return fw.build === null ? null : fw.build < range.date;
  if (fw.numbers.length === 0) return null;
  // Outside one bound is outside the range, even when the other bound cannot be decided.
  let undecided = false;
  if (range.from) {
    const c = compare(fw, range.from);
    if (c === null) undecided = true;
    else if (c < 0 || (c === 0 && !range.from.inclusive)) return false;
  }
  if (range.to) {
    const c = compare(fw, range.to);
    if (c === null) undecided = true;
    else if (c > 0 || (c === 0 && !range.to.inclusive)) return false;
  }
  return undecided ? null : true;
}
