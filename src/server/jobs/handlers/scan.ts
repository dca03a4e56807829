// `scan` jobs: a discovery run as `camaudit scan` makes it — the same engine, probes and scope
// guard, each host stored as it comes, a checkpoint to resume from. The run's parameters are
// stored in the shape the CLI uses, so `camaudit scan --resume` continues a run a job started.
// No credentials: this version accepts none through the API, so none are ever stored.
import { z } from 'zod';
import { DEFAULT_FOLLOW_UP_PORTS, DEFAULT_PORTS, runScan, type ScanOutcome } from '../../../discover/engine.js';
import { analyseHost, type FoundDevice } from '../../../discover/found.js';
import { DEFAULT_POLITENESS } from '../../../discover/net.js';
import { GROUP_PROBES, HOST_PROBES } from '../../../discover/probes/index.js';
import { checkpointRun, finishRun, recordHost, startRun, type RecordCounts } from '../../../discover/record.js';
import type { HostResult } from '../../../discover/result.js';
import { buildScope, DEFAULT_MAX_ADDRESSES, type ScopeSpec } from '../../../discover/scope.js';
import { identifierFor } from '../../../kb/knowledge.js';
import { getRun } from '../../../store/scans.js';
import { JobCancelled, type JobHandler } from '../types.js';

const Port = z.number().int().min(1).max(65535);
const Range = z.string().min(1).max(64);

export const ScanJobParams = z.strictObject({
  /** CIDRs, addresses or ranges (a-b). */
  targets: z.array(Range).min(1).max(256),
  exclude: z.array(Range).max(256).default([]),
  /** Public ranges that are the organisation's own and may be scanned. */
  ownPublic: z.array(Range).max(256).default([]),
  ports: z.array(Port).min(1).max(64).optional(),
  followUpPorts: z.array(Port).max(64).optional(),
  maxAddresses: z.number().int().min(1).max(1 << 24).default(DEFAULT_MAX_ADDRESSES),
  politeness: z.strictObject({
    rate: z.number().int().min(0).max(100_000),
    concurrency: z.number().int().min(1).max(4096),
    perHostIntervalMs: z.number().int().min(0).max(60_000),
    timeoutMs: z.number().int().min(1).max(120_000),
    retries: z.number().int().min(0).max(10),
  }).partial().default({}),
});
export type ScanJobParams = z.infer<typeof ScanJobParams>;

/** What a scan job reports while it runs; `runId` lets a re-run after a restart resume the run. */
interface ScanJobProgress {
  runId: string;
  done: number;
  total: number;
  found: number;
  rate: number;
  etaSeconds: number | null;
}

export const scanJob: JobHandler = async ({ job, store, scope, knowledge, now, progress, signal }) => {
  const p = ScanJobParams.parse(job.params);
  const ports = p.ports ?? [...DEFAULT_PORTS];
  const params = {
    targets: p.targets, exclude: p.exclude, ownPublic: p.ownPublic, maxAddresses: p.maxAddresses, ports,
    followUpPorts: (p.followUpPorts ?? [...DEFAULT_FOLLOW_UP_PORTS]).filter((port) => !ports.includes(port)),
    multicast: null, politeness: { ...DEFAULT_POLITENESS, ...p.politeness }, workers: 0, credentialsFile: null,
  };
  const spec: ScopeSpec = { include: params.targets, exclude: params.exclude, ownPublic: params.ownPublic, maxAddresses: params.maxAddresses, multicast: false };
  // Refuse a bad scope before a run is recorded for it.
  buildScope(spec);
  const identifier = identifierFor(await knowledge());

  // An earlier attempt of this job (its server stopped) left a run behind: continue it.
  const earlier = (job.progress as Partial<ScanJobProgress> | null)?.runId;
  const resumed = earlier ? await getRun(store, scope, earlier) : null;
  const runId = resumed && resumed.status !== 'done'
    ? resumed.id
    : await startRun(store.db, scope, { origin: 'live', actor: scope.actor, agentId: null, params, startedAt: now() });
  const runScope = { ...scope, source: `scan:${runId}` };
  const counts: RecordCounts = { created: 0, updated: 0, unchanged: 0 };
  const devices: FoundDevice[] = [];
  // One host at a time: two addresses of one device must not both miss the register and create it twice.
  let storing: Promise<void> = Promise.resolve();
  const storeHost = async (result: HostResult) => {
    const found = await store.db.transaction().execute((trx) => recordHost(trx, runScope, identifier, runId, result, now(), counts));
    if (found) devices.push(found);
  };
  const outcome: ScanOutcome = await runScan({
    spec, ports: params.ports, followUpPorts: params.followUpPorts, politeness: params.politeness, credentials: [],
    multicast: null, hostProbes: HOST_PROBES, groupProbes: GROUP_PROBES, workers: 0,
    classify: (host) => analyseHost(host, identifier.knowledge)?.found.manufacturer ?? null,
    after: resumed?.id === runId ? resumed.cursor : null, now,
  }, {
    host: (result) => (storing = storing.then(() => storeHost(result))),
    checkpoint: async (cursor, figures) => {
      await storing;
      await checkpointRun(store.db, runScope, runId, cursor, { ...figures, ...counts });
    },
    progress: ({ done, total, found, rate, etaSeconds }) => progress({ runId, done, total, found, rate, etaSeconds } satisfies ScanJobProgress),
  }, signal);
  await storing;
  const { net, ...figures } = outcome;
  await finishRun(store.db, runScope, runId, outcome.interrupted ? 'interrupted' : 'done', { ...figures, ...net, ...counts }, now());
  devices.sort((a, b) => a.ip.localeCompare(b.ip, 'en', { numeric: true }));
  const result = { runId, interrupted: outcome.interrupted, done: outcome.done, total: outcome.total, found: devices.length, ...counts, devices };
  if (outcome.interrupted) throw new JobCancelled(result);
  return result;
};
