// Routes are declared, not hand-wired: each says who may call it (public, any signed-in caller,
// a permission in the organisation named in its path, or a signed agent) and the zod schemas of
// its input. One function enforces the declaration for every route, so a route cannot forget
// its authorisation check, and the OpenAPI document is generated from the same declarations.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { CamauditError } from '../core/errors.js';
import type { Organisation } from '../core/model.js';
import type { TenantScope } from '../store/tenant.js';
import { readSignatureHeaders } from './agents/signature.js';
import { sameSecret } from './auth/compare.js';
import { actorOf, resolvePrincipal, roleIn, type AgentPrincipal, type Principal } from './auth/principal.js';
import { can, type Permission, type Role } from './auth/roles.js';
import type { ServerContext } from './context.js';

export type { Permission } from './auth/roles.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type RouteAuth = 'public' | 'signed-in' | { org: Permission } | 'agent';

export interface RouteSpec<P = Record<string, unknown>, Q = Record<string, unknown>, B = unknown> {
  method: Method;
  /** Fastify path syntax (`:name`); organisation routes start with /api/v1/organisations/:org/. */
  url: string;
  summary: string;
  tags: string[];
  auth: RouteAuth;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Documents the answer in the OpenAPI description. */
  response?: z.ZodType;
  /** 201 for creations; the default is 200. */
  status?: number;
  /** Requests per minute per client address (sign-in and other guessable routes); 'login' is the configured sign-in limit. */
  rateLimit?: number | 'login';
  /** Answers are not JSON (files, event streams): the handler writes to `reply` itself. */
  raw?: true;
  /** The largest request body, for routes that take uploads; others take DEFAULT_BODY_LIMIT. */
  bodyLimit?: number;
  handler: (req: RouteRequest<P, Q, B>) => Promise<unknown>;
}

export interface RouteRequest<P = Record<string, unknown>, Q = Record<string, unknown>, B = unknown> {
  ctx: ServerContext;
  /** The organisation in the path, after the caller's role in it was checked. */
  org: Organisation;
  role: Role | null;
  scope: TenantScope;
  principal: Principal | null;
  params: P;
  query: Q;
  body: B;
  reply: FastifyReply;
  raw: FastifyRequest;
}

/** Declares a route with its types inferred from its schemas. */
export function route<P, Q, B>(spec: RouteSpec<P, Q, B>): RouteSpec {
  return spec as unknown as RouteSpec;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const CSRF_HEADER = 'x-csrf-token';

function checkCsrf(req: FastifyRequest, principal: Principal): void {
  if (principal.kind !== 'user' || !UNSAFE.has(req.method)) return;
  const sent = req.headers[CSRF_HEADER];
  if (typeof sent !== 'string' || !sameSecret(sent, principal.csrfToken)) {
    throw new CamauditError('forbidden', `a ${req.method} with a session needs the ${CSRF_HEADER} header from /api/v1/auth/session`);
  }
}

// The same answer for "does not exist" and "not yours", so organisation names cannot be probed.
const noSuchOrg = (slug: string) => new CamauditError('not_found', `no organisation "${slug}"`);

async function authorise(ctx: ServerContext, spec: RouteSpec, req: FastifyRequest): Promise<{ principal: Principal | null; org: Organisation | null; role: Role | null }> {
  if (spec.auth === 'public') return { principal: await resolvePrincipal(ctx, req), org: null, role: null };
  if (spec.auth === 'agent') {
    const agent: AgentPrincipal | null = ctx.authenticateAgent ? await ctx.authenticateAgent(req) : null;
    if (!agent) throw new CamauditError('unauthenticated', 'this route needs a request signed by an enrolled agent');
    const org = await orgOfAgent(ctx, agent);
    return { principal: agent, org, role: null };
  }
  const principal = await resolvePrincipal(ctx, req);
  if (!principal) throw new CamauditError('unauthenticated', 'sign in or send an API token (Authorization: Bearer cam_…)');
  checkCsrf(req, principal);
  if (spec.auth === 'signed-in') return { principal, org: null, role: null };
  const slug = (req.params as Record<string, string>).org ?? '';
  const org = await ctx.organisation(slug);
  const role = org ? roleIn(principal, org.id) : null;
  if (!org || !role) throw noSuchOrg(slug);
  if (!can(role, spec.auth.org)) throw new CamauditError('forbidden', `the role ${role} may not do this (needs ${spec.auth.org})`);
  return { principal, org, role };
}

async function orgOfAgent(ctx: ServerContext, agent: AgentPrincipal): Promise<Organisation> {
  const row = await ctx.store.db.selectFrom('organisations').select('slug').where('id', '=', agent.orgId).executeTakeFirst();
  const org = row ? await ctx.organisation(row.slug) : null;
  if (!org) throw new CamauditError('unauthenticated', 'the agent belongs to no organisation');
  return org;
}

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return value as T;
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const detail = r.error.issues.map((i) => `${[where, ...i.path].join('.')}: ${i.message}`).join('; ');
  throw new CamauditError('invalid_input', detail);
}

// Organisation routes name the organisation in the path; the handler's params leave it out.
function withoutOrg(params: unknown): Record<string, unknown> {
  const { org: _org, ...rest } = (params ?? {}) as Record<string, unknown>;
  return rest;
}

async function claimsEnrolledAgent(ctx: ServerContext, req: FastifyRequest): Promise<void> {
  const claim = readSignatureHeaders(req.headers);
  const row = claim && !('problem' in claim)
    ? await ctx.store.db.selectFrom('agents').select('id').where('id', '=', claim.agentId).executeTakeFirst()
    : undefined;
  if (!row) throw new CamauditError('unauthenticated', 'this route needs a request signed by an enrolled agent');
}

/** What a request body may weigh unless its route takes uploads: JSON edits are small. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

type Decision = Awaited<ReturnType<typeof authorise>>;

export function registerRoutes(app: FastifyInstance, ctx: ServerContext, specs: readonly RouteSpec[]): void {
  const decided = new WeakMap<FastifyRequest, Decision>();
  for (const spec of specs) {
    app.route({
      method: spec.method,
      url: spec.url,
      bodyLimit: spec.bodyLimit ?? DEFAULT_BODY_LIMIT,
      ...(spec.rateLimit ? { config: { rateLimit: { max: spec.rateLimit === 'login' ? ctx.config.login.perMinute : spec.rateLimit, timeWindow: 60_000 } } } : {}),
      // Who may call is decided before the body is read, so nobody without the right can make the
      // server take in an upload. Agents sign their body: the signature is checked once it is
      // read, and before that the request must at least name an agent this server enrolled.
      onRequest: spec.auth === 'agent'
        ? async (req: FastifyRequest) => { await claimsEnrolledAgent(ctx, req); }
        : async (req: FastifyRequest) => { decided.set(req, await authorise(ctx, spec, req)); },
      handler: async (req, reply) => {
        const { principal, org, role } = decided.get(req) ?? await authorise(ctx, spec, req);
        const scope: TenantScope = Object.freeze({ orgId: org?.id ?? '', actor: principal ? actorOf(principal) : 'anonymous', source: 'api' });
        const result = await spec.handler({
          ctx, org: org as Organisation, role, scope, principal,
          params: parse(spec.params, withoutOrg(req.params), 'path'),
          query: parse(spec.query, req.query, 'query'),
          body: parse(spec.body, req.body, 'body'),
          reply, raw: req,
        });
        if (spec.raw) return reply;
        if (spec.status) void reply.code(spec.status);
        return result ?? null;
      },
    });
  }
}
