// Signing in through an OpenID Connect provider (Entra ID, Keycloak, …) with the authorisation
// code flow: a state that must come back to the browser that started (in a cookie) against forged
// callbacks, a nonce binding the ID token to this attempt, and PKCE binding the code to it. What
// the callback needs is kept in the database, so the instance that sends a person away need not
// be the one they come back to. openid-client checks the ID token's issuer, audience, expiry,
// nonce and signature.
import { sameSecret } from './compare.js';
import * as client from 'openid-client';
import { CamauditError } from '../../core/errors.js';
import { saveOidcLogin, takeOidcLogin } from '../../store/oidc-logins.js';
import type { OidcConfig } from '../config.js';
import type { ServerContext } from '../context.js';
import type { OidcIdentity } from './oidc-account.js';

export const OIDC_CALLBACK_PATH = '/api/v1/auth/oidc/callback';

/** The single sign-on settings; not found when the server has none, as if the routes did not exist. */
export function oidcSettings(ctx: ServerContext): OidcConfig {
  if (!ctx.config.oidc) throw new CamauditError('not_found', 'single sign-on (OpenID Connect) is not configured on this server');
  return ctx.config.oidc;
}

function redirectUri(ctx: ServerContext, oidc: OidcConfig): string {
  if (oidc.redirectUri) return oidc.redirectUri;
  // Never derived from the request's Host header: that is the caller's to choose.
  if (ctx.config.publicUrl) return new URL(OIDC_CALLBACK_PATH, ctx.config.publicUrl).href;
  throw new CamauditError('unsupported', 'single sign-on needs oidc.redirectUri or publicUrl in the configuration');
}

// One discovery per configuration and process: the provider's metadata rarely changes, and
// openid-client refetches its signing keys itself when it meets a key it does not know.
const discovered = new WeakMap<OidcConfig, Promise<client.Configuration>>();

function discover(oidc: OidcConfig): Promise<client.Configuration> {
  let config = discovered.get(oidc);
  if (!config) {
    config = client.discovery(new URL(oidc.issuer), oidc.clientId, oidc.clientSecret, undefined, {
      // Signatures are checked even though TLS already vouches for the token endpoint: on plain
      // http (allowInsecure) nothing else would, and a TLS-inspecting proxy could alter tokens.
      execute: [...(oidc.allowInsecure ? [client.allowInsecureRequests] : []), client.enableNonRepudiationChecks],
      timeout: 10,
    });
    discovered.set(oidc, config);
    // A provider that was down must be asked again next time, not remembered as down.
    config.catch(() => { if (discovered.get(oidc) === config) discovered.delete(oidc); });
  }
  return config.catch((cause: unknown) => {
    throw new CamauditError('unavailable', `single sign-on is unavailable: the provider ${oidc.issuer} did not answer as expected (${(cause as Error).message})`, undefined, { cause });
  });
}

/**
 * A path on this server, or '/': after signing in nobody is sent to another site (an open
 * redirect would lend this server's name to a phishing page).
 */
export function safeReturnPath(returnTo: string | undefined): string {
  if (!returnTo || !returnTo.startsWith('/') || /[\\\p{Cc}]/u.test(returnTo)) return '/';
  const base = 'http://camaudit.invalid';
  const url = new URL(returnTo, base);
  return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : '/';
}

/**
 * Starts a sign-in: remembers the attempt and answers the provider's authorisation URL, and the
 * state, which the browser must keep (a cookie) and bring back to the callback.
 */
export async function beginOidcLogin(ctx: ServerContext, returnTo: string | undefined): Promise<{ url: URL; state: string }> {
  const oidc = oidcSettings(ctx);
  const redirect = redirectUri(ctx, oidc);
  const config = await discover(oidc);
  const state = client.randomState();
  const nonce = client.randomNonce();
  const codeVerifier = client.randomPKCECodeVerifier();
  await saveOidcLogin(ctx.store, state, { codeVerifier, nonce, returnTo: safeReturnPath(returnTo) }, ctx.now());
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirect, scope: oidc.scopes, state, nonce,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256',
  });
  return { url, state };
}

