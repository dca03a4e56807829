// API tokens for the CLI, CI pipelines and other servers: scoped to one organisation and one
// role, always expiring, stored as a SHA-256 hash and shown once. The "cam_" prefix lets secret
// scanners recognise a leaked token.
import { randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import { CamauditError } from '../core/errors.js';
import { isRole, type Role } from '../server/auth/roles.js';
import { appendAudit } from './audit.js';
import type { Store } from './database.js';
import type { EngineFlags } from './engine.js';
import type { Database } from './schema.js';
import { newId } from './ids.js';
import { tokenHash } from './sessions.js';
import type { TenantScope } from './tenant.js';

export const TOKEN_PREFIX = 'cam_';
/** A token lives at most a year; a forgotten token must run out by itself. */
export const MAX_TOKEN_DAYS = 366;

export interface ApiToken {
  id: string;
  orgId: string;
  name: string;
  role: Role;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface NewToken {
  name: string;
  role: Role;
  expiresAt: string;
}

export async function createApiToken(store: Store, scope: TenantScope, input: NewToken, now: string): Promise<{ token: string; record: ApiToken }> {
  const name = input.name.trim();
  if (!name || name.length > 100) throw new CamauditError('usage', 'a token needs a name of 1 to 100 characters');
  if (!(input.expiresAt > now)) throw new CamauditError('usage', `token expiry ${input.expiresAt} is not in the future`);
  const limit = new Date(Date.parse(now) + MAX_TOKEN_DAYS * 86_400_000).toISOString();
  if (input.expiresAt > limit) throw new CamauditError('usage', `a token expires within ${MAX_TOKEN_DAYS} days (by ${limit.slice(0, 10)})`);
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const record: ApiToken = {
    id: newId(), orgId: scope.orgId, name, role: input.role, createdBy: scope.actor, createdAt: now,
    expiresAt: input.expiresAt, lastUsedAt: null, revokedAt: null,
  };
  await store.db.transaction().execute(async (trx) => {
    await trx.insertInto('api_tokens').values({
      id: record.id, org_id: scope.orgId, role: record.role, name, token_hash: tokenHash(token), created_by: scope.actor,
      created_at: now, expires_at: record.expiresAt, last_used_at: null, revoked_at: null,
    }).execute();
    await appendAudit(trx, store.engine, scope, [{ action: 'create', entityType: 'api_token', entityId: record.id, after: { name, role: record.role, expiresAt: record.expiresAt } }], now);
  });
  return { token, record };
}

/** The live token a bearer string names, or null (unknown, revoked or expired). */
export async function useApiToken(store: Store, token: string, now: string): Promise<ApiToken | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const row = await store.db.selectFrom('api_tokens').selectAll().where('token_hash', '=', tokenHash(token)).executeTakeFirst();
  if (!row || row.revoked_at || row.expires_at <= now || !isRole(row.role)) return null;
  if (!row.last_used_at || Date.parse(now) - Date.parse(row.last_used_at) > 60_000) {
    await store.db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute();
  }
  return fromRow(row);
}

function fromRow(row: { id: string; org_id: string; name: string; role: string; created_by: string; created_at: string; expires_at: string; last_used_at: string | null; revoked_at: string | null }): ApiToken {
  return {
    id: row.id, orgId: row.org_id, name: row.name, role: row.role as Role, createdBy: row.created_by, createdAt: row.created_at,
    expiresAt: row.expires_at, lastUsedAt: row.last_used_at, revokedAt: row.revoked_at,
  };
}

export async function listApiTokens(store: Store, scope: TenantScope): Promise<ApiToken[]> {
  const rows = await store.db.selectFrom('api_tokens').selectAll().where('org_id', '=', scope.orgId).orderBy('created_at').execute();
  return rows.map(fromRow);
}

export async function revokeApiToken(store: Store, scope: TenantScope, id: string, now: string): Promise<ApiToken> {
  return store.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('api_tokens').selectAll().where('id', '=', id).where('org_id', '=', scope.orgId).executeTakeFirst();
    if (!row) throw new CamauditError('not_found', `no token ${id} in this organisation`);
    if (row.revoked_at) return fromRow(row);
    await trx.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).execute();
    await appendAudit(trx, store.engine, scope, [{ action: 'revoke', entityType: 'api_token', entityId: id, before: { name: row.name, role: row.role } }], now);
    return { ...fromRow(row), revokedAt: now };
  });
}

/**
 * Revokes, inside the caller's transaction, the live tokens a person made — in one organisation,
 * or (null) in all: a token must not outlast its maker's role. Returns how many.
 */
export async function revokeTokensMadeBy(trx: Transaction<Database>, engine: EngineFlags, email: string, orgId: string | null, by: { actor: string; source: string }, now: string): Promise<number> {
  let q = trx.selectFrom('api_tokens').select(['id', 'org_id', 'name', 'role']).where('created_by', '=', `user:${email}`).where('revoked_at', 'is', null);
  if (orgId !== null) q = q.where('org_id', '=', orgId);
  const live = await q.execute();
  for (const t of live) {
    await trx.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', t.id).execute();
    await appendAudit(trx, engine, { orgId: t.org_id, ...by }, [{
      action: 'revoke', entityType: 'api_token', entityId: t.id, before: { name: t.name, role: t.role }, after: { reason: `its maker ${email} lost the role` },
    }], now);
  }
  return live.length;
}
