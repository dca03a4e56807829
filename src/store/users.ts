// People who sign in, and their role in each organisation. Accounts are server-wide (one person
// may work for several organisations); roles are per organisation. Every change is audited:
// account changes on the server chain, role changes on the organisation's chain.
import { CamauditError } from '../core/errors.js';
import { isRole, type Role } from '../server/auth/roles.js';
import { revokeTokensMadeBy } from './api-tokens.js';
import { appendAudit } from './audit.js';
import type { Store } from './database.js';
import { newId } from './ids.js';
import type { UsersTable } from './schema.js';
import type { TenantScope } from './tenant.js';

export interface User {
  id: string;
  email: string;
  displayName: string;
  hasPassword: boolean;
  oidcIssuer: string | null;
  oidcSubject: string | null;
  lockedUntil: string | null;
  disabled: boolean;
  createdAt: string;
}

export interface Membership {
  orgId: string;
  orgSlug: string;
  orgName: string;
  role: Role;
}

export interface Actor {
  actor: string;
  source: string;
}

type UserRow = Omit<UsersTable, 'failed_logins' | 'disabled'> & { failed_logins: number; disabled: number };

function userFromRow(r: UserRow): User {
  return {
    id: r.id, email: r.email, displayName: r.display_name, hasPassword: r.password_hash !== null,
    oidcIssuer: r.oidc_issuer, oidcSubject: r.oidc_subject, lockedUntil: r.locked_until,
    disabled: Number(r.disabled) === 1, createdAt: r.created_at,
  };
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

export function normaliseEmail(email: string): string {
  const e = email.trim().toLowerCase();
  if (!EMAIL.test(e)) throw new CamauditError('usage', `"${email}" is not an e-mail address`);
  return e;
}

export interface NewUser {
  email: string;
  displayName: string;
  passwordHash?: string | null;
  oidc?: { issuer: string; subject: string } | null;
}

export async function createUser(store: Store, by: Actor, input: NewUser, now: string): Promise<User> {
  const email = normaliseEmail(input.email);
  const row = {
    id: newId(), email, display_name: input.displayName.trim() || email, password_hash: input.passwordHash ?? null,
    oidc_issuer: input.oidc?.issuer ?? null, oidc_subject: input.oidc?.subject ?? null,
    failed_logins: 0, locked_until: null, disabled: 0, created_at: now,
  };
  await store.db.transaction().execute(async (trx) => {
    const taken = await trx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
    if (taken) throw new CamauditError('conflict', `a user with e-mail ${email} already exists`);
    await trx.insertInto('users').values(row).execute();
    await appendAudit(trx, store.engine, { orgId: null, ...by }, [{
      action: 'create', entityType: 'user', entityId: row.id,
      after: { email, displayName: row.display_name, password: row.password_hash !== null, oidc: input.oidc ?? null },
    }], now);
  });
  return userFromRow(row);
}

/** The stored row, password hash included: for sign-in only. */
export async function findUserRowByEmail(store: Store, email: string): Promise<UserRow | undefined> {
  return store.db.selectFrom('users').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
}

export async function findUserById(store: Store, id: string): Promise<User | null> {
  const row = await store.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? userFromRow(row) : null;
}

export async function findUserByEmail(store: Store, email: string): Promise<User | null> {
  const row = await findUserRowByEmail(store, email);
  return row ? userFromRow(row) : null;
}

export async function findUserByOidc(store: Store, issuer: string, subject: string): Promise<User | null> {
  const row = await store.db.selectFrom('users').selectAll()
    .where('oidc_issuer', '=', issuer).where('oidc_subject', '=', subject).executeTakeFirst();
  return row ? userFromRow(row) : null;
}

export async function linkOidc(store: Store, by: Actor, userId: string, oidc: { issuer: string; subject: string }, now: string): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ oidc_issuer: oidc.issuer, oidc_subject: oidc.subject }).where('id', '=', userId).execute();
    await appendAudit(trx, store.engine, { orgId: null, ...by }, [{ action: 'update', entityType: 'user', entityId: userId, after: { oidc } }], now);
  });
}

export async function setPasswordHash(store: Store, by: Actor, userId: string, passwordHash: string, now: string): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: passwordHash, failed_logins: 0, locked_until: null }).where('id', '=', userId).execute();
    // Changing the password ends every session of the account.
    await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
    await appendAudit(trx, store.engine, { orgId: null, ...by }, [{ action: 'update', entityType: 'user', entityId: userId, after: { password: 'changed' } }], now);
  });
}

export async function setDisabled(store: Store, by: Actor, userId: string, disabled: boolean, now: string): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    const row = await trx.updateTable('users').set({ disabled: disabled ? 1 : 0 }).where('id', '=', userId).returning('email').executeTakeFirst();
    if (!row) throw new CamauditError('not_found', `no user ${userId}`);
    if (disabled) {
      await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
      await revokeTokensMadeBy(trx, store.engine, row.email, null, by, now);
    }
    await appendAudit(trx, store.engine, { orgId: null, ...by }, [{ action: 'update', entityType: 'user', entityId: userId, after: { disabled } }], now);
  });
}

