// What an online agent does with its jobs: check each against its own local scope file (the server
// is not trusted to keep the agent inside its segment), scan with the same engine and scope guard
// as `camaudit scan`, sign the result as a bundle and push it. Nothing is stored on the agent.
import { CamauditError } from '../../core/errors.js';
import { createBundle } from '../../discover/bundle.js';
import { DEFAULT_FOLLOW_UP_PORTS, runScan } from '../../discover/engine.js';
import { analyseHost } from '../../discover/found.js';
import { DEFAULT_POLITENESS, type Politeness } from '../../discover/net.js';
import { GROUP_PROBES, HOST_PROBES } from '../../discover/probes/index.js';
import type { HostResult } from '../../discover/result.js';
import { buildScope, type ScopeSpec } from '../../discover/scope.js';
import type { Identifier } from '../../kb/knowledge.js';
import { VERSION } from '../../version.js';
import type { AgentClient } from './client.js';
import type { PulledJob, ResultAnswer } from './protocol.js';
import { firstOutside } from './scope-cover.js';

export type JobOutcome =
  | { jobId: string; kind: 'answered'; addresses: number; hosts: number; answer: ResultAnswer }
  | { jobId: string; kind: 'refused'; reason: string }
  | { jobId: string; kind: 'interrupted' };

export interface AgentWork {
  client: AgentClient;
  /** The local scope file's entries and its name for messages. */
  localScope: readonly string[];
  scopeFile: string;
  privateKeyPem: string;
  identifier: Identifier;
  now: () => string;
  signal: AbortSignal;
}

const POLITENESS_KEYS = ['rate', 'concurrency', 'perHostConcurrency', 'perHostIntervalMs', 'timeoutMs', 'retries'] as const;

/** The job's connection limits over the defaults; unknown names from the server are ignored. */
function politenessOf(job: PulledJob): Politeness {
  const p: Politeness = { ...DEFAULT_POLITENESS };
  for (const k of POLITENESS_KEYS) {
    const v = job.politeness[k];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) p[k] = v;
  }
  return p;
}

/** Why the agent will not run the job, or null when it may. */
function refusalOf(job: PulledJob, w: AgentWork): string | null {
  let outside: string | null;
  try {
    outside = firstOutside(job.targets, w.localScope);
    buildScope({ include: job.targets, exclude: job.exclusions });
  } catch (err) {
    return err instanceof CamauditError ? err.message : String(err);
  }
  return outside === null ? null : `target ${outside} lies outside this agent's local scope file ${w.scopeFile}`;
}

async function scan(job: PulledJob, w: AgentWork): Promise<{ hosts: HostResult[]; bundle: Buffer; addresses: number } | null> {
  const spec: ScopeSpec = { include: job.targets, exclude: job.exclusions, multicast: false };
  const politeness = politenessOf(job);
  const followUpPorts = DEFAULT_FOLLOW_UP_PORTS.filter((p) => !job.ports.includes(p));
  const hosts: HostResult[] = [];
  const startedAt = w.now();
  const outcome = await runScan({
    spec, ports: job.ports, followUpPorts, politeness, credentials: [], multicast: null,
    hostProbes: HOST_PROBES, groupProbes: GROUP_PROBES, workers: 0,
    classify: (host) => analyseHost(host, w.identifier.knowledge)?.found.manufacturer ?? null, now: w.now,
  }, {
    host: async (result) => { hosts.push(result); },
    checkpoint: async () => undefined,
  }, w.signal);
  if (outcome.interrupted) return null;
  const { net, ...figures } = outcome;
  const statistics = Object.fromEntries(Object.entries({ ...figures, ...net }).filter(([, v]) => typeof v === 'number' || typeof v === 'boolean')) as Record<string, number | boolean>;
  const bundle = createBundle({
    meta: {
      runId: job.runId, organisation: job.organisation, startedAt, finishedAt: w.now(), scannerVersion: VERSION,
      kbVersion: w.identifier.kb.meta.version, statistics,
      parameters: {
        targets: job.targets, exclusions: job.exclusions, ports: job.ports, multicast: null,
        politeness: { ...politeness }, credentialsUsed: false,
      },
    },
    hosts,
  }, w.privateKeyPem);
  return { hosts, bundle, addresses: outcome.done };
}

export async function runJob(job: PulledJob, w: AgentWork): Promise<JobOutcome> {
  const refusal = refusalOf(job, w);
  if (refusal !== null) {
    await w.client.refuse(job.jobId, refusal);
    return { jobId: job.jobId, kind: 'refused', reason: refusal };
  }
  const done = await scan(job, w);
  if (!done) return { jobId: job.jobId, kind: 'interrupted' };
  const answer = await w.client.answer(done.bundle);
  return { jobId: job.jobId, kind: 'answered', addresses: done.addresses, hosts: done.hosts.length, answer };
}

/** One round: fetch the open jobs and work through them in order; stops early when interrupted. */
export async function workOnce(w: AgentWork, report: (o: JobOutcome) => void): Promise<JobOutcome[]> {
  const outcomes: JobOutcome[] = [];
  for (const job of await w.client.jobs()) {
    if (w.signal.aborted) break;
    const outcome = await runJob(job, w);
    outcomes.push(outcome);
    report(outcome);
  }
  return outcomes;
}
