// Parsers for single spreadsheet cells. Each returns the clean value or a reason that a person
// can act on; none of them guesses.
import ipaddr from 'ipaddr.js';
import type { Analytic, Connectivity, DeviceKind, DeviceStatus, RemoteAccess, SiteCategory } from '../model.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(reason: string): Parsed<T> => ({ ok: false, reason });

function key(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

function lookup<T extends string>(table: Record<string, T>, what: string, allowed: readonly string[]) {
  return (text: string): Parsed<T> => {
    const found = table[key(text)];
    return found ? ok(found) : fail(`unknown ${what} "${text}"; expected one of ${allowed.join(', ')}`);
  };
}

export const parseStatus = lookup<DeviceStatus>(
  {
    discovered: 'discovered', ontdekt: 'discovered', gevonden: 'discovered',
    active: 'active', actief: 'active', 'in gebruik': 'active', 'in bedrijf': 'active', operationeel: 'active',
    isolated: 'isolated', geisoleerd: 'isolated', afgeschermd: 'isolated',
    scheduled: 'scheduled', gepland: 'scheduled', 'vervanging gepland': 'scheduled', 'scheduled for replacement': 'scheduled',
    replaced: 'replaced', vervangen: 'replaced',
    decommissioned: 'decommissioned', 'buiten gebruik': 'decommissioned', 'uit bedrijf': 'decommissioned', inactief: 'decommissioned',
    disposed: 'disposed', afgevoerd: 'disposed', vernietigd: 'disposed', verwijderd: 'disposed',
  },
  'status',
  ['discovered', 'active', 'isolated', 'scheduled', 'replaced', 'decommissioned', 'disposed (or Dutch: actief, buiten gebruik …)'],
);

export const parseConnectivity = lookup<Connectivity>(
  {
    isolated: 'isolated', closed: 'isolated', gesloten: 'isolated', 'gesloten netwerk': 'isolated', geisoleerd: 'isolated',
    offline: 'isolated', 'stand alone': 'isolated', standalone: 'isolated', 'closed network': 'isolated',
    internal: 'internal', intern: 'internal', lan: 'internal', 'gemeentelijk netwerk': 'internal', kantoornetwerk: 'internal',
    'internal network': 'internal', 'intern netwerk': 'internal',
    internet_exposed: 'internet_exposed', 'internet exposed': 'internet_exposed', internet: 'internet_exposed',
    publiek: 'internet_exposed', 'vanaf internet bereikbaar': 'internet_exposed', 'internet facing': 'internet_exposed',
    unknown: 'unknown', onbekend: 'unknown',
  },
  'connectivity',
  ['isolated', 'internal', 'internet_exposed', 'unknown (or Dutch: gesloten, intern, internet, onbekend)'],
);

export const parseRemoteAccess = lookup<RemoteAccess>(
  {
    none: 'none', geen: 'none', nee: 'none', no: 'none', uit: 'none',
    vpn: 'vpn',
    vendor_cloud: 'vendor_cloud', 'vendor cloud': 'vendor_cloud', cloud: 'vendor_cloud', p2p: 'vendor_cloud',
    'hik connect': 'vendor_cloud', hikconnect: 'vendor_cloud', ezviz: 'vendor_cloud', dmss: 'vendor_cloud',
    imou: 'vendor_cloud', 'leverancierscloud': 'vendor_cloud', ja: 'vendor_cloud', yes: 'vendor_cloud',
  },
  'remote access',
  ['none', 'vpn', 'vendor_cloud (or: geen, cloud, P2P, Hik-Connect, DMSS, Imou)'],
);

export const parseSiteCategory = lookup<SiteCategory>(
  {
    public_space: 'public_space', 'public space': 'public_space', 'openbare ruimte': 'public_space', straat: 'public_space',
    parking_garage: 'parking_garage', 'parking garage': 'parking_garage', parkeergarage: 'parking_garage', garage: 'parking_garage',
    sports_facility: 'sports_facility', 'sports facility': 'sports_facility', sportaccommodatie: 'sports_facility',
    sporthal: 'sports_facility', zwembad: 'sports_facility', sportpark: 'sports_facility',
    office: 'office', kantoor: 'office', stadhuis: 'office', gemeentehuis: 'office',
    school: 'school', onderwijs: 'school',
    depot: 'depot', werf: 'depot', gemeentewerf: 'depot', milieustraat: 'depot',
    other: 'other', overig: 'other', anders: 'other',
  },
  'site category',
  ['public_space', 'parking_garage', 'sports_facility', 'office', 'school', 'depot', 'other'],
);

/** Device kinds; sensor registers hold more than cameras, so unknown kinds become `other`. */
export function parseKind(text: string): Parsed<DeviceKind> {
  const k = key(text);
  if (/\b(nvr|dvr|recorder|opname|videorecorder|xvr|hcvr)\b/.test(k)) return ok('recorder');
  if (/\b(encoder|videoserver|video server)\b/.test(k)) return ok('encoder');
  if (/\b(intercom|deurintercom|videofoon)\b/.test(k)) return ok('intercom');
  if (/(camera|cam\b|ipc\b|optisch|bewakingscamera|ptz|dome|bullet)/.test(k)) return ok('camera');
  return ok('other');
}

export function parseAnalytics(text: string): Parsed<Analytic[]> {
  const out = new Set<Analytic>();
  for (const part of text.split(/[,;/+|]| en | and /)) {
    const k = key(part);
    if (k === '') continue;
    if (/^(geen|none|nee|no|n a|uit)$/.test(k)) continue;
    if (/(gezicht|face)/.test(k)) out.add('face_recognition');
    else if (/(anpr|alpr|kenteken|license plate|licence plate|number plate)/.test(k)) out.add('anpr');
    else return fail(`unknown analytics "${part.trim()}"; expected face_recognition, anpr or none`);
  }
  return ok([...out].sort());
}

export function parseMac(text: string): Parsed<string> {
  const hex = text.trim().replace(/[:\-.\s]/g, '').toLowerCase();
  if (!/^[0-9a-f]{12}$/.test(hex)) return fail(`"${text}" is not a MAC address (expected 12 hex digits, e.g. 44:19:b6:01:02:03)`);
  return ok(hex.match(/../g)!.join(':'));
}

export function parseIp(text: string): Parsed<string> {
  const t = text.trim();
  if (!ipaddr.isValid(t)) return fail(`"${text}" is not an IP address`);
  const addr = ipaddr.parse(t);
  // IPv4-mapped IPv6 addresses are IPv4 devices; store them the way people write them.
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) {
    return ok((addr as ipaddr.IPv6).toIPv4Address().toString());
  }
  if (addr.kind() === 'ipv4' && !ipaddr.IPv4.isValidFourPartDecimal(t)) {
    return fail(`"${text}" is not a dotted-quad IPv4 address`);
  }
  return ok(addr.toString());
}

