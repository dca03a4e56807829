// The real job kinds, run by the runner on both engines: an import gives the report
// `camaudit import --json` prints and fills the register; an assessment counts findings by
// severity as `camaudit assess` finds them; a report stores the plan workbook; a scan of an
// emulated lab finds its cameras, reports progress, and stops cleanly when cancelled.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knowledgeLoader } from '../../src/server/context.js';
import { jobHandlers } from '../../src/server/jobs/handlers/index.js';
import { createJobRunner, type JobRunner } from '../../src/server/jobs/runner.js';
import { submitJob } from '../../src/server/jobs/submit.js';
import { makeDevice } from '../../src/lab/emulator/catalogue.js';
import { startLab, type RunningLab } from '../../src/lab/emulator/lab.js';
import type { Store } from '../../src/store/database.js';
import { listDevices } from '../../src/store/devices.js';
import { getJob, readJobFile, requestCancel, type Job } from '../../src/store/jobs.js';
import { createOrganisation } from '../../src/store/organisations.js';
import type { TenantScope } from '../../src/store/tenant.js';
import { cli } from '../helpers/cli.js';
import { ENGINES, freshStore } from '../helpers/engines.js';
import { finished, waitForJob } from '../helpers/job-wait.js';

const REGISTER = join(import.meta.dirname, '..', 'fixtures', 'registers', 'gemeente-register.csv');
const NMAP = join(import.meta.dirname, '..', 'fixtures', 'nmap', 'nmap-7.93-camera-lab.xml');
const now = () => new Date().toISOString();
const LAB = ['hikvision-camera', 'dahua-camera', 'axis-camera'].map((t, i) => makeDevice(t, `127.77.61.${10 + i}`, 61 + i));
const FAST = { rate: 0, perHostIntervalMs: 0, timeoutMs: 800 };

let lab: RunningLab;
beforeAll(async () => {
  lab = await startLab({ devices: LAB });
}, 30_000);

afterAll(async () => {
  await lab?.stop();
  for (const e of ENGINES) await e.cleanup();
});

