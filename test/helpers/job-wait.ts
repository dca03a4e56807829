// Waiting for a job to reach a state, by polling its row as the event stream does.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Store } from '../../src/store/database.js';
import { getJob, type Job } from '../../src/store/jobs.js';
import type { TenantScope } from '../../src/store/tenant.js';

export async function waitForJob(store: Store, scope: TenantScope, id: string, until: (job: Job) => boolean, timeoutMs = 20_000): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await getJob(store, scope, id);
    if (until(job)) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} (${job.kind}) still ${job.status} after ${timeoutMs} ms: ${JSON.stringify(job)}`);
    await sleep(50);
  }
}

export const finished = (job: Job) => job.status === 'succeeded' || job.status === 'failed' || job.status === 'cancelled';
