// The jobs one runner is executing, and the graceful part of stopping: wait for them to finish,
// then ask the stragglers to hand their jobs back, then give up on any that ignore the request.
import type { Store } from '../../store/database.js';
import { releaseJob, type Job } from '../../store/jobs.js';
import { executeJob } from './execute.js';
import type { RunnerSettings } from './runner.js';

/** How long a job asked to hand back may take to stop before its row is released anyway. */
const HAND_BACK_GRACE_MS = 2000;

export class ActiveJobs {
  private readonly running = new Map<string, Promise<void>>();
  private readonly handBack = new AbortController();

  constructor(private readonly store: Store, private readonly s: RunnerSettings) {}

  get size(): number {
    return this.running.size;
  }

  /** Ids of the jobs running here: alive, whatever their lease says. */
  get ids(): string[] {
    return [...this.running.keys()];
  }

  has(jobId: string): boolean {
    return this.running.has(jobId);
  }

  /** Executes a claimed job; resolves when it has ended and its outcome is stored. */
  run(job: Job): Promise<void> {
    const done = executeJob(job, {
      store: this.store, owner: this.s.instanceId, handlers: this.s.handlers, leaseMs: this.s.leaseMs, now: this.s.now,
      knowledge: this.s.knowledge, handBack: this.handBack.signal, onError: this.s.onError,
    }).finally(() => this.running.delete(job.id));
    this.running.set(job.id, done);
    return done;
  }

  async drain(): Promise<void> {
    if (!(await settled([...this.running.values()], this.s.stopTimeoutMs))) {
      this.handBack.abort();
      if (!(await settled([...this.running.values()], HAND_BACK_GRACE_MS))) {
        // A handler that ignores its signal keeps running until the process exits; its job row
        // is released now so that another instance takes it over, and its late writes are refused.
        for (const id of this.running.keys()) await releaseJob(this.store, id, this.s.instanceId, this.s.now()).catch(this.s.onError);
      }
    }
  }
}

async function settled(promises: Promise<void>[], ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), ms); });
  const all = Promise.allSettled(promises).then(() => true as const);
  try {
    return await Promise.race([all, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
