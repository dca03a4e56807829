// Online agents from enrolment to revocation. An administrator names the agent and the scopes it
// may scan and gets a one-time token (256 random bits, valid 24 hours, stored only as its hash);
// the agent redeems it once with its public key. Tokens are burnt in the same transaction that
// enrols the key, so two agents racing with one token cannot both get in.
//
// A scope naming a registered network is resolved to that network's address ranges when the
// administrator assigns it, and the ranges are stored with it: editors may change a network's
// ranges, and that must not widen what an agent may scan. Jobs are checked against the stored
// ranges only; an administrator who wants the agent to follow a changed network assigns its
// scopes again.
import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { CamauditError } from '../core/errors.js';
import { siteKey } from '../core/register/merge.js';
import { parseRange } from '../discover/scope.js';
import { enrolAgent, listAgents, type Agent } from './agents.js';
import { endUnfinishedAgentJobs } from './agent-jobs.js';
import { appendAudit } from './audit.js';
import type { Store } from './database.js';
import { tokenHash } from './sessions.js';
import type { Database } from './schema.js';
import type { TenantScope } from './tenant.js';

export const ENROLMENT_PREFIX = 'cae_';
export const ENROLMENT_HOURS = 24;
const NETWORK = 'network:';

type Db = Kysely<Database> | Transaction<Database>;

/** One scope as the administrator wrote it, with the address ranges it stood for when assigned. */
export interface AssignedScope {
  /** A CIDR, address or range, or `network:NAME`. */
  entry: string;
  /** What the agent may scan for this entry: the entry itself, or the network's ranges at assignment. */
  ranges: string[];
}

export interface OnlineAgent extends Agent {
  /** What the agent may scan; null for an agent enrolled for offline bundles only. */
  scopes: AssignedScope[] | null;
}

/** Every address range the scopes allow: what a job's targets must lie in. */
export const allowedRanges = (scopes: readonly AssignedScope[]): string[] => scopes.flatMap((s) => s.ranges);

/**
 * Scope entries as written, checked, each with its ranges: CIDRs, addresses and ranges stand for
 * themselves, `network:NAME` for the ranges that registered network has now.
 */
async function resolveScopes(db: Db, scope: TenantScope, entries: readonly string[]): Promise<AssignedScope[]> {
  if (entries.length === 0) throw new CamauditError('usage', 'an online agent needs at least one scope it may scan');
  const networks = await db.selectFrom('networks').select(['name', 'name_key', 'cidrs_json']).where('org_id', '=', scope.orgId).execute();
  const byKey = new Map(networks.map((n) => [n.name_key, n]));
  return entries.map((raw) => {
    const entry = raw.trim();
    if (!entry.startsWith(NETWORK)) {
      parseRange(entry);
      return { entry, ranges: [entry] };
    }
    const network = byKey.get(siteKey(entry.slice(NETWORK.length)));
    if (!network) throw new CamauditError('not_found', `scope "${entry}": no network of that name (known: ${networks.map((n) => n.name).join(', ') || 'none'})`);
    const ranges = JSON.parse(network.cidrs_json) as string[];
    if (ranges.length === 0) throw new CamauditError('usage', `scope "${entry}": network "${network.name}" has no address ranges registered`);
    for (const r of ranges) parseRange(r);
    return { entry, ranges };
  });
}

/**
 * Stored scopes. Rows written before ranges were stored hold bare strings: an address range still
 * stands for itself, but a network name allows nothing until an administrator assigns the scopes
 * again: resolving it now would let in whatever ranges an editor has given the network since.
 */
function decodeScopes(json: string | null): AssignedScope[] | null {
  if (json === null) return null;
  return (JSON.parse(json) as (AssignedScope | string)[]).map((s) => typeof s !== 'string' ? s : { entry: s, ranges: s.startsWith(NETWORK) ? [] : [s] });
}

