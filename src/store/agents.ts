// Enrolled agents: the scanners in closed networks whose signed bundles the organisation accepts.
// An agent is its Ed25519 public key; the name is for people. A revoked key stays on record so a
// bundle it signed is refused by name rather than as unknown, and so its past scan runs still say
// who made them.
import type { Kysely } from 'kysely';
import { CamauditError } from '../core/errors.js';
import { readPublicKey } from '../discover/agent-keys.js';
import type { TrustedKey } from '../discover/bundle.js';
import { appendAuditEntry } from './audit.js';
import { newId } from './ids.js';
import { inTransaction } from './in-transaction.js';
import type { AgentsTable, Database } from './schema.js';
import type { TenantScope } from './tenant.js';

export interface Agent {
  id: string;
  name: string;
  fingerprint: string;
  /** SPKI PEM. */
  publicKey: string;
  enrolledAt: string;
  enrolledBy: string;
  revokedAt: string | null;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function agentFromRow(r: AgentsTable): Agent {
  return {
    id: r.id, name: r.name, fingerprint: r.fingerprint, publicKey: r.public_key,
    enrolledAt: r.enrolled_at, enrolledBy: r.enrolled_by, revokedAt: r.revoked_at,
  };
}

/** Every agent of the organisation, revoked ones included, by name then enrolment. */
export async function listAgents(db: Kysely<Database>, scope: TenantScope): Promise<Agent[]> {
  const rows = await db.selectFrom('agents').selectAll().where('org_id', '=', scope.orgId)
    .orderBy('name').orderBy('enrolled_at').orderBy('id').execute();
  return rows.map(agentFromRow);
}

/**
 * Enrols an agent's public key (`where` names its file for messages). Refuses anything but an
 * Ed25519 key, a name an unrevoked agent already has, and a key enrolled before — also a revoked
 * one: a key that was withdrawn is not trusted again; the agent makes a new one.
 */
export async function enrolAgent(
  db: Kysely<Database>,
  scope: TenantScope,
  input: { name: string; publicKeyPem: string; where?: string },
  now: string,
): Promise<Agent> {
  if (!NAME.test(input.name)) {
    throw new CamauditError('usage', `agent name "${input.name}" must be 1-64 letters, digits, dots, dashes or underscores`);
  }
  const key = readPublicKey(input.publicKeyPem, input.where ?? 'public key');
  const known = await listAgents(db, scope);
  const sameKey = known.find((a) => a.fingerprint === key.fingerprint);
  if (sameKey) {
    const state = sameKey.revokedAt ? `was revoked on ${sameKey.revokedAt}; generate a new key with camaudit agent keygen` : 'is already enrolled';
    throw new CamauditError('conflict', `this key (fingerprint ${key.fingerprint}) ${state} as agent "${sameKey.name}"`);
  }
  if (known.some((a) => a.name === input.name && a.revokedAt === null)) {
    throw new CamauditError('conflict', `an agent named "${input.name}" is already enrolled; choose another name or revoke it first`);
  }
  const row: AgentsTable = {
    id: newId(), org_id: scope.orgId, name: input.name, public_key: key.pem, fingerprint: key.fingerprint,
    enrolled_at: now, enrolled_by: scope.actor, revoked_at: null, scopes_json: null,
  };
  await inTransaction(db, async (trx) => {
    await trx.insertInto('agents').values(row).execute();
    await appendAuditEntry(trx, scope, {
      action: 'create', entityType: 'agent', entityId: row.id, after: { name: row.name, fingerprint: row.fingerprint },
    }, now);
  });
  return agentFromRow(row);
}

/** Revokes the unrevoked agent of that name: bundles it signed are refused from now on. */
export async function revokeAgent(db: Kysely<Database>, scope: TenantScope, name: string, now: string): Promise<Agent> {
  const named = (await listAgents(db, scope)).filter((a) => a.name === name);
  const active = named.find((a) => a.revokedAt === null);
  if (!active) {
    if (named.length > 0) throw new CamauditError('conflict', `agent "${name}" is already revoked`);
    throw new CamauditError('not_found', `no agent named "${name}"; see camaudit agent list`);
  }
  await inTransaction(db, async (trx) => {
    await trx.updateTable('agents').set({ revoked_at: now })
      .where('org_id', '=', scope.orgId).where('id', '=', active.id).execute();
    await appendAuditEntry(trx, scope, {
      action: 'revoke', entityType: 'agent', entityId: active.id, before: { name: active.name, revokedAt: null }, after: { name: active.name, revokedAt: now },
    }, now);
  });
  return { ...active, revokedAt: now };
}

/** The keys `openBundle` checks signatures against, revoked ones marked. */
export async function trustedKeys(db: Kysely<Database>, scope: TenantScope): Promise<TrustedKey[]> {
  return (await listAgents(db, scope)).map((a) => ({
    id: a.id, name: a.name, fingerprint: a.fingerprint, publicKey: a.publicKey, revoked: a.revokedAt !== null,
  }));
}