/**
 * References survive spreadsheet round-trips badly: a numeric reference comes back as
 * `7079-2296.0` or `12345.0`. Only that artefact is removed; `7079-2296.1` is a different key.
 */
export function normaliseReference(text: string): string {
  return text.trim().replace(/\.0+$/, '');
}

const DAY_UNITS: Record<string, number> = {
  d: 1, dag: 1, dagen: 1, day: 1, days: 1,
  w: 7, wk: 7, week: 7, weken: 7, weeks: 7,
  m: 30, mnd: 30, maand: 30, maanden: 30, month: 30, months: 30,
};
const HOUR_UNITS = new Set(['u', 'h', 'uur', 'uren', 'hour', 'hours']);

/** Retention in whole days; hours round up because footage is kept at least that long. */
export function parseRetention(text: string): Parsed<number> {
  const m = /^\s*(\d+(?:[.,]\d+)?)\s*([a-z]*)\.?\s*$/i.exec(text);
  if (!m) return fail(`"${text}" is not a retention period (e.g. 28, "28 dagen", "4 weken", "72 uur")`);
  const n = Number(m[1]!.replace(',', '.'));
  const unit = m[2]!.toLowerCase();
  if (unit === '' || unit in DAY_UNITS) {
    const days = n * (unit === '' ? 1 : DAY_UNITS[unit]!);
    if (!Number.isInteger(days)) return fail(`"${text}" is not a whole number of days`);
    return ok(days);
  }
  if (HOUR_UNITS.has(unit)) return ok(Math.ceil(n / 24));
  return fail(`"${text}": unknown unit "${m[2]}" (use dagen/days, weken/weeks, maanden/months or uur/hours)`);
}

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, mrt: 3, apr: 4, may: 5, mei: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, okt: 10, nov: 11, dec: 12,
};

// Excel's day zero is 1899-12-30 (its 1900 leap-year bug folded in).
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/** A date as `yyyy-mm-dd`. Accepts ISO, dd-mm-yyyy, dd/mm/yy, dd.mm.yyyy, 10/Nov/21, Excel serials. */
export function parseDate(input: string | number | Date): Parsed<string> {
  if (input instanceof Date) {
    return Number.isNaN(input.getTime()) ? fail('not a valid date') : ok(input.toISOString().slice(0, 10));
  }
  const text = String(input).trim();
  // Excel serials: numeric workbook cells, or five digits as text (from 1927 on). Four digits
  // are a year, which is not a date.
  if (typeof input === 'number' || /^\d{5}(\.\d+)?$/.test(text)) {
    const serial = Number(text);
    if (serial >= 1 && serial < 100000) {
      return ok(new Date(EXCEL_EPOCH_MS + Math.floor(serial) * 86400000).toISOString().slice(0, 10));
    }
  }
  if (/^\d{4}$/.test(text)) return fail(`"${text}" is a year, not a date (use yyyy-mm-dd, e.g. ${text}-01-01)`);
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  if (m) return ymd(+m[1]!, +m[2]!, +m[3]!, text);
  m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$/.exec(text);
  if (m) return ymd(fullYear(m[3]!), +m[2]!, +m[1]!, text);
  m = /^(\d{1,2})[-/ ]([a-z]{3})[a-z]*\.?[-/ ](\d{2}|\d{4})$/i.exec(text);
  if (m) {
    const month = MONTHS[m[2]!.toLowerCase()];
    if (month) return ymd(fullYear(m[3]!), month, +m[1]!, text);
  }
  return fail(`"${text}" is not a date (use yyyy-mm-dd, dd-mm-yyyy or dd/mm/yy)`);
}

function fullYear(y: string): number {
  if (y.length === 4) return +y;
  const n = +y;
  // Network cameras date from the 1990s on: 50–99 are the last century, 00–49 this one.
  return n < 50 ? 2000 + n : 1900 + n;
}

function ymd(y: number, m: number, d: number, text: string): Parsed<string> {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    return fail(`"${text}" is not a valid calendar date`);
  }
  return ok(date.toISOString().slice(0, 10));
}

/**
 * Exports neutralise cells that a spreadsheet would run as a formula by prefixing an apostrophe;
 * reading such a cell back removes it, so an export re-imports unchanged.
 */
export function unneutralise(text: string): string {
  return /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}

export function neutralise(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