export interface LockoutPolicy {
  maxAttempts: number;
  lockoutMinutes: number;
}

/** Counts a failed sign-in; the account locks for a while after too many in a row. */
export async function recordLoginFailure(store: Store, userId: string, policy: LockoutPolicy, now: string): Promise<{ locked: boolean }> {
  return store.db.transaction().execute(async (trx) => {
    // One statement counts, so failures arriving at once (several instances, parallel guesses)
    // each count: reading and then writing the count would let them overwrite each other.
    const row = await trx.updateTable('users').set((eb) => ({ failed_logins: eb('failed_logins', '+', 1) }))
      .where('id', '=', userId).returning('failed_logins').executeTakeFirstOrThrow();
    const failed = Number(row.failed_logins);
    const locked = failed >= policy.maxAttempts;
    const until = locked ? new Date(Date.parse(now) + policy.lockoutMinutes * 60_000).toISOString() : null;
    if (locked) await trx.updateTable('users').set({ failed_logins: 0, locked_until: until }).where('id', '=', userId).execute();
    await appendAudit(trx, store.engine, { orgId: null, actor: 'anonymous', source: 'sign-in' }, [{
      action: locked ? 'lock' : 'sign-in-failed', entityType: 'user', entityId: userId, after: locked ? { lockedUntil: until } : { failedAttempts: failed },
    }], now);
    return { locked };
  });
}

export async function recordLoginSuccess(store: Store, userId: string, via: string, now: string): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', userId).execute();
    await appendAudit(trx, store.engine, { orgId: null, actor: `user:${userId}`, source: via }, [{ action: 'sign-in', entityType: 'user', entityId: userId }], now);
  });
}

export async function listMemberships(store: Store, userId: string): Promise<Membership[]> {
  const rows = await store.db.selectFrom('memberships').innerJoin('organisations', 'organisations.id', 'memberships.org_id')
    .select(['memberships.org_id', 'memberships.role', 'organisations.slug', 'organisations.name'])
    .where('memberships.user_id', '=', userId).orderBy('organisations.slug').execute();
  return rows.filter((r) => isRole(r.role)).map((r) => ({ orgId: r.org_id, orgSlug: r.slug, orgName: r.name, role: r.role as Role }));
}

export interface Member {
  user: User;
  role: Role;
  grantedAt: string;
  grantedBy: string;
}

export async function listMembers(store: Store, scope: TenantScope): Promise<Member[]> {
  const rows = await store.db.selectFrom('memberships').innerJoin('users', 'users.id', 'memberships.user_id')
    .selectAll('users').select(['memberships.role', 'memberships.granted_at', 'memberships.granted_by'])
    .where('memberships.org_id', '=', scope.orgId).orderBy('users.email').execute();
  return rows.map((r) => ({ user: userFromRow(r), role: r.role as Role, grantedAt: r.granted_at, grantedBy: r.granted_by }));
}

/** Gives a user a role in the scope's organisation (replacing a previous role). */
export async function grantRole(store: Store, scope: TenantScope, userId: string, role: Role, now: string): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    const user = await trx.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirst();
    if (!user) throw new CamauditError('not_found', `no user ${userId}`);
    const before = await trx.selectFrom('memberships').select('role').where('user_id', '=', userId).where('org_id', '=', scope.orgId).executeTakeFirst();
    if (before?.role === role) return;
    if (before) {
      await trx.updateTable('memberships').set({ role, granted_at: now, granted_by: scope.actor })
        .where('user_id', '=', userId).where('org_id', '=', scope.orgId).execute();
      // Tokens the person made under the old role go with it.
      await revokeTokensMadeBy(trx, store.engine, user.email, scope.orgId, scope, now);
    } else {
      await trx.insertInto('memberships').values({ user_id: userId, org_id: scope.orgId, role, granted_at: now, granted_by: scope.actor }).execute();
    }
    await appendAudit(trx, store.engine, scope, [{
      action: before ? 'update' : 'create', entityType: 'membership', entityId: userId,
      before: before ? { email: user.email, role: before.role } : null, after: { email: user.email, role },
    }], now);
  });
}

export async function revokeRole(store: Store, scope: TenantScope, userId: string, now: string): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('memberships').innerJoin('users', 'users.id', 'memberships.user_id')
      .select(['memberships.role', 'users.email']).where('memberships.user_id', '=', userId).where('memberships.org_id', '=', scope.orgId)
      .executeTakeFirst();
    if (!before) throw new CamauditError('not_found', `user ${userId} has no role in this organisation`);
    await trx.deleteFrom('memberships').where('user_id', '=', userId).where('org_id', '=', scope.orgId).execute();
    await revokeTokensMadeBy(trx, store.engine, before.email, scope.orgId, scope, now);
    await appendAudit(trx, store.engine, scope, [{ action: 'delete', entityType: 'membership', entityId: userId, before: { email: before.email, role: before.role } }], now);
  });
}
