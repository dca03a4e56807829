import { buildMacIndex, lookupMacIn, type MacIndex, type MacMatch } from './mac.js';
import { buildSearchIndex, searchIn, type SearchDoc, type SearchHit, type SearchOptions } from './search.js';
import type { Brand, KnowledgeBase, Restriction, Vendor, Vulnerability } from './schema.js';
import { PhraseIndex, nameKey } from './text-index.js';

// Lookups over a KnowledgeBase. Identification calls these tens of thousands of times a second,
// so every map is built once per KB (on first use) and kept in a WeakMap keyed by the KB object.
// The loader freezes the KB, which is what makes caching by identity safe.

export type { MacMatch, SearchHit, SearchOptions };

interface KbIndex {
  vendorsById: Map<string, Vendor>;
  vendorNames: PhraseIndex<string>;
  brandNames: PhraseIndex<Brand>;
  brandsByVendor: Map<string, Brand[]>;
  restrictionsByVendor: Map<string, Restriction[]>;
  vulnerabilitiesByVendor: Map<string, Vulnerability[]>;
  mac: MacIndex;
  search: SearchDoc[] | null;
}

const indexes = new WeakMap<KnowledgeBase, KbIndex>();

function index(kb: KnowledgeBase): KbIndex {
  let idx = indexes.get(kb);
  if (!idx) {
    idx = buildIndex(kb);
    indexes.set(kb, idx);
  }
  return idx;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function buildIndex(kb: KnowledgeBase): KbIndex {
  const vendorsById = new Map<string, Vendor>();
  // Shipped first, overlay last: a later record with the same id replaces the earlier one.
  for (const v of byOrigin(kb.vendors)) vendorsById.set(v.id, v);

  const vendorNames = new PhraseIndex<string>();
  for (const v of vendorsById.values()) {
    for (const name of [v.name, ...v.legal_names, ...v.aliases]) vendorNames.add(name, v.id, v.not_names);
  }

  const brandNames = new PhraseIndex<Brand>();
  const brandsByVendor = new Map<string, Brand[]>();
  // Overlay first, so overlay brands come first among equally specific matches.
  for (const b of [...kb.brands].sort((a, b2) => originRank(b2) - originRank(a))) {
    const owner = vendorsById.get(b.vendor);
    // A maker's own-name brand also answers to the maker's other spellings.
    const ownName = b.relationship === 'own_brand' && owner !== undefined && nameKey(b.brand) === nameKey(owner.name);
    const names = ownName ? [b.brand, ...b.aliases, owner.name, ...owner.legal_names, ...owner.aliases] : [b.brand, ...b.aliases];
    for (const name of names) brandNames.add(name, b, owner?.not_names ?? []);
    push(brandsByVendor, b.vendor, b);
    for (const alt of b.vendor_alternatives ?? []) push(brandsByVendor, alt, b);
  }

  const restrictionsByVendor = new Map<string, Restriction[]>();
  for (const r of kb.restrictions) for (const v of r.vendors) push(restrictionsByVendor, v, r);
  const vulnerabilitiesByVendor = new Map<string, Vulnerability[]>();
  for (const c of kb.vulnerabilities) push(vulnerabilitiesByVendor, c.vendor, c);

  return {
    vendorsById,
    vendorNames,
    brandNames,
    brandsByVendor,
    restrictionsByVendor,
    vulnerabilitiesByVendor,
    mac: buildMacIndex(byOrigin(kb.prefixes)),
    search: null,
  };
}

function originRank(r: { origin: string }): number {
  return r.origin === 'overlay' ? 1 : 0;
}

function byOrigin<T extends { origin: string }>(records: readonly T[]): T[] {
  return [...records].sort((a, b) => originRank(a) - originRank(b));
}

/** The vendor with this id (an overlay record wins over a shipped one), or null. */
export function vendorById(kb: KnowledgeBase, id: string): Vendor | null {
  return index(kb).vendorsById.get(id) ?? null;
}

/** Every vendor id named in the text, most specific name first. */
export function vendorMatches(kb: KnowledgeBase, text: string): string[] {
  return index(kb).vendorNames.match(text).map((m) => m.value);
}

/**
 * The one vendor a free-text maker name refers to, or null. Case, accents, punctuation and
 * legal-form words are ignored; Chinese names match as substrings. Text naming two unrelated
 * vendors is ambiguous (null); a vendor named with its parent ("Axis (Canon)") gives the child.
 */
export function vendorFromText(kb: KnowledgeBase, text: string): string | null {
  const ids = vendorMatches(kb, text);
  if (ids.length <= 1) return ids[0] ?? null;
  const idx = index(kb);
  const ancestors = (id: string): Set<string> => {
    const seen = new Set<string>();
    for (let p = idx.vendorsById.get(id)?.parent ?? null; p !== null && !seen.has(p); p = idx.vendorsById.get(p)?.parent ?? null) {
      seen.add(p);
    }
    return seen;
  };
  const child = ids.find((id) => {
    const up = ancestors(id);
    return ids.every((other) => other === id || up.has(other));
  });
  return child ?? null;
}

/** Brand records named in the text: overlay records first, then the most specific names. */
export function brandFromText(kb: KnowledgeBase, text: string): Brand[] {
  const matches = index(kb).brandNames.match(text);
  return [...matches]
    .sort((a, b) => originRank(b.value) - originRank(a.value) || b.keyLength - a.keyLength)
    .map((m) => m.value);
}

/** Brands made by, or possibly made by (vendor_alternatives), this vendor. */
export function brandsForVendor(kb: KnowledgeBase, vendorId: string): Brand[] {
  return index(kb).brandsByVendor.get(vendorId) ?? [];
}

export function restrictionsForVendor(kb: KnowledgeBase, vendorId: string): Restriction[] {
  return index(kb).restrictionsByVendor.get(vendorId) ?? [];
}

export function vulnerabilitiesForVendor(kb: KnowledgeBase, vendorId: string): Vulnerability[] {
  return index(kb).vulnerabilitiesByVendor.get(vendorId) ?? [];
}

/** The registrant of a MAC address's prefix, longest prefix first, or null. */
export function lookupMac(kb: KnowledgeBase, mac: string): MacMatch | null {
  return lookupMacIn(index(kb).mac, mac);
}

/** Records in every section whose text contains all words of the query, best first. */
export function search(kb: KnowledgeBase, text: string, options: SearchOptions = {}): SearchHit[] {
  const idx = index(kb);
  idx.search ??= buildSearchIndex(kb);
  return searchIn(idx.search, text, vendorFromText(kb, text), options);
}

export interface KbStats {
  vendors: number;
  brands: number;
  prefixes: number;
  fingerprints: number;
  restrictions: number;
  vulnerabilities: number;
  legal: number;
  prefixesByRegistry: Record<'MA-L' | 'MA-M' | 'MA-S', number>;
  overlay: { vendors: number; brands: number; prefixes: number };
  /** Records carrying an uncertainty marker (uncertain, low confidence, verify, gap). */
  flagged: number;
}

export function stats(kb: KnowledgeBase): KbStats {
  const overlay = (rows: readonly { origin: string }[]) => rows.filter((r) => r.origin === 'overlay').length;
  const prefixesByRegistry = { 'MA-L': 0, 'MA-M': 0, 'MA-S': 0 };
  for (const p of kb.prefixes) prefixesByRegistry[p.registry]++;
  const flagged =
    kb.vendors.filter((v) => v.uncertain).length +
    kb.brands.filter((b) => b.uncertain || b.confidence === 'low').length +
    kb.restrictions.filter((r) => r.uncertain || r.gap || r.confidence === 'low').length +
    kb.legal.filter((l) => l.verify).length;
  return {
    vendors: kb.vendors.length,
    brands: kb.brands.length,
    prefixes: kb.prefixes.length,
    fingerprints: kb.fingerprints.length,
    restrictions: kb.restrictions.length,
    vulnerabilities: kb.vulnerabilities.length,
    legal: kb.legal.length,
    prefixesByRegistry,
    overlay: { vendors: overlay(kb.vendors), brands: overlay(kb.brands), prefixes: overlay(kb.prefixes) },
    flagged,
  };
}

/** The maker's name as the KB spells it; the id when the KB does not know it. */
export function makerName(kb: KnowledgeBase, id: string | null): string {
  if (id === null) return '?';
  return vendorById(kb, id)?.name ?? id;
}
