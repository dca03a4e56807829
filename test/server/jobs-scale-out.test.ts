// Several server instances share one PostgreSQL database: two runner processes, each submitting
// jobs through pg-boss, together run 40 jobs — every job exactly once, and both do some of the work.
import { afterAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openStore } from '../../src/store/database.js';
import { listJobs } from '../../src/store/jobs.js';
import { createOrganisation } from '../../src/store/organisations.js';
import { ENGINES, PG_AVAILABLE } from '../helpers/engines.js';
import { createRunsTable, runsOf } from '../helpers/job-handlers.js';
import { startWorker } from '../helpers/job-process.js';
import { waitForJob, finished } from '../helpers/job-wait.js';

const postgres = ENGINES.find((e) => e.name === 'postgres');

afterAll(async () => {
  await postgres?.cleanup();
});

describe.skipIf(!PG_AVAILABLE)('jobs on two instances sharing PostgreSQL', () => {
  it('runs each of 40 jobs exactly once, spread over both instances', async () => {
    const location = await postgres!.create();
    const store = await openStore(location);
    try {
      await migrateToLatest(store);
      await createRunsTable(store);
      const org = await createOrganisation(store, { slug: 'alpha', name: 'Alpha' }, new Date().toISOString());
      const scope = { orgId: org.id, actor: 'test', source: 'test' };
      const workers = [startWorker(location, 'instance-a', 5000), startWorker(location, 'instance-b', 5000)];
      await Promise.all(workers.map((w) => w.waitFor('ready')));
      for (const w of workers) w.send('submit count 20 {"ms":40}');
      const ids = (await Promise.all(workers.map((w) => w.waitFor('submitted')))).flatMap((line) => line.split(' ').slice(1));
      expect(new Set(ids).size).toBe(40);
      for (const id of ids) expect(await waitForJob(store, scope, id, finished, 60_000)).toMatchObject({ status: 'succeeded', attempts: 1 });
      for (const w of workers) w.send('stop');
      expect(await Promise.all(workers.map((w) => w.exited))).toEqual([0, 0]);
      for (const w of workers) expect(w.stderr()).not.toContain('runner error');

      const runs = await runsOf(store);
      expect(runs).toHaveLength(40);
      expect(new Set(runs.map((r) => r.job_id))).toEqual(new Set(ids));
      const byInstance = new Map<string, number>();
      for (const r of runs) byInstance.set(r.instance, (byInstance.get(r.instance) ?? 0) + 1);
      expect([...byInstance.keys()].sort()).toEqual(['instance-a', 'instance-b']);
      expect((await listJobs(store, scope, { status: 'succeeded' }, { limit: 100 })).items).toHaveLength(40);
    } finally {
      await store.close();
    }
  }, 120_000);
});