export interface NewEnrolment {
  name: string;
  scopes: readonly string[];
}

export interface IssuedEnrolment {
  /** Shown once; only its hash is stored. */
  token: string;
  name: string;
  scopes: AssignedScope[];
  expiresAt: string;
}

export async function createEnrolment(store: Store, scope: TenantScope, input: NewEnrolment, now: string): Promise<IssuedEnrolment> {
  const scopes = await resolveScopes(store.db, scope, input.scopes);
  if ((await listAgents(store.db, scope)).some((a) => a.name === input.name && a.revokedAt === null)) {
    throw new CamauditError('conflict', `an agent named "${input.name}" is already enrolled; choose another name or revoke it first`);
  }
  const token = ENROLMENT_PREFIX + randomBytes(32).toString('base64url');
  const hash = tokenHash(token);
  const expiresAt = new Date(Date.parse(now) + ENROLMENT_HOURS * 3_600_000).toISOString();
  await store.db.transaction().execute(async (trx) => {
    await trx.insertInto('agent_enrolments').values({
      token_hash: hash, org_id: scope.orgId, name: input.name, scopes_json: JSON.stringify(scopes), created_by: scope.actor,
      created_at: now, expires_at: expiresAt, used_at: null, agent_id: null,
    }).execute();
    // The audit trail names the enrolment by a prefix of its hash: enough to tell enrolments apart, useless to redeem.
    await appendAudit(trx, store.engine, scope, [{
      action: 'create', entityType: 'agent_enrolment', entityId: hash.slice(0, 16), after: { name: input.name, scopes, expiresAt },
    }], now);
  });
  return { token, name: input.name, scopes, expiresAt };
}

/**
 * Redeems a token with the agent's public key: the token is burnt and the key enrolled with the
 * name and scopes the administrator chose, in one transaction. A key refused by the enrolment (not
 * Ed25519, already enrolled, revoked before) leaves the token unused.
 */
export async function redeemEnrolment(store: Store, token: string, publicKeyPem: string, now: string): Promise<{ agent: OnlineAgent; organisation: string }> {
  if (!token.startsWith(ENROLMENT_PREFIX)) throw new CamauditError('unauthenticated', 'not an enrolment token (they start with cae_)');
  const hash = tokenHash(token);
  return store.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('agent_enrolments').selectAll().where('token_hash', '=', hash).executeTakeFirst();
    if (!row) throw new CamauditError('unauthenticated', 'unknown enrolment token; ask the administrator for a new one');
    if (row.used_at) throw new CamauditError('conflict', `this enrolment token was used on ${row.used_at}; a token enrols one agent only — ask for a new one`);
    if (row.expires_at <= now) throw new CamauditError('unauthenticated', `this enrolment token expired on ${row.expires_at}; ask for a new one`);
    // The used_at condition makes the burn atomic: of two redemptions at once, one updates the row.
    const burnt = await trx.updateTable('agent_enrolments').set({ used_at: now }).where('token_hash', '=', hash).where('used_at', 'is', null).executeTakeFirst();
    if (Number(burnt.numUpdatedRows) !== 1) throw new CamauditError('conflict', 'this enrolment token was used just now; a token enrols one agent only');
    const scope: TenantScope = { orgId: row.org_id, actor: `enrolment:${row.name}`, source: 'api' };
    const agent = await enrolAgent(trx, scope, { name: row.name, publicKeyPem, where: 'publicKey' }, now);
    // The ranges resolved when the administrator created the enrolment, not the networks' ranges now.
    const scopes = decodeScopes(row.scopes_json)!;
    await trx.updateTable('agents').set({ scopes_json: JSON.stringify(scopes) }).where('id', '=', agent.id).where('org_id', '=', row.org_id).execute();
    await trx.updateTable('agent_enrolments').set({ agent_id: agent.id }).where('token_hash', '=', hash).execute();
    await appendAudit(trx, store.engine, scope, [
      { action: 'use', entityType: 'agent_enrolment', entityId: hash.slice(0, 16), after: { agentId: agent.id } },
      // enrolAgent recorded the key; what this path adds is what the agent may scan.
      { action: 'assign-scopes', entityType: 'agent', entityId: agent.id, before: { scopes: null }, after: { scopes } },
    ], now);
    const org = await trx.selectFrom('organisations').select('slug').where('id', '=', row.org_id).executeTakeFirstOrThrow();
    return { agent: { ...agent, scopes }, organisation: org.slug };
  });
}

