// The PostgreSQL runner: pg-boss carries job ids to a free worker on any instance sharing the
// database; the worker claims the jobs row before running it, so a duplicate or late delivery
// runs nothing. pg-boss talks through the store's own connection pool. A sweep re-sends the ids
// of jobs no worker was told about (queued while no server ran, or left by a runner that died).
import { setTimeout as sleep } from 'node:timers/promises';
import { CompiledQuery } from 'kysely';
import PgBoss from 'pg-boss';
import type { Store } from '../../store/database.js';
import { claimJob, runnableJobIds } from '../../store/jobs.js';
import { ActiveJobs } from './active-jobs.js';
import type { JobRunner, RunnerSettings } from './runner.js';
import { sweepJobs } from './sweep.js';

const QUEUE = 'camaudit-jobs';
const DEADLOCK = '40P01';

interface Dispatch {
  jobId: string;
}

/**
 * pg-boss's queries on the store's pool. Some of its scripts open a transaction themselves
 * (BEGIN; …; COMMIT) and expect to fail when another instance got there first; pg's own pool
 * discards a connection after an error, the store's pool keeps it, so the failed transaction is
 * rolled back here before the connection is reused.
 */
function bossDb(store: Store): PgBoss.Db {
  return {
    executeSql: (text: string, values?: unknown[]) => store.db.connection().execute(async (conn) => {
      try {
        const result = await conn.executeQuery(CompiledQuery.raw(text, values ?? []));
        return { rows: [...result.rows] };
      } catch (err) {
        await conn.executeQuery(CompiledQuery.raw('ROLLBACK'));
        throw err;
      }
    }),
  };
}

/**
 * pg-boss 10 creates a queue without a lock of its own: instances starting together can deadlock
 * on it. PostgreSQL then aborts one of them, and that one tries again (creation is idempotent).
 */
async function createQueue(b: PgBoss): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await b.createQueue(QUEUE, { name: QUEUE, policy: 'short' });
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== DEADLOCK || attempt === 5) throw err;
      await sleep(50 * attempt);
    }
  }
}

export function pgBossRunner(store: Store, s: RunnerSettings): JobRunner {
  let boss: PgBoss | null = null;
  let active: ActiveJobs | null = null;
  let timer: NodeJS.Timeout | null = null;
  const workers: string[] = [];

  const lease = () => ({ owner: s.instanceId, until: new Date(Date.parse(s.now()) + s.leaseMs).toISOString() });

  const send = async (b: PgBoss, jobId: string) => {
    // The 'short' queue policy keeps one waiting delivery per key: re-sending a job that is
    // already waiting for a worker adds nothing. pg-boss never retries: the lease decides retries.
    await b.send(QUEUE, { jobId } satisfies Dispatch, { singletonKey: jobId, retryLimit: 0, expireInHours: 23 });
  };

  const work = async (deliveries: PgBoss.Job<Dispatch>[]) => {
    for (const d of deliveries) {
      const jobs = active;
      if (!jobs || !boss) return;
      // A job of ours whose lease renewal is late is still ours: not run a second time here.
      if (jobs.has(d.data.jobId)) continue;
      const job = await claimJob(store, d.data.jobId, lease(), s.now(), s.maxAttempts);
      if (!job) continue;
      await jobs.run(job);
      // Where one job waited, more may: look again at once instead of after the polling interval.
      for (const id of workers) boss?.notifyWorker(id);
    }
  };

  const sweep = async (b: PgBoss) => {
    try {
      const own = active?.ids ?? [];
      await sweepJobs(store, s, own);
      for (const id of await runnableJobIds(store, s.now(), s.maxAttempts)) if (!own.includes(id)) await send(b, id);
    } catch (err) {
      s.onError(err);
    }
  };

  return {
    async start() {
      if (boss) return;
      const b = new PgBoss({ db: bossDb(store), schedule: false, supervise: true });
      b.on('error', (err) => s.onError(err));
      await b.start();
      await createQueue(b);
      boss = b;
      active = new ActiveJobs(store, s);
      // One pg-boss worker per slot, each taking one delivery at a time: `concurrency` jobs at once.
      const pollingIntervalSeconds = Math.max(0.5, s.pollMs / 1000);
      for (let i = 0; i < s.concurrency; i++) workers.push(await b.work<Dispatch>(QUEUE, { batchSize: 1, pollingIntervalSeconds }, work));
      await sweep(b);
      timer = setInterval(() => void sweep(b), Math.max(500, Math.floor(s.leaseMs / 2)));
    },
    async stop() {
      const b = boss;
      const jobs = active;
      if (!b || !jobs) return;
      active = null;
      if (timer) clearInterval(timer);
      await b.offWork(QUEUE);
      await jobs.drain();
      // Not graceful: our own jobs are drained already; pg-boss need not wait for its workers' loops.
      await b.stop({ graceful: false, close: false });
      boss = null;
      workers.length = 0;
    },
    async enqueue(jobId) {
      const b = boss;
      if (!b) return;
      await send(b, jobId);
      for (const id of workers) b.notifyWorker(id);
    },
  };
}
