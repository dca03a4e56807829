// The jobs API over real HTTP: following a job as server-sent events (progress in order, then
// done), listing, inspecting, downloading what a job produced, cancelling — and who may do which.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobRunner, type JobRunner } from '../../src/server/jobs/runner.js';
import { healthRoutes } from '../../src/server/routes/health.js';
import { jobRoutes } from '../../src/server/routes/jobs.js';
import { createJob, writeJobFile, type Job } from '../../src/store/jobs.js';
import type { TenantScope } from '../../src/store/tenant.js';
import { ENGINES } from '../helpers/engines.js';
import { createRunsTable, TEST_HANDLERS } from '../helpers/job-handlers.js';
import { finished, waitForJob } from '../helpers/job-wait.js';
import { bearer, startTestServer, type TestServer } from '../helpers/server.js';

const now = () => new Date().toISOString();
let server: TestServer;
let runner: JobRunner;
let base: string;
let scope: TenantScope;

beforeAll(async () => {
  server = await startTestServer(ENGINES[0]!, { app: { routes: [...healthRoutes(), ...jobRoutes()] }, context: { now } });
  await createRunsTable(server.store);
  runner = createJobRunner(server.store, {
    instanceId: 'web-1', handlers: TEST_HANDLERS, concurrency: 2, leaseMs: 2000, now, pollMs: 100,
    knowledge: () => Promise.reject(new Error('not needed')),
  });
  await runner.start();
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
  scope = { orgId: server.orgs.a.id, actor: 'user:anna', source: 'api' };
});

afterAll(async () => {
  await runner.stop();
  await server.close();
  await ENGINES[0]!.cleanup();
});

interface SseEvent {
  event: string;
  data: Job;
}

