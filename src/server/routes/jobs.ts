// Jobs of the organisation in the path: list, inspect, follow (server-sent events), download what
// they produced, cancel. Jobs are started by the routes of their area (imports, scans) through
// submitJob. The event stream polls the job row, so it follows a job run by any instance.
import { AGENT_JOB_KIND } from '../../store/agent-jobs.js';
import { PassThrough } from 'node:stream';
import { z } from 'zod';
import { getJob, isFinal, JOB_STATUSES, listJobFiles, listJobs, readJobFile, requestCancel, type Job } from '../../store/jobs.js';
import type { TenantScope } from '../../store/tenant.js';
import type { ServerContext } from '../context.js';
import { JOB_KINDS } from '../jobs/handlers/index.js';
import { route, type RouteSpec } from '../route.js';

const BASE = '/api/v1/organisations/:org/jobs';
/** How often the event stream looks at the job; progress is written about as often. */
export const EVENT_POLL_MS = 250;
/** A comment line keeps proxies from closing a quiet stream. */
export const HEARTBEAT_MS = 15_000;

const JobId = z.strictObject({ id: z.uuid() });

export const JobSchema = z.object({
  id: z.string(),
  orgId: z.string(),
  kind: z.string(),
  params: z.record(z.string(), z.unknown()),
  status: z.enum(JOB_STATUSES),
  progress: z.unknown(),
  result: z.unknown(),
  error: z.string().nullable(),
  attempts: z.number().int(),
  createdBy: z.string(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  runner: z.string().nullable(),
  leaseUntil: z.string().nullable(),
  agentId: z.string().nullable(),
});

const JobQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  cursor: z.string().max(200).optional(),
  status: z.enum(JOB_STATUSES).optional(),
  // Jobs the server runs, and scans handed to an agent in a closed network.
  kind: z.enum([...JOB_KINDS, AGENT_JOB_KIND]).optional(),
});

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json',
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

const event = (name: string, job: Job) => `event: ${name}\ndata: ${JSON.stringify(job)}\n\n`;

/**
 * Streams the job: a `progress` event with the job whenever it changed, `done` once it ended.
 * Polling stops when the client goes away.
 */
function jobEvents(ctx: ServerContext, scope: TenantScope, first: Job, closed: AbortSignal): PassThrough {
  const stream = new PassThrough();
  let last = '';
  let timer: NodeJS.Timeout | null = null;
  const heartbeat = setInterval(() => stream.write(': keep-alive\n\n'), HEARTBEAT_MS);
  // Ends once, whichever comes first: the job's end or the client's.
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    if (timer) clearTimeout(timer);
    stream.end();
  };
  const look = (job: Job) => {
    if (closed.aborted || ended) return end();
    const json = JSON.stringify(job);
    if (json !== last) stream.write(event('progress', job));
    last = json;
    if (isFinal(job.status)) {
      stream.write(event('done', job));
      return end();
    }
    timer = setTimeout(() => {
      getJob(ctx.store, scope, job.id).then(look, (err: unknown) => {
        stream.write(`event: error\ndata: ${JSON.stringify({ detail: (err as Error).message })}\n\n`);
        end();
      });
    }, EVENT_POLL_MS);
  };
  closed.addEventListener('abort', end);
  look(first);
  return stream;
}

export function jobRoutes(): RouteSpec[] {
  return [
    route({
      method: 'GET', url: BASE, summary: 'Jobs, newest first, filtered by status and kind, paged with a cursor', tags: ['jobs'],
      auth: { org: 'read' }, query: JobQuery, response: z.object({ items: z.array(JobSchema), nextCursor: z.string().nullable() }),
      handler: async ({ ctx, scope, query: q }) => listJobs(ctx.store, scope, { status: q.status, kind: q.kind }, { limit: q.limit, cursor: q.cursor ?? null }),
    }),
    route({
      method: 'GET', url: `${BASE}/:id`, summary: 'One job with its progress, result and files', tags: ['jobs'],
      auth: { org: 'read' }, params: JobId,
      response: JobSchema.extend({ files: z.array(z.object({ name: z.string(), size: z.number().int() })) }),
      handler: async ({ ctx, scope, params }) => ({ ...(await getJob(ctx.store, scope, params.id)), files: await listJobFiles(ctx.store, scope, params.id) }),
    }),
    route({
      method: 'GET', url: `${BASE}/:id/events`, summary: 'Follow a job: server-sent events "progress" (the job, on every change) and a final "done"', tags: ['jobs'],
      auth: { org: 'read' }, params: JobId, raw: true,
      handler: async ({ ctx, scope, params, reply }) => {
        const job = await getJob(ctx.store, scope, params.id);
        const closed = new AbortController();
        reply.raw.on('close', () => closed.abort());
        // no-transform and X-Accel-Buffering: proxies must pass events on as they come.
        return reply.type('text/event-stream; charset=utf-8').header('cache-control', 'no-cache, no-transform').header('x-accel-buffering', 'no')
          .send(jobEvents(ctx, scope, job, closed.signal));
      },
    }),
    route({
      method: 'GET', url: `${BASE}/:id/files/:name`, summary: 'Download a file the job produced (out/NAME)', tags: ['jobs'],
      auth: { org: 'read' }, params: z.strictObject({ id: z.uuid(), name: z.string().min(1).max(200) }), raw: true,
      handler: async ({ ctx, scope, params, reply }) => {
        const content = await readJobFile(ctx.store, scope, params.id, `out/${params.name}`);
        const ext = params.name.slice(params.name.lastIndexOf('.') + 1).toLowerCase();
        // The name passed the job file-name check: letters, digits, . _ - and spaces only.
        return reply.type(CONTENT_TYPES[ext] ?? 'application/octet-stream')
          .header('content-disposition', `attachment; filename="${params.name}"`).send(content);
      },
    }),
    route({
      method: 'POST', url: `${BASE}/:id/cancel`, summary: 'Cancel a job: a queued one at once, a running one at its next check', tags: ['jobs'],
      auth: { org: 'write' }, params: JobId, response: JobSchema,
      handler: async ({ ctx, scope, params }) => requestCancel(ctx.store, scope, params.id, ctx.now()),
    }),
  ];
}
