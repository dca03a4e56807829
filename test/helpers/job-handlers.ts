// Job kinds for the runner tests: each run of a job leaves a row in job_test_runs (job, runner
// instance), so a test can count how often every job really ran, across processes.
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { CamauditError } from '../../src/core/errors.js';
import { JobCancelled, type JobContext, type JobHandlers } from '../../src/server/jobs/types.js';
import type { Store } from '../../src/store/database.js';

export async function createRunsTable(store: Store): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS job_test_runs (job_id text NOT NULL, instance text NOT NULL, attempt integer NOT NULL)`.execute(store.db);
}

export async function runsOf(store: Store): Promise<{ job_id: string; instance: string; attempt: number }[]> {
  const { rows } = await sql<{ job_id: string; instance: string; attempt: number }>`SELECT job_id, instance, attempt FROM job_test_runs`.execute(store.db);
  return rows.map((r) => ({ ...r, attempt: Number(r.attempt) }));
}

async function recordRun({ job, store }: JobContext): Promise<void> {
  await sql`INSERT INTO job_test_runs (job_id, instance, attempt) VALUES (${job.id}, ${job.runner ?? ''}, ${job.attempts})`.execute(store.db);
}

const num = (v: unknown, fallback: number) => (typeof v === 'number' ? v : fallback);

export const TEST_HANDLERS: JobHandlers = {
  /** Records its run after a short pause. */
  count: async (ctx) => {
    await sleep(num(ctx.job.params.ms, 20));
    await recordRun(ctx);
    return { ran: true };
  },
  /** `steps` steps of `stepMs`, reporting each; stops early (cancelled) when asked to. */
  slow: async (ctx) => {
    const steps = num(ctx.job.params.steps, 5);
    for (let step = 1; step <= steps; step++) {
      await sleep(num(ctx.job.params.stepMs, 100));
      if (ctx.signal.aborted) throw new JobCancelled({ step });
      ctx.progress({ step, of: steps });
    }
    await recordRun(ctx);
    return { steps };
  },
  /** Holds a write transaction for `ms`, as a large import does: on SQLite nothing else is written meanwhile. */
  hold: async (ctx) => {
    await ctx.store.db.transaction().execute(async (trx) => {
      await sql`INSERT INTO job_test_runs (job_id, instance, attempt) VALUES (${ctx.job.id}, ${ctx.job.runner ?? ''}, ${ctx.job.attempts})`.execute(trx);
      await sleep(num(ctx.job.params.ms, 1000));
    });
    return { held: true };
  },
  /** Takes its runner's process down with it. */
  crash: async () => {
    process.kill(process.pid, 'SIGKILL');
    await sleep(60_000);
  },
  fail: async (ctx) => {
    throw new CamauditError('invalid_input', String(ctx.job.params.message ?? 'it failed'));
  },
};
