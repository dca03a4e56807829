// Agent jobs whose agent went silent, on both engines: the server's job runner ends them. A job
// nobody answered fails once it expires (and whoever follows it sees `done`); a job a person
// cancelled while the agent had it is cancelled after a short grace; an answer being recorded
// under a claim is left to finish. Each end is in the audit trail.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAgentKeyPair } from '../../src/discover/agent-keys.js';
import { claimAnswer, createAgentJob, findAgentJob, handOutJobs } from '../../src/store/agent-jobs.js';
import { enrolAgent } from '../../src/store/agents.js';
import { AGENT_CANCEL_GRACE_MS, getJob, type Job } from '../../src/store/jobs.js';
import type { TenantScope } from '../../src/store/tenant.js';
import { ENGINES } from '../helpers/engines.js';
import { waitForJob } from '../helpers/job-wait.js';
import { bearer, startTestServer, type TestServer } from '../helpers/server.js';

const HOUR = 3_600_000;

describe.each(ENGINES)('agent jobs of a silent agent on $name', (engine) => {
  let s: TestServer;
  let scope: TenantScope;
  let agentId: string;
  /** Long enough for the runner to have swept several times (every 50 ms on SQLite, 500 ms on PostgreSQL). */
  const sweeps = () => sleep(1500);

  beforeAll(async () => {
    // A one-second lease: the PostgreSQL runner sweeps every half lease.
    s = await startTestServer(engine, { runJobs: true, config: { jobs: { concurrency: 1, leaseSeconds: 1 } } });
    scope = { orgId: s.orgs.a.id, actor: 'user:anna', source: 'api' };
    agentId = (await enrolAgent(s.store.db, scope, { name: 'gw-silent', publicKeyPem: generateAgentKeyPair().publicKey }, s.clock.now())).id;
  }, 60_000);

  afterAll(async () => {
    await s?.close();
    await engine.cleanup();
  });

  async function newJob(hours = 1): Promise<Job> {
    const now = s.clock.now();
    return createAgentJob(s.store, scope, agentId, {
      targets: ['127.77.60.0/28'], exclude: [], ports: [80], politeness: {}, expiresAt: new Date(Date.parse(now) + hours * HOUR).toISOString(),
    }, now);
  }

  async function trail(jobId: string): Promise<string[]> {
    const rows = await s.store.db.selectFrom('history').select(['action', 'actor']).where('entity_id', '=', jobId).orderBy('id').execute();
    return rows.map((r) => `${r.action} by ${r.actor}`);
  }

  it('fails the jobs an agent did not answer once they expire, and the event stream ends with done', async () => {
    const taken = await newJob();
    expect((await handOutJobs(s.store, scope, agentId, s.clock.now())).map((j) => j.id)).toEqual([taken.id]);
    const queued = await newJob();
    const waiting = await newJob();
    const events = s.app.inject({ method: 'GET', url: `/api/v1/organisations/alpha/jobs/${waiting.id}/events`, headers: bearer(s.tokens.a.viewer) });
    await sweeps();
    expect((await getJob(s.store, scope, waiting.id)).status).toBe('queued');

    s.clock.advance(2 * HOUR);
    for (const job of [queued, taken, waiting]) {
      const ended = await waitForJob(s.store, scope, job.id, (j) => j.status !== 'queued' && j.status !== 'running', 10_000);
      expect(ended).toMatchObject({ status: 'failed', error: `the agent did not answer before ${job.params.expiresAt as string}` });
      expect(ended.finishedAt).toBe(s.clock.now());
    }
    const stream = await events;
    expect(stream.body).toMatch(/event: done\ndata: \{[^\n]*"status":"failed"/);
    expect(await trail(waiting.id)).toEqual(['create by user:anna', 'failed by system']);
    expect(await trail(taken.id)).toEqual(['create by user:anna', 'start by user:anna', 'failed by system']);
  }, 30_000);

  it('cancels a job a person cancelled while the agent had it, once the grace has passed', async () => {
    const job = await newJob();
    await handOutJobs(s.store, scope, agentId, s.clock.now());
    const cancel = await s.app.inject({ method: 'POST', url: `/api/v1/organisations/alpha/jobs/${job.id}/cancel`, headers: bearer(s.tokens.a.editor) });
    expect(cancel.json()).toMatchObject({ status: 'cancelling', leaseUntil: new Date(Date.parse(s.clock.now()) + AGENT_CANCEL_GRACE_MS).toISOString() });
    await sweeps();
    expect((await getJob(s.store, scope, job.id)).status).toBe('cancelling');

    s.clock.advance(AGENT_CANCEL_GRACE_MS);
    expect(await waitForJob(s.store, scope, job.id, (j) => j.status !== 'cancelling', 10_000)).toMatchObject({ status: 'cancelled', leaseUntil: null });
    expect((await trail(job.id)).map((t) => t.split(' by ')[0])).toEqual(['create', 'start', 'cancel', 'cancelled']);
    expect((await trail(job.id)).at(-1)).toBe('cancelled by system');
  }, 30_000);

  it('leaves an answer being recorded alone, expired or cancelled meanwhile, until its claim lapses', async () => {
    const expiring = await newJob();
    const cancelled = await newJob();
    await handOutJobs(s.store, scope, agentId, s.clock.now());
    const until = new Date(Date.parse(s.clock.now()) + 3 * HOUR).toISOString();
    for (const job of [expiring, cancelled]) {
      expect(await claimAnswer(s.store, scope, (await findAgentJob(s.store, scope, agentId, job.id))!, `answer:${job.id}`, until, s.clock.now())).toBe(true);
    }
    const cancel = await s.app.inject({ method: 'POST', url: `/api/v1/organisations/alpha/jobs/${cancelled.id}/cancel`, headers: bearer(s.tokens.a.editor) });
    // The grace does not cut the claim short.
    expect(cancel.json()).toMatchObject({ status: 'cancelling', leaseUntil: until });
    s.clock.advance(2 * HOUR);
    await sweeps();
    expect((await getJob(s.store, scope, expiring.id)).status).toBe('running');
    expect((await getJob(s.store, scope, cancelled.id)).status).toBe('cancelling');

    s.clock.advance(2 * HOUR);
    expect(await waitForJob(s.store, scope, expiring.id, (j) => j.status !== 'running', 10_000)).toMatchObject({ status: 'failed', runner: null });
    expect(await waitForJob(s.store, scope, cancelled.id, (j) => j.status !== 'cancelling', 10_000)).toMatchObject({ status: 'cancelled' });
  }, 30_000);
});
