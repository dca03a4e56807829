// Browser sessions, kept in the database so any server instance can serve any request. The
// cookie carries a random token; only its SHA-256 is stored, so a copy of the database gives
// nobody a usable session.
import { createHash, randomBytes } from 'node:crypto';
import type { Store } from './database.js';

export interface SessionTimes {
  /** A session ends this long after sign-in, however active. */
  absoluteMinutes: number;
  /** …and this long after its last request. */
  idleMinutes: number;
}

export interface Session {
  idHash: string;
  userId: string;
  csrfToken: string;
  via: string;
  createdAt: string;
  expiresAt: string;
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const plus = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

export async function createSession(store: Store, userId: string, via: string, times: SessionTimes, now: string): Promise<{ token: string; session: Session }> {
  const token = randomBytes(32).toString('base64url');
  const session: Session = {
    idHash: tokenHash(token), userId, csrfToken: randomBytes(24).toString('base64url'), via, createdAt: now,
    expiresAt: plus(now, Math.min(times.idleMinutes, times.absoluteMinutes)),
  };
  await store.db.insertInto('sessions').values({
    id_hash: session.idHash, user_id: userId, csrf_token: session.csrfToken, via, created_at: now, last_seen_at: now, expires_at: session.expiresAt,
  }).execute();
  return { token, session };
}

/**
 * The live session for a cookie token, its expiry slid forward by the idle time (never past the
 * absolute limit); null when unknown or expired. Expired rows are removed on sight.
 */
export async function useSession(store: Store, token: string, times: SessionTimes, now: string): Promise<Session | null> {
  const idHash = tokenHash(token);
  const row = await store.db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
  if (!row) return null;
  if (row.expires_at <= now) {
    await store.db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    return null;
  }
  const slid = [plus(now, times.idleMinutes), plus(row.created_at, times.absoluteMinutes)].sort()[0]!;
  // Writing on every request would make each read a write; a minute's resolution is enough.
  if (Date.parse(now) - Date.parse(row.last_seen_at) > 60_000) {
    await store.db.updateTable('sessions').set({ last_seen_at: now, expires_at: slid }).where('id_hash', '=', idHash).execute();
  }
  return { idHash, userId: row.user_id, csrfToken: row.csrf_token, via: row.via, createdAt: row.created_at, expiresAt: slid };
}

export async function endSession(store: Store, token: string): Promise<void> {
  await store.db.deleteFrom('sessions').where('id_hash', '=', tokenHash(token)).execute();
}

export async function purgeExpiredSessions(store: Store, now: string): Promise<number> {
  const r = await store.db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}
