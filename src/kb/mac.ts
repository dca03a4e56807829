import type { Confidence, Origin, PrefixRow, Registry } from './schema.js';

// MAC prefix lookup. IEEE hands out 24-bit (MA-L), 28-bit (MA-M) and 36-bit (MA-S) blocks, and a
// smaller block inside a larger one belongs to someone else, so the longest prefix wins. One Map
// keyed by hex digits holds all three lengths (the lengths never collide): at most three gets.

export interface MacMatch {
  /** The prefix as written in the KB, e.g. `B0:B3:53:6`. */
  prefix: string;
  registry: Registry;
  bits: number;
  /** The registrant's name in the IEEE registry (null for overlay rows without one). */
  orgName: string | null;
  /** The vendor a match is attributed to; null when the corporate link is a former one. */
  vendor: string | null;
  /** The corporate group the source file puts the registrant in, even when not attributed. */
  groupVendor: string | null;
  relation: string | null;
  confidence: Confidence | null;
  origin: Origin;
  note: string | null;
}

const LENGTHS = [9, 7, 6] as const;

export type MacIndex = ReadonlyMap<string, MacMatch>;

/** Build the prefix map. Later rows win, so overlay rows (appended last) override shipped ones. */
export function buildMacIndex(prefixes: readonly PrefixRow[]): MacIndex {
  const index = new Map<string, MacMatch>();
  for (const row of prefixes) {
    if (row.hex.length !== 6 && row.hex.length !== 7 && row.hex.length !== 9) continue;
    if (!/^[0-9A-F]+$/.test(row.hex)) continue;
    index.set(
      row.hex,
      Object.freeze({
        prefix: row.prefix,
        registry: row.registry,
        bits: row.bits,
        orgName: row.org_name,
        vendor: row.vendor,
        groupVendor: row.group_vendor,
        relation: row.relation,
        confidence: row.confidence,
        origin: row.origin,
        note: row.note,
      }),
    );
  }
  return index;
}

/**
 * Hex digits of a MAC address in any common spelling (`aa:bb:cc:dd:ee:ff`, `AA-BB-…`,
 * `aabb.ccdd.eeff`, bare hex), upper case; null when anything else is in it.
 */
export function macToHex(mac: string): string | null {
  let out = '';
  for (let i = 0; i < mac.length; i++) {
    const c = mac.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 70)) out += mac[i];
    else if (c >= 97 && c <= 102) out += String.fromCharCode(c - 32);
    else if (c !== 58 && c !== 45 && c !== 46 && c !== 32) return null;
    if (out.length > 12) return null;
  }
  return out;
}

/** Longest-prefix match: MA-S (36 bits) before MA-M (28) before MA-L (24). */
export function lookupMacIn(index: MacIndex, mac: string): MacMatch | null {
  const hex = macToHex(mac);
  if (hex === null || hex.length < 6) return null;
  for (const length of LENGTHS) {
    if (hex.length < length) continue;
    const match = index.get(hex.slice(0, length));
    if (match) return match;
  }
  return null;
}
