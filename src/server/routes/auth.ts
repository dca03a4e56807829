// Signing in and out with a local account, the current session, and changing one's password.
// Wrong e-mail and wrong password get the same answer in the same time; an account locks after
// too many failures in a row, and each client address is limited to a few attempts a minute.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CamauditError } from '../../core/errors.js';
import { DEFAULT_THEME, ORGANISATION_THEMES, organisationThemes } from '../../store/organisations.js';
import { createSession, endSession } from '../../store/sessions.js';
import {
  findUserRowByEmail, listMemberships, recordLoginFailure, recordLoginSuccess, setPasswordHash, type Membership,
} from '../../store/users.js';
import { secureCookies } from '../auth/cookies.js';
import { hashPassword, passwordProblem, verifyDecoy, verifyPassword } from '../auth/passwords.js';
import { SESSION_COOKIE, type Principal } from '../auth/principal.js';
import type { ServerContext } from '../context.js';
import { route, type RouteSpec } from '../route.js';

// One answer for an unknown account, a wrong password and a locked account, so sign-in reveals
// neither which addresses have accounts nor which are locked.
const REFUSED = (minutes: number) => `wrong e-mail address or password, or too many failed attempts (then wait ${minutes} minutes)`;

export async function startSession(ctx: ServerContext, req: FastifyRequest, reply: FastifyReply, userId: string, via: string) {
  const now = ctx.now();
  await recordLoginSuccess(ctx.store, userId, via, now);
  const { token, session } = await createSession(ctx.store, userId, via, ctx.config.sessions, now);
  void reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true, sameSite: 'lax', secure: secureCookies(ctx, req), path: '/',
    maxAge: ctx.config.sessions.absoluteMinutes * 60,
  });
  return session;
}

// Each organisation comes with its interface theme, so the web application dresses itself before
// the first page of an organisation is drawn.
async function orgViews(ctx: ServerContext, memberships: readonly Membership[]) {
  const themes = await organisationThemes(ctx.store);
  return memberships.map((m) => ({ slug: m.orgSlug, name: m.orgName, role: m.role, theme: themes.get(m.orgId) ?? DEFAULT_THEME }));
}

const SessionView = z.object({
  user: z.object({ email: z.string(), displayName: z.string() }),
  organisations: z.array(z.object({ slug: z.string(), name: z.string(), role: z.string(), theme: z.enum(ORGANISATION_THEMES) })),
  csrfToken: z.string().nullable(),
});

async function sessionView(ctx: ServerContext, p: Principal) {
  if (p.kind !== 'user') throw new CamauditError('forbidden', 'this is for people signed in, not for tokens or agents');
  const memberships = await listMemberships(ctx.store, p.userId);
  return { user: { email: p.email, displayName: p.displayName }, organisations: await orgViews(ctx, memberships), csrfToken: p.csrfToken };
}

export function authRoutes(): RouteSpec[] {
  return [
    route({
      method: 'POST', url: '/api/v1/auth/login', summary: 'Sign in with e-mail and password; sets the session cookie', tags: ['sign-in'],
      auth: 'public', rateLimit: 'login',
      body: z.object({ email: z.string().max(320), password: z.string().max(1024) }).strict(),
      response: SessionView,
      handler: async ({ ctx, body, raw, reply }) => {
        const now = ctx.now();
        const user = await findUserRowByEmail(ctx.store, body.email);
        const refused = new CamauditError('unauthenticated', REFUSED(ctx.config.login.lockoutMinutes));
        if (!user || !user.password_hash || Number(user.disabled) === 1) {
          await verifyDecoy(body.password);
          throw refused;
        }
        const locked = user.locked_until !== null && user.locked_until > now;
        const right = await verifyPassword(user.password_hash, body.password);
        // A locked account refuses even the right password, without counting it as a failure.
        if (locked) throw refused;
        if (!right) {
          await recordLoginFailure(ctx.store, user.id, ctx.config.login, now);
          throw refused;
        }
        const session = await startSession(ctx, raw, reply, user.id, 'password');
        const memberships = await listMemberships(ctx.store, user.id);
        return { user: { email: user.email, displayName: user.display_name }, organisations: await orgViews(ctx, memberships), csrfToken: session.csrfToken };
      },
    }),
    route({
      method: 'GET', url: '/api/v1/auth/session', summary: 'The signed-in person, their organisations and roles, and the CSRF token', tags: ['sign-in'],
      auth: 'signed-in', response: SessionView,
      handler: async ({ ctx, principal }) => sessionView(ctx, principal!),
    }),
    route({
      method: 'POST', url: '/api/v1/auth/logout', summary: 'Sign out: ends the session', tags: ['sign-in'], auth: 'signed-in', status: 204, raw: true,
      handler: async ({ ctx, principal, reply }) => {
        if (principal?.kind === 'user') await endSession(ctx.store, principal.sessionToken);
        void reply.clearCookie(SESSION_COOKIE, { path: '/' }).code(204).send();
      },
    }),
    route({
      method: 'POST', url: '/api/v1/auth/password', summary: 'Change one\'s own password; ends every session of the account', tags: ['sign-in'],
      auth: 'signed-in', status: 204, raw: true, rateLimit: 'login',
      body: z.object({ current: z.string().max(1024), next: z.string().max(1024) }).strict(),
      handler: async ({ ctx, principal, body, reply }) => {
        if (principal?.kind !== 'user') throw new CamauditError('forbidden', 'only people have passwords');
        const row = await findUserRowByEmail(ctx.store, principal.email);
        if (!row?.password_hash || !(await verifyPassword(row.password_hash, body.current))) throw new CamauditError('unauthenticated', 'the current password is wrong');
        const problem = passwordProblem(body.next, principal.email);
        if (problem) throw new CamauditError('invalid_input', problem);
        await setPasswordHash(ctx.store, { actor: `user:${principal.email}`, source: 'api' }, principal.userId, await hashPassword(body.next), ctx.now());
        void reply.clearCookie(SESSION_COOKIE, { path: '/' }).code(204).send();
      },
    }),
  ];
}
