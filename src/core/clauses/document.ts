import { parse as parseYaml } from 'yaml';
import { CamauditError } from '../errors.js';
import { parseWith } from '../../kb/issues.js';
import type { LegalGround } from '../../kb/schema.js';
import type { Source } from '../../kb/source.js';
import { ClauseLibrarySchema, type Basis, type ClauseLang, type ClauseLibrary } from './schema.js';

// The clause library in one language with every legal basis spelled out: the KB legal grounds a
// clause names are looked up here, so each rendering (Markdown, DOCX, JSON) shows the same
// instrument, sources, caveats and "to be verified" mark without repeating the KB in the YAML.

export interface BasisView {
  /** Id of the KB legal ground, or null for a reference held in the clause file. */
  kbId: string | null;
  title: string;
  instrument: string | null;
  /** The fact rests on a secondary source or text not re-read: never present it as settled. */
  verify: boolean;
  /** The KB record is the project's own reasoning (kind `analysis`), not a legal instrument. */
  analysis: boolean;
  /** What the KB record says the ground holds, with its qualifications (the KB keeps it in English). */
  summary: string | null;
  note: string | null;
  /** The caveats the KB records for this ground (the KB keeps them in English). */
  caveats: string[];
  sources: Source[];
}

export interface ClauseView {
  id: string;
  title: string;
  text: string;
  basis: BasisView[];
  caveats: string[];
  examples: string[];
}

export interface ClauseDocument {
  lang: ClauseLang;
  version: string;
  kbVersion: string;
  guidance: string;
  caveats: string[];
  categories: { id: string; title: string; intro: string; clauses: ClauseView[] }[];
}

/** Validate the clause file's text; errors name the file and the record path. */
export function parseClauseLibrary(text: string, label: string): ClauseLibrary {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    throw new CamauditError('invalid_input', `${label}: not valid YAML: ${(err as Error).message}`, { file: label }, { cause: err });
  }
  return parseWith(ClauseLibrarySchema, data, label);
}

/** Every `legal:` reference that names no legal ground in the KB, as clause id and ground id. */
export function danglingLegalReferences(lib: ClauseLibrary, legal: readonly LegalGround[]): { clause: string; legal: string }[] {
  const known = new Set(legal.map((l) => l.id));
  return lib.clauses.flatMap((c) => c.basis.flatMap((b) => ('legal' in b && !known.has(b.legal) ? [{ clause: c.id, legal: b.legal }] : [])));
}

function basisView(basis: Basis, lang: ClauseLang, grounds: ReadonlyMap<string, LegalGround>): BasisView {
  const note = basis.note?.[lang] ?? null;
  if ('legal' in basis) {
    const ground = grounds.get(basis.legal);
    // A dangling id would print a clause with no source behind it; the data test catches this,
    // and a KB update that drops a ground must fail loudly rather than thin out the basis.
    if (!ground) throw new CamauditError('invalid_input', `clause library refers to legal ground "${basis.legal}", which the knowledge base does not hold`);
    return {
      kbId: ground.id, title: ground.title, instrument: ground.instrument, verify: ground.verify || basis.verify === true,
      analysis: ground.kind === 'analysis', summary: ground.summary, note,
      caveats: [...ground.caveats], sources: ground.sources.map((s) => ({ ...s })),
    };
  }
  return {
    kbId: null, title: basis.title, instrument: null, verify: basis.verify, analysis: false, summary: null, note,
    caveats: [], sources: [{ url: basis.url, title: basis.title }],
  };
}

/** The library in `lang`, categories in file order, each clause with its basis resolved. */
export function clauseDocument(lib: ClauseLibrary, legal: readonly LegalGround[], kbVersion: string, lang: ClauseLang): ClauseDocument {
  const grounds = new Map(legal.map((l) => [l.id, l]));
  return {
    lang,
    version: lib.version,
    kbVersion,
    guidance: lib.guidance[lang],
    caveats: lib.caveats.map((c) => c[lang]),
    categories: lib.categories.map((cat) => ({
      id: cat.id,
      title: cat.title[lang],
      intro: cat.intro[lang],
      clauses: lib.clauses.filter((c) => c.category === cat.id).map((c) => ({
        id: c.id,
        title: c.title[lang],
        text: c.text[lang],
        basis: c.basis.map((b) => basisView(b, lang, grounds)),
        caveats: c.caveats.map((x) => x[lang]),
        examples: c.examples.map((x) => x[lang]),
      })),
    })),
  };
}
