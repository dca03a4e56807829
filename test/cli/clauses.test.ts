// `camaudit clauses`: Markdown to the terminal, Markdown and DOCX to a file in the language of
// --lang; the Word document re-opens and holds every clause title.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClauseLibrary } from '../../src/core/clauses/schema.js';
import { loadClauseLibrary } from '../../src/report/clauses-file.js';
import { cli } from '../helpers/cli.js';

let dir: string;
let lib: ClauseLibrary;
let env: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'camaudit-clauses-'));
  env = { CAMAUDIT_DB: join(dir, 'c.db') };
  lib = await loadClauseLibrary();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The XML of the document body, with the text of every run joined per paragraph. */
async function documentText(file: string): Promise<string> {
  const zip = await JSZip.loadAsync(await readFile(file));
  const xml = await zip.file('word/document.xml')!.async('string');
  return xml.split('</w:p>').map((p) => [...p.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('')).join('\n')
    .replace(/&apos;/g, '\'').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

describe('camaudit clauses', () => {
  it('prints Markdown in Dutch with --lang nl after the command', async () => {
    const r = await cli(['clauses', '--lang', 'nl'], env);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^# Clausulebibliotheek/);
    for (const c of lib.clauses) expect(r.out).toContain(`(\`${c.id}\`)`);
  });

  it('writes a Word document that re-opens with the guidance note and every clause title', async () => {
    const file = join(dir, 'clauses.docx');
    const r = await cli(['clauses', '--lang', 'en', '--format', 'docx', '-o', file], env);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe(`${lib.clauses.length} clauses (en, docx) written to ${file}`);
    const text = await documentText(file);
    expect(text.indexOf(lib.guidance.en)).toBeGreaterThan(0);
    for (const c of lib.clauses) expect(text).toContain(`${c.title.en} (${c.id})`);
    expect(text).toContain('UNVERIFIED');
    // The project's own analysis is labelled as such, and each KB basis carries the record's summary.
    expect(text).toMatch(/Security requirements in specification and contract.* — ANALYSIS/);
    expect(text).toContain('Summary in the knowledge base: ');
    expect(text).toContain('Directive 2014/25 (utilities)');
  });

  it('writes JSON and reports the file with --json', async () => {
    const file = join(dir, 'clauses.json');
    const r = await cli(['--json', 'clauses', '--lang', 'nl', '--format', 'json', '-o', file], env);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ file, format: 'json', lang: 'nl', clauses: lib.clauses.length });
    const doc = JSON.parse(await readFile(file, 'utf8')) as { lang: string; guidance: string };
    expect(doc).toMatchObject({ lang: 'nl', guidance: lib.guidance.nl.trim() });
  });

  it('refuses DOCX to the terminal and an unknown format', async () => {
    const docx = await cli(['clauses', '--format', 'docx'], env);
    expect(docx.code).toBe(2);
    expect(docx.err).toContain('-o');
    const bad = await cli(['clauses', '--format', 'pdf'], env);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--format must be md, docx or json');
  });
});