/** Reads an event stream until it ends; `onEvent` may end it early by returning true. */
function readEvents(path: string, token: string, onEvent: (e: SseEvent, req: http.ClientRequest) => boolean = () => false): Promise<{ status: number; type: string; events: SseEvent[]; comments: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${base}${path}`, { headers: bearer(token) }, (res) => {
      const events: SseEvent[] = [];
      let buffer = '';
      let comments = 0;
      const result = () => ({ status: res.statusCode!, type: String(res.headers['content-type']), events, comments });
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith(':')) { comments++; continue; }
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
          const data = /^data: (.*)$/m.exec(block)?.[1] ?? 'null';
          const e = { event, data: JSON.parse(data) as Job };
          events.push(e);
          if (onEvent(e, req)) {
            req.destroy();
            resolve(result());
          }
        }
      });
      res.on('end', () => resolve(result()));
    });
    req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
  });
}

async function api(method: string, path: string, token?: string): Promise<{ status: number; body: unknown; headers: Record<string, unknown>; raw: Buffer }> {
  const res = await fetch(`${base}${path}`, { method, headers: token ? bearer(token) : {} });
  const raw = Buffer.from(await res.arrayBuffer());
  const type = res.headers.get('content-type') ?? '';
  return { status: res.status, headers: Object.fromEntries(res.headers), raw, body: type.includes('json') ? JSON.parse(raw.toString()) : null };
}

const jobsPath = (slug: string) => `/api/v1/organisations/${slug}/jobs`;

describe('jobs API', () => {
  it('streams a job as progress events, in order, ending with done', async () => {
    const job = await createJob(server.store, scope, { kind: 'slow', params: { steps: 6, stepMs: 120 } }, now());
    const streaming = readEvents(`${jobsPath('alpha')}/${job.id}/events`, server.tokens.a.viewer);
    await runner.enqueue(job.id);
    const { status, type, events } = await streaming;
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/event-stream/);
    expect(events.at(-1)!.event).toBe('done');
    expect(events.at(-1)!.data).toMatchObject({ id: job.id, status: 'succeeded', result: { steps: 6 } });
    const progress = events.filter((e) => e.event === 'progress');
    expect(events.slice(0, -1).every((e) => e.event === 'progress')).toBe(true);
    expect(['queued', 'running']).toContain(progress[0]!.data.status);
    const steps = progress.map((e) => (e.data.progress as { step?: number } | null)?.step ?? 0);
    expect(steps.filter((s) => s > 0).length).toBeGreaterThanOrEqual(3);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    // Every event is a change: the same state is not sent twice.
    const states = progress.map((e) => JSON.stringify(e.data));
    expect(new Set(states).size).toBe(states.length);
  });

  it('sends progress and done at once for a job that has ended, and stops when the client goes away', async () => {
    const ended = await createJob(server.store, scope, { kind: 'count', params: { ms: 1 } }, now());
    await runner.enqueue(ended.id);
    await waitForJob(server.store, scope, ended.id, finished);
    const { events } = await readEvents(`${jobsPath('alpha')}/${ended.id}/events`, server.tokens.a.auditor);
    expect(events.map((e) => [e.event, e.data.status])).toEqual([['progress', 'succeeded'], ['done', 'succeeded']]);

    const long = await createJob(server.store, scope, { kind: 'slow', params: { steps: 50, stepMs: 100 } }, now());
    await runner.enqueue(long.id);
    const early = await readEvents(`${jobsPath('alpha')}/${long.id}/events`, server.tokens.a.viewer, (e) => e.data.status === 'running');
    expect(early.events.at(-1)!.data.status).toBe('running');
    await sleep(100);
    // No stream is left open: the server closes promptly with the job still running.
    const connections = await new Promise<number>((resolve) => server.app.server.getConnections((_e, n) => resolve(n)));
    expect(connections).toBe(0);
    await api('POST', `${jobsPath('alpha')}/${long.id}/cancel`, server.tokens.a.editor);
    await waitForJob(server.store, scope, long.id, finished);
  });

  it('lists, shows and serves the files of the caller\'s organisation only', async () => {
    // A kind this runner has no handler for: it fails, its files stay.
    const job = await createJob(server.store, scope, { kind: 'report', params: {}, files: [{ name: 'register.csv', content: Buffer.from('a;b') }] }, now());
    await createJob(server.store, scope, { kind: 'report', params: {} }, '2026-01-01T00:00:00.000Z');
    await writeJobFile(server.store, scope, job.id, 'out/plan.xlsx', Buffer.from('PK\u0003\u0004workbook'));

    const list = await api('GET', `${jobsPath('alpha')}?kind=report&limit=1`, server.tokens.a.viewer);
    expect(list.status).toBe(200);
    expect((list.body as { items: Job[] }).items[0]!.id).toBe(job.id);
    expect((list.body as { nextCursor: string | null }).nextCursor).not.toBeNull();
    expect((await api('GET', `${jobsPath('alpha')}?status=exploded`, server.tokens.a.viewer)).status).toBe(400);

    const one = await api('GET', `${jobsPath('alpha')}/${job.id}`, server.tokens.a.viewer);
    expect(one.body).toMatchObject({ id: job.id, kind: 'report', files: [{ name: 'in/register.csv', size: 3 }, { name: 'out/plan.xlsx', size: 12 }] });

    const file = await api('GET', `${jobsPath('alpha')}/${job.id}/files/plan.xlsx`, server.tokens.a.viewer);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(file.headers['content-disposition']).toBe('attachment; filename="plan.xlsx"');
    expect(file.raw.toString()).toBe('PK\u0003\u0004workbook');
    // Uploaded inputs are not served back through the download route.
    expect((await api('GET', `${jobsPath('alpha')}/${job.id}/files/register.csv`, server.tokens.a.viewer)).status).toBe(404);

    // Another organisation's member, and no credentials at all.
    expect((await api('GET', `${jobsPath('alpha')}/${job.id}`, server.tokens.b.admin)).status).toBe(404);
    expect((await api('GET', `${jobsPath('beta')}/${job.id}`, server.tokens.b.admin)).status).toBe(404);
    expect((await api('GET', `${jobsPath('beta')}/${job.id}/files/plan.xlsx`, server.tokens.b.admin)).status).toBe(404);
    expect(((await api('GET', jobsPath('beta'), server.tokens.b.admin)).body as { items: Job[] }).items).toEqual([]);
    expect((await api('GET', `${jobsPath('alpha')}/${job.id}/events`, server.tokens.b.viewer)).status).toBe(404);
    expect((await api('GET', `${jobsPath('alpha')}/${job.id}`)).status).toBe(401);
    expect((await api('GET', `${jobsPath('alpha')}/${job.id.replace(/^./, job.id[0] === 'a' ? 'b' : 'a')}`, server.tokens.a.viewer)).status).toBe(404);
  });

  it('cancels for those who may write, and refuses the others', async () => {
    const job = await createJob(server.store, scope, { kind: 'slow', params: { steps: 100, stepMs: 50 } }, now());
    expect((await api('POST', `${jobsPath('alpha')}/${job.id}/cancel`, server.tokens.a.viewer)).status).toBe(403);
    expect((await api('POST', `${jobsPath('alpha')}/${job.id}/cancel`, server.tokens.a.auditor)).status).toBe(403);
    expect((await api('POST', `${jobsPath('alpha')}/${job.id}/cancel`, server.tokens.b.admin)).status).toBe(404);
    const cancelled = await api('POST', `${jobsPath('alpha')}/${job.id}/cancel`, server.tokens.a.editor);
    expect(cancelled.status).toBe(200);
    expect(['cancelled', 'cancelling']).toContain((cancelled.body as Job).status);
    expect(await waitForJob(server.store, scope, job.id, finished)).toMatchObject({ status: 'cancelled' });

    const done = await createJob(server.store, scope, { kind: 'count', params: { ms: 1 } }, now());
    await runner.enqueue(done.id);
    await waitForJob(server.store, scope, done.id, finished);
    const late = await api('POST', `${jobsPath('alpha')}/${done.id}/cancel`, server.tokens.a.admin);
    expect(late.status).toBe(409);
    expect((late.body as { detail: string }).detail).toMatch(/already succeeded/);
  });
});
