// Register imports through the API: the file as the raw request body, a preview that detects the
// column mapping and reads the first rows without writing, and the import itself as a job that,
// run by a real runner, writes what `camaudit import` would (or nothing, in a dry run).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobRunner, type JobRunner } from '../../src/server/jobs/runner.js';
import { jobHandlers } from '../../src/server/jobs/handlers/index.js';
import { registerUploadBodyParser } from '../../src/server/routes/imports.js';
import { listAudit } from '../../src/store/audit.js';
import { getJob, listJobFiles, type Job } from '../../src/store/jobs.js';
import { ENGINES } from '../helpers/engines.js';
import { finished, waitForJob } from '../helpers/job-wait.js';
import { bearer, startTestServer, type TestServer } from '../helpers/server.js';

const FIX = join(import.meta.dirname, '..', 'fixtures');
const REGISTER = readFileSync(join(FIX, 'registers', 'gemeente-register.csv'));
const WORKBOOK = readFileSync(join(FIX, 'xlsx', 'merged-site-excel-order.xlsx'));
const NMAP = readFileSync(join(FIX, 'nmap', 'nmap-7.93-camera-lab.xml'));
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const IMPORTS = '/api/v1/organisations/alpha/imports';

interface Preview {
  format: string;
  columns: { index: number; header: string; field: string | null; custom: string | null }[];
  rows: { row: number; records: { device: Record<string, unknown>; site: { name: string } | null }[]; errors: { message: string }[] }[];
  problem: string | null;
  fields: string[];
}

/** Alpha's register and its history; jobs and token use are not part of it. */
async function register(s: TestServer): Promise<unknown[]> {
  const orgId = s.orgs.a.id;
  const tables = await Promise.all((['devices', 'sites', 'networks'] as const).map((t) => s.store.db.selectFrom(t).selectAll().where('org_id', '=', orgId).orderBy('id').execute()));
  const history = await s.store.db.selectFrom('history').selectAll().where('org_id', '=', orgId).where('entity_type', 'in', ['device', 'site', 'network']).orderBy('id').execute();
  return [...tables, history];
}

describe.each(ENGINES)('imports on $name', (engine) => {
  let s: TestServer;
  const upload = (url: string, content: Buffer | string, type = 'text/csv', token = s.tokens.a.editor) =>
    s.app.inject({ method: 'POST', url, headers: { ...bearer(token), 'content-type': type }, payload: content });

  beforeAll(async () => {
    s = await startTestServer(engine);
    registerUploadBodyParser(s.app);
  });
  afterAll(async () => {
    await s.close();
    await engine.cleanup();
  });

  it('previews a Dutch register: detected mapping, first rows read through it, nothing written', async () => {
    const before = await register(s);
    const res = await upload(`${IMPORTS}/preview?fileName=register.csv&rows=2`, REGISTER, 'text/csv; charset=utf-8');
    expect(res.statusCode, res.body).toBe(200);
    const p = res.json() as Preview;
    expect(p.format).toBe('csv');
    const field = (header: string) => p.columns.find((c) => c.header === header);
    expect(field('Merk')).toMatchObject({ field: 'brand', custom: null });
    expect(field('Serienummer')).toMatchObject({ field: 'serial' });
    expect(field('Opmerking')).toMatchObject({ field: null, custom: 'Opmerking' });
    expect(p.rows).toHaveLength(2);
    expect(p.rows[0]!.records[0]!.device).toMatchObject({ externalRef: 'CAM-001', brand: 'Hikvision', mac: '44:19:b6:01:02:03', retentionDays: 28 });
    expect(p.rows[0]!.records[0]!.site?.name).toBe('Parkeergarage Centrum – inrit');
    expect(p.problem).toBeNull();
    expect(p.fields).toContain('legalBasis');
    expect(await register(s)).toEqual(before);
  });

  it('applies a mapping given as JSON, and refuses a mapping to an unknown field', async () => {
    const map = encodeURIComponent(JSON.stringify({ Opmerking: 'ignore', Type: 'firmware' }));
    const p = (await upload(`${IMPORTS}/preview?fileName=register.csv&map=${map}`, REGISTER)).json() as Preview;
    expect(p.columns.find((c) => c.header === 'Opmerking')).toMatchObject({ field: null, custom: null });
    expect(p.columns.find((c) => c.header === 'Type')).toMatchObject({ field: 'firmware' });
    const bad = await upload(`${IMPORTS}/preview?fileName=register.csv&map=${encodeURIComponent('{"Merk":"colour"}')}`, REGISTER);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toMatch(/unknown field "colour"/);
  });

  it('reads a workbook sent as bytes, and names a file without device columns as the problem', async () => {
    const xlsx = await upload(`${IMPORTS}/preview?fileName=register.xlsx`, WORKBOOK, XLSX);
    expect(xlsx.statusCode, xlsx.body).toBe(200);
    expect((xlsx.json() as Preview).format).toBe('xlsx');
    const odd = await upload(`${IMPORTS}/preview?fileName=odd.csv`, 'Kleur;Smaak\r\nrood;zoet\r\n', 'application/octet-stream');
    expect(odd.statusCode).toBe(200);
    expect((odd.json() as Preview).problem).toMatch(/no device columns recognised/);
  });

  it('refuses what is not a register upload', async () => {
    const nmap = await upload(`${IMPORTS}?fileName=scan.xml`, NMAP, 'application/octet-stream');
    expect(nmap.statusCode).toBe(400);
    expect(nmap.json().detail).toMatch(/an nmap report, not a register/);
    const json = await s.app.inject({ method: 'POST', url: `${IMPORTS}?fileName=x.csv`, headers: bearer(s.tokens.a.editor), payload: { rows: [] } });
    expect(json.statusCode).toBe(400);
    expect(json.json().detail).toMatch(/send the file as the request body/);
    for (const name of ['../etc/passwd', '.hidden', 'a/b.csv']) {
      expect.soft((await upload(`${IMPORTS}?fileName=${encodeURIComponent(name)}`, REGISTER)).statusCode, name).toBe(400);
    }
    expect((await upload(`${IMPORTS}?fileName=r.csv&dryRun=yes`, REGISTER)).statusCode).toBe(400);
    expect((await upload(`${IMPORTS}?fileName=r.csv`, REGISTER, 'text/csv', s.tokens.a.viewer)).statusCode).toBe(403);
  });

  it('starts an import job with the file and the options, and answers 202 with where to follow it', async () => {
    const map = encodeURIComponent(JSON.stringify({ Opmerking: 'ignore' }));
    const res = await upload(`${IMPORTS}?fileName=register.csv&dryRun=true&skipInvalid=true&map=${map}`, REGISTER);
    expect(res.statusCode, res.body).toBe(202);
    const { job, links } = res.json() as { job: Job; links: { self: string; events: string } };
    expect(job).toMatchObject({ kind: 'import', status: 'queued', createdBy: 'token:editor token', params: { file: 'register.csv', dryRun: true, skipInvalid: true, map: { Opmerking: 'ignore' } } });
    expect(links).toEqual({ self: `/api/v1/organisations/alpha/jobs/${job.id}`, events: `/api/v1/organisations/alpha/jobs/${job.id}/events` });
    expect(res.headers.location).toBe(links.self);
    expect(await listJobFiles(s.store, { orgId: s.orgs.a.id, actor: 'test', source: 'test' }, job.id)).toEqual([{ name: 'in/register.csv', size: REGISTER.length }]);
  });

  it('still parses JSON bodies on the other routes', async () => {
    const res = await s.app.inject({ method: 'POST', url: '/api/v1/organisations/alpha/devices', headers: bearer(s.tokens.a.editor), payload: { serial: 'JSON-1' } });
    expect(res.statusCode).toBe(201);
  });
});

