// The job runner of a server process. On SQLite an in-process runner polls the jobs table; on
// PostgreSQL pg-boss carries job ids to whichever instance has a free worker. Either way the jobs
// table is the record and the lock: a runner claims the row before it runs the job, so a job
// dispatched twice still runs once. See docs/decisions/0009-jobs.md.
import type { KnowledgeBase } from '../../kb/schema.js';
import type { Store } from '../../store/database.js';
import type { Job } from '../../store/jobs.js';
import { localRunner } from './local-runner.js';
import { pgBossRunner } from './pg-boss-runner.js';
import type { JobHandlers } from './types.js';

export interface JobRunner {
  /** Starts taking work, including jobs queued before the start and jobs whose runner died. */
  start(): Promise<void>;
  /** Stops taking work; running jobs finish, or are handed back when they outlast the stop timeout. */
  stop(): Promise<void>;
  /** Tells the runners that the stored job `jobId` is waiting. */
  enqueue(jobId: string): Promise<void>;
}

export interface JobRunnerOptions {
  /** Names this process as the owner of the jobs it runs. */
  instanceId: string;
  handlers: JobHandlers;
  /** Jobs this process runs at once. */
  concurrency: number;
  /** How long a claim holds without renewal; a runner renews it every third of this. */
  leaseMs: number;
  now: () => string;
  knowledge: () => Promise<KnowledgeBase>;
  /** Runs of a job whose runner died before it is failed; default 3. */
  maxAttempts?: number;
  /** How often an idle runner looks for work it was not told about; default 1 s. */
  pollMs?: number;
  /** How long stop() waits for running jobs before handing them back; default 10 s. */
  stopTimeoutMs?: number;
  /** Errors no request is waiting for (a failed lease renewal, a lost database connection). */
  onError?: (err: unknown, job?: Job) => void;
}

/** Settings with every default filled in, as both runners use them. */
export type RunnerSettings = Required<JobRunnerOptions>;

export function createJobRunner(store: Store, options: JobRunnerOptions): JobRunner {
  const settings: RunnerSettings = {
    ...options,
    maxAttempts: options.maxAttempts ?? 3,
    pollMs: options.pollMs ?? 1000,
    stopTimeoutMs: options.stopTimeoutMs ?? 10_000,
    // Nobody waits for these errors; unreported they would vanish.
    onError: options.onError ?? ((err, job) => process.stderr.write(`job runner${job ? ` (job ${job.id})` : ''}: ${err instanceof Error ? err.message : String(err)}\n`)),
  };
  return store.engine.name === 'postgres' ? pgBossRunner(store, settings) : localRunner(store, settings);
}
