// Jobs survive the death of their server process, on both engines: a runner process is killed
// (SIGKILL) in the middle of a job, and a new runner takes the job over once the dead one's lease
// has lapsed and finishes it; a job that kills every runner that takes it is failed after three.
import { afterAll, describe, expect, it } from 'vitest';
import { createJobRunner } from '../../src/server/jobs/runner.js';
import { migrateToLatest, openStore, type Store } from '../../src/store/database.js';
import { createJob, getJob } from '../../src/store/jobs.js';
import { createOrganisation } from '../../src/store/organisations.js';
import type { TenantScope } from '../../src/store/tenant.js';
import { ENGINES } from '../helpers/engines.js';
import { createRunsTable, runsOf, TEST_HANDLERS } from '../helpers/job-handlers.js';
import { startWorker } from '../helpers/job-process.js';
import { finished, waitForJob } from '../helpers/job-wait.js';

const now = () => new Date().toISOString();
const LEASE_MS = 1500;

afterAll(async () => {
  for (const e of ENGINES) await e.cleanup();
});

describe.each(ENGINES)('jobs across restarts on $name', (engine) => {
  async function setup(): Promise<{ store: Store; location: string; scope: TenantScope }> {
    const location = await engine.create();
    const store = await openStore(location);
    await migrateToLatest(store);
    await createRunsTable(store);
    const org = await createOrganisation(store, { slug: 'alpha', name: 'Alpha' }, now());
    return { store, location, scope: { orgId: org.id, actor: 'user:anna', source: 'api' } };
  }

  it('finishes a job whose runner was killed mid-job on the next runner, as its second attempt', async () => {
    const { store, location, scope } = await setup();
    try {
      const job = await createJob(store, scope, { kind: 'slow', params: { steps: 20, stepMs: 100 } }, now());
      const first = startWorker(location, 'doomed', LEASE_MS);
      await first.waitFor('ready');
      const running = await waitForJob(store, scope, job.id, (j) => j.status === 'running' && (j.progress as { step?: number } | null)?.step !== undefined);
      expect(running).toMatchObject({ runner: 'doomed', attempts: 1 });
      first.child.kill('SIGKILL');
      expect(await first.exited).toBe('SIGKILL');
      expect((await getJob(store, scope, job.id)).status).toBe('running');

      const runner = createJobRunner(store, {
        instanceId: 'successor', handlers: TEST_HANDLERS, concurrency: 1, leaseMs: LEASE_MS, now, pollMs: 100,
        knowledge: () => Promise.reject(new Error('not needed')),
      });
      await runner.start();
      try {
        const done = await waitForJob(store, scope, job.id, finished, 30_000);
        expect(done).toMatchObject({ status: 'succeeded', attempts: 2, result: { steps: 20 } });
        // The killed run never got to the end; only the successor's run did.
        expect(await runsOf(store)).toEqual([{ job_id: job.id, instance: 'successor', attempt: 2 }]);
      } finally {
        await runner.stop();
      }
    } finally {
      await store.close();
    }
  }, 90_000);

  it('fails a job that killed its runner three times, saying so, and runs it no more', async () => {
    const { store, location, scope } = await setup();
    try {
      const job = await createJob(store, scope, { kind: 'crash', params: {} }, now());
      const deaths: (NodeJS.Signals | number | null)[] = [];
      for (let attempt = 1; attempt <= 3; attempt++) {
        const worker = startWorker(location, `victim-${attempt}`, LEASE_MS);
        deaths.push(await worker.exited);
        expect(await getJob(store, scope, job.id)).toMatchObject({ status: 'running', attempts: attempt, runner: `victim-${attempt}` });
      }
      expect(deaths).toEqual(['SIGKILL', 'SIGKILL', 'SIGKILL']);

      const survivor = startWorker(location, 'survivor', LEASE_MS);
      await survivor.waitFor('ready');
      const failed = await waitForJob(store, scope, job.id, finished, 30_000);
      survivor.send('stop');
      expect(await survivor.exited).toBe(0);
      expect(failed).toMatchObject({ status: 'failed', attempts: 3, runner: null });
      expect(failed.error).toMatch(/stopped before it finished, 3 times \(last: victim-3\); it is not run again/);
      const audit = await store.db.selectFrom('history').select('action').where('entity_id', '=', job.id).orderBy('id').execute();
      expect(audit.map((a) => a.action)).toEqual(['create', 'failed']);
    } finally {
      await store.close();
    }
  }, 120_000);
});
