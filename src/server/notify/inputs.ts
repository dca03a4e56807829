// Reads what event detection needs from the register — devices in use with the day they were
// first recorded, plan items, waivers, the audit trail's state — and computes the events.
import { compileKnowledge } from '../../core/assess/assess.js';
import { ASSESSABLE_STATUSES } from '../../core/assess/inputs.js';
import type { Policy } from '../../core/assess/policy.js';
import { detectEvents, type AuditChainProblem, type EventKind, type NotifyDevice, type NotifyEvent } from '../../core/notify/events.js';
import type { KnowledgeBase } from '../../kb/schema.js';
import { loadAssessDevices } from '../../store/assess-inputs.js';
import type { Store } from '../../store/database.js';
import { listPlanItems } from '../../store/plan-items.js';
import type { TenantScope } from '../../store/tenant.js';
import { listWaivers } from '../../store/waivers.js';

export interface EventSources {
  /** The knowledge base in force and the organisation's policy (the adopted measures). */
  basis(scope: TenantScope): Promise<{ kb: KnowledgeBase; policy: Policy }>;
  /** The first entry at which the organisation's audit trail fails verification, or null. */
  auditProblem(scope: TenantScope): Promise<AuditChainProblem | null>;
}

async function devicesInUse(store: Store, scope: TenantScope): Promise<NotifyDevice[]> {
  const devices = await loadAssessDevices(store.db, scope);
  const created = await store.db.selectFrom('devices').select(['id', 'created_at'])
    .where('org_id', '=', scope.orgId).where('status', 'in', ASSESSABLE_STATUSES).execute();
  const firstSeen = new Map(created.map((r) => [r.id, r.created_at]));
  return devices.flatMap((d) => {
    const at = firstSeen.get(d.id);
    // A device created between the two reads is picked up by the next sweep.
    return at === undefined ? [] : [{ ...d, firstSeen: at }];
  });
}

/**
 * The events of the given kinds the organisation's register shows at `now`. The audit chain is
 * verified only when someone subscribed to its failure: verification reads the whole trail.
 */
export async function currentEvents(store: Store, scope: TenantScope, sources: EventSources, kinds: ReadonlySet<EventKind>, now: string): Promise<NotifyEvent[]> {
  const { kb, policy } = await sources.basis(scope);
  const [devices, planItems, waivers, auditProblem] = await Promise.all([
    devicesInUse(store, scope),
    listPlanItems(store, scope),
    listWaivers(store, scope, { includeRevoked: true }),
    kinds.has('audit-chain') ? sources.auditProblem(scope) : null,
  ]);
  const events = detectEvents({ devices, knowledge: compileKnowledge(kb, policy), planItems, waivers, auditProblem }, now);
  return events.filter((e) => kinds.has(e.kind));
}
