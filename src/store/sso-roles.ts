// Roles that single sign-on hands out follow the provider's groups: at every sign-in a mapped
// role is granted, changed or taken away again. Such memberships carry `granted_by =
// sso:<issuer>`; a role an administrator gave is theirs to manage and sign-in never touches it.
// Each change goes through grantRole/revokeRole and so lands in the organisation's audit trail.
import type { Role } from '../server/auth/roles.js';
import type { Store } from './database.js';
import { grantRole, revokeRole } from './users.js';

/** The grantor recorded on memberships that sign-in through this issuer manages. */
export function ssoGrantor(issuer: string): string {
  return `sso:${issuer}`;
}

/** Brings the user's SSO-managed memberships in line with `wanted` (role per organisation id). */
export async function syncSsoRoles(store: Store, userId: string, issuer: string, wanted: ReadonlyMap<string, Role>, now: string): Promise<void> {
  const grantor = ssoGrantor(issuer);
  const held = await store.db.selectFrom('memberships').select(['org_id', 'role', 'granted_by']).where('user_id', '=', userId).execute();
  const heldIn = new Map(held.map((m) => [m.org_id, m]));
  const scope = (orgId: string) => ({ orgId, actor: grantor, source: 'oidc' });
  for (const [orgId, role] of wanted) {
    const current = heldIn.get(orgId);
    // An administrator's grant stands as given: raising it here would hand it to sign-in, which
    // would then remove it altogether once the group no longer maps.
    if (current && current.granted_by !== grantor) continue;
    if (current?.role !== role) await grantRole(store, scope(orgId), userId, role, now);
  }
  for (const m of held) {
    if (m.granted_by === grantor && !wanted.has(m.org_id)) await revokeRole(store, scope(m.org_id), userId, now);
  }
}
