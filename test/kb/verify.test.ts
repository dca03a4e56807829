import { beforeAll, describe, expect, it } from 'vitest';
import { readShippedFiles } from '../../src/kb/active.js';
import { parseKnowledgeBase } from '../../src/kb/load.js';
import type { Fingerprint, KnowledgeBase, PrefixRow } from '../../src/kb/schema.js';
import { verifyKnowledgeBase } from '../../src/kb/verify.js';

const shippedFiles = () => readShippedFiles();

/** Stand-in for the fingerprint matcher, which lives in its own module. */
const alwaysOk = () => ({ ok: true });

let files: Record<string, string>;
let kb: KnowledgeBase;
beforeAll(async () => {
  files = await shippedFiles();
  kb = parseKnowledgeBase(files);
});

describe('verifyKnowledgeBase', () => {
  it('finds nothing wrong with the shipped knowledge base', () => {
    expect(verifyKnowledgeBase(kb, { matchExample: alwaysOk })).toEqual([]);
  });

  it('reports a dangling vendor and a missing source in a broken overlay', () => {
    const overlay = `
brands:
  - {brand: Gemeentecam, vendor: acme-cams, relationship: oem_whitelabel, evidence: hearsay, confidence: low}
prefixes:
  - {prefix: "AA:BB:CC", vendor: hikvision, sources: [{ref: "depot survey 2026"}]}
`;
    const problems = verifyKnowledgeBase(parseKnowledgeBase(files, { overlay }), { matchExample: alwaysOk });
    expect(problems).toEqual([
      { section: 'brands', id: 'gemeentecam', message: 'has no source (overlay record: say where this local knowledge comes from)' },
      { section: 'brands', id: 'gemeentecam', message: 'vendor "acme-cams" is not a vendor id' },
    ]);
  });

  it('reports dangling references in every section', () => {
    const broken: KnowledgeBase = {
      ...kb,
      vendors: kb.vendors.map((v) => (v.id === 'axis' ? { ...v, parent: 'cannon' } : v)),
      restrictions: kb.restrictions.map((r, i) => (i === 0 ? { ...r, vendors: [...r.vendors, 'hikvison'] } : r)),
      vulnerabilities: kb.vulnerabilities.map((c, i) => (i === 0 ? { ...c, vendor: 'hik', brand: 'ezvis' } : c)),
      legal: kb.legal.map((l, i) => (i === 0 ? { ...l, related: ['no-such-measure'] } : l)),
      fingerprints: [...kb.fingerprints, fingerprint({ id: 'test-dangling', claims: { manufacturer: 'acme' } })],
    };
    const messages = verifyKnowledgeBase(broken).map((p) => `${p.section}/${p.id}: ${p.message}`);
    expect(messages).toEqual([
      'vendors/axis: parent "cannon" is not a vendor id',
      'restrictions/us-ndaa-fy2019-s889: vendors "hikvison" is not a vendor id',
      'vulnerabilities/CVE-2017-7921: vendor "hik" is not a vendor id',
      'vulnerabilities/CVE-2017-7921: brand "ezvis" is not a brand id',
      'legal/nl-aw2012-art-2-86: related "no-such-measure" is not a restriction id',
      'fingerprints/test-dangling: claims.manufacturer "acme" is not a vendor id',
    ]);
  });

  it('reports duplicate ids, but lets an overlay override a shipped record', () => {
    const first = kb.brands[0]!;
    const duplicated: KnowledgeBase = { ...kb, brands: [...kb.brands, { ...first }, { ...first, origin: 'overlay' }] };
    expect(verifyKnowledgeBase(duplicated)).toEqual([{ section: 'brands', id: first.id, message: 'duplicate id' }]);
  });

  it('checks prefix arithmetic', () => {
    const base = kb.prefixes[0]!;
    const bad = (over: Partial<PrefixRow>): PrefixRow => ({ ...base, origin: 'overlay', ...over });
    const withPrefixes: KnowledgeBase = {
      ...kb,
      prefixes: [
        bad({ prefix: 'AA:BB', hex: 'AABB', bits: 16 }),
        bad({ prefix: 'AA:BB:CG', hex: 'AABBCG' }),
        bad({ prefix: 'AA:BB:CC:D', hex: 'AABBCCD', registry: 'MA-L', bits: 24 }),
        bad({ prefix: 'AA:BB:CD', hex: 'AABBCC' }),
      ],
    };
    expect(verifyKnowledgeBase(withPrefixes).map((p) => `${p.id}: ${p.message}`)).toEqual([
      'AA:BB: hex "AABB" has 4 digits; IEEE prefixes have 6 (MA-L), 7 (MA-M) or 9 (MA-S)',
      'AA:BB:CG: hex "AABBCG" is not upper-case hex',
      'AA:BB:CC:D: registry MA-L does not fit a 7-digit prefix (MA-M)',
      'AA:BB:CC:D: prefix_bits 24 does not fit a 7-digit prefix',
      'AA:BB:CD: prefix "AA:BB:CD" does not spell hex "AABBCC"',
    ]);
  });

  it('runs fingerprint examples through the injected matcher', () => {
    const withRule: KnowledgeBase = {
      ...kb,
      fingerprints: [fingerprint({ id: 'test-fails', examples: [{ value: 'Hikvision-Webs' }, { value: 'nginx' }] })],
    };
    const matchExample = (fp: Fingerprint, example: { value: string }) =>
      new RegExp(fp.pattern, fp.flags).test(example.value) ? { ok: true } : { ok: false, message: 'no match' };
    expect(verifyKnowledgeBase(withRule, { matchExample })).toEqual([
      { section: 'fingerprints', id: 'test-fails', message: 'examples[1] "nginx": no match' },
    ]);
    const broken = { ...withRule, fingerprints: [fingerprint({ id: 'test-regex', pattern: '(' })] };
    expect(verifyKnowledgeBase(broken)[0]?.message).toMatch(/^pattern does not compile/);
  });
});

function fingerprint(over: Partial<Fingerprint>): Fingerprint {
  return {
    id: 'test',
    on: ['http.server'],
    pattern: '^Hikvision-Webs$',
    flags: 'i',
    claims: { manufacturer: 'hikvision' },
    weight: 'banner',
    examples: [{ value: 'Hikvision-Webs' }],
    sources: [{ ref: 'camaudit test fixture' }],
    ...over,
  };
}