export async function listOnlineAgents(store: Store, scope: TenantScope): Promise<OnlineAgent[]> {
  const agents = await listAgents(store.db, scope);
  const rows = await store.db.selectFrom('agents').select(['id', 'scopes_json']).where('org_id', '=', scope.orgId).execute();
  const scopes = new Map(rows.map((r) => [r.id, decodeScopes(r.scopes_json)]));
  return agents.map((a) => ({ ...a, scopes: scopes.get(a.id) ?? null }));
}

export async function getOnlineAgent(db: Db, scope: TenantScope, id: string): Promise<OnlineAgent> {
  const row = await db.selectFrom('agents').selectAll().where('org_id', '=', scope.orgId).where('id', '=', id).executeTakeFirst();
  if (!row) throw new CamauditError('not_found', `no agent ${id}`);
  return {
    id: row.id, name: row.name, fingerprint: row.fingerprint, publicKey: row.public_key, enrolledAt: row.enrolled_at,
    enrolledBy: row.enrolled_by, revokedAt: row.revoked_at, scopes: decodeScopes(row.scopes_json),
  };
}

/**
 * Revokes the agent with this id: its requests and bundles are refused from now on, and the jobs
 * it had not answered are cancelled. Revoking a revoked agent changes nothing.
 */
export async function revokeAgentById(store: Store, scope: TenantScope, id: string, now: string): Promise<OnlineAgent> {
  return store.db.transaction().execute(async (trx) => {
    const agent = await getOnlineAgent(trx, scope, id);
    if (agent.revokedAt) return agent;
    await trx.updateTable('agents').set({ revoked_at: now }).where('org_id', '=', scope.orgId).where('id', '=', id).execute();
    await appendAudit(trx, store.engine, scope, [{
      action: 'revoke', entityType: 'agent', entityId: id, before: { name: agent.name, fingerprint: agent.fingerprint, revokedAt: null }, after: { revokedAt: now },
    }], now);
    await endUnfinishedAgentJobs(trx, store, scope, id, 'cancelled', `agent "${agent.name}" was revoked`, now);
    return { ...agent, revokedAt: now };
  });
}

/**
 * Assigns the agent new scopes, resolving network names to their ranges now: how an administrator
 * lets an agent follow a network whose ranges changed. Jobs already given are left as they are.
 */
export async function assignScopes(store: Store, scope: TenantScope, id: string, entries: readonly string[], now: string): Promise<OnlineAgent> {
  return store.db.transaction().execute(async (trx) => {
    const agent = await getOnlineAgent(trx, scope, id);
    if (agent.revokedAt) throw new CamauditError('conflict', `agent "${agent.name}" was revoked; its scopes no longer matter`);
    if (!agent.scopes) throw new CamauditError('conflict', `agent "${agent.name}" was enrolled for offline bundles and takes no jobs; enrol it online to give it scopes`);
    const scopes = await resolveScopes(trx, scope, entries);
    await trx.updateTable('agents').set({ scopes_json: JSON.stringify(scopes) }).where('org_id', '=', scope.orgId).where('id', '=', id).execute();
    await appendAudit(trx, store.engine, scope, [{
      action: 'assign-scopes', entityType: 'agent', entityId: id, before: { scopes: agent.scopes }, after: { scopes },
    }], now);
    return { ...agent, scopes };
  });
}
