// An online agent's answer to a job: the same signed bundle an offline agent writes to a file,
// verified the same way (openBundle), and then also: signed by the agent sending it, naming a job
// issued to that agent which is still open, scanned for this organisation, and holding only
// addresses the job asked for. The run lands in one transaction; a retry of the same upload after
// a lost answer is told the first result instead of recording the run twice.
import { randomUUID } from 'node:crypto';
import { CamauditError } from '../../core/errors.js';
import type { Organisation } from '../../core/model.js';
import { openBundle, type OpenedBundle } from '../../discover/bundle.js';
import { recordScanRun } from '../../discover/record.js';
import { buildScope, decide } from '../../discover/scope.js';
import { identifierFor } from '../../kb/knowledge.js';
import { answerAgentJob, claimAnswer, endAgentJob, findAgentJob, recordedRunOf, releaseAnswer, type AgentJob } from '../../store/agent-jobs.js';
import { trustedKeys } from '../../store/agents.js';
import type { TenantScope } from '../../store/tenant.js';
import type { AgentPrincipal } from '../auth/principal.js';
import type { ServerContext } from '../context.js';
import type { ResultAnswer } from './protocol.js';

/** Long enough to record a large bundle; a server that dies meanwhile frees the job after this. */
const CLAIM_MS = 15 * 60_000;

/** The first answer to a job, for a retry of the same bundle. */
function earlierAnswer(job: AgentJob, bundle: OpenedBundle): ResultAnswer {
  const result = job.result as (ResultAnswer & { sha256?: string }) | null;
  if (!result || result.sha256 !== bundle.sha256) {
    throw new CamauditError('conflict', `job ${job.id} was answered already with another bundle; a job takes one answer`);
  }
  const { sha256: _sha, ...answer } = result;
  return answer;
}

/** Refuses hosts the job did not ask for: a signature says who scanned, not that it kept to the job. */
function checkHosts(job: AgentJob, bundle: OpenedBundle): void {
  const scope = buildScope({ include: job.params.targets, exclude: job.params.exclude, maxAddresses: Number.MAX_SAFE_INTEGER });
  for (const host of bundle.hosts) {
    const verdict = decide(scope, host.ip);
    if (!verdict.allowed) throw new CamauditError('hostile_input', `the bundle holds ${host.ip}, which job ${job.id} did not ask to scan (${verdict.reason})`, { address: host.ip });
  }
}

async function openJob(ctx: ServerContext, scope: TenantScope, job: AgentJob): Promise<void> {
  const now = ctx.now();
  if (job.status === 'cancelling') {
    await endAgentJob(ctx.store, scope, job, 'cancelled', 'cancelled before the agent answered', now);
    throw new CamauditError('conflict', `job ${job.id} was cancelled; its answer is not recorded`);
  }
  if (job.status !== 'queued' && job.status !== 'running') throw new CamauditError('conflict', `job ${job.id} has ${job.status}; its answer is not recorded`);
  if (job.params.expiresAt <= now) {
    await endAgentJob(ctx.store, scope, job, 'failed', `expired on ${job.params.expiresAt} before the agent answered`, now);
    throw new CamauditError('conflict', `job ${job.id} expired on ${job.params.expiresAt}; its answer is not recorded`);
  }
}

export async function receiveResult(ctx: ServerContext, scope: TenantScope, org: Organisation, agent: AgentPrincipal, content: Buffer): Promise<ResultAnswer> {
  const bundle = openBundle(content, 'upload', await trustedKeys(ctx.store.db, scope));
  if (bundle.agentId !== agent.agentId) {
    throw new CamauditError('forbidden', `the bundle is signed by another agent than "${agent.name}", which sends it; an agent uploads its own bundles only`);
  }
  const { meta } = bundle;
  const job = await findAgentJob(ctx.store, scope, agent.agentId, meta.runId);
  if (!job) throw new CamauditError('not_found', `agent "${agent.name}" has no job ${meta.runId} (the bundle's run id)`);
  if (job.status === 'succeeded') return earlierAnswer(job, bundle);
  if (meta.organisation !== org.slug) {
    throw new CamauditError('invalid_input', `the bundle says it scanned for organisation "${meta.organisation}", but agent "${agent.name}" works for "${org.slug}"`);
  }
  checkHosts(job, bundle);
  await openJob(ctx, scope, job);

  const owner = `answer:${randomUUID()}`;
  const now = ctx.now();
  if (!(await claimAnswer(ctx.store, scope, job, owner, new Date(Date.parse(now) + CLAIM_MS).toISOString(), now))) {
    const again = await findAgentJob(ctx.store, scope, agent.agentId, job.id);
    if (again?.status === 'succeeded') return earlierAnswer(again, bundle);
    throw new CamauditError('conflict', `an answer to job ${job.id} is being recorded right now; retry in a minute`);
  }
  try {
    const runScope = { ...scope, source: `agent-job:${job.id}` };
    const earlier = await recordedRunOf(ctx.store, scope, agent.agentId, job.id);
    let answer: ResultAnswer;
    if (earlier) {
      answer = { jobId: job.id, runId: job.id, scanRunId: earlier.id, created: Number(earlier.stats.created ?? 0), updated: Number(earlier.stats.updated ?? 0), unchanged: Number(earlier.stats.unchanged ?? 0) };
    } else {
      const run = await recordScanRun(ctx.store, runScope, identifierFor(await ctx.knowledge()), {
        origin: 'bundle', actor: scope.actor, agentId: agent.agentId,
        params: {
          ...meta.parameters,
          bundle: { via: 'online', jobId: job.id, runId: meta.runId, sha256: bundle.sha256, organisation: meta.organisation, scannerVersion: meta.scannerVersion, kbVersion: meta.kbVersion },
        },
        stats: meta.statistics, startedAt: meta.startedAt, finishedAt: meta.finishedAt, hosts: bundle.hosts,
      });
      answer = { jobId: job.id, runId: job.id, scanRunId: run.runId, created: run.created, updated: run.updated, unchanged: run.unchanged };
    }
    await answerAgentJob(ctx.store, scope, job.id, owner, { ...answer, sha256: bundle.sha256 }, ctx.now());
    return answer;
  } catch (err) {
    await releaseAnswer(ctx.store, job.id, owner);
    throw err;
  }
}