describe.each(ENGINES)('job kinds on $name', (engine) => {
  let store: Store;
  let runner: JobRunner;
  let scope: TenantScope;
  const submit = (kind: 'import' | 'scan' | 'assess' | 'report', params: Record<string, unknown>, files?: { name: string; content: Buffer }[]) =>
    submitJob({ store, now, jobs: runner }, scope, { kind, params, ...(files ? { files } : {}) });
  const run = async (job: Job) => waitForJob(store, scope, job.id, finished, 60_000);

  beforeAll(async () => {
    store = await freshStore(engine);
    const org = await createOrganisation(store, { slug: 'utrecht', name: 'Gemeente Utrecht', cbsCode: 'GM0344' }, now());
    scope = { orgId: org.id, actor: 'user:anna', source: 'api' };
    runner = createJobRunner(store, {
      instanceId: 'handlers', handlers: jobHandlers(), concurrency: 2, leaseMs: 5000, now, pollMs: 200, knowledge: knowledgeLoader(store),
    });
    await runner.start();
  });

  afterAll(async () => {
    await runner.stop();
    await store.close();
  });

  it('refuses parameters a job kind does not take before storing anything', async () => {
    await expect(submit('import', { file: 'r.csv', dryrun: true })).rejects.toThrow(/import job: .*dryrun/);
    await expect(submit('scan', { targets: [] })).rejects.toThrow(/scan job: targets/);
    await expect(submitJob({ store, now, jobs: runner }, scope, { kind: 'teleport' as 'scan', params: {} })).rejects.toThrow(/no job kind "teleport"/);
  });

  it('imports a register as camaudit import does: a dry run writes nothing, then the same report with the register filled', async () => {
    const file = { name: 'gemeente-register.csv', content: readFileSync(REGISTER) };
    const dry = await run(await submit('import', { file: file.name, dryRun: true }, [file]));
    expect(dry).toMatchObject({ status: 'succeeded', result: { dryRun: true, committed: false, created: 4 } });
    expect((await listDevices(store, scope)).items).toHaveLength(0);

    const done = await run(await submit('import', { file: file.name }, [file]));
    expect(done.status, done.error ?? '').toBe('succeeded');
    const cliDb = join(await ENGINES[0]!.create());
    const viaCli = await cli(['--db', cliDb, '--json', 'import', REGISTER]);
    expect(viaCli.code, viaCli.err).toBe(0);
    expect(done.result).toEqual({ ...(JSON.parse(viaCli.out) as object), file: file.name });
    expect(done.result).toMatchObject({ committed: true, created: 4, rejected: 0 });
    const devices = (await listDevices(store, scope)).items;
    expect(devices.map((d) => d.externalRef).sort()).toEqual(['CAM-001', 'CAM-002', 'CAM-003', 'CAM-004']);
    // Identified on the way in, as the CLI does: HiWatch is a Hikvision brand.
    expect(devices.find((d) => d.externalRef === 'CAM-002')!.manufacturer).toBe('hikvision');
    const history = await store.db.selectFrom('history').select('source').where('org_id', '=', scope.orgId).where('entity_type', '=', 'device').execute();
    expect(new Set(history.map((h) => h.source))).toEqual(new Set([`job:${done.id}`]));
  });

  it('refuses an nmap report as a register import, saying what it is', async () => {
    const failed = await run(await submit('import', { file: 'lab.xml' }, [{ name: 'lab.xml', content: readFileSync(NMAP) }]));
    expect(failed).toMatchObject({ status: 'failed' });
    expect(failed.error).toMatch(/lab\.xml is an nmap report, not a register/);
  });

  it('re-assesses the organisation and counts the active findings by severity', async () => {
    const done = await run(await submit('assess', {}));
    expect(done.status, done.error ?? '').toBe('succeeded');
    const r = done.result as { devices: number; findings: number; bySeverity: Record<'critical' | 'high' | 'medium' | 'low' | 'info', number>; policy: string };
    expect(r.devices).toBe(4);
    expect(r.findings).toBeGreaterThan(0);
    expect(Object.values(r.bySeverity).reduce((a, b) => a + b, 0)).toBe(r.findings);
    expect(r.bySeverity.high + r.bySeverity.critical).toBeGreaterThan(0);
  });

  it('writes the plan workbook as out/plan.xlsx: the comparison and one sheet per scenario', async () => {
    const done = await run(await submit('report', { years: 3, lang: 'en' }));
    expect(done.status, done.error ?? '').toBe('succeeded');
    expect(done.result).toMatchObject({ file: 'out/plan.xlsx', years: 3 });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await readJobFile(store, scope, done.id, 'out/plan.xlsx') as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['comparison', 'replace_now', 'end_of_life', 'risk_based']);
    expect(workbook.getWorksheet('replace_now')!.rowCount).toBeGreaterThan(1);
  });

  it('scans the lab: every camera found, the register updated, progress reported along the way', async () => {
    const job = await submit('scan', { targets: ['127.77.61.0/28'], ports: [80, 443, 554, 8000, 37777], politeness: FAST });
    const done = await waitForJob(store, scope, job.id, finished, 60_000);
    expect(done.status, done.error ?? '').toBe('succeeded');
    const r = done.result as { runId: string; interrupted: boolean; total: number; devices: { ip: string; manufacturer: string | null }[] };
    expect(r).toMatchObject({ interrupted: false, total: 16 });
    expect(r.devices.map((d) => [d.ip, d.manufacturer])).toEqual(LAB.map((d) => [d.ip, d.manufacturer]));
    // The engine's last progress event stays on the job.
    expect(done.progress).toMatchObject({ runId: r.runId, total: 16, done: 16 });
    const run = await store.db.selectFrom('scan_runs').selectAll().where('id', '=', r.runId).executeTakeFirstOrThrow();
    expect(run).toMatchObject({ status: 'done', origin: 'live', actor: 'user:anna' });
    expect(JSON.parse(run.params_json)).toMatchObject({ targets: ['127.77.61.0/28'], credentialsFile: null });
    const found = (await listDevices(store, scope, { q: '127.77.61.' })).items;
    expect(found.map((d) => d.ip).sort()).toEqual(LAB.map((d) => d.ip).sort());
  });

  it('continues a scan handed back at shutdown in the same run on the next runner', async () => {
    await runner.stop();
    const runnerFor = (instanceId: string) => createJobRunner(store, {
      instanceId, handlers: jobHandlers(), concurrency: 1, leaseMs: 5000, now, pollMs: 100, stopTimeoutMs: 100, knowledge: knowledgeLoader(store),
    });
    const first = runnerFor('stopping');
    await first.start();
    const job = await submitJob({ store, now, jobs: first }, scope, { kind: 'scan', params: { targets: ['127.77.63.0/26'], ports: [80], politeness: { rate: 40, concurrency: 2, timeoutMs: 300 } } });
    const running = await waitForJob(store, scope, job.id, (j) => j.status === 'running' && (j.progress as { done?: number } | null)?.done !== undefined, 30_000);
    const runId = (running.progress as { runId: string }).runId;
    await first.stop();
    const handedBack = await getJob(store, scope, job.id);
    expect(handedBack).toMatchObject({ status: 'queued', attempts: 0, progress: { runId } });
    const interrupted = await store.db.selectFrom('scan_runs').select(['status', 'cursor']).where('id', '=', runId).executeTakeFirstOrThrow();
    expect(interrupted.status).toBe('interrupted');

    runner = runnerFor('next');
    await runner.start();
    const done = await waitForJob(store, scope, job.id, finished, 60_000);
    expect(done).toMatchObject({ status: 'succeeded', attempts: 1, result: { runId, interrupted: false, total: 64 } });
    // The second attempt began after the first one's cursor.
    expect((done.result as { done: number }).done).toBe(64);
    expect(await store.db.selectFrom('scan_runs').select('id').where('org_id', '=', scope.orgId).where('params_json', 'like', '%127.77.63.0/26%').execute()).toHaveLength(1);
  });

  it('stops a cancelled scan cleanly: the run is kept as interrupted, the job cancelled with what it had', async () => {
    // A slow, wide scan that cannot finish before it is cancelled.
    const job = await submit('scan', { targets: ['127.77.62.0/22'], ports: [80], politeness: { rate: 50, concurrency: 2, timeoutMs: 300 } });
    await waitForJob(store, scope, job.id, (j) => j.status === 'running' && j.progress !== null, 30_000);
    await requestCancel(store, scope, job.id, now());
    const ended = await waitForJob(store, scope, job.id, finished, 30_000);
    expect(ended.status).toBe('cancelled');
    const r = ended.result as { runId: string; interrupted: boolean; done: number; total: number };
    expect(r.interrupted).toBe(true);
    expect(r.done).toBeLessThan(r.total);
    const stored = await store.db.selectFrom('scan_runs').select(['status', 'cursor']).where('id', '=', r.runId).executeTakeFirstOrThrow();
    expect(stored.status).toBe('interrupted');
    expect((await getJob(store, scope, job.id)).runner).toBeNull();
  });
});
