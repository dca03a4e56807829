// Scan jobs for online agents. They are rows of the jobs table like any job (people list, follow
// and cancel them the same way), but with agent_id set, which keeps every server runner off them:
// the agent pulls them, scans, and answers with a signed bundle. Their life: queued → running
// (handed to the agent) → succeeded (its bundle recorded), or failed (expired, refused by the
// agent), or cancelled (by a person, or because the agent was revoked). The run id a bundle
// carries is the job's id, so an answer names its job without anything else to keep in step.
// An agent that polls ends its expired and cancelled jobs as it goes; for one that went silent,
// the server's job runner sweeps them (endOverdueAgentJobs), so no job stays open for ever.
import { type Kysely, type Selectable, type Transaction } from 'kysely';
import { CamauditError } from '../core/errors.js';
import { appendAudit } from './audit.js';
import type { Store } from './database.js';
import { createJob, type Job } from './jobs.js';
import type { Database, JobsTable } from './schema.js';
import type { TenantScope } from './tenant.js';

export const AGENT_JOB_KIND = 'agent-scan';

export interface AgentScanParams {
  targets: string[];
  exclude: string[];
  ports: number[];
  /** Connection limits by name (rate, concurrency, perHostIntervalMs, timeoutMs, retries). */
  politeness: Record<string, number>;
  /** After this the agent's answer is refused and the job fails. */
  expiresAt: string;
}

export interface AgentJob {
  id: string;
  agentId: string;
  status: string;
  params: AgentScanParams;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  result: Record<string, unknown> | null;
  error: string | null;
  /** Set while an answer is being recorded. */
  claim: { owner: string; until: string } | null;
}

type Row = Selectable<JobsTable>;
type Db = Kysely<Database> | Transaction<Database>;
const UNFINISHED = ['queued', 'running', 'cancelling'];

function fromRow(r: Row): AgentJob {
  return {
    id: r.id, agentId: r.agent_id!, status: r.status, params: JSON.parse(r.params_json) as AgentScanParams,
    createdAt: r.created_at, startedAt: r.started_at, finishedAt: r.finished_at,
    result: r.result_json === null ? null : (JSON.parse(r.result_json) as Record<string, unknown>), error: r.error,
    claim: r.lease_owner && r.lease_until ? { owner: r.lease_owner, until: r.lease_until } : null,
  };
}

const agentJobs = (db: Db, scope: TenantScope, agentId: string) => db.selectFrom('jobs').selectAll()
  .where('org_id', '=', scope.orgId).where('agent_id', '=', agentId).where('kind', '=', AGENT_JOB_KIND);

const expired = (job: AgentJob) => `the agent did not answer before ${job.params.expiresAt}`;
const ended = (status: 'failed' | 'cancelled', error: string | null, now: string): Partial<Row> => ({
  status, error, finished_at: now, lease_owner: null, lease_until: null,
});

/** What the audit trail keeps of a change of state. */
const state = (j: AgentJob) => ({ status: j.status, ...(j.error ? { error: j.error } : {}), ...(j.result ? { result: j.result } : {}) });

async function transition(
  trx: Transaction<Database>, store: Store, scope: TenantScope, before: AgentJob, set: Partial<Row>, action: string, now: string,
): Promise<AgentJob | null> {
  // The status in the WHERE: a change made meanwhile (a person cancelling) is not overwritten.
  const row = await trx.updateTable('jobs').set(set).where('id', '=', before.id).where('org_id', '=', scope.orgId)
    .where('status', '=', before.status).returningAll().executeTakeFirst();
  if (!row) return null;
  const after = fromRow(row);
  await appendAudit(trx, store.engine, scope, [{ action, entityType: 'job', entityId: after.id, before: state(before), after: state(after) }], now);
  return after;
}

/** Queues a scan for the agent; checking the targets against its scopes is the caller's part. */
export async function createAgentJob(store: Store, scope: TenantScope, agentId: string, params: AgentScanParams, now: string): Promise<Job> {
  return createJob(store, scope, { kind: AGENT_JOB_KIND, params: { ...params }, agentId }, now);
}

/**
 * The jobs to give the agent now, oldest first. On the way, queued jobs become running (handed
 * out), jobs a person asked to stop are cancelled, and expired ones fail, each with its audit
 * entry. A job whose answer is being recorded right now is not handed out again.
 */
export async function handOutJobs(store: Store, scope: TenantScope, agentId: string, now: string): Promise<AgentJob[]> {
  return store.db.transaction().execute(async (trx) => {
    const rows = await agentJobs(trx, scope, agentId).where('status', 'in', UNFINISHED).orderBy('created_at').orderBy('id').execute();
    const out: AgentJob[] = [];
    for (const job of rows.map(fromRow)) {
      if (job.status === 'cancelling') {
        await transition(trx, store, scope, job, ended('cancelled', null, now), 'cancelled', now);
      } else if (job.params.expiresAt <= now) {
        await transition(trx, store, scope, job, ended('failed', expired(job), now), 'failed', now);
      } else if (job.claim && job.claim.until > now) {
        continue;
      } else if (job.status === 'queued') {
        const started = await transition(trx, store, scope, job, { status: 'running', started_at: now }, 'start', now);
        if (started) out.push(started);
      } else {
        out.push(job);
      }
    }
    return out;
  });
}

/** The agent's job with this id, or null: another agent's or another organisation's job is no different from none. */
export async function findAgentJob(store: Store, scope: TenantScope, agentId: string, jobId: string): Promise<AgentJob | null> {
  const row = await agentJobs(store.db, scope, agentId).where('id', '=', jobId).executeTakeFirst();
  return row ? fromRow(row) : null;
}

