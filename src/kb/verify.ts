import { registryForDigits } from './oui.js';
import type { Fingerprint, KnowledgeBase, Source } from './schema.js';

// Consistency checks the schemas cannot make: references between records, duplicate ids, prefix
// arithmetic, and fingerprint examples. Overlay records are built outside the shipped files (and
// may lack sources), and a KB may be assembled in code, so nothing is assumed from validation.

export type KbSection = 'meta' | 'vendors' | 'brands' | 'prefixes' | 'fingerprints' | 'restrictions' | 'vulnerabilities' | 'legal';

export interface KbProblem {
  section: KbSection;
  id: string;
  message: string;
}

export type FingerprintExample = Fingerprint['examples'][number];

/** The fingerprint matcher's verdict on one example; `message` says what went wrong. */
export type ExampleCheck = boolean | { ok: boolean; message?: string };

export interface VerifyOptions {
  /** Runs a fingerprint against one of its examples; injected because the matcher lives elsewhere. */
  matchExample?: (fp: Fingerprint, example: FingerprintExample) => ExampleCheck;
}

interface Sourced {
  sources?: readonly Source[];
  origin?: string;
}

export function verifyKnowledgeBase(kb: KnowledgeBase, options: VerifyOptions = {}): KbProblem[] {
  const problems: KbProblem[] = [];
  const report = (section: KbSection, id: string, message: string): void => {
    problems.push({ section, id, message });
  };

  const vendorIds = new Set(kb.vendors.map((v) => v.id));
  const brandIds = new Set(kb.brands.map((b) => b.id));
  const restrictionIds = new Set(kb.restrictions.map((r) => r.id));
  const needVendor = (section: KbSection, id: string, field: string, ref: string | null | undefined): void => {
    if (ref !== null && ref !== undefined && !vendorIds.has(ref)) report(section, id, `${field} "${ref}" is not a vendor id`);
  };
  const checkSources = (section: KbSection, id: string, record: Sourced): void => {
    const sources = record.sources ?? [];
    const where = record.origin === 'overlay' ? ' (overlay record: say where this local knowledge comes from)' : '';
    if (sources.length === 0) report(section, id, `has no source${where}`);
    sources.forEach((s, i) => {
      if (!s.url && !s.ref) report(section, id, `sources[${i}] needs a url or a ref`);
    });
  };
  const checkDuplicates = (section: KbSection, rows: readonly { key: string; origin?: string }[]): void => {
    // Within one origin only: an overlay record may deliberately override a shipped one.
    const seen = new Set<string>();
    for (const row of rows) {
      const key = `${row.origin ?? 'kb'}\u0000${row.key}`;
      if (seen.has(key)) report(section, row.key, `duplicate id${row.origin === 'overlay' ? ' in the overlay' : ''}`);
      seen.add(key);
    }
  };

  for (const v of kb.vendors) {
    checkSources('vendors', v.id, v);
    needVendor('vendors', v.id, 'parent', v.parent);
    const chain = new Set([v.id]);
    for (let p = v.parent; p !== null; p = kb.vendors.find((x) => x.id === p)?.parent ?? null) {
      if (chain.has(p)) {
        report('vendors', v.id, `parent chain loops back to "${p}"`);
        break;
      }
      chain.add(p);
    }
  }
  checkDuplicates('vendors', kb.vendors.map((v) => ({ key: v.id, origin: v.origin })));

  for (const b of kb.brands) {
    checkSources('brands', b.id, b);
    needVendor('brands', b.id, 'vendor', b.vendor);
    for (const alt of b.vendor_alternatives ?? []) needVendor('brands', b.id, 'vendor_alternatives', alt);
    if (b.valid_from && b.valid_to && b.valid_from > b.valid_to) report('brands', b.id, 'valid_from is after valid_to');
  }
  checkDuplicates('brands', kb.brands.map((b) => ({ key: b.id, origin: b.origin })));

  for (const p of kb.prefixes) {
    const id = p.prefix || p.hex;
    checkSources('prefixes', id, p);
    needVendor('prefixes', id, 'vendor', p.vendor);
    needVendor('prefixes', id, 'group vendor', p.group_vendor);
    for (const message of prefixShapeProblems(p)) report('prefixes', id, message);
  }
  checkDuplicates('prefixes', kb.prefixes.map((p) => ({ key: p.hex, origin: p.origin })));

  for (const r of kb.restrictions) {
    checkSources('restrictions', r.id, r);
    for (const v of r.vendors) needVendor('restrictions', r.id, 'vendors', v);
  }
  checkDuplicates('restrictions', kb.restrictions.map((r) => ({ key: r.id })));

  for (const c of kb.vulnerabilities) {
    checkSources('vulnerabilities', c.id, c);
    needVendor('vulnerabilities', c.id, 'vendor', c.vendor);
    if (c.brand !== undefined && !brandIds.has(c.brand)) report('vulnerabilities', c.id, `brand "${c.brand}" is not a brand id`);
  }
  checkDuplicates('vulnerabilities', kb.vulnerabilities.map((c) => ({ key: c.id })));

  for (const l of kb.legal) {
    checkSources('legal', l.id, l);
    for (const v of l.vendors) needVendor('legal', l.id, 'vendors', v);
    for (const r of l.related) if (!restrictionIds.has(r)) report('legal', l.id, `related "${r}" is not a restriction id`);
  }
  checkDuplicates('legal', kb.legal.map((l) => ({ key: l.id })));

  for (const fp of kb.fingerprints) {
    checkSources('fingerprints', fp.id, fp);
    needVendor('fingerprints', fp.id, 'claims.manufacturer', fp.claims.manufacturer);
    for (const message of fingerprintProblems(fp, options)) report('fingerprints', fp.id, message);
  }
  checkDuplicates('fingerprints', kb.fingerprints.map((fp) => ({ key: fp.id })));

  return problems;
}