function refusal(cause: unknown): CamauditError {
  if (cause instanceof client.AuthorizationResponseError || cause instanceof client.ResponseBodyError) {
    const why = cause.error_description ? `${cause.error}: ${cause.error_description}` : cause.error;
    return new CamauditError('unauthenticated', `the sign-in provider did not sign you in (${why})`, undefined, { cause });
  }
  return new CamauditError('unauthenticated', `the sign-in provider's answer was not accepted: ${reasons(cause)}`, undefined, { cause });
}

/** openid-client wraps the specific reason (which claim, which check) in a general one. */
function reasons(error: unknown): string {
  const messages: string[] = [];
  for (let e = error; e instanceof Error && messages.length < 3; e = e.cause) messages.push(e.message);
  return messages.join(': ');
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** The identity in a validated ID token's claims. */
export function identityFromClaims(claims: client.IDToken, groupsClaim: string): OidcIdentity {
  const groups = claims[groupsClaim];
  // Entra ID leaves the groups out of the token when there are too many and points elsewhere
  // instead; signing in with no groups would silently take away every role.
  const names = claims._claim_names;
  if (groups === undefined && names && typeof names === 'object' && groupsClaim in names) {
    throw new CamauditError('forbidden', `the sign-in provider left the "${groupsClaim}" claim out (too many groups); have it send only the groups assigned to this application`);
  }
  const email = text(claims.email);
  return {
    issuer: claims.iss, subject: claims.sub,
    // Entra ID sends no email claim for accounts without a mailbox; their sign-in name is one.
    email: email ?? (text(claims.preferred_username)?.includes('@') ? text(claims.preferred_username) : null),
    emailVerified: email !== null && claims.email_verified === true,
    name: text(claims.name),
    groups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : typeof groups === 'string' ? [groups] : [],
  };
}

/**
 * Finishes a sign-in from the provider's callback query and the state the browser kept: takes the
 * attempt the state names (once), exchanges the code and validates the ID token. Answers the
 * identity and where to go next.
 */
export async function finishOidcLogin(ctx: ServerContext, query: URLSearchParams, browserState: string | undefined): Promise<{ identity: OidcIdentity; returnTo: string }> {
  const oidc = oidcSettings(ctx);
  const state = query.get('state');
  if (!state) throw new CamauditError('unauthenticated', 'the sign-in answer carries no state; start signing in again');
  // Without this, someone could start a sign-in with their own account, stop before the callback,
  // and get another person's browser to open that callback: the victim would then work, unaware,
  // in the attacker's account.
  if (!browserState || !sameSecret(state, browserState)) {
    throw new CamauditError('unauthenticated', 'this sign-in was not started in this browser; start signing in again');
  }
  const login = await takeOidcLogin(ctx.store, state, ctx.now());
  if (!login) throw new CamauditError('unauthenticated', 'this sign-in attempt is unknown, already used or expired; start signing in again');
  const config = await discover(oidc);
  // The configured callback address, not the one this request reached (behind a proxy they differ):
  // the token request must repeat exactly the redirect_uri the provider saw.
  const callback = new URL(redirectUri(ctx, oidc));
  callback.search = query.toString();
  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
  try {
    tokens = await client.authorizationCodeGrant(config, callback, {
      expectedState: state, expectedNonce: login.nonce, pkceCodeVerifier: login.codeVerifier, idTokenExpected: true,
    });
  } catch (cause) {
    throw refusal(cause);
  }
  const claims = tokens.claims();
  if (!claims) throw new CamauditError('unauthenticated', 'the sign-in provider sent no ID token');
  return { identity: identityFromClaims(claims, oidc.groupsClaim), returnTo: login.returnTo };
}
