// Who is calling: a signed-in person (session cookie), an API token, or an enrolled agent.
// Resolved per request from the database, so any instance can serve any request.
import type { FastifyRequest } from 'fastify';
import { useApiToken } from '../../store/api-tokens.js';
import { useSession } from '../../store/sessions.js';
import { findUserById, listMemberships } from '../../store/users.js';
import type { ServerContext } from '../context.js';
import type { Role } from './roles.js';

export const SESSION_COOKIE = 'camaudit_session';

export interface UserPrincipal {
  kind: 'user';
  userId: string;
  email: string;
  displayName: string;
  /** Role per organisation id. */
  roles: ReadonlyMap<string, Role>;
  csrfToken: string;
  sessionToken: string;
}

export interface TokenPrincipal {
  kind: 'token';
  tokenId: string;
  name: string;
  orgId: string;
  role: Role;
}

export interface AgentPrincipal {
  kind: 'agent';
  agentId: string;
  name: string;
  orgId: string;
}

export type Principal = UserPrincipal | TokenPrincipal | AgentPrincipal;

/** How the principal appears in the audit trail. */
export function actorOf(p: Principal): string {
  if (p.kind === 'user') return `user:${p.email}`;
  if (p.kind === 'token') return `token:${p.name}`;
  return `agent:${p.name}`;
}

/** The role the principal holds in an organisation, or null when it holds none there. */
export function roleIn(p: Principal, orgId: string): Role | null {
  if (p.kind === 'user') return p.roles.get(orgId) ?? null;
  if (p.kind === 'token') return p.orgId === orgId ? p.role : null;
  return null;
}

function bearer(req: FastifyRequest): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  return m ? m[1]! : null;
}

/** The person or token behind a request (agents authenticate per route); null when anonymous or invalid. */
export async function resolvePrincipal(ctx: ServerContext, req: FastifyRequest): Promise<UserPrincipal | TokenPrincipal | null> {
  const now = ctx.now();
  const token = bearer(req);
  if (token) {
    const t = await useApiToken(ctx.store, token, now);
    return t ? { kind: 'token', tokenId: t.id, name: t.name, orgId: t.orgId, role: t.role } : null;
  }
  const cookie = req.cookies[SESSION_COOKIE];
  if (!cookie) return null;
  const session = await useSession(ctx.store, cookie, ctx.config.sessions, now);
  if (!session) return null;
  const user = await findUserById(ctx.store, session.userId);
  if (!user || user.disabled) return null;
  const memberships = await listMemberships(ctx.store, user.id);
  return {
    kind: 'user', userId: user.id, email: user.email, displayName: user.displayName,
    roles: new Map(memberships.map((m) => [m.orgId, m.role])), csrfToken: session.csrfToken, sessionToken: cookie,
  };
}
