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
