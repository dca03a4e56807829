// The register's history — devices, sites and networks as they changed — read from the audit
// trail, which also holds entries about other things (waivers, plans, runs) listed by `audit list`.
import type { HistoryEvent, EntityType } from '../core/model.js';
import type { Store } from './database.js';
import type { TenantScope } from './tenant.js';

const REGISTER_ENTITIES: readonly EntityType[] = ['device', 'site', 'network'];

export async function listHistory(store: Store, scope: TenantScope, entityId?: string): Promise<HistoryEvent[]> {
  let q = store.db.selectFrom('history').selectAll().where('org_id', '=', scope.orgId).where('entity_type', 'in', REGISTER_ENTITIES);
  if (entityId) q = q.where('entity_id', '=', entityId);
  const rows = await q.orderBy('id').execute();
  return rows.map((r) => ({
    id: Number(r.id),
    orgId: r.org_id,
    entityType: r.entity_type as EntityType,
    entityId: r.entity_id,
    action: r.action as HistoryEvent['action'],
    actor: r.actor,
    source: r.source,
    at: r.at,
    before: r.before_json ? (JSON.parse(r.before_json) as Record<string, unknown>) : null,
    after: r.after_json ? (JSON.parse(r.after_json) as Record<string, unknown>) : null,
  }));
}
