// Online agents: administrators hand out enrolment tokens, list and revoke agents; editors give an
// agent scan jobs inside the scopes it was assigned. Agents themselves enrol with a token, then
// pull their jobs and push signed bundles with requests signed by their key (decision 0005).
import { MAX_BUNDLE_BYTES } from '../../discover/bundle.js';
import { z } from 'zod';
import { CamauditError } from '../../core/errors.js';
import { DEFAULT_PORTS } from '../../discover/engine.js';
import { buildScope } from '../../discover/scope.js';
import { createAgentJob, endAgentJob, findAgentJob, handOutJobs } from '../../store/agent-jobs.js';
import {
  allowedRanges, assignScopes, createEnrolment, getOnlineAgent, listOnlineAgents, redeemEnrolment, revokeAgentById, type AssignedScope, type OnlineAgent,
} from '../../store/agent-enrolments.js';
import { resolveScanTargets } from '../../store/scan-targets.js';
import type { AgentPrincipal } from '../auth/principal.js';
import { ScanJobParams } from '../jobs/handlers/scan.js';
import { EnrolAnswer, EnrolRequest, PulledJobs, pulledJob, Refusal, ResultAnswer } from '../agents/protocol.js';
import { receiveResult } from '../agents/results.js';
import { firstOutside } from '../agents/scope-cover.js';
import { route, type RouteSpec } from '../route.js';
import { acceptedJob } from './job-accepted.js';
import { PAGE_PARAMS, pageOf, sortParam, type SortFields } from './paging.js';

const BASE = '/api/v1/organisations/:org/agents';
/** As agents.ts requires of a name. */
const AgentName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, . _ - (at most 64)');
const Scope = z.string().min(1).max(100);
const Id = z.strictObject({ id: z.uuid() });
/** An agent job lives a day unless asked otherwise; a week at most, so forgotten jobs end. */
const JOB_HOURS = 24;
const MAX_JOB_HOURS = 7 * 24;

const entries = (scopes: readonly AssignedScope[]) => scopes.map((s) => s.entry);

const agentView = (a: OnlineAgent) => ({
  id: a.id, name: a.name, fingerprint: a.fingerprint, scopes: a.scopes && entries(a.scopes), ranges: a.scopes && allowedRanges(a.scopes),
  enrolledAt: a.enrolledAt, enrolledBy: a.enrolledBy, revokedAt: a.revokedAt,
});

const AgentView = z.object({
  id: z.string(), name: z.string(), fingerprint: z.string(),
  /** As the administrator wrote them, network names included. */
  scopes: z.array(z.string()).nullable(),
  /** The address ranges those scopes stood for when assigned: what the agent's jobs must lie in. */
  ranges: z.array(z.string()).nullable(),
  enrolledAt: z.string(), enrolledBy: z.string(), revokedAt: z.string().nullable(),
});

/** The scopes for a message: a network's entry with the ranges it was assigned as. */
function described(scopes: readonly AssignedScope[]): string {
  return scopes.map((s) => {
    if (s.ranges.length === 1 && s.ranges[0] === s.entry) return s.entry;
    if (s.ranges.length === 0) return `${s.entry} = nothing (assigned before ranges were recorded; assign the scopes again)`;
    return `${s.entry} = ${s.ranges.join(' ')}`;
  }).join(', ');
}

const ScopeList = z.array(Scope).min(1).max(256);

const AGENT_SORT: SortFields<OnlineAgent> = { name: (a) => a.name, enrolledAt: (a) => a.enrolledAt, revokedAt: (a) => a.revokedAt };

const AgentQuery = z.strictObject({
  ...PAGE_PARAMS,
  sort: sortParam(AGENT_SORT, 'name'),
  status: z.enum(['active', 'revoked']).optional(),
});

