// The Markdown rendering: the guidance note on top in the chosen language, every clause with its
// basis, the KB's sources and the "unverified" mark; text cannot smuggle in markup.
import { beforeAll, describe, expect, it } from 'vitest';
import { clauseDocument } from '../../../src/core/clauses/document.js';
import { clausesMarkdown, mdText } from '../../../src/core/clauses/markdown.js';
import type { ClauseLibrary } from '../../../src/core/clauses/schema.js';
import { loadKnowledgeBase } from '../../../src/kb/load.js';
import type { KnowledgeBase } from '../../../src/kb/schema.js';
import { loadClauseLibrary } from '../../../src/report/clauses-file.js';

let lib: ClauseLibrary;
let kb: KnowledgeBase;
const render = (lang: 'nl' | 'en') => clausesMarkdown(clauseDocument(lib, kb.legal, kb.meta.version, lang));

beforeAll(async () => {
  [lib, kb] = await Promise.all([loadClauseLibrary(), loadKnowledgeBase()]);
});

describe.each(['nl', 'en'] as const)('clauses as Markdown in %s', (lang) => {
  it('starts with the guidance note and holds every clause id, title and category', () => {
    const md = render(lang);
    const guidance = md.indexOf(mdText(lib.guidance[lang]));
    expect(guidance).toBeGreaterThan(0);
    expect(guidance).toBeLessThan(md.indexOf('\n## '));
    for (const c of lib.clauses) {
      expect(md).toContain(`(\`${c.id}\`)`);
      expect(md).toContain(mdText(c.title[lang]));
    }
    for (const cat of lib.categories) expect(md).toContain(`## ${mdText(cat.title[lang])}`);
  });

  it('is in one language: the other language\'s guidance and clause texts are absent', () => {
    const other = lang === 'nl' ? 'en' : 'nl';
    const md = render(lang);
    expect(md).not.toContain(mdText(lib.guidance[other]));
    for (const c of lib.clauses) expect(md).not.toContain(mdText(c.text[other]));
  });
});

/** One clause's part of the Markdown: from its heading to the next clause heading. */
function section(md: string, id: string): string {
  const start = md.indexOf(`(\`${id}\`)`);
  expect(start, id).toBeGreaterThan(0);
  const end = md.indexOf('\n### ', start);
  return md.slice(start, end === -1 ? undefined : end);
}

describe.each([
  ['nl', 'ANALYSE', 'NIET GEVERIFIEERD', 'Richtlijn 2014/25', 'Universiteit Utrecht', /stelselmatige en grootschalige monitoring/],
  ['en', 'ANALYSIS', 'UNVERIFIED', 'Directive 2014/25', 'Utrecht University', /systematic monitoring of a publicly accessible area on a large scale/],
] as const)('qualifications in the %s Markdown', (lang, analysis, unverified, utilities, utrecht, dpia) => {
  it('gives the Kolin clause its utilities-directive qualification and the KB summary, attributed not settled', () => {
    const kolin = section(render(lang), 'excl-third-country-tenderers');
    expect(kolin).toContain(utilities);
    expect(kolin).toContain('2014/24');
    expect(kolin).toContain(mdText(kb.legal.find((l) => l.id === 'eu-cjeu-kolin-c-652-22')!.summary));
    expect(kolin).toContain('C-652/22');
  });

  it('labels the project\'s own analysis as analysis, and only that', () => {
    const md = render(lang);
    const line = (id: string) => md.split('\n').find((l) => l.includes(`\`${id}\``) && l.startsWith('- '))!;
    expect(line('nl-procurement-security-requirements')).toContain(`**${analysis}`);
    expect(line('nl-aw2012-art-2-86')).not.toContain(analysis);
  });

  it('attributes the defence-act exclusion ground to Utrecht University and marks the basis unverified', () => {
    const adv = section(render(lang), 'natsec-defence-security-act');
    expect(adv.split('\n').find((l) => l.includes('`nl-adv-defence-security`'))).toContain(`**${unverified}`);
    expect(adv.slice(0, adv.indexOf('**'))).toContain(utrecht);
  });

  it('states the DPIA condition of art. 35(3)(c) and the DPA list with the large-scale / systematic test', () => {
    const data = section(render(lang), 'tech-data-location');
    expect(data).toMatch(dpia);
    expect(data).toContain('`nl-ap-dpia-list-2019`');
  });

  it('attributes the country-of-origin warning to its source', () => {
    const md = render(lang);
    expect(md.slice(0, md.indexOf('\n## '))).toContain('AG Connect');
  });
});

describe('legal bases in the Markdown', () => {
  it('keeps every cited KB record\'s sources and marks unverified grounds', () => {
    const md = render('en');
    const section = (id: string) => {
      const start = md.indexOf(`(\`${id}\`)`);
      const end = md.indexOf('\n### ', start);
      return md.slice(start, end === -1 ? undefined : end);
    };
    // Kolin is marked verify in the KB; the mandatory grounds are not.
    expect(section('excl-third-country-tenderers')).toContain('**UNVERIFIED');
    expect(section('excl-mandatory-grounds')).not.toContain('UNVERIFIED');
    const cited = new Set(lib.clauses.flatMap((c) => c.basis.flatMap((b) => ('legal' in b ? [b.legal] : []))));
    for (const ground of kb.legal.filter((l) => cited.has(l.id))) {
      for (const s of ground.sources) expect(md).toContain(s.url ? `(<${s.url}>)` : mdText(s.ref!));
    }
    expect(render('nl')).toContain('**NIET GEVERIFIEERD');
  });

  it('escapes characters that would start markup or raw HTML', () => {
    expect(mdText('<script>*x*_[a](b)')).toBe('\\<script\\>\\*x\\*\\_\\[a\\](b)');
  });
});
