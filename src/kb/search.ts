import type { Brand, KnowledgeBase, LegalGround, Restriction, Vendor, Vulnerability } from './schema.js';

// Full-text search for people (the CLI and the web UI), not for identification: a linear scan over
// a few hundred prepared strings is fast enough and needs no extra index.

export type SearchHit =
  | { section: 'vendor'; id: string; label: string; score: number; record: Vendor }
  | { section: 'brand'; id: string; label: string; score: number; record: Brand }
  | { section: 'restriction'; id: string; label: string; score: number; record: Restriction }
  | { section: 'vulnerability'; id: string; label: string; score: number; record: Vulnerability }
  | { section: 'legal'; id: string; label: string; score: number; record: LegalGround };

export type SearchSection = SearchHit['section'];

export interface SearchOptions {
  /** Only these sections; all when absent. */
  sections?: readonly SearchSection[];
  /** At most this many hits; 50 unless given. */
  limit?: number;
}

export interface SearchDoc {
  hit: Omit<SearchHit, 'score'>;
  order: number;
  idFolded: string;
  labelFolded: string;
  haystack: string;
  vendors: readonly string[];
}

const SECTION_ORDER: Record<SearchSection, number> = { vendor: 0, brand: 1, restriction: 2, vulnerability: 3, legal: 4 };

/** Lower case without accents; CJK kept as is. */
function fold(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

function queryTokens(text: string): string[] {
  return fold(text)
    .split(/[^a-z0-9\u3400-\u9fff]+/)
    .filter((t) => t !== '');
}

type Field = string | null | undefined | readonly string[];

function doc(hit: Omit<SearchHit, 'score'>, order: number, vendors: readonly string[], fields: Field[]): SearchDoc {
  const parts = fields.flatMap((f) => (f === null || f === undefined ? [] : typeof f === 'string' ? [f] : [...f]));
  return {
    hit,
    order,
    idFolded: fold(hit.id),
    labelFolded: fold(hit.label),
    haystack: fold(parts.join(' | ')),
    vendors,
  };
}

export function buildSearchIndex(kb: KnowledgeBase): SearchDoc[] {
  const docs: SearchDoc[] = [];
  let n = 0;
  for (const v of kb.vendors) {
    const hit = { section: 'vendor', id: v.id, label: v.name, record: v } as const;
    docs.push(doc(hit, n++, [v.id], [v.id, v.name, v.legal_names, v.aliases, v.country, v.note, v.state_ownership_note, v.uncertain]));
  }
  for (const b of kb.brands) {
    const hit = { section: 'brand', id: b.id, label: b.brand, record: b } as const;
    const vendors = [b.vendor, ...(b.vendor_alternatives ?? [])];
    docs.push(doc(hit, n++, vendors, [b.id, b.brand, b.label_as_given, b.aliases, vendors, b.relationship, b.entity, b.evidence, b.uncertain]));
  }
  for (const r of kb.restrictions) {
    const hit = { section: 'restriction', id: r.id, label: `${r.jurisdiction}: ${r.body}`, record: r } as const;
    docs.push(doc(hit, n++, r.vendors, [r.id, r.jurisdiction, r.body, r.date, r.vendors_named, r.vendors, r.scope, r.scope_detail, r.status, r.uncertain]));
  }
  for (const c of kb.vulnerabilities) {
    const hit = { section: 'vulnerability', id: c.id, label: `${c.id}: ${c.title}`, record: c } as const;
    docs.push(doc(hit, n++, [c.vendor], [c.id, c.title, c.vendor, c.brand, c.vendor_as_given, c.cwe, c.affected.families, c.affected.as_given]));
  }
  for (const l of kb.legal) {
    const hit = { section: 'legal', id: l.id, label: l.title, record: l } as const;
    docs.push(doc(hit, n++, l.vendors, [l.id, l.title, l.jurisdiction, l.instrument, l.summary, l.caveats]));
  }
  return docs;
}

/**
 * A record is a hit when it contains every word of the query, or belongs to the vendor the query
 * names. Exact ids rank first, then words in the record's label, then links to the vendor.
 */
export function searchIn(docs: readonly SearchDoc[], text: string, vendorId: string | null, options: SearchOptions): SearchHit[] {
  const tokens = queryTokens(text);
  if (tokens.length === 0) return [];
  const whole = fold(text).trim();
  const sections = options.sections ? new Set(options.sections) : null;
  const hits: { hit: SearchHit; order: number }[] = [];
  for (const d of docs) {
    if (sections && !sections.has(d.hit.section)) continue;
    const textHit = tokens.every((t) => d.haystack.includes(t));
    const vendorHit = vendorId !== null && d.vendors.includes(vendorId);
    if (!textHit && !vendorHit) continue;
    let score = textHit ? 1 : 0;
    if (d.idFolded === whole) score += 10;
    if (tokens.every((t) => d.labelFolded.includes(t))) score += 3;
    if (vendorHit) score += 2;
    hits.push({ hit: { ...d.hit, score } as SearchHit, order: d.order });
  }
  hits.sort(
    (a, b) => b.hit.score - a.hit.score || SECTION_ORDER[a.hit.section] - SECTION_ORDER[b.hit.section] || a.order - b.order,
  );
  return hits.slice(0, options.limit ?? 50).map((h) => h.hit);
}
