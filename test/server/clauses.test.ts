// GET /api/v1/clauses: the clause library for anyone signed in, as JSON, Markdown or DOCX with the
// matching content type, in the language asked for; unknown parameters are refused.
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClauseDocument } from '../../src/core/clauses/document.js';
import type { ClauseLibrary } from '../../src/core/clauses/schema.js';
import { loadClauseLibrary } from '../../src/report/clauses-file.js';
import { ENGINES } from '../helpers/engines.js';
import { bearer, startTestServer, type TestServer } from '../helpers/server.js';

let lib: ClauseLibrary;
beforeAll(async () => {
  lib = await loadClauseLibrary();
});

describe.each(ENGINES)('clause library route on $name', (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(engine);
  });
  afterAll(async () => {
    await s.close();
    await engine.cleanup();
  });
  // A coordinator sees no organisation's register, but the clauses are not an organisation's data.
  const get = (query: string) => s.app.inject({ url: `/api/v1/clauses${query}`, headers: bearer(s.tokens.a.coordinator) });

  it('answers JSON by default, every clause with its resolved basis and sources', async () => {
    const res = await get('?lang=nl');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const doc = res.json() as ClauseDocument;
    const kb = await s.ctx.knowledge();
    expect(doc).toMatchObject({ lang: 'nl', version: lib.version, kbVersion: kb.meta.version, guidance: lib.guidance.nl });
    const clauses = doc.categories.flatMap((c) => c.clauses);
    expect(clauses.map((c) => c.id).sort()).toEqual(lib.clauses.map((c) => c.id).sort());
    const kolin = clauses.find((c) => c.id === 'excl-third-country-tenderers')!;
    expect(kolin.title).toBe(lib.clauses.find((c) => c.id === kolin.id)!.title.nl);
    const ground = kb.legal.find((l) => l.id === 'eu-cjeu-kolin-c-652-22')!;
    expect(kolin.basis[0]).toMatchObject({ kbId: ground.id, verify: true, analysis: false, summary: ground.summary, sources: ground.sources });
  });

  it('answers Markdown as text/markdown with the guidance note and every clause id', async () => {
    const res = await get('?lang=en&format=md');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="camaudit-clauses-en.md"');
    expect(res.body).toContain('> **Please note:**');
    for (const c of lib.clauses) expect(res.body).toContain(`(\`${c.id}\`)`);
  });

  it('answers a Word document that re-opens with every clause title', async () => {
    const res = await get('?lang=nl&format=docx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const zip = await JSZip.loadAsync(res.rawPayload);
    const xml = await zip.file('word/document.xml')!.async('string');
    for (const c of lib.clauses) expect(xml).toContain(`(${c.id})`);
    expect(xml).toContain('Clausulebibliotheek');
  });

  it('refuses an unknown language, format or parameter, and callers who are not signed in', async () => {
    for (const q of ['?lang=de', '?format=pdf', '?lang=nl&verbose=1']) expect((await get(q)).statusCode, q).toBe(400);
    expect((await s.app.inject({ url: '/api/v1/clauses' })).statusCode).toBe(401);
  });
});
