// MAC addresses arrive in every notation (SADP dashes, Cisco dots, bare hex, upper case). One
// form — lower-case, colon-separated — lets OUI lookup and comparison work on any of them.
import type { Signal } from '../signals.js';
import { invalid, makeSignal, numbered } from './common.js';

const SEPARATED = /^([0-9a-f]{1,2})([:-])([0-9a-f]{1,2})\2([0-9a-f]{1,2})\2([0-9a-f]{1,2})\2([0-9a-f]{1,2})\2([0-9a-f]{1,2})$/i;
const DOTTED = /^([0-9a-f]{4})\.([0-9a-f]{4})\.([0-9a-f]{4})$/i;
const BARE = /^[0-9a-f]{12}$/i;

/** `aa:bb:cc:dd:ee:ff` for any common notation of a MAC, or undefined if `value` is not one. */
export function normaliseMac(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  let hex: string | undefined;
  const separated = SEPARATED.exec(v);
  if (separated) {
    hex = [1, 3, 4, 5, 6, 7].map((i) => (separated[i] ?? '').padStart(2, '0')).join('');
  } else {
    const dotted = DOTTED.exec(v);
    if (dotted) hex = `${dotted[1]}${dotted[2]}${dotted[3]}`;
    else if (BARE.test(v)) hex = v;
  }
  return hex ? (hex.toLowerCase().match(/../g) ?? []).join(':') : undefined;
}

/** A MAC field value: normalised when it is one, else kept as sent (it may still be evidence). */
export function macField(value: string | undefined): string | undefined {
  return normaliseMac(value) ?? value;
}

// Candidates inside free text; each is confirmed by normaliseMac.
const CANDIDATE = /(?<![0-9a-f:.-])(?:[0-9a-f]{1,2}([:-])(?:[0-9a-f]{1,2}\1){4}[0-9a-f]{1,2}|[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}|[0-9a-f]{12})(?![0-9a-f:.-])/gi;

export function findMacs(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(CANDIDATE)) {
    const mac = normaliseMac(m[0]);
    if (mac) found.add(mac);
  }
  return [...found];
}

/** True when every non-empty line of the text is a MAC and nothing else. */
export function isLoneMac(text: string): boolean {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  return lines.length > 0 && lines.every((l) => normaliseMac(l) !== undefined);
}

/** One signal per distinct MAC in the text. */
export function parseMac(text: string, source: string): Signal[] {
  const macs = findMacs(text);
  if (macs.length === 0) throw invalid(source, 'no MAC address found');
  return macs.map((mac, i) => makeSignal('mac', { mac }, numbered(source, i, macs.length))).filter((s): s is Signal => s !== null);
}
