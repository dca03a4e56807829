// Running one claimed job: keep its lease alive, pass progress through (throttled), watch for a
// cancel request, and record how it ended. Both runners (in-process and pg-boss) share this.
import { CamauditError } from '../../core/errors.js';
import type { KnowledgeBase } from '../../kb/schema.js';
import type { Store } from '../../store/database.js';
import { finishJob, jobOrganisation, readJobFile, releaseJob, renewLease, writeJobFile, type Job, type JobOutcome, type Lease } from '../../store/jobs.js';
import type { TenantScope } from '../../store/tenant.js';
import { JobCancelled, type JobHandlers } from './types.js';

export interface ExecuteOptions {
  store: Store;
  owner: string;
  handlers: JobHandlers;
  leaseMs: number;
  now: () => string;
  knowledge: () => Promise<KnowledgeBase>;
  /** Aborts when the runner is stopping and wants its jobs handed back. */
  handBack: AbortSignal;
  onError: (err: unknown, job: Job) => void;
}

/** Progress is written at most this often; the event stream polls the row at about this rate. */
const PROGRESS_MS = 200;

type StopReason = 'cancel' | 'hand-back' | 'lost';

export async function executeJob(job: Job, o: ExecuteOptions): Promise<void> {
  const lease = (): Lease => ({ owner: o.owner, until: new Date(Date.parse(o.now()) + o.leaseMs).toISOString() });
  const abort = new AbortController();
  let stopReason: StopReason | null = null;
  const stop = (reason: StopReason) => {
    if (stopReason === null) stopReason = reason;
    abort.abort(new CamauditError('conflict', `job ${job.id} stopped: ${reason}`));
  };
  const onHandBack = () => stop('hand-back');
  if (o.handBack.aborted) onHandBack();
  o.handBack.addEventListener('abort', onHandBack);

  // One write at a time, in order: the latest progress and a fresh lease go together.
  let pending: unknown;
  let lastWrite = 0;
  let writing: Promise<void> = Promise.resolve();
  const write = () => {
    const progress = pending;
    pending = undefined;
    lastWrite = Date.now();
    writing = writing.then(async () => {
      const status = await renewLease(o.store, job.id, lease(), progress);
      if (status === null) stop('lost');
      else if (status === 'cancelling') stop('cancel');
    }).catch((err: unknown) => o.onError(err, job));
  };
  const heartbeat = setInterval(write, Math.max(50, Math.floor(o.leaseMs / 3)));
  let progressTimer: NodeJS.Timeout | null = null;
  const progress = (p: unknown) => {
    pending = p;
    if (progressTimer) return;
    const wait = Math.max(0, PROGRESS_MS - (Date.now() - lastWrite));
    progressTimer = setTimeout(() => {
      progressTimer = null;
      write();
    }, wait);
  };

  const scope: TenantScope = Object.freeze({ orgId: job.orgId, actor: job.createdBy, source: `job:${job.id}` });
  let outcome: JobOutcome;
  try {
    const handler = o.handlers[job.kind];
    if (!handler) throw new CamauditError('unsupported', `this server has no handler for jobs of kind "${job.kind}"`);
    // A cancel asked for while the job waited for a runner is seen before any work starts.
    const status = await renewLease(o.store, job.id, lease());
    if (status !== 'running') stop(status === 'cancelling' ? 'cancel' : 'lost');
    if (stopReason !== null) throw abort.signal.reason;
    const result = await handler({
      job, scope, store: o.store, org: await jobOrganisation(o.store, job), knowledge: o.knowledge, now: o.now,
      progress, signal: abort.signal,
      readFile: (name) => readJobFile(o.store, scope, job.id, `in/${name}`),
      writeFile: (name, content) => writeJobFile(o.store, scope, job.id, `out/${name}`, content),
    });
    outcome = { status: 'succeeded', result };
  } catch (err) {
    if (err instanceof JobCancelled) outcome = { status: 'cancelled', result: err.result };
    else if (stopReason === 'cancel') outcome = { status: 'cancelled' };
    else outcome = { status: 'failed', error: err instanceof Error ? err.message : String(err) };
  } finally {
    clearInterval(heartbeat);
    if (progressTimer) clearTimeout(progressTimer);
    o.handBack.removeEventListener('abort', onHandBack);
  }
  try {
    if (pending !== undefined) write();
    await writing;
    // A job stopped for the server's shutdown is handed back, not ended: another runner finishes it.
    if (stopReason === 'hand-back' && outcome.status !== 'succeeded') await releaseJob(o.store, job.id, o.owner, o.now());
    else if (stopReason !== 'lost') await finishJob(o.store, job.id, o.owner, outcome, o.now());
  } catch (err) {
    o.onError(err, job);
  }
}
