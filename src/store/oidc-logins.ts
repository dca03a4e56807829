// OpenID Connect sign-ins in progress. A row lives from the redirect to the provider until the
// callback takes it, and a callback can take it only once: a replayed or forged state finds
// nothing. Only the state's SHA-256 is stored, so reading the table gives nobody a state to
// present. These rows are sign-in plumbing like sessions, not register data, so they are not
// audited; the sign-in they lead to is.
import { tokenHash } from './sessions.js';
import type { Store } from './database.js';

export interface OidcLogin {
  codeVerifier: string;
  nonce: string;
  returnTo: string;
}

/** How long a person may take at the provider (typing a password, a second factor). */
export const OIDC_LOGIN_MINUTES = 10;

export async function saveOidcLogin(store: Store, state: string, login: OidcLogin, now: string): Promise<void> {
  const expiresAt = new Date(Date.parse(now) + OIDC_LOGIN_MINUTES * 60_000).toISOString();
  // Abandoned attempts would otherwise pile up: every visit to the login route adds a row.
  await store.db.deleteFrom('oidc_logins').where('expires_at', '<=', now).execute();
  await store.db.insertInto('oidc_logins').values({
    state_hash: tokenHash(state), code_verifier: login.codeVerifier, nonce: login.nonce, return_to: login.returnTo,
    created_at: now, expires_at: expiresAt,
  }).execute();
}

/** Removes and returns the sign-in for a state; null when unknown, already taken or expired. */
export async function takeOidcLogin(store: Store, state: string, now: string): Promise<OidcLogin | null> {
  // One DELETE … RETURNING: of two callbacks racing with the same state, only one gets the row.
  const row = await store.db.deleteFrom('oidc_logins').where('state_hash', '=', tokenHash(state))
    .returning(['code_verifier', 'nonce', 'return_to', 'expires_at']).executeTakeFirst();
  if (!row || row.expires_at <= now) return null;
  return { codeVerifier: row.code_verifier, nonce: row.nonce, returnTo: row.return_to };
}
