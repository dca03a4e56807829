// Background jobs as people see them: what was asked (kind, parameters, uploaded files), how far
// it got, and how it ended. The row is also the lock: a runner owns a job while its lease holds,
// and every runner-side write names the owner, so a runner that lost its lease (it stalled and
// another instance took the job over) can no longer change the job.
import { sql, type ExpressionBuilder, type Kysely, type Selectable, type Transaction } from 'kysely';
import { CamauditError } from '../core/errors.js';
import type { Organisation } from '../core/model.js';
import { appendAudit } from './audit.js';
import type { Store } from './database.js';
import type { Page } from './devices.js';
import { newId } from './ids.js';
import { organisationFromRow } from './rows.js';
import type { Database, JobsTable } from './schema.js';
import type { TenantScope } from './tenant.js';

/**
 * `cancelling`: a running job was asked to stop; its runner notices at its next lease renewal.
 * The last three are final.
 */
export const JOB_STATUSES = ['queued', 'running', 'cancelling', 'succeeded', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export type FinalStatus = 'succeeded' | 'failed' | 'cancelled';
const FINAL: ReadonlySet<string> = new Set<FinalStatus>(['succeeded', 'failed', 'cancelled']);

export function isFinal(status: JobStatus): status is FinalStatus {
  return FINAL.has(status);
}

export interface Job {
  id: string;
  orgId: string;
  kind: string;
  params: Record<string, unknown>;
  status: JobStatus;
  progress: unknown;
  result: unknown;
  error: string | null;
  /** Runs begun: a job whose runner died is run again, up to a limit. */
  attempts: number;
  createdBy: string;
  createdAt: string;
  /** When the current (or last) attempt began. */
  startedAt: string | null;
  finishedAt: string | null;
  /** The server instance running the job, while it does. */
  runner: string | null;
  leaseUntil: string | null;
  agentId: string | null;
}

export interface JobFileInput {
  name: string;
  content: Buffer;
}

export interface NewJob {
  kind: string;
  params: Record<string, unknown>;
  /** What the job reads; stored as `in/<name>`. */
  files?: readonly JobFileInput[];
  /** A scan handed to an agent: the server's runners leave it alone. */
  agentId?: string | null;
}

export interface JobFilter {
  status?: JobStatus;
  kind?: string;
}

export interface Lease {
  owner: string;
  until: string;
}

type Db = Kysely<Database> | Transaction<Database>;

// A file name inside a job: no directories, nothing a download header or a shell could misread.
const FILE_NAME = /^(in|out)\/[A-Za-z0-9][A-Za-z0-9._ -]{0,199}$/;

function checkFileName(name: string): void {
  if (!FILE_NAME.test(name) || name.includes('..')) {
    throw new CamauditError('invalid_input', `job file name "${name}" must be in/NAME or out/NAME (letters, digits, . _ - and spaces)`);
  }
}

type JobRow = Selectable<JobsTable>;

function jobFromRow(r: JobRow): Job {
  return {
    id: r.id,
    orgId: r.org_id,
    kind: r.kind,
    params: JSON.parse(r.params_json) as Record<string, unknown>,
    status: r.status as JobStatus,
    progress: r.progress_json === null ? null : (JSON.parse(r.progress_json) as unknown),
    result: r.result_json === null ? null : (JSON.parse(r.result_json) as unknown),
    error: r.error,
    attempts: Number(r.attempts),
    createdBy: r.created_by,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    runner: r.lease_owner,
    leaseUntil: r.lease_until,
    agentId: r.agent_id,
  };
}

/** What the audit trail keeps of a job: enough to see who asked for what, never file contents. */
function audited(job: Job, files: readonly string[] = []) {
  const { id: _id, orgId: _org, progress: _p, runner: _r, leaseUntil: _l, ...rest } = job;
  return files.length > 0 ? { ...rest, files: [...files] } : rest;
}

async function audit(trx: Transaction<Database>, store: Store, scope: TenantScope, action: string, before: Job | null, after: Job, now: string, files?: readonly string[]): Promise<void> {
  await appendAudit(trx, store.engine, scope, [{
    action, entityType: 'job', entityId: after.id, before: before ? audited(before) : null, after: audited(after, files),
  }], now);
}

async function selectJob(db: Db, id: string): Promise<Job | null> {
  const row = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? jobFromRow(row) : null;
}

export async function createJob(store: Store, scope: TenantScope, spec: NewJob, now: string): Promise<Job> {
  const files = spec.files ?? [];
  for (const f of files) checkFileName(`in/${f.name}`);
  const row: JobRow = {
    id: newId(), org_id: scope.orgId, kind: spec.kind, params_json: JSON.stringify(spec.params), status: 'queued',
    progress_json: null, result_json: null, error: null, attempts: 0, created_by: scope.actor, created_at: now,
    started_at: null, finished_at: null, lease_owner: null, lease_until: null, agent_id: spec.agentId ?? null,
  };
  const job = jobFromRow(row);
  await store.db.transaction().execute(async (trx) => {
    await trx.insertInto('jobs').values(row).execute();
    if (files.length > 0) {
      await trx.insertInto('job_files').values(files.map((f) => ({ job_id: row.id, name: `in/${f.name}`, content: f.content }))).execute();
    }
    await audit(trx, store, scope, 'create', null, job, now, files.map((f) => `in/${f.name}`));
  });
  return job;
}

export async function getJob(store: Store, scope: TenantScope, id: string): Promise<Job> {
  const row = await store.db.selectFrom('jobs').selectAll().where('org_id', '=', scope.orgId).where('id', '=', id).executeTakeFirst();
  if (!row) throw new CamauditError('not_found', `no job ${id}`);
  return jobFromRow(row);
}

// Newest first; the cursor is the last item's (created_at, id), opaque to callers.
function encodeCursor(job: Job): string {
  return Buffer.from(`${job.createdAt}|${job.id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  const [createdAt, id, extra] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!createdAt || !id || extra !== undefined) throw new CamauditError('invalid_input', `cursor "${cursor}" is not one this server gave out`);
  return { createdAt, id };
}

export async function listJobs(
  store: Store, scope: TenantScope, filter: JobFilter = {}, page: { limit?: number; cursor?: string | null } = {},
): Promise<Page<Job>> {
  const limit = Math.min(Math.max(page.limit ?? 50, 1), 1000);
  let q = store.db.selectFrom('jobs').selectAll().where('org_id', '=', scope.orgId);
  if (filter.status) q = q.where('status', '=', filter.status);
  if (filter.kind) q = q.where('kind', '=', filter.kind);
  if (page.cursor) {
    const after = decodeCursor(page.cursor);
    q = q.where((eb) => eb.or([
      eb('created_at', '<', after.createdAt),
      eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)]),
    ]));
  }
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
  const items = rows.slice(0, limit).map(jobFromRow);
  return { items, nextCursor: rows.length > limit ? encodeCursor(items[items.length - 1]!) : null };
}

/**
 * The files of a job with their sizes, in name order (in/ before out/). The size is counted by
 * the database (bytes of a BLOB on SQLite, of a bytea on PostgreSQL): the contents stay there.
 */
export async function listJobFiles(store: Store, scope: TenantScope, jobId: string): Promise<{ name: string; size: number }[]> {
  await getJob(store, scope, jobId);
  const rows = await store.db.selectFrom('job_files').select(['name', sql<number | string>`length(content)`.as('size')])
    .where('job_id', '=', jobId).orderBy('name').execute();
  return rows.map((r) => ({ name: r.name, size: Number(r.size) }));
}

export async function readJobFile(store: Store, scope: TenantScope, jobId: string, name: string): Promise<Buffer> {
  checkFileName(name);
  const row = await store.db.selectFrom('job_files').innerJoin('jobs', 'jobs.id', 'job_files.job_id')
    .select('job_files.content').where('jobs.org_id', '=', scope.orgId).where('job_files.job_id', '=', jobId).where('job_files.name', '=', name)
    .executeTakeFirst();
  if (!row) throw new CamauditError('not_found', `job ${jobId} has no file ${name}`);
  return Buffer.from(row.content);
}

/**
 * A file the job produced. Written by the job's own run: the job's final audit entry records
 * its result, which names the file, so the file itself is not audited separately.
 */
export async function writeJobFile(store: Store, scope: TenantScope, jobId: string, name: string, content: Buffer): Promise<void> {
  checkFileName(name);
  await getJob(store, scope, jobId);
  await store.db.insertInto('job_files').values({ job_id: jobId, name, content })
    .onConflict((oc) => oc.columns(['job_id', 'name']).doUpdateSet({ content })).execute();
}

/**
 * How long a running agent job stays `cancelling` before the server's sweep cancels it (kept in
 * its lease_until, as a server job's lease bounds how long its runner has to stop). The sweep is
 * for agents that went silent: one that polls or answers meanwhile ends the job itself and is
 * told why, and an answer being recorded keeps its longer claim.
 */
export const AGENT_CANCEL_GRACE_MS = 60_000;

/** What a cancel request changes: a running agent job gets its grace, unless a claim on it lasts longer. */
function cancelSet(before: Job, now: string) {
  if (before.status === 'queued') return { status: 'cancelled', finished_at: now, lease_owner: null, lease_until: null };
  if (before.agentId === null) return { status: 'cancelling' };
  const graceEnd = new Date(Date.parse(now) + AGENT_CANCEL_GRACE_MS).toISOString();
  return { status: 'cancelling', lease_until: before.leaseUntil !== null && before.leaseUntil > graceEnd ? before.leaseUntil : graceEnd };
}

/**
 * Asks a job to stop: a queued job is cancelled at once; a running one is marked `cancelling`
 * and its runner (or agent, or the sweep) stops it. Cancelling a finished job is a conflict;
 * asking twice is harmless.
 */
export async function requestCancel(store: Store, scope: TenantScope, id: string, now: string): Promise<Job> {
  return store.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('jobs').selectAll().where('org_id', '=', scope.orgId).where('id', '=', id).executeTakeFirst();
    if (!row) throw new CamauditError('not_found', `no job ${id}`);
    const before = jobFromRow(row);
    if (before.status === 'cancelling' || before.status === 'cancelled') return before;
    if (isFinal(before.status)) throw new CamauditError('conflict', `job ${id} has already ${before.status}`);
    const set = cancelSet(before, now);
    // The status in the WHERE keeps a runner's concurrent finish from being overwritten.
    const updated = await trx.updateTable('jobs').set(set).where('id', '=', id).where('status', '=', before.status).returningAll().executeTakeFirst();
    if (!updated) throw new CamauditError('conflict', `job ${id} changed while it was being cancelled; try again`);
    const after = jobFromRow(updated);
    await audit(trx, store, scope, 'cancel', before, after, now);
    return after;
  });
}

/** The organisation a job belongs to, for the runner (which works for every organisation). */
export async function jobOrganisation(store: Store, job: Job): Promise<Organisation> {
  const row = await store.db.selectFrom('organisations').selectAll().where('id', '=', job.orgId).executeTakeFirstOrThrow();
  return organisationFromRow(row);
}

// ---------------------------------------------------------------------------------------------
// The runner's side. These work across organisations: a runner serves every tenant, and finds its
// work by job id and lease owner, never by anything a caller supplies.

// Agent jobs are never the runners': their lease columns hold an answer's claim or a cancel's grace.
const runnable = (now: string, maxAttempts: number) => (eb: ExpressionBuilder<Database, 'jobs'>) => eb.and([
  eb('agent_id', 'is', null),
  eb.or([
    eb('status', '=', 'queued'),
    eb.and([eb('status', '=', 'running'), eb('lease_until', '<', now), eb('attempts', '<', maxAttempts)]),
  ]),
]);

function claimSet(lease: Lease, now: string) {
  return {
    status: 'running',
    lease_owner: lease.owner,
    lease_until: lease.until,
    started_at: now,
    attempts: sql<number>`attempts + 1`,
  };
}

/**
 * Claims one job by id: queued, or running under a lapsed lease with attempts left. Null when
 * another runner has it, it is finished, or it is an agent's. A single conditional UPDATE, so of
 * two runners claiming at once exactly one succeeds on either engine.
 */
export async function claimJob(store: Store, id: string, lease: Lease, now: string, maxAttempts: number): Promise<Job | null> {
  const row = await store.db.updateTable('jobs').set(claimSet(lease, now))
    .where('id', '=', id).where(runnable(now, maxAttempts)).returningAll().executeTakeFirst();
  return row ? jobFromRow(row) : null;
}

/**
 * Claims the oldest runnable job, other than `exclude` (the caller's own running jobs, whose
 * lease may look lapsed while their renewal waits for the database). On PostgreSQL the candidate row is locked with SKIP LOCKED, so
 * concurrent runners each take a different job instead of queueing on the same row; SQLite has
 * one writer at a time, so the single UPDATE is already atomic there.
 */
export async function claimNextJob(store: Store, lease: Lease, now: string, maxAttempts: number, exclude: readonly string[] = []): Promise<Job | null> {
  let pick = store.db.selectFrom('jobs').select('id').where(runnable(now, maxAttempts))
    .orderBy('created_at').orderBy('id').limit(1);
  if (exclude.length > 0) pick = pick.where('id', 'not in', exclude);
  const locked = store.engine.name === 'postgres' ? pick.forUpdate().skipLocked() : pick;
  const row = await store.db.updateTable('jobs').set(claimSet(lease, now))
    .where('id', 'in', locked)
    .where(runnable(now, maxAttempts)).returningAll().executeTakeFirst();
  return row ? jobFromRow(row) : null;
}

/**
 * Extends the lease and, when given, records progress. Returns the job's status while the
 * caller still owns it (`cancelling` tells it to stop), or null when it lost the job.
 */
export async function renewLease(store: Store, id: string, lease: Lease, progress?: unknown): Promise<'running' | 'cancelling' | null> {
  const row = await store.db.updateTable('jobs')
    .set({ lease_until: lease.until, ...(progress !== undefined ? { progress_json: JSON.stringify(progress) } : {}) })
    .where('id', '=', id).where('lease_owner', '=', lease.owner).where('status', 'in', ['running', 'cancelling'])
    .returning('status').executeTakeFirst();
  return row ? (row.status as 'running' | 'cancelling') : null;
}

export interface JobOutcome {
  status: FinalStatus;
  result?: unknown;
  error?: string;
}

/** Records how the owner's run ended, with its audit entry. False when the runner no longer owns the job. */
export async function finishJob(store: Store, id: string, owner: string, outcome: JobOutcome, now: string): Promise<boolean> {
  return store.db.transaction().execute(async (trx) => {
    const before = await selectJob(trx, id);
    if (!before || before.runner !== owner || (before.status !== 'running' && before.status !== 'cancelling')) return false;
    const row = await trx.updateTable('jobs').set({
      status: outcome.status, result_json: outcome.result === undefined ? null : JSON.stringify(outcome.result),
      error: outcome.error ?? null, finished_at: now, lease_owner: null, lease_until: null,
    }).where('id', '=', id).where('lease_owner', '=', owner).returningAll().executeTakeFirstOrThrow();
    const after = jobFromRow(row);
    await audit(trx, store, { orgId: after.orgId, actor: after.createdBy, source: `job:${id}` }, outcome.status, before, after, now);
    return true;
  });
}

/**
 * Hands a job back unfinished (the server is stopping): queued again for any runner, and the
 * interrupted run does not count against its attempts (not audited: the job goes on). A job asked
 * to stop is cancelled instead, with its audit entry.
 */
export async function releaseJob(store: Store, id: string, owner: string, now: string): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    const before = await selectJob(trx, id);
    if (!before || before.runner !== owner) return;
    if (before.status === 'cancelling') {
      const row = await trx.updateTable('jobs').set({ status: 'cancelled', finished_at: now, lease_owner: null, lease_until: null })
        .where('id', '=', id).where('lease_owner', '=', owner).where('status', '=', 'cancelling').returningAll().executeTakeFirst();
      if (row) {
        const after = jobFromRow(row);
        await audit(trx, store, { orgId: after.orgId, actor: after.createdBy, source: `job:${id}` }, 'cancelled', before, after, now);
      }
    } else if (before.status === 'running') {
      await trx.updateTable('jobs').set({ status: 'queued', lease_owner: null, lease_until: null, attempts: sql<number>`attempts - 1` })
        .where('id', '=', id).where('lease_owner', '=', owner).where('status', '=', 'running').execute();
    }
  });
}

/**
 * Ends jobs whose runner died and that may not run again: out of attempts (failed, with the
 * reason), or asked to stop (cancelled); `exclude` as for claimNextJob. Returns how many were ended.
 */
export async function endAbandonedJobs(store: Store, now: string, maxAttempts: number, exclude: readonly string[] = []): Promise<number> {
  return store.db.transaction().execute(async (trx) => {
    let q = trx.selectFrom('jobs').selectAll().where('agent_id', 'is', null).where('lease_until', '<', now).where((eb) => eb.or([
      eb('status', '=', 'cancelling'),
      eb.and([eb('status', '=', 'running'), eb('attempts', '>=', maxAttempts)]),
    ]));
    if (exclude.length > 0) q = q.where('id', 'not in', exclude);
    const rows = await q.execute();
    let ended = 0;
    for (const row of rows) {
      const before = jobFromRow(row);
      const outcome = before.status === 'cancelling'
        ? { status: 'cancelled', error: null }
        : { status: 'failed', error: `the server running this job stopped before it finished, ${before.attempts} times (last: ${before.runner ?? 'unknown'}); it is not run again` };
      const updated = await trx.updateTable('jobs').set({ ...outcome, finished_at: now, lease_owner: null, lease_until: null })
        .where('id', '=', row.id).where('lease_owner', '=', row.lease_owner).where('lease_until', '<', now).returningAll().executeTakeFirst();
      if (!updated) continue;
      const after = jobFromRow(updated);
      await audit(trx, store, { orgId: after.orgId, actor: after.createdBy, source: `job:${after.id}` }, after.status, before, after, now);
      ended++;
    }
    return ended;
  });
}

/** Ids of jobs a runner could claim now, oldest first: for dispatching work that no runner was told about. */
export async function runnableJobIds(store: Store, now: string, maxAttempts: number, limit = 100): Promise<string[]> {
  const rows = await store.db.selectFrom('jobs').select('id').where(runnable(now, maxAttempts))
    .orderBy('created_at').orderBy('id').limit(limit).execute();
  return rows.map((r) => r.id);
}
