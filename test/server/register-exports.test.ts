// Device exports through the API: the list's filters, formulas neutralised, the public view
// narrowed by the publication policy, XLSX readable by a spreadsheet library — and an export that
// the import preview reads back without a mapping.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUploadBodyParser } from '../../src/server/routes/imports.js';
import { ENGINES } from '../helpers/engines.js';
import { bearer, startTestServer, type TestServer } from '../helpers/server.js';

const ORG = '/api/v1/organisations/alpha';
const engine = ENGINES[0]!;
let s: TestServer;

/** CSV lines → cells; the test data has no quoted separators. */
const rows = (csv: string) => csv.replace(/^\uFEFF/, '').trim().split('\r\n').map((line) => line.split(','));

beforeAll(async () => {
  s = await startTestServer(engine);
  registerUploadBodyParser(s.app);
  const res = await s.app.inject({
    method: 'POST', url: `${ORG}/devices`, headers: bearer(s.tokens.a.editor),
    payload: { externalRef: 'alpha-4', brand: 'Hikvision', kind: 'camera', purpose: '=HYPERLINK("http://x")' },
  });
  expect(res.statusCode, res.body).toBe(201);
});
afterAll(async () => {
  await s.close();
  await engine.cleanup();
});

describe('device exports', () => {
  it('exports the filtered devices as CSV with formulas neutralised', async () => {
    const res = await s.app.inject({ url: `${ORG}/exports/devices.csv?brand=hikvision`, headers: bearer(s.tokens.a.viewer) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="alpha-devices.csv"');
    const [headers, ...lines] = rows(res.body);
    expect(headers).toContain('serial');
    const ref = headers!.indexOf('reference');
    expect(lines.map((l) => l[ref]).sort()).toEqual(['alpha-1', 'alpha-4']);
    expect(res.body).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(res.body).not.toMatch(/(^|,)=HYPERLINK/m);
  });

  it('leaves out what the publication policy keeps from the public', async () => {
    const res = await s.app.inject({ url: `${ORG}/exports/devices.csv?public=true`, headers: bearer(s.tokens.a.viewer) });
    const [headers, ...lines] = rows(res.body);
    expect(headers).toContain('brand');
    for (const hidden of ['serial', 'ip', 'mac', 'camaudit_id', 'latitude']) expect.soft(headers).not.toContain(hidden);
    expect(lines).toHaveLength(4);
    expect(res.headers['content-disposition']).toContain('alpha-devices-public.csv');
  });

  it('exports XLSX that a spreadsheet library reads', async () => {
    const res = await s.app.inject({ url: `${ORG}/exports/devices.xlsx?kind=camera`, headers: bearer(s.tokens.a.viewer) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('devices')!;
    expect(sheet.rowCount).toBe(4);
    const purpose = (sheet.getRow(1).values as string[]).indexOf('purpose');
    const cells = [2, 3, 4].map((r) => sheet.getRow(r).getCell(purpose).value);
    expect(cells).toContain(`'=HYPERLINK("http://x")`);
  });

  it('gives an export the import preview maps completely without help', async () => {
    const csv = await s.app.inject({ url: `${ORG}/exports/devices.csv`, headers: bearer(s.tokens.a.viewer) });
    const preview = await s.app.inject({
      method: 'POST', url: `${ORG}/imports/preview?fileName=export.csv`, headers: { ...bearer(s.tokens.a.editor), 'content-type': 'text/csv' }, payload: csv.rawPayload,
    });
    expect(preview.statusCode, preview.body).toBe(200);
    const body = preview.json() as { columns: { header: string; field: string | null }[]; rows: { errors: unknown[] }[]; problem: string | null };
    expect(body.columns.filter((c) => c.field === null)).toEqual([]);
    expect(body.problem).toBeNull();
    expect(body.rows.flatMap((r) => r.errors)).toEqual([]);
  });

  it('refuses filters it does not know', async () => {
    const res = await s.app.inject({ url: `${ORG}/exports/devices.csv?format=pdf`, headers: bearer(s.tokens.a.viewer) });
    expect(res.statusCode).toBe(400);
  });
});
