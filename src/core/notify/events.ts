// Notification events: what in an organisation's register its people asked to hear about. They
// are computed from the register's present state, not hooked into every write path, so a
// notification sweep can run at any time, on any server instance, after any restart, and find
// the same events. Each event has a key that stays the same for as long as the situation lasts;
// "new" means a key the subscription has not seen before (deliveries.ts).
import { isAssessed } from '../assess/assess.js';
import { normaliseModel } from '../assess/firmware.js';
import type { CompiledKnowledge } from '../assess/rules/knowledge.js';
import type { Text } from '../assess/rules/text.js';
import { knownExploitedVulnerability } from '../assess/rules/vulnerabilities.js';
import type { AssessDevice } from '../assess/types.js';
import { dayOf, type Waiver } from '../assess/waivers.js';
import { CamauditError } from '../errors.js';
import type { PlanAction } from '../plan/types.js';
import { startOfDayAfter } from './days.js';
import { auditChainTexts, kevTexts, planOverdueTexts, restrictedDeviceTexts, waiverExpiredTexts } from './texts.js';

export const EVENT_KINDS = ['restricted-device', 'kev', 'plan-overdue', 'waiver-expired', 'audit-chain'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** The kinds named in a list (`all` for every kind), checked, without repeats, in EVENT_KINDS order. */
export function checkEventKinds(names: readonly string[]): EventKind[] {
  const wanted = new Set(names.map((n) => n.trim()).filter((n) => n !== ''));
  for (const name of wanted) {
    if (name !== 'all' && !(EVENT_KINDS as readonly string[]).includes(name)) {
      throw new CamauditError('usage', `unknown event "${name}"; events: ${EVENT_KINDS.join(', ')} (or all)`);
    }
  }
  if (wanted.size === 0) throw new CamauditError('usage', `name at least one event: ${EVENT_KINDS.join(', ')} (or all)`);
  return EVENT_KINDS.filter((k) => wanted.has('all') || wanted.has(k));
}

/** What the event is about, by id: the register's own entities, never more than it holds. */
export interface EventEntity {
  type: 'device' | 'vulnerability' | 'plan_item' | 'waiver' | 'audit_entry';
  id: string;
  /** The devices concerned, when the entity is not itself a device. */
  devices?: string[];
  /** For a vulnerability: the model (as the register spells it) it was found on. */
  model?: string;
}

export interface NotifyEvent {
  /** Stable while the situation lasts: `restricted-device:<deviceId>`, `kev:<cve>:<model>`, … */
  key: string;
  kind: EventKind;
  /** When the situation arose, as far as the register knows (ISO timestamp). */
  occurredAt: string;
  title: Text;
  summary: Text;
  entity: EventEntity;
}

/** A device in use as the assessment sees it, with the moment it entered the register. */
export interface NotifyDevice extends AssessDevice {
  firstSeen: string;
}

export interface NotifyPlanItem {
  id: string;
  deviceId: string;
  action: PlanAction;
  /** ISO date: the last day to finish the item. */
  dueDate: string;
  status: 'planned' | 'in_progress' | 'done';
}

/** The first entry at which the organisation's audit trail no longer verifies. */
export interface AuditChainProblem {
  firstBadSeq: number;
  /** What is wrong there, e.g. "entry 17 was changed". */
  detail: Text;
}

export interface EventInputs {
  devices: readonly NotifyDevice[];
  /** compileKnowledge(kb, the organisation's policy): adopted measures and vulnerability records. */
  knowledge: CompiledKnowledge;
  planItems: readonly NotifyPlanItem[];
  waivers: readonly Waiver[];
  auditProblem: AuditChainProblem | null;
}

/** Every event the register shows at `now`, ordered by key. */
export function detectEvents(inputs: EventInputs, now: string): NotifyEvent[] {
  const inUse = inputs.devices.filter(isAssessed);
  const events = [
    ...restrictedDevices(inUse, inputs.knowledge),
    ...exploitedModels(inUse, inputs.knowledge, now),
    ...overduePlanItems(inputs.planItems, now),
    ...expiredWaivers(inputs.waivers, now),
    ...(inputs.auditProblem ? [auditChain(inputs.auditProblem, now)] : []),
  ];
  return events.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Devices in use whose true maker (or its parent) an adopted restriction measure names. */
function restrictedDevices(devices: readonly NotifyDevice[], k: CompiledKnowledge): NotifyEvent[] {
  return devices.flatMap((device) => {
    if (!device.manufacturer) return [];
    const maker = k.maker(device.manufacturer);
    if (maker.measures.length === 0) return [];
    return [{
      key: `restricted-device:${device.id}`,
      kind: 'restricted-device' as const,
      occurredAt: device.firstSeen,
      ...restrictedDeviceTexts(device, maker),
      entity: { type: 'device' as const, id: device.id },
    }];
  });
}

const KB_VULNERABILITY = 'kb:vulnerability:';

/**
 * CISA-listed (known exploited) vulnerabilities per model in use, decided by the assessment's own
 * rule so a notification never disagrees with the finding: a device whose firmware is unknown or
 * outside the affected range does not count. The rule names the records it matched in its
 * evidence (`kb:vulnerability:<CVE>`). One event per vulnerability and model, however many
 * devices of that model there are; a later device of the same model is not news.
 */
function exploitedModels(devices: readonly NotifyDevice[], k: CompiledKnowledge, now: string): NotifyEvent[] {
  const groups = new Map<string, { cve: string; model: string; devices: NotifyDevice[] }>();
  for (const device of devices) {
    if (!device.model) continue;
    const draft = knownExploitedVulnerability(device, k, now);
    if (!draft) continue;
    const model = normaliseModel(device.model);
    for (const e of draft.evidence) {
      if (!e.ref.startsWith(KB_VULNERABILITY)) continue;
      const cve = e.ref.slice(KB_VULNERABILITY.length);
      const key = `kev:${cve}:${model}`;
      const group = groups.get(key) ?? { cve, model: device.model, devices: [] };
      group.devices.push(device);
      groups.set(key, group);
    }
  }
  const records = new Map(k.kb.vulnerabilities.map((v) => [v.id, v]));
  return [...groups].map(([key, g]) => {
    const record = records.get(g.cve)!;
    const firstDevice = g.devices.reduce((a, b) => (b.firstSeen < a.firstSeen ? b : a)).firstSeen;
    const listed = record.kev.date_added ? `${record.kev.date_added}T00:00:00.000Z` : null;
    const ids = g.devices.map((d) => d.id).sort();
    return {
      key,
      kind: 'kev' as const,
      // The situation began when both were true: the model was in the register and CISA listed the flaw.
      occurredAt: listed !== null && listed > firstDevice ? listed : firstDevice,
      ...kevTexts(record, g.model, ids),
      entity: { type: 'vulnerability' as const, id: g.cve, model: g.model, devices: ids },
    };
  });
}

/** Plan items not done whose due date has passed in the organisation's (Dutch) calendar. */
function overduePlanItems(items: readonly NotifyPlanItem[], now: string): NotifyEvent[] {
  const today = dayOf(now);
  return items.filter((i) => i.status !== 'done' && i.dueDate < today).map((item) => ({
    // The due date is part of the key: a re-planned item that misses its new date is news again.
    key: `plan-overdue:${item.id}:${item.dueDate}`,
    kind: 'plan-overdue' as const,
    occurredAt: startOfDayAfter(item.dueDate),
    ...planOverdueTexts(item),
    entity: { type: 'plan_item' as const, id: item.id, devices: [item.deviceId] },
  }));
}

/**
 * Waivers whose last day has passed. One revoked before it ran out did not expire: it was
 * withdrawn, and nobody needs telling that its finding counts again.
 */
function expiredWaivers(waivers: readonly Waiver[], now: string): NotifyEvent[] {
  const today = dayOf(now);
  return waivers.flatMap((w) => {
    if (w.until >= today) return [];
    const expiredAt = startOfDayAfter(w.until);
    if (w.revokedAt !== null && w.revokedAt < expiredAt) return [];
    return [{
      key: `waiver-expired:${w.id}`,
      kind: 'waiver-expired' as const,
      occurredAt: expiredAt,
      ...waiverExpiredTexts(w),
      entity: { type: 'waiver' as const, id: w.id, devices: [w.deviceId] },
    }];
  });
}

function auditChain(problem: AuditChainProblem, now: string): NotifyEvent {
  return {
    key: `audit-chain:${problem.firstBadSeq}`,
    kind: 'audit-chain',
    // A broken link is found, not timestamped by whoever broke it: the entry's own time may be forged.
    occurredAt: now,
    ...auditChainTexts(problem),
    entity: { type: 'audit_entry', id: String(problem.firstBadSeq) },
  };
}
