// The sweep: which addresses have a camera port open. It is most of a scan's connections, so a
// large scope is split over worker threads (sweep-worker.ts), each sweeping every n-th address
// through its own GuardedNet built from the same scope: the guard holds in every thread.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { GuardedNet, type NetStats, type Politeness } from './net.js';
import { addresses, buildScope, toNumber, type ScopeSpec } from './scope.js';

/** Below this many addresses a worker's start-up costs more than it saves. */
const WORKER_THRESHOLD = 4096;

export interface SweepPlan {
  spec: ScopeSpec;
  ports: readonly number[];
  politeness: Politeness;
  /** Resuming: sweep only the addresses after this one. */
  after: string | null;
  /** Threads to sweep with; 0 chooses by scope size and processor count. */
  workers: number;
}

export interface SweptHost {
  ip: string;
  openPorts: number[];
}

/** What a sweep reports, in batches: live hosts, and how far each part has finished. */
export interface SweepReport {
  part: number;
  hosts: SweptHost[];
  /** Every address of this part up to this one (as a number) is swept; -1: none yet. */
  doneUpTo: number;
  /** Addresses of this part swept since the previous report. */
  swept: number;
}

export interface SweepHandle {
  parts: number;
  /** Resolves with the parts' network figures once every part has finished or stopped. */
  finished: Promise<NetStats[]>;
  stop(): void;
}

export function workerCount(plan: SweepPlan, size: number): number {
  if (plan.workers > 0) return plan.workers;
  return size >= WORKER_THRESHOLD ? Math.max(1, Math.min(availableParallelism(), 4)) : 1;
}

const REPORT_MS = 100;

/**
 * Sweeps addresses `part`, `part + parts`, … of the scope, `concurrency` hosts at a time, all
 * ports of a host at once. Reports in batches so a thread does not post a message per address.
 */
export async function sweepPart(
  netw: GuardedNet,
  plan: Pick<SweepPlan, 'ports' | 'after'>,
  part: number,
  parts: number,
  report: (r: SweepReport) => void,
  stopped: () => boolean,
): Promise<void> {
  const order = addresses(netw.scope, plan.after ?? undefined);
  let index = -1;
  const pending: { n: number; finished: boolean }[] = [];
  let doneUpTo = -1;
  let hosts: SweptHost[] = [];
  let swept = 0;
  let last = Date.now();
  const flush = (force: boolean) => {
    while (pending.length > 0 && pending[0]!.finished) doneUpTo = pending.shift()!.n;
    if (!force && Date.now() - last < REPORT_MS) return;
    last = Date.now();
    report({ part, hosts, doneUpTo, swept });
    hosts = [];
    swept = 0;
  };
  const next = (): string | null => {
    for (;;) {
      const r = order.next();
      if (r.done) return null;
      if (++index % parts === part) return r.value;
    }
  };
  const worker = async () => {
    for (let ip = stopped() ? null : next(); ip !== null; ip = stopped() ? null : next()) {
      const entry = { n: toNumber(ip), finished: false };
      pending.push(entry);
      const open = await Promise.all(plan.ports.map(async (port) => ((await netw.isOpen(ip, port)) ? port : null)));
      const openPorts = open.filter((p): p is number => p !== null);
      if (openPorts.length > 0) hosts.push({ ip, openPorts });
      entry.finished = true;
      swept++;
      flush(false);
    }
  };
  const concurrency = Math.max(1, Math.floor(netw.politeness.concurrency / Math.max(1, plan.ports.length)));
  await Promise.all(Array.from({ length: concurrency }, worker));
  // A part that ran to the end has swept everything it owns.
  if (!stopped()) doneUpTo = Number.MAX_SAFE_INTEGER;
  flush(true);
}

/**
 * A worker running sweep-worker: the compiled module, or when running from TypeScript source
 * (tests), a bootstrap that registers the TypeScript loader in the thread first.
 */
function sweepWorker(workerData: unknown): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./sweep-worker.js', import.meta.url), { workerData });
  const entry = new URL('./sweep-worker.ts', import.meta.url).href;
  const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

/** Starts the sweep in this thread or in workers; `report` is called in this thread. */
export function startSweep(plan: SweepPlan, report: (r: SweepReport) => void): SweepHandle {
  const scope = buildScope(plan.spec);
  const parts = workerCount(plan, scope.size);
  // Each part gets its share of the rate limit, so the whole sweep keeps to the one asked for.
  const politeness: Politeness = { ...plan.politeness, rate: plan.politeness.rate > 0 ? plan.politeness.rate / parts : 0, concurrency: Math.max(1, Math.floor(plan.politeness.concurrency / parts)) };
  let stopping = false;
  if (parts === 1) {
    const netw = new GuardedNet(scope, politeness);
    const finished = sweepPart(netw, plan, 0, 1, report, () => stopping).then(() => [netw.stats]);
    return { parts, finished, stop: () => (stopping = true) };
  }
  const workers = Array.from({ length: parts }, (_, part) => sweepWorker({ spec: plan.spec, ports: plan.ports, politeness, after: plan.after, part, parts }));
  const finished = Promise.all(workers.map((w) => new Promise<NetStats>((resolve, reject) => {
    let stats: NetStats | null = null;
    w.on('message', (m: { type: 'report'; report: SweepReport } | { type: 'done'; stats: NetStats }) => {
      if (m.type === 'report') report(m.report);
      else stats = m.stats;
    });
    w.once('error', (err) => {
      // One failed part ends the sweep: the others must not go on sending.
      for (const other of workers) void other.terminate();
      reject(err);
    });
    w.once('exit', (code) => (stats ? resolve(stats) : reject(new Error(`sweep worker stopped with code ${code} before finishing`))));
  })));
  return {
    parts,
    finished,
    stop: () => {
      if (stopping) return;
      stopping = true;
      for (const w of workers) w.postMessage({ type: 'stop' });
    },
  };
}
