// The shipped clause library: it parses under the strict schema, every clause is complete in both
// languages with at least one source, and every legal ground it cites exists in the KB.
import { beforeAll, describe, expect, it } from 'vitest';
import { clauseDocument, danglingLegalReferences, parseClauseLibrary } from '../../../src/core/clauses/document.js';
import type { ClauseLibrary } from '../../../src/core/clauses/schema.js';
import { loadKnowledgeBase } from '../../../src/kb/load.js';
import type { KnowledgeBase } from '../../../src/kb/schema.js';
import { loadClauseLibrary } from '../../../src/report/clauses-file.js';

let lib: ClauseLibrary;
let kb: KnowledgeBase;

beforeAll(async () => {
  [lib, kb] = await Promise.all([loadClauseLibrary(), loadKnowledgeBase()]);
});

const both = (b: { nl: string; en: string }) => b.nl.trim() !== '' && b.en.trim() !== '' && b.nl !== b.en;

describe('the shipped clause library', () => {
  it('has every clause text in Dutch and English', () => {
    expect(both(lib.guidance)).toBe(true);
    for (const c of lib.clauses) {
      for (const part of [c.title, c.text, ...c.caveats, ...c.examples]) expect(both(part), c.id).toBe(true);
      for (const b of c.basis) if (b.note) expect(both(b.note), c.id).toBe(true);
    }
  });

  it('gives every clause at least one source, and every cited legal ground exists in the KB', () => {
    expect(danglingLegalReferences(lib, kb.legal)).toEqual([]);
    const grounds = new Map(kb.legal.map((l) => [l.id, l]));
    for (const c of lib.clauses) {
      const sources = c.basis.flatMap((b) => ('legal' in b ? grounds.get(b.legal)!.sources : [{ url: b.url }]));
      expect(sources.length, c.id).toBeGreaterThan(0);
    }
  });

  it('covers the exclusion grounds, the national-security routes and the technical requirements the issue names', () => {
    const ids = lib.clauses.map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining([
      'excl-mandatory-grounds', 'excl-grave-professional-misconduct', 'excl-third-country-tenderers',
      'natsec-secrecy-exemption', 'natsec-defence-security-act', 'natsec-risk-assessment',
      'tech-no-vendor-cloud', 'tech-firmware-updates', 'tech-hbom-sbom', 'tech-vulnerability-disclosure',
      'tech-onvif-profile', 'tech-data-location', 'tech-supply-chain-declaration',
    ]));
    const cited = new Set(lib.clauses.flatMap((c) => c.basis.flatMap((b) => ('legal' in b ? [b.legal] : []))));
    for (const id of ['nl-aw2012-art-2-86', 'nl-aw2012-art-2-87', 'nl-aw2012-art-2-23-secrecy', 'nl-adv-defence-security']) expect(cited).toContain(id);
  });

  it('reports a cited legal ground the KB does not hold', () => {
    const broken = { ...lib, clauses: [{ ...lib.clauses[0]!, basis: [{ legal: 'no-such-ground' }] }] };
    expect(danglingLegalReferences(broken, kb.legal)).toEqual([{ clause: lib.clauses[0]!.id, legal: 'no-such-ground' }]);
  });
});

describe('the clause schema', () => {
  const base = `
version: 2026.1.0
guidance: { nl: Let op, en: Note }
categories:
  - { id: technical, title: { nl: Techniek, en: Technical }, intro: { nl: Eisen, en: Requirements } }
clauses:
  - id: one
    category: technical
    title: { nl: Een, en: One }
    text: { nl: Tekst, en: Text }
    basis: [{ legal: nl-bio2-5-21 }]
`;
  it('accepts a minimal library', () => {
    expect(parseClauseLibrary(base, 'x.yaml').clauses[0]!.id).toBe('one');
  });

  it.each([
    ['an unknown key', base.replace('    category: technical', '    category: technical\n    caveat: typo'), /clauses\[0\]: Unrecognized key/],
    ['one language only', base.replace('{ nl: Tekst, en: Text }', '{ en: Text }'), /clauses\[0\]\.text\.nl/],
    ['no basis', base.replace('[{ legal: nl-bio2-5-21 }]', '[]'), /at least one legal basis/],
    ['a reference without a URL', base.replace('{ legal: nl-bio2-5-21 }', '{ title: Somewhere }'), /clauses\[0\]\.basis\[0\]/],
    ['a clause lifting the KB\'s verify mark', base.replace('{ legal: nl-bio2-5-21 }', '{ legal: nl-bio2-5-21, verify: false }'), /clauses\[0\]\.basis\[0\]/],
    ['an unknown category', base.replace('    category: technical', '    category: other'), /unknown category "other"/],
    ['a duplicate id', base + base.slice(base.indexOf('  - id: one')), /duplicate clause id "one"/],
  ])('refuses %s', (_, text, message) => {
    expect(() => parseClauseLibrary(text, 'x.yaml')).toThrow(message);
  });
});

describe('the resolved basis', () => {
  const one = (basis: string) => parseClauseLibrary(`
version: 2026.1.0
guidance: { nl: Let op, en: Note }
categories:
  - { id: technical, title: { nl: Techniek, en: Technical }, intro: { nl: Eisen, en: Requirements } }
clauses:
  - { id: one, category: technical, title: { nl: Een, en: One }, text: { nl: Tekst, en: Text }, basis: [${basis}] }
`, 'x.yaml');
  const resolved = (basis: string) => clauseDocument(one(basis), kb.legal, kb.meta.version, 'en').categories[0]!.clauses[0]!.basis[0]!;

  it('carries the KB summary and marks a record of kind analysis as analysis', () => {
    const analysis = kb.legal.find((l) => l.kind === 'analysis')!;
    expect(resolved(`{ legal: ${analysis.id} }`)).toMatchObject({ analysis: true, summary: analysis.summary });
    const statute = kb.legal.find((l) => l.kind === 'statute')!;
    expect(resolved(`{ legal: ${statute.id} }`)).toMatchObject({ analysis: false, summary: statute.summary });
  });

  it('lets a clause add the verify mark to a verified KB record, and keeps the KB\'s own mark', () => {
    const verified = kb.legal.find((l) => !l.verify)!;
    expect(resolved(`{ legal: ${verified.id} }`).verify).toBe(false);
    expect(resolved(`{ legal: ${verified.id}, verify: true }`).verify).toBe(true);
    expect(resolved(`{ legal: ${kb.legal.find((l) => l.verify)!.id} }`).verify).toBe(true);
  });
});
