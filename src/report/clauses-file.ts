// The shipped clause library read from disk and rendered in one of its formats, for the CLI and
// the API alike. The legal grounds come from the knowledge base in force, so an installed KB
// update changes the bases the clauses show.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { CamauditError } from '../core/errors.js';
import { clauseDocument, parseClauseLibrary } from '../core/clauses/document.js';
import { clausesMarkdown } from '../core/clauses/markdown.js';
import type { ClauseLang, ClauseLibrary } from '../core/clauses/schema.js';
import type { KnowledgeBase } from '../kb/schema.js';
import { clausesDocx } from './clauses-docx.js';

// Relative to this module, so it resolves from src/report (tsx) and dist/report (build) alike.
export const DEFAULT_CLAUSES_FILE = fileURLToPath(new URL('../../kb/clauses/clauses.yaml', import.meta.url));

export const CLAUSE_FORMATS = {
  md: { type: 'text/markdown; charset=utf-8', extension: 'md' },
  docx: { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extension: 'docx' },
  json: { type: 'application/json; charset=utf-8', extension: 'json' },
} as const;
export type ClauseFormat = keyof typeof CLAUSE_FORMATS;

export async function loadClauseLibrary(path: string = DEFAULT_CLAUSES_FILE): Promise<ClauseLibrary> {
  const label = path === DEFAULT_CLAUSES_FILE ? 'kb/clauses/clauses.yaml' : path;
  const text = await readFile(path, 'utf8').catch((cause: NodeJS.ErrnoException) => {
    throw new CamauditError(cause.code === 'ENOENT' ? 'not_found' : 'invalid_input', `cannot read the clause library ${label}: ${cause.message}`, { file: label }, { cause });
  });
  return parseClauseLibrary(text, label);
}

/** The library in `lang` as the bytes of `format`. */
export async function renderClauses(lib: ClauseLibrary, kb: KnowledgeBase, lang: ClauseLang, format: ClauseFormat): Promise<Buffer> {
  const doc = clauseDocument(lib, kb.legal, kb.meta.version, lang);
  if (format === 'docx') return clausesDocx(doc);
  if (format === 'md') return Buffer.from(clausesMarkdown(doc), 'utf8');
  return Buffer.from(JSON.stringify(doc, null, 2) + '\n', 'utf8');
}
