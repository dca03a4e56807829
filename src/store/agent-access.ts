// What checking a signed agent request needs from the database: the agent the request names (in
// whatever organisation it is: the id comes before any tenant is known, as a bearer token does),
// and the nonces seen recently, so a captured request cannot be sent again.
import type { Store } from './database.js';

export interface AgentKeyRecord {
  id: string;
  orgId: string;
  name: string;
  /** SPKI PEM. */
  publicKey: string;
  fingerprint: string;
  revokedAt: string | null;
}

/** The agent with this id, revoked or not; null when there is none. For request authentication only. */
export async function agentForRequest(store: Store, agentId: string): Promise<AgentKeyRecord | null> {
  const row = await store.db.selectFrom('agents').select(['id', 'org_id', 'name', 'public_key', 'fingerprint', 'revoked_at'])
    .where('id', '=', agentId).executeTakeFirst();
  return row ? { id: row.id, orgId: row.org_id, name: row.name, publicKey: row.public_key, fingerprint: row.fingerprint, revokedAt: row.revoked_at } : null;
}

/**
 * Records a request's nonce; false when the agent used it before (a replay). Nonces older than
 * `keepSince` are dropped first: a request that old is refused by its timestamp anyway. Not an
 * audited change: like a session's last-seen time it is bookkeeping of access, not of the register.
 */
export async function useNonce(store: Store, agentId: string, nonce: string, now: string, keepSince: string): Promise<boolean> {
  await store.db.deleteFrom('agent_nonces').where('agent_id', '=', agentId).where('seen_at', '<', keepSince).execute();
  const result = await store.db.insertInto('agent_nonces').values({ agent_id: agentId, nonce, seen_at: now })
    .onConflict((oc) => oc.columns(['agent_id', 'nonce']).doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}