function prefixShapeProblems(p: KnowledgeBase['prefixes'][number]): string[] {
  const out: string[] = [];
  if (!/^[0-9A-F]+$/.test(p.hex)) return [`hex "${p.hex}" is not upper-case hex`];
  const registry = registryForDigits(p.hex.length);
  if (registry === null) return [`hex "${p.hex}" has ${p.hex.length} digits; IEEE prefixes have 6 (MA-L), 7 (MA-M) or 9 (MA-S)`];
  if (p.registry !== registry) out.push(`registry ${p.registry} does not fit a ${p.hex.length}-digit prefix (${registry})`);
  if (p.bits !== p.hex.length * 4) out.push(`prefix_bits ${p.bits} does not fit a ${p.hex.length}-digit prefix`);
  if (p.prefix.replace(/:/g, '').toUpperCase() !== p.hex) out.push(`prefix "${p.prefix}" does not spell hex "${p.hex}"`);
  return out;
}

function fingerprintProblems(fp: Fingerprint, options: VerifyOptions): string[] {
  const out: string[] = [];
  try {
    new RegExp(fp.pattern, fp.flags);
  } catch (err) {
    return [`pattern does not compile: ${(err as Error).message}`];
  }
  const match = options.matchExample;
  if (!match) return out;
  fp.examples.forEach((example, i) => {
    let verdict: ExampleCheck;
    try {
      verdict = match(fp, example);
    } catch (err) {
      verdict = { ok: false, message: `matcher threw: ${(err as Error).message}` };
    }
    const ok = typeof verdict === 'boolean' ? verdict : verdict.ok;
    if (!ok) {
      const why = typeof verdict === 'boolean' ? 'does not match' : (verdict.message ?? 'does not match');
      out.push(`examples[${i}] ${JSON.stringify(example.value.slice(0, 80))}: ${why}`);
    }
  });
  return out;
}