describe('an import job run to the end', () => {
  const engine = ENGINES[0]!;
  let s: TestServer;
  let runner: JobRunner;
  const scope = () => ({ orgId: s.orgs.a.id, actor: 'test', source: 'test' });

  beforeAll(async () => {
    s = await startTestServer(engine, { context: { now: () => new Date().toISOString() } });
    registerUploadBodyParser(s.app);
    runner = createJobRunner(s.store, {
      instanceId: 'test-runner', handlers: jobHandlers(), concurrency: 1, leaseMs: 5000, now: () => new Date().toISOString(),
      pollMs: 50, knowledge: s.ctx.knowledge,
    });
    await runner.start();
  });
  afterAll(async () => {
    await runner.stop();
    await s.close();
    await engine.cleanup();
  });

  async function run(query: string): Promise<Job> {
    const res = await s.app.inject({ method: 'POST', url: `${IMPORTS}?fileName=register.csv${query}`, headers: { ...bearer(s.tokens.a.editor), 'content-type': 'text/csv' }, payload: REGISTER });
    expect(res.statusCode, res.body).toBe(202);
    return waitForJob(s.store, scope(), (res.json() as { job: Job }).job.id, finished);
  }

  it('reports in a dry run what an import would do, and writes nothing', async () => {
    const before = await register(s);
    const job = await run('&dryRun=true');
    expect(job.status, job.error ?? '').toBe('succeeded');
    expect(job.result).toMatchObject({ dryRun: true, committed: false, created: 4, rejected: 0 });
    expect(await register(s)).toEqual(before);
  });

  it('imports the register, identifies the makers, and records every device as written by the job', async () => {
    const job = await run('');
    expect(job.status, job.error ?? '').toBe('succeeded');
    expect(job.result).toMatchObject({ committed: true, created: 4 });
    const list = await s.app.inject({ url: '/api/v1/organisations/alpha/devices?q=CAM-00&sort=-updatedAt', headers: bearer(s.tokens.a.viewer) });
    const items = (list.json() as { items: { id: string; externalRef: string; brand: string; manufacturer: string | null }[] }).items;
    expect(items.map((d) => d.externalRef).sort()).toEqual(['CAM-001', 'CAM-002', 'CAM-003', 'CAM-004']);
    expect(items.find((d) => d.brand === 'HiWatch')!.manufacturer).toMatch(/hikvision/i);
    const history = await listAudit(s.store, { orgId: s.orgs.a.id }, { entityId: items[0]!.id });
    expect(history.items[0]).toMatchObject({ action: 'create', source: `job:${job.id}` });
    expect((await getJob(s.store, scope(), job.id)).createdBy).toBe('token:editor token');
  });
});
