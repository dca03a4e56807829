// Single sign-on through OpenID Connect: the browser is sent to the provider and comes back to the
// callback, which signs the person in (a session cookie, as with a password) and sends them on.
import { secureCookies } from '../auth/cookies.js';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { OIDC_LOGIN_MINUTES } from '../../store/oidc-logins.js';
import { accountForIdentity } from '../auth/oidc-account.js';
import { beginOidcLogin, finishOidcLogin, oidcSettings } from '../auth/oidc.js';
import type { ServerContext } from '../context.js';
import { route, type RouteSpec } from '../route.js';
import { startSession } from './auth.js';

// Both are reached by anonymous browsers and each login writes a row, so both are rate-limited.
const PER_MINUTE = 30;

/** Holds the state of the sign-in this browser started; sent only to the sign-in routes. */
const STATE_COOKIE = 'camaudit_oidc_state';
const STATE_COOKIE_PATH = '/api/v1/auth/oidc/';

function stateCookieOptions(ctx: ServerContext, req: FastifyRequest) {
  // Lax, not Strict: the provider's redirect back is a cross-site navigation that must carry it.
  return {
    httpOnly: true, sameSite: 'lax' as const, path: STATE_COOKIE_PATH,
    secure: secureCookies(ctx, req),
  };
}

export function oidcRoutes(): RouteSpec[] {
  return [
    route({
      method: 'GET', url: '/api/v1/auth/oidc/login', summary: 'Sign in through the OpenID Connect provider: redirects there', tags: ['sign-in'],
      auth: 'public', rateLimit: PER_MINUTE, raw: true,
      query: z.object({
        /** A path on this server to land on afterwards; anything else lands on the start page. */
        returnTo: z.string().max(2048).optional(),
      }).strict(),
      handler: async ({ ctx, query, raw, reply }) => {
        const { url, state } = await beginOidcLogin(ctx, query.returnTo);
        void reply.setCookie(STATE_COOKIE, state, { ...stateCookieOptions(ctx, raw), maxAge: OIDC_LOGIN_MINUTES * 60 })
          .header('cache-control', 'no-store').redirect(url.href, 302);
      },
    }),
    route({
      method: 'GET', url: '/api/v1/auth/oidc/callback', summary: 'Where the OpenID Connect provider sends people back; sets the session cookie', tags: ['sign-in'],
      auth: 'public', rateLimit: PER_MINUTE, raw: true,
      // No query schema: the provider decides the parameters (code, state, iss, session_state,
      // error, …) and openid-client validates them.
      handler: async ({ ctx, raw, reply }) => {
        const oidc = oidcSettings(ctx);
        const browserState = raw.cookies[STATE_COOKIE];
        // Used or refused, an attempt is over; the browser need not keep its state.
        void reply.clearCookie(STATE_COOKIE, stateCookieOptions(ctx, raw));
        const query = new URL(raw.url, 'http://callback.invalid').searchParams;
        const { identity, returnTo } = await finishOidcLogin(ctx, query, browserState);
        const user = await accountForIdentity(ctx.store, oidc, identity, ctx.now());
        await startSession(ctx, raw, reply, user.id, 'oidc');
        void reply.header('cache-control', 'no-store').redirect(returnTo, 302);
      },
    }),
  ];
}
