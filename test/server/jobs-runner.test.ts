// The job runner in this process, on both engines: it runs what is queued (also what was queued
// before it started), records progress and the result or the error, cancels on request, hands
// jobs back when stopped, and every job is recorded in the audit trail. The store keeps tenants apart.
import { setTimeout as sleep } from 'node:timers/promises';
import type { KyselyPlugin } from 'kysely';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createJobRunner, type JobRunner } from '../../src/server/jobs/runner.js';
import type { Store } from '../../src/store/database.js';
import {
  claimJob, createJob, getJob, listJobFiles, listJobs, readJobFile, releaseJob, requestCancel, writeJobFile, type Job,
} from '../../src/store/jobs.js';
import { createOrganisation } from '../../src/store/organisations.js';
import type { TenantScope } from '../../src/store/tenant.js';
import { ENGINES, freshStore } from '../helpers/engines.js';
import { createRunsTable, runsOf, TEST_HANDLERS } from '../helpers/job-handlers.js';
import { finished, waitForJob } from '../helpers/job-wait.js';

const now = () => new Date().toISOString();

afterAll(async () => {
  for (const e of ENGINES) await e.cleanup();
});

describe.each(ENGINES)('jobs on $name', (engine) => {
  let store: Store;
  let runner: JobRunner | null = null;
  const cleanups: (() => Promise<void>)[] = [];

  afterEach(async () => {
    await runner?.stop();
    runner = null;
    for (const c of cleanups.splice(0)) await c();
  });

  async function setup(): Promise<{ scope: TenantScope; other: TenantScope }> {
    store = await freshStore(engine);
    cleanups.push(() => store.close());
    await createRunsTable(store);
    const a = await createOrganisation(store, { slug: 'alpha', name: 'Alpha' }, now());
    const b = await createOrganisation(store, { slug: 'beta', name: 'Beta' }, now());
    return { scope: { orgId: a.id, actor: 'user:anna', source: 'api' }, other: { orgId: b.id, actor: 'user:bert', source: 'api' } };
  }

  function startRunner(options: { leaseMs?: number; stopTimeoutMs?: number; instanceId?: string } = {}): JobRunner {
    const r = createJobRunner(store, {
      instanceId: options.instanceId ?? 'instance-1', handlers: TEST_HANDLERS, concurrency: 2, leaseMs: options.leaseMs ?? 2000, now, pollMs: 100,
      stopTimeoutMs: options.stopTimeoutMs ?? 10_000, knowledge: () => Promise.reject(new Error('not needed')),
      onError: (err) => { throw err; },
    });
    runner = r;
    return r;
  }

  async function auditActions(jobId: string): Promise<string[]> {
    const rows = await store.db.selectFrom('history').select(['action', 'entity_type']).where('entity_id', '=', jobId).orderBy('id').execute();
    expect(rows.every((r) => r.entity_type === 'job')).toBe(true);
    return rows.map((r) => r.action);
  }

  it('runs a queued job, records its progress while it runs, then its result, and audits it', async () => {
    const { scope } = await setup();
    const r = startRunner();
    await r.start();
    const job = await createJob(store, scope, { kind: 'slow', params: { steps: 4, stepMs: 150 } }, now());
    await r.enqueue(job.id);
    const seen: unknown[] = [];
    const done = await waitForJob(store, scope, job.id, (j) => {
      if (j.status === 'running' && j.progress !== null && JSON.stringify(seen.at(-1)) !== JSON.stringify(j.progress)) seen.push(j.progress);
      return finished(j);
    });
    expect(done).toMatchObject({ status: 'succeeded', result: { steps: 4 }, error: null, attempts: 1, runner: null, createdBy: 'user:anna' });
    expect(done.startedAt! >= job.createdAt && done.finishedAt! >= done.startedAt!).toBe(true);
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.map((p) => (p as { step: number }).step)).toEqual([...seen.map((p) => (p as { step: number }).step)].sort());
    expect(await runsOf(store)).toEqual([{ job_id: job.id, instance: 'instance-1', attempt: 1 }]);
    expect(await auditActions(job.id)).toEqual(['create', 'succeeded']);
  });

  it('fails a job whose handler throws, with the handler\'s message; an unknown kind fails too', async () => {
    const { scope } = await setup();
    const r = startRunner();
    await r.start();
    const failing = await createJob(store, scope, { kind: 'fail', params: { message: 'row 3: no such site' } }, now());
    const unknown = await createJob(store, scope, { kind: 'teleport', params: {} }, now());
    await r.enqueue(failing.id);
    await r.enqueue(unknown.id);
    expect(await waitForJob(store, scope, failing.id, finished)).toMatchObject({ status: 'failed', error: 'row 3: no such site', result: null, attempts: 1 });
    expect(await waitForJob(store, scope, unknown.id, finished)).toMatchObject({ status: 'failed', error: 'this server has no handler for jobs of kind "teleport"' });
    expect(await auditActions(failing.id)).toEqual(['create', 'failed']);
  });

  it('runs jobs that were queued before it started, oldest first', async () => {
    const { scope } = await setup();
    const jobs: Job[] = [];
    for (let i = 0; i < 5; i++) jobs.push(await createJob(store, scope, { kind: 'count', params: { ms: 1 } }, now()));
    await sleep(300);
    expect((await listJobs(store, scope, { status: 'queued' })).items).toHaveLength(5);
    await startRunner().start();
    for (const j of jobs) expect(await waitForJob(store, scope, j.id, finished)).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect((await runsOf(store)).map((r) => r.job_id).sort()).toEqual(jobs.map((j) => j.id).sort());
  });

  it('cancels a queued job at once and a running one at its next lease renewal, keeping what it reported', async () => {
    const { scope } = await setup();
    const queued = await createJob(store, scope, { kind: 'count', params: {} }, now());
    const cancelled = await requestCancel(store, scope, queued.id, now());
    expect(cancelled).toMatchObject({ status: 'cancelled', attempts: 0 });
    expect(cancelled.finishedAt).not.toBeNull();
    await expect(requestCancel(store, scope, queued.id, now())).resolves.toMatchObject({ status: 'cancelled' });

    const r = startRunner({ leaseMs: 600 });
    await r.start();
    const running = await createJob(store, scope, { kind: 'slow', params: { steps: 100, stepMs: 50 } }, now());
    await r.enqueue(running.id);
    await waitForJob(store, scope, running.id, (j) => j.status === 'running' && j.progress !== null);
    expect(await requestCancel(store, scope, running.id, now())).toMatchObject({ status: 'cancelling' });
    const ended = await waitForJob(store, scope, running.id, finished, 5000);
    expect(ended.status).toBe('cancelled');
    expect((ended.result as { step: number }).step).toBeLessThan(100);
    expect(await runsOf(store)).toEqual([]);
    expect(await auditActions(queued.id)).toEqual(['create', 'cancel']);
    expect(await auditActions(running.id)).toEqual(['create', 'cancel', 'cancelled']);

    const done = await createJob(store, scope, { kind: 'count', params: { ms: 1 } }, now());
    await r.enqueue(done.id);
    await waitForJob(store, scope, done.id, finished);
    await expect(requestCancel(store, scope, done.id, now())).rejects.toThrow(/has already succeeded/);
  });

  it('hands running jobs back when stopped, and another runner finishes them without counting the interrupted run', async () => {
    const { scope } = await setup();
    const r = startRunner({ stopTimeoutMs: 200 });
    await r.start();
    const job = await createJob(store, scope, { kind: 'slow', params: { steps: 12, stepMs: 100 } }, now());
    await r.enqueue(job.id);
    await waitForJob(store, scope, job.id, (j) => j.status === 'running');
    await r.stop();
    expect(await getJob(store, scope, job.id)).toMatchObject({ status: 'queued', attempts: 0, runner: null });
    await startRunner({ instanceId: 'instance-2' }).start();
    expect(await waitForJob(store, scope, job.id, finished)).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(await runsOf(store)).toEqual([{ job_id: job.id, instance: 'instance-2', attempt: 1 }]);
  });

  it('on a hand-back, cancels a job asked to stop with its audit entry, and queues a running one again', async () => {
    const { scope } = await setup();
    const until = new Date(Date.now() + 60_000).toISOString();
    const stopping = await createJob(store, scope, { kind: 'count', params: {} }, now());
    const running = await createJob(store, scope, { kind: 'count', params: {} }, now());
    for (const job of [stopping, running]) expect(await claimJob(store, job.id, { owner: 'x', until }, now(), 3)).not.toBeNull();
    await requestCancel(store, scope, stopping.id, now());
    await releaseJob(store, stopping.id, 'someone-else', now());
    expect((await getJob(store, scope, stopping.id)).status).toBe('cancelling');
    await releaseJob(store, stopping.id, 'x', now());
    await releaseJob(store, running.id, 'x', now());
    expect(await getJob(store, scope, stopping.id)).toMatchObject({ status: 'cancelled', runner: null, leaseUntil: null });
    expect(await auditActions(stopping.id)).toEqual(['create', 'cancel', 'cancelled']);
    expect(await getJob(store, scope, running.id)).toMatchObject({ status: 'queued', runner: null, attempts: 0 });
    expect(await auditActions(running.id)).toEqual(['create']);
  });

  it('tells the sizes of a job\'s files, counted by the database without fetching their contents', async () => {
    const { scope } = await setup();
    const job = await createJob(store, scope, { kind: 'import', params: {}, files: [{ name: 'bundle.bin', content: Buffer.from([0, 0xff, 0, 0xc3, 0x28]) }] }, now());
    await writeJobFile(store, scope, job.id, 'out/export.bin', Buffer.alloc(2_000_000, 7));
    const fetched: unknown[] = [];
    const spy: KyselyPlugin = {
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        fetched.push(...args.result.rows.flatMap((r) => Object.values(r as Record<string, unknown>)));
        return args.result;
      },
    };
    const files = await listJobFiles({ ...store, db: store.db.withPlugin(spy) }, scope, job.id);
    expect(files).toEqual([{ name: 'in/bundle.bin', size: 5 }, { name: 'out/export.bin', size: 2_000_000 }]);
    expect(fetched.filter((v) => v instanceof Uint8Array)).toEqual([]);
  });

  it('does not take over its own job when the lease renewal was held up past the lease', async () => {
    const { scope } = await setup();
    const r = startRunner({ leaseMs: 300 });
    await r.start();
    const job = await createJob(store, scope, { kind: 'hold', params: { ms: 1500 } }, now());
    await r.enqueue(job.id);
    expect(await waitForJob(store, scope, job.id, finished)).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(await runsOf(store)).toHaveLength(1);
  });

  it('lets one claim win when two runners claim the same job', async () => {
    const { scope } = await setup();
    const job = await createJob(store, scope, { kind: 'count', params: {} }, now());
    const until = new Date(Date.now() + 60_000).toISOString();
    const claims = await Promise.all(['x', 'y', 'z'].map((owner) => claimJob(store, job.id, { owner, until }, now(), 3)));
    expect(claims.filter((c) => c !== null)).toHaveLength(1);
    expect(claims.find((c) => c !== null)).toMatchObject({ status: 'running', attempts: 1 });
  });

  it('keeps jobs, files and pages within their organisation', async () => {
    const { scope, other } = await setup();
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const job = await createJob(store, scope, { kind: i % 2 ? 'import' : 'report', params: { i }, files: [{ name: 'register.csv', content: Buffer.from(`n;${i}`) }] }, `2026-01-01T00:00:0${i}.000Z`);
      ids.push(job.id);
    }
    const foreign = await createJob(store, other, { kind: 'import', params: {} }, now());
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const page = await listJobs(store, scope, {}, { limit: 3, cursor });
      pages.push(page.items.map((j) => j.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual([...ids].reverse());
    expect((await listJobs(store, scope, { kind: 'import' })).items.map((j) => j.params.i)).toEqual([5, 3, 1]);
    expect((await listJobs(store, other)).items.map((j) => j.id)).toEqual([foreign.id]);

    expect((await readJobFile(store, scope, ids[2]!, 'in/register.csv')).toString()).toBe('n;2');
    await writeJobFile(store, scope, ids[2]!, 'out/plan.xlsx', Buffer.from('PK'));
    expect(await listJobFiles(store, scope, ids[2]!)).toEqual([{ name: 'in/register.csv', size: 3 }, { name: 'out/plan.xlsx', size: 2 }]);
    await expect(getJob(store, other, ids[2]!)).rejects.toThrow(/no job/);
    await expect(readJobFile(store, other, ids[2]!, 'in/register.csv')).rejects.toThrow(/no file/);
    await expect(writeJobFile(store, other, ids[2]!, 'out/x.csv', Buffer.from('x'))).rejects.toThrow(/no job/);
    await expect(requestCancel(store, other, ids[2]!, now())).rejects.toThrow(/no job/);
    await expect(readJobFile(store, scope, ids[2]!, 'out/../../etc/passwd')).rejects.toThrow(/must be in\/NAME or out\/NAME/);
    await expect(createJob(store, scope, { kind: 'import', params: {}, files: [{ name: '../x', content: Buffer.from('') }] }, now())).rejects.toThrow(/must be/);
  });
});
