// The adopted plan: the actions of one scenario, stored as plan items that people move through
// planned → in progress → done, each step signed and dated; and the disposal records that close
// a device's life. Re-planning keeps what people already did: an item's id is stable
// (`<deviceId>:<action>`), so saving a new plan updates dates and costs but never a status.
// Finishing a replacement or a decommissioning takes the old device out of service in the same
// step, so the next assessment and plan no longer count it.
import type { Transaction } from 'kysely';
import { CamauditError } from '../core/errors.js';
import type { DeviceFields, DeviceStatus } from '../core/model.js';
import type { PlanAction, Scenario, ScenarioName } from '../core/plan/types.js';
import { appendAudit, appendAuditEntry, type AuditEntry } from './audit.js';
import type { Store } from './database.js';
import { writeDeviceChange } from './device-change.js';
import { newId } from './ids.js';
import { idPrefixPattern } from './prefix.js';
import { deviceFromRow } from './rows.js';
import type { Database, PlanItemsTable } from './schema.js';
import type { TenantScope } from './tenant.js';

export const PLAN_STATUSES = ['planned', 'in_progress', 'done'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

/** The workflow, one step at a time: starting work is a separate, signed step from finishing it. */
const NEXT: Readonly<Record<PlanStatus, PlanStatus | null>> = { planned: 'in_progress', in_progress: 'done', done: null };

export interface PlanItem {
  id: string;
  deviceId: string;
  action: PlanAction;
  scenario: ScenarioName;
  year: number;
  dueDate: string;
  cost: number;
  status: PlanStatus;
  statusAt: string;
  statusBy: string;
  note: string | null;
}

export interface SaveCounts {
  created: number;
  updated: number;
  unchanged: number;
  /** Items the new plan no longer has, dropped because no work had started on them. */
  removed: number;
  /** Items the new plan no longer has, kept because work on them started or finished. */
  kept: number;
}

/** What the audit trail keeps of a plan item: the decision, not the keys its id already carries. */
function planValues(r: PlanItemsTable): Record<string, unknown> {
  return { deviceId: r.device_id, action: r.action, scenario: r.scenario, year: Number(r.year), dueDate: r.due_date, cost: Number(r.cost), status: r.status };
}

function itemFromRow(r: PlanItemsTable): PlanItem {
  return {
    id: r.id, deviceId: r.device_id, action: r.action as PlanAction, scenario: r.scenario as ScenarioName, year: Number(r.year),
    dueDate: r.due_date, cost: Number(r.cost), status: r.status as PlanStatus, statusAt: r.status_at, statusBy: r.status_by, note: r.note,
  };
}

/**
 * Stores the scenario's actions as the organisation's plan, in one transaction. Existing items keep
 * their status; a finished item keeps its dates and cost too (they record what happened).
 */
export async function savePlan(store: Store, scope: TenantScope, scenario: Scenario, now: string): Promise<SaveCounts> {
  return store.db.transaction().execute(async (trx) => {
    const existing = new Map((await trx.selectFrom('plan_items').selectAll().where('org_id', '=', scope.orgId).execute()).map((r) => [r.id, r]));
    const counts: SaveCounts = { created: 0, updated: 0, unchanged: 0, removed: 0, kept: 0 };
    const inPlan = new Set<string>();
    const fresh: PlanItemsTable[] = [];
    const audit: AuditEntry[] = [];
    for (const a of scenario.actions) {
      inPlan.add(a.id);
      const row = existing.get(a.id);
      if (!row) {
        const item: PlanItemsTable = {
          id: a.id, org_id: scope.orgId, device_id: a.deviceId, action: a.action, scenario: scenario.name, year: a.year,
          due_date: a.dueDate, cost: a.cost, status: 'planned', status_at: now, status_by: scope.actor, note: null,
        };
        fresh.push(item);
        audit.push({ action: 'create', entityType: 'plan_item', entityId: a.id, after: planValues(item) });
        counts.created++;
        continue;
      }
      const same = row.scenario === scenario.name && Number(row.year) === a.year && row.due_date === a.dueDate && Number(row.cost) === a.cost;
      if (same || row.status === 'done') {
        counts.unchanged++;
        continue;
      }
      const change = { scenario: scenario.name, year: a.year, due_date: a.dueDate, cost: a.cost };
      await trx.updateTable('plan_items').set(change).where('org_id', '=', scope.orgId).where('id', '=', a.id).execute();
      audit.push({ action: 'update', entityType: 'plan_item', entityId: a.id, before: planValues(row), after: planValues({ ...row, ...change }) });
      counts.updated++;
    }
    const dropped: string[] = [];
    for (const row of existing.values()) {
      if (inPlan.has(row.id)) continue;
      if (row.status === 'planned') {
        dropped.push(row.id);
        audit.push({ action: 'delete', entityType: 'plan_item', entityId: row.id, before: planValues(row) });
      } else {
        counts.kept++;
      }
    }
    for (let i = 0; i < dropped.length; i += 1000) {
      await trx.deleteFrom('plan_items').where('org_id', '=', scope.orgId).where('id', 'in', dropped.slice(i, i + 1000)).execute();
    }
    counts.removed = dropped.length;
    for (let i = 0; i < fresh.length; i += 500) await trx.insertInto('plan_items').values(fresh.slice(i, i + 500)).execute();
    await appendAudit(trx, store.engine, scope, audit, now);
    return counts;
  });
}

/** The organisation's plan items, by due date. */
export async function listPlanItems(store: Store, scope: TenantScope, filter: { deviceId?: string } = {}): Promise<PlanItem[]> {
  let q = store.db.selectFrom('plan_items').selectAll().where('org_id', '=', scope.orgId);
  if (filter.deviceId) q = q.where('device_id', '=', filter.deviceId);
  const rows = await q.orderBy('due_date').orderBy('id').execute();
  return rows.map(itemFromRow);
}

/**
 * A plan item by its id, an unambiguous prefix of it, or `<device id prefix>:<action>` — the
 * way it is shown in `plan list`.
 */
export async function findPlanItem(trx: Transaction<Database> | Store['db'], scope: TenantScope, ref: string): Promise<PlanItemsTable> {
  // The device id is a prefix; an action name is compared as is.
  const colon = ref.lastIndexOf(':');
  let q = trx.selectFrom('plan_items').selectAll().where('org_id', '=', scope.orgId);
  q = colon > 0
    ? q.where('device_id', 'like', idPrefixPattern(ref.slice(0, colon), 'plan item')).where('action', '=', ref.slice(colon + 1))
    : q.where('id', 'like', idPrefixPattern(ref, 'plan item'));
  const rows = await q.limit(2).execute();
  if (rows.length === 0) throw new CamauditError('not_found', `no plan item "${ref}"; see camaudit plan list`);
  if (rows.length > 1) throw new CamauditError('usage', `"${ref}" names more than one plan item; give more characters of the device id`);
  return rows[0]!;
}

/** The device's status once the item is done: a replaced or decommissioned device is out of service. */
const STATUS_WHEN_DONE: Readonly<Partial<Record<PlanAction, DeviceStatus>>> = { replace: 'replaced', decommission: 'decommissioned' };

/** Out-of-service statuses in the order a device passes them; finishing an item never moves a device back. */
const RETIREMENT: readonly DeviceStatus[] = ['replaced', 'decommissioned', 'disposed'];

/**
 * Sets the device's status through the device update path (so its history shows the change),
 * unless it is already as far out of service or further. Returns the status it set, or null.
 */
async function retireDevice(trx: Transaction<Database>, scope: TenantScope, deviceId: string, status: DeviceStatus, now: string): Promise<DeviceStatus | null> {
  const row = await trx.selectFrom('devices').selectAll().where('org_id', '=', scope.orgId).where('id', '=', deviceId).executeTakeFirst();
  if (!row) throw new CamauditError('not_found', `no device ${deviceId} in this organisation`);
  const { id: _i, orgId: _o, createdAt: _c, updatedAt: _u, ...current } = deviceFromRow(row);
  if (RETIREMENT.indexOf(current.status) >= RETIREMENT.indexOf(status)) return null;
  await writeDeviceChange(trx, scope, deviceId, current, { ...current, status }, now);
  return status;
}

export interface Advanced {
  item: PlanItem;
  from: PlanStatus;
  /** The device's new status when finishing the item took it out of service; null otherwise. */
  deviceStatus: DeviceStatus | null;
}

/**
 * Moves a plan item one step along the workflow; any other transition is refused. A replacement
 * or decommissioning that is done sets the device `replaced` or `decommissioned` in the same
 * transaction.
 */
export async function advancePlanItem(store: Store, scope: TenantScope, ref: string, to: PlanStatus, now: string, note?: string): Promise<Advanced> {
  return store.db.transaction().execute(async (trx) => {
    const row = await findPlanItem(trx, scope, ref);
    const from = row.status as PlanStatus;
    if (NEXT[from] !== to) {
      const hint = from === 'planned' && to === 'done' ? `; start it first (camaudit plan start ${shortRef(row)})` : '';
      throw new CamauditError('conflict', `plan item ${shortRef(row)} is ${from}; it cannot become ${to}${hint}`);
    }
    const set = { status: to, status_at: now, status_by: scope.actor, ...(note !== undefined ? { note } : {}) };
    await trx.updateTable('plan_items').set(set).where('org_id', '=', scope.orgId).where('id', '=', row.id).execute();
    await appendAuditEntry(trx, scope, {
      action: 'update', entityType: 'plan_item', entityId: row.id, before: { status: from, note: row.note }, after: { status: to, note: set.note ?? row.note },
    }, now);
    const retired = to === 'done' ? STATUS_WHEN_DONE[row.action as PlanAction] : undefined;
    const deviceStatus = retired === undefined ? null : await retireDevice(trx, scope, row.device_id, retired, now);
    return { item: itemFromRow({ ...row, ...set }), from, deviceStatus };
  });
}

/** How people see a plan item id: the first characters of the device id and the action. */
export function shortRef(item: { device_id: string; action: string } | { deviceId: string; action: string }): string {
  const deviceId = 'device_id' in item ? item.device_id : item.deviceId;
  return `${deviceId.slice(0, 8)}:${item.action}`;
}

export interface Disposal {
  id: string;
  deviceId: string;
  planItem: string | null;
  method: string;
  certificate: string;
  disposedAt: string;
  recordedBy: string;
}

/**
 * Records that a device was disposed of — how its storage was made unreadable and the
 * certificate that proves it — and sets the device's status to `disposed` through the device
 * update path, so its history shows the change. The device's `dispose` plan item, if any, is
 * done with it: the certificate is the evidence. One transaction.
 */
export async function recordDisposal(
  store: Store,
  scope: TenantScope,
  input: { deviceId: string; method: string; certificate: string },
  now: string,
): Promise<Disposal> {
  const method = input.method.trim();
  const certificate = input.certificate.trim();
  if (method === '') throw new CamauditError('usage', '--method must say how the storage was made unreadable (certified_wipe, shred, …)');
  if (certificate === '') throw new CamauditError('usage', '--certificate must give the certificate of destruction (number or document reference)');
  return store.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('devices').selectAll().where('org_id', '=', scope.orgId).where('id', '=', input.deviceId).executeTakeFirst();
    if (!row) throw new CamauditError('not_found', `no device ${input.deviceId} in this organisation`);
    const { id: _i, orgId: _o, createdAt: _c, updatedAt: _u, ...current } = deviceFromRow(row);
    if (current.status === 'disposed') throw new CamauditError('conflict', `device ${row.id} is already disposed`);
    const next: DeviceFields = { ...current, status: 'disposed' };
    await writeDeviceChange(trx, scope, row.id, current, next, now);
    const item = await trx.selectFrom('plan_items').select(['id', 'status', 'note']).where('org_id', '=', scope.orgId)
      .where('device_id', '=', row.id).where('action', '=', 'dispose').executeTakeFirst();
    const audit: AuditEntry[] = [];
    if (item && item.status !== 'done') {
      const note = `${method}, certificate ${certificate}`;
      await trx.updateTable('plan_items').set({ status: 'done', status_at: now, status_by: scope.actor, note })
        .where('org_id', '=', scope.orgId).where('id', '=', item.id).execute();
      audit.push({ action: 'update', entityType: 'plan_item', entityId: item.id, before: { status: item.status, note: item.note }, after: { status: 'done', note } });
    }
    const disposal: Disposal = { id: newId(), deviceId: row.id, planItem: item?.id ?? null, method, certificate, disposedAt: now, recordedBy: scope.actor };
    await trx.insertInto('disposals').values({
      id: disposal.id, org_id: scope.orgId, device_id: disposal.deviceId, plan_item: disposal.planItem, method, certificate,
      disposed_at: now, recorded_by: scope.actor,
    }).execute();
    audit.push({ action: 'create', entityType: 'disposal', entityId: disposal.id, after: { deviceId: row.id, planItem: disposal.planItem, method, certificate } });
    await appendAudit(trx, store.engine, scope, audit, now);
    return disposal;
  });
}

export async function listDisposals(store: Store, scope: TenantScope): Promise<Disposal[]> {
  const rows = await store.db.selectFrom('disposals').selectAll().where('org_id', '=', scope.orgId).orderBy('disposed_at').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id, deviceId: r.device_id, planItem: r.plan_item, method: r.method, certificate: r.certificate, disposedAt: r.disposed_at, recordedBy: r.recorded_by,
  }));
}
