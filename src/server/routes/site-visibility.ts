// What the map and the site routes need to decide how precisely a caller sees each site: the
// publication overrides of the devices placed there, and whether the caller's role sees secret
// positions exactly (see src/core/map/site-positions.ts for the rule).
import type { PublicationPolicy } from '../../core/model.js';
import type { Store } from '../../store/database.js';
import type { TenantScope } from '../../store/tenant.js';
import { can, type Role } from '../auth/roles.js';

/** People who maintain the register see secret positions exactly; people who only read do not. */
export function seesSecretPositions(role: Role | null): boolean {
  return role !== null && can(role, 'write');
}

/** Site id → the publication overrides of the devices there (only devices that have any). */
export async function deviceOverridesBySite(store: Store, scope: TenantScope): Promise<Map<string, Partial<PublicationPolicy>[]>> {
  const rows = await store.db.selectFrom('devices').select(['site_id', 'publication_json'])
    .where('org_id', '=', scope.orgId).where('site_id', 'is not', null).where('publication_json', '!=', '{}').execute();
  const out = new Map<string, Partial<PublicationPolicy>[]>();
  for (const r of rows) {
    const overrides = JSON.parse(r.publication_json) as Partial<PublicationPolicy>;
    if (Object.keys(overrides).length === 0) continue;
    const list = out.get(r.site_id!) ?? [];
    list.push(overrides);
    out.set(r.site_id!, list);
  }
  return out;
}
