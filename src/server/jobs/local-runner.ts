// The in-process runner (SQLite): claims the oldest runnable job whenever it has a free slot —
// woken at once by enqueue(), and by a poll that finds jobs queued before the start, queued by
// another process on the same file, or left behind by a runner that died; the same poll ends jobs
// nobody else will (sweep.ts).
import type { Store } from '../../store/database.js';
import { claimNextJob } from '../../store/jobs.js';
import { ActiveJobs } from './active-jobs.js';
import type { JobRunner, RunnerSettings } from './runner.js';
import { sweepJobs } from './sweep.js';

export function localRunner(store: Store, s: RunnerSettings): JobRunner {
  let active: ActiveJobs | null = null;
  let timer: NodeJS.Timeout | null = null;
  let pumping: Promise<void> | null = null;
  let again = false;

  const lease = () => ({ owner: s.instanceId, until: new Date(Date.parse(s.now()) + s.leaseMs).toISOString() });

  const fill = async (jobs: ActiveJobs) => {
    do {
      again = false;
      while (active === jobs && jobs.size < s.concurrency) {
        const job = await claimNextJob(store, lease(), s.now(), s.maxAttempts, jobs.ids);
        if (!job) break;
        void jobs.run(job).then(pump);
      }
    } while (again && active === jobs);
  };

  // One claimer at a time; a wake-up during a pass makes it look once more.
  function pump(): Promise<void> {
    const jobs = active;
    if (!jobs) return Promise.resolve();
    if (pumping) {
      again = true;
      return pumping;
    }
    pumping = fill(jobs).catch((err: unknown) => s.onError(err)).finally(() => { pumping = null; });
    return pumping;
  }

  const poll = async () => {
    if (active) await sweepJobs(store, s, active.ids).catch((err: unknown) => s.onError(err));
    await pump();
  };

  return {
    async start() {
      if (active) return;
      active = new ActiveJobs(store, s);
      timer = setInterval(() => void poll(), s.pollMs);
      await poll();
    },
    async stop() {
      const jobs = active;
      if (!jobs) return;
      active = null;
      if (timer) clearInterval(timer);
      await pumping;
      await jobs.drain();
    },
    async enqueue() {
      await pump();
    },
  };
}