const JobBody = z.strictObject({
  /** CIDRs, addresses, ranges or network:NAME; all inside the agent's scopes. */
  targets: z.array(Scope).min(1).max(256),
  exclude: z.array(Scope).max(256).default([]),
  ports: z.array(z.number().int().min(1).max(65535)).min(1).max(64).optional(),
  politeness: ScanJobParams.shape.politeness,
  hours: z.number().int().min(1).max(MAX_JOB_HOURS).default(JOB_HOURS),
});

/** The path names an agent; only that agent may use it. */
function ownPath(principal: AgentPrincipal, id: string): void {
  if (principal.agentId !== id) throw new CamauditError('forbidden', `this request is signed by agent "${principal.name}"; it may use its own agent path only`);
}

function bodyOf(raw: unknown): Buffer {
  if (!Buffer.isBuffer(raw) || raw.length === 0) throw new CamauditError('invalid_input', 'this request needs a body');
  return raw;
}

export function agentRoutes(): RouteSpec[] {
  return [
    route({
      method: 'POST', url: `${BASE}/enrolments`, summary: 'A one-time token (24 h) with which an agent enrols its key, with the name and scopes it gets', tags: ['agents'],
      auth: { org: 'admin' }, status: 201,
      body: z.strictObject({ name: AgentName, scopes: ScopeList }),
      response: z.object({ token: z.string(), name: z.string(), scopes: z.array(z.string()), ranges: z.array(z.string()), expiresAt: z.string() }),
      handler: async ({ ctx, scope, body }) => {
        const issued = await createEnrolment(ctx.store, scope, body, ctx.now());
        return { ...issued, scopes: entries(issued.scopes), ranges: allowedRanges(issued.scopes) };
      },
    }),
    route({
      method: 'GET', url: BASE, summary: 'Agents of the organisation with their scopes, revoked ones included', tags: ['agents'],
      auth: { org: 'admin' }, query: AgentQuery, response: z.object({ items: z.array(AgentView), nextCursor: z.string().nullable() }),
      handler: async ({ ctx, scope, query: q }) => {
        const agents = (await listOnlineAgents(ctx.store, scope)).filter((a) => !q.status || (q.status === 'revoked') === (a.revokedAt !== null));
        const page = pageOf(agents, q, AGENT_SORT, (a) => a.id);
        return { items: page.items.map(agentView), nextCursor: page.nextCursor };
      },
    }),
    route({
      method: 'DELETE', url: `${BASE}/:id`, summary: 'Revoke an agent: its requests and bundles are refused from now on and its open jobs cancelled', tags: ['agents'],
      auth: { org: 'admin' }, params: Id, status: 204, raw: true,
      handler: async ({ ctx, scope, params, reply }) => {
        await revokeAgentById(ctx.store, scope, params.id, ctx.now());
        return reply.code(204).send();
      },
    }),
    route({
      method: 'PUT', url: `${BASE}/:id/scopes`, summary: 'Assign the agent new scopes; network names are resolved to their ranges now', tags: ['agents'],
      auth: { org: 'admin' }, params: Id, body: z.strictObject({ scopes: ScopeList }), response: AgentView,
      handler: async ({ ctx, scope, params, body }) => agentView(await assignScopes(ctx.store, scope, params.id, body.scopes, ctx.now())),
    }),
    route({
      method: 'POST', url: `${BASE}/:id/jobs`, summary: 'Give the agent a scan job; every target must lie inside the agent\'s scopes', tags: ['agents'],
      auth: { org: 'write' }, params: Id, body: JobBody,
      handler: async ({ ctx, scope, org, params, body, reply }) => {
        const agent = await getOnlineAgent(ctx.store.db, scope, params.id);
        if (agent.revokedAt) throw new CamauditError('conflict', `agent "${agent.name}" was revoked; it takes no jobs`);
        if (!agent.scopes) throw new CamauditError('conflict', `agent "${agent.name}" was enrolled for offline bundles and has no scopes; enrol it online to give it jobs`);
        // Targets are resolved now: a network's ranges may change later, the job keeps what was meant today.
        const targets = await resolveScanTargets(ctx.store, scope, body.targets);
        const exclude = body.exclude.length > 0 ? await resolveScanTargets(ctx.store, scope, body.exclude) : [];
        // The agent's own scopes are not: they are the ranges the administrator assigned, which an editor cannot widen.
        const outside = firstOutside(targets, allowedRanges(agent.scopes));
        if (outside !== null) throw new CamauditError('invalid_input', `target ${outside} lies outside the scopes of agent "${agent.name}" (${described(agent.scopes)})`, { address: outside });
        buildScope({ include: targets, exclude });
        const now = ctx.now();
        const job = await createAgentJob(ctx.store, scope, agent.id, {
          targets, exclude, ports: body.ports ?? [...DEFAULT_PORTS], politeness: body.politeness,
          expiresAt: new Date(Date.parse(now) + body.hours * 3_600_000).toISOString(),
        }, now);
        return acceptedJob(reply, org, job);
      },
    }),
    route({
      method: 'POST', url: '/api/v1/agents/enrol', summary: 'An agent enrols its Ed25519 public key with a one-time token', tags: ['agents'],
      auth: 'public', rateLimit: 10, body: EnrolRequest, status: 201, response: EnrolAnswer,
      handler: async ({ ctx, body }) => {
        const { agent, organisation } = await redeemEnrolment(ctx.store, body.token, body.publicKey, ctx.now());
        return { agentId: agent.id, fingerprint: agent.fingerprint, name: agent.name, organisation, scopes: entries(agent.scopes ?? []) };
      },
    }),
    route({
      method: 'GET', url: '/api/v1/agents/:id/jobs', summary: 'The calling agent\'s open scan jobs', tags: ['agents'],
      auth: 'agent', params: Id, response: PulledJobs,
      handler: async ({ ctx, scope, org, principal, params }) => {
        ownPath(principal as AgentPrincipal, params.id);
        const jobs = await handOutJobs(ctx.store, scope, params.id, ctx.now());
        return { items: jobs.map((j) => pulledJob(j, org.slug)) };
      },
    }),
    route({
      method: 'POST', url: '/api/v1/agents/:id/results', summary: 'The calling agent answers a job with its signed scan bundle', tags: ['agents'],
      auth: 'agent', params: Id, response: ResultAnswer, bodyLimit: MAX_BUNDLE_BYTES,
      handler: async ({ ctx, scope, org, principal, params, raw }) => {
        ownPath(principal as AgentPrincipal, params.id);
        return receiveResult(ctx, scope, org, principal as AgentPrincipal, bodyOf(raw.body));
      },
    }),
    route({
      method: 'POST', url: '/api/v1/agents/:id/jobs/:job/refusal', summary: 'The calling agent refuses a job (a target outside its local scope file)', tags: ['agents'],
      auth: 'agent', params: z.strictObject({ id: z.uuid(), job: z.uuid() }), status: 204, raw: true,
      handler: async ({ ctx, scope, principal, params, raw, reply }) => {
        ownPath(principal as AgentPrincipal, params.id);
        const parsed = Refusal.safeParse(parseJson(bodyOf(raw.body)));
        if (!parsed.success) throw new CamauditError('invalid_input', `body: ${parsed.error.issues[0]?.message ?? 'not a refusal'}`);
        const job = await findAgentJob(ctx.store, scope, params.id, params.job);
        if (!job) throw new CamauditError('not_found', `agent "${(principal as AgentPrincipal).name}" has no job ${params.job}`);
        await endAgentJob(ctx.store, scope, job, 'failed', `refused by the agent: ${parsed.data.reason}`, ctx.now());
        return reply.code(204).send();
      },
    }),
  ];
}

function parseJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new CamauditError('invalid_input', 'the body is not JSON');
  }
}