/**
 * Claims the job for recording an answer: of two uploads at once, one records and the other is
 * told to retry. The claim lapses by itself if this server dies while recording. Not audited: it
 * is a lock; the answer's outcome is.
 */
export async function claimAnswer(store: Store, scope: TenantScope, job: AgentJob, owner: string, until: string, now: string): Promise<boolean> {
  const r = await store.db.updateTable('jobs').set({ lease_owner: owner, lease_until: until })
    .where('id', '=', job.id).where('org_id', '=', scope.orgId).where('agent_id', '=', job.agentId).where('status', 'in', ['queued', 'running'])
    .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_until', '<', now)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function releaseAnswer(store: Store, jobId: string, owner: string): Promise<void> {
  await store.db.updateTable('jobs').set({ lease_owner: null, lease_until: null }).where('id', '=', jobId).where('lease_owner', '=', owner).execute();
}

/** Ends the job the agent answered under `owner`'s claim, with the recorded result. */
export async function answerAgentJob(store: Store, scope: TenantScope, jobId: string, owner: string, result: Record<string, unknown>, now: string): Promise<AgentJob> {
  return store.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('jobs').selectAll().where('id', '=', jobId).where('org_id', '=', scope.orgId).where('lease_owner', '=', owner).executeTakeFirst();
    if (!row) throw new CamauditError('conflict', `job ${jobId} changed while its answer was recorded; the scan run was recorded, see the scan runs`);
    const done = await transition(trx, store, scope, fromRow(row), {
      status: 'succeeded', result_json: JSON.stringify(result), finished_at: now, lease_owner: null, lease_until: null,
    }, 'succeeded', now);
    if (!done) throw new CamauditError('conflict', `job ${jobId} changed while its answer was recorded`);
    return done;
  });
}

/** Ends one unfinished job of the agent as failed or cancelled, with the reason; null when it had ended already. */
export async function endAgentJob(store: Store, scope: TenantScope, job: AgentJob, status: 'failed' | 'cancelled', reason: string, now: string): Promise<AgentJob | null> {
  if (!UNFINISHED.includes(job.status)) return null;
  return store.db.transaction().execute((trx) => transition(trx, store, scope, job, ended(status, reason, now), status, now));
}

/** Ends every unfinished job of the agent (it was revoked), inside the caller's transaction. */
export async function endUnfinishedAgentJobs(
  trx: Transaction<Database>, store: Store, scope: TenantScope, agentId: string, status: 'failed' | 'cancelled', reason: string, now: string,
): Promise<number> {
  const rows = await agentJobs(trx, scope, agentId).where('status', 'in', UNFINISHED).execute();
  let count = 0;
  for (const job of rows.map(fromRow)) {
    if (await transition(trx, store, scope, job, ended(status, reason, now), status, now)) count++;
  }
  return count;
}

/**
 * What the sweep does with an unfinished job now, if anything: a job a person cancelled is
 * cancelled once its grace (lease_until, set by requestCancel) has passed; an expired one fails,
 * unless an answer that arrived in time is being recorded under a claim.
 */
function overdue(row: Row, now: string): { status: 'failed' | 'cancelled'; error: string | null } | null {
  const job = fromRow(row);
  if (job.status === 'cancelling') return row.lease_until === null || row.lease_until <= now ? { status: 'cancelled', error: null } : null;
  if (job.params.expiresAt > now || (job.claim && job.claim.until > now)) return null;
  return { status: 'failed', error: expired(job) };
}

/**
 * Ends the agent jobs of every organisation that no agent ended: for the server's job runner,
 * which calls it on each sweep. Each job ends in its own transaction, with its audit entry; the
 * status in the update's WHERE leaves a job alone that its agent answered meanwhile.
 */
export async function endOverdueAgentJobs(store: Store, now: string): Promise<number> {
  const rows = await store.db.selectFrom('jobs').selectAll().where('status', 'in', UNFINISHED)
    .where('kind', '=', AGENT_JOB_KIND).where('agent_id', 'is not', null).execute();
  let count = 0;
  for (const row of rows) {
    const end = overdue(row, now);
    if (!end) continue;
    // Nobody acted: the server ended the job on the organisation's behalf.
    const scope: TenantScope = { orgId: row.org_id, actor: 'system', source: `job:${row.id}` };
    const done = await store.db.transaction().execute((trx) => transition(trx, store, scope, fromRow(row), ended(end.status, end.error, now), end.status, now));
    if (done) count++;
  }
  return count;
}

/**
 * The scan run an earlier upload of this job recorded, if the server stopped before it could
 * mark the job answered: the retry then finishes the job instead of recording the run twice.
 */
export async function recordedRunOf(store: Store, scope: TenantScope, agentId: string, jobId: string): Promise<{ id: string; stats: Record<string, unknown> } | null> {
  const rows = await store.db.selectFrom('scan_runs').select(['id', 'params_json', 'stats_json'])
    .where('org_id', '=', scope.orgId).where('agent_id', '=', agentId).where('origin', '=', 'bundle')
    .where('params_json', 'like', `%${jobId}%`).execute();
  const run = rows.find((r) => (JSON.parse(r.params_json) as { bundle?: { runId?: string } }).bundle?.runId === jobId);
  return run ? { id: run.id, stats: JSON.parse(run.stats_json) as Record<string, unknown> } : null;
}
