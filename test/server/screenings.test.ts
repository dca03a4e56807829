// Tender screening through the API: the equipment list as the raw request body, the screening as
// JSON or as the Word report, the organisation's stored policy in force, nothing written.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Screening } from '../../src/core/screen/types.js';
import { registerUploadBodyParser } from '../../src/server/routes/imports.js';
import { setOrganisationPolicy } from '../../src/store/policies.js';
import { ENGINES } from '../helpers/engines.js';
import { bearer, startTestServer, type TestServer } from '../helpers/server.js';

const BID = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'bids', 'bid-nl.csv'));
const SCREENINGS = '/api/v1/organisations/alpha/screenings';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function workbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Offer');
  ws.addRow(['Brand', 'Model', 'Firmware', 'Country of origin']);
  ws.addRow(['HiWatch', 'HWI-B121H', 'V5.5.0 build 190226', 'China']);
  ws.addRow(['Axis', 'P3265-LVE', '10.12.114', 'Sweden']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe.each(ENGINES)('screenings on $name', (engine) => {
  let s: TestServer;
  const post = (query: string, content: Buffer | string, type = 'text/csv', token: string | null = s.tokens.a.viewer) =>
    s.app.inject({ method: 'POST', url: `${SCREENINGS}?${query}`, headers: { ...(token ? bearer(token) : {}), 'content-type': type }, payload: content });

  beforeAll(async () => {
    s = await startTestServer(engine);
    registerUploadBodyParser(s.app);
  });
  afterAll(async () => {
    await s.close();
    await engine.cleanup();
  });

  it('screens a CSV bid list for a viewer and writes nothing', async () => {
    const historyBefore = await s.store.db.selectFrom('history').select('id').execute();
    const res = await post('fileName=bid-nl.csv', BID);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as Screening & { fileName: string };
    expect(body.fileName).toBe('bid-nl.csv');
    expect(body.lines.map((l) => l.verdict)).toEqual(['restricted', 'restricted', 'clear', 'incomplete', 'incomplete', 'incomplete']);
    expect(body.counts).toEqual({ restricted: 2, flagged: 0, incomplete: 3, clear: 1 });
    expect(body.screenedAt).toBe(s.clock.now());
    // Each source once per screening; the lines refer to it by id.
    const sources = (body as unknown as { sources: Record<string, { url?: string }> }).sources;
    const hiwatch = body.lines[0]!.reasons.find((r) => r.kind === 'restricted_manufacturer')! as unknown as { sources: string[] };
    expect(hiwatch.sources.map((id) => sources[id]?.url)).toContain('https://github.com/maciej-or/hikvision_next/pull/107');
    expect(new Set(Object.values(sources).map((x) => JSON.stringify(x))).size).toBe(Object.keys(sources).length);
    expect(await s.store.db.selectFrom('history').select('id').execute()).toHaveLength(historyBefore.length);
  });

  it('reads an XLSX upload and applies the organisation\'s stored policy', async () => {
    const content = await workbook();
    expect((await post('fileName=offer.xlsx', content, XLSX)).json().lines.map((l: { verdict: string }) => l.verdict)).toEqual(['restricted', 'clear']);
    const scope = { orgId: s.orgs.a.id, actor: 'test', source: 'test' };
    await setOrganisationPolicy(s.store, scope, 'extends: default\nname: lenient\nmeasures: []\nhuman_rights_measures: []\n', 'lenient.yaml', s.clock.now());
    const res = await post('fileName=offer.xlsx', content, XLSX);
    expect(res.json()).toMatchObject({ policy: 'lenient', counts: { restricted: 0, clear: 2 } });
    // Beta's policy is its own.
    const beta = await s.app.inject({ method: 'POST', url: '/api/v1/organisations/beta/screenings?fileName=offer.xlsx', headers: { ...bearer(s.tokens.b.viewer), 'content-type': XLSX }, payload: content });
    expect(beta.json()).toMatchObject({ policy: 'default', counts: { restricted: 1 } });
  });

  it('answers the Word report with format=docx', async () => {
    const res = await post('fileName=bid-nl.csv&format=docx&lang=en', BID);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('wordprocessingml.document');
    expect(res.headers['content-disposition']).toBe('attachment; filename="screening-bid-nl.csv.docx"');
    const xml = await (await JSZip.loadAsync(res.rawPayload)).file('word/document.xml')!.async('string');
    expect(xml).toContain('restricted');
    expect(xml).toContain('CVE-2021-33045');
    expect(xml).toContain('=HYPERLINK(&quot;http://evil.example/');
  });

  it('refuses bad requests: no body, unknown parameters, a path in the file name, a table that is no bid list, no credentials', async () => {
    expect((await post('fileName=bid.csv', '')).statusCode).toBe(400);
    expect((await post('fileName=bid.csv&dryRun=true', BID)).statusCode).toBe(400);
    expect((await post('fileName=../bid.csv', BID)).statusCode).toBe(400);
    expect((await post('fileName=bid.csv&format=pdf', BID)).statusCode).toBe(400);
    const notBid = await post('fileName=sites.csv', 'Locatie;Adres\nStadhuis;Markt 1\n');
    expect(notBid.statusCode).toBe(400);
    expect(notBid.json().detail).toContain('sites.csv: no brand (merk)');
    expect(notBid.body).not.toContain('camaudit-job-');
    expect((await post('fileName=bid.csv', BID, 'text/csv', null)).statusCode).toBe(401);
    expect((await s.app.inject({ method: 'POST', url: '/api/v1/organisations/beta/screenings?fileName=b.csv', headers: { ...bearer(s.tokens.a.viewer), 'content-type': 'text/csv' }, payload: BID })).statusCode).toBe(404);
  });
});
