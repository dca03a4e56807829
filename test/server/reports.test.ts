// GET …/reports/council: the council report of the organisation in the path as the file itself,
// in the language and format asked for; 409 before an assessment, the public edition without IP
// addresses, another organisation's report out of reach, unknown parameters refused.
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy } from '../../src/ingest/policy.js';
import { runAssessment } from '../../src/store/assessments.js';
import { ENGINES } from '../helpers/engines.js';
import { bearer, startTestServer, type TestServer } from '../helpers/server.js';

describe.each(ENGINES)('council report route on $name', (engine) => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer(engine);
  });
  afterAll(async () => {
    await s.close();
    await engine.cleanup();
  });
  const get = (query: string, token = s.tokens.a.viewer, org = 'alpha') =>
    s.app.inject({ url: `/api/v1/organisations/${org}/reports/council${query}`, headers: bearer(token) });

  it('asks for an assessment first (409)', async () => {
    const res = await get('');
    expect(res.statusCode, res.body).toBe(409);
    expect((res.json() as { detail: string }).detail).toMatch(/assess/);
  });

  it('answers HTML in Dutch by default with the register\'s counts', async () => {
    const scope = { orgId: s.orgs.a.id, actor: 'test', source: 'test' };
    await runAssessment(s.store, scope, await s.ctx.knowledge(), await defaultPolicy(), s.clock.now());
    const res = await get('');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="council-report-alpha-nl.html"');
    expect(res.body).toContain('De organisatie heeft 3 apparaten in gebruik op 2 locaties');
    expect(res.body).toContain('10.0.0.11');
    for (const maker of ['Hikvision', 'Dahua', 'Axis']) expect(res.body).toContain(maker);
  });

  it('answers the public edition without IP addresses, and Markdown in English', async () => {
    const res = await get('?format=md&lang=en&public=true');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="council-report-alpha-en-public.md"');
    expect(res.body).toContain('The organisation has 3 devices in service at 2 locations');
    expect(res.body).not.toMatch(/10\.0\.0\.1\d/);
  });

  it('answers a Word document that re-opens', async () => {
    const res = await get('?format=docx&lang=en');
    expect(res.statusCode).toBe(200);
    const xml = await (await JSZip.loadAsync(res.rawPayload)).file('word/document.xml')!.async('string');
    expect(xml).toContain('Appendix: devices in service');
  });

  it('keeps another organisation\'s report out of reach and refuses unknown parameters', async () => {
    expect((await get('', s.tokens.b.viewer)).statusCode).toBe(404);
    expect((await get('', s.tokens.a.coordinator)).statusCode).toBe(403);
    expect((await get('?format=odt')).statusCode).toBe(400);
    expect((await get('?colour=red')).statusCode).toBe(400);
  });
});
