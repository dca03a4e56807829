// Notification subscriptions and their delivery log, within one organisation. The log is what
// makes delivery exactly-once per subscription and event: one row per (subscription, event key),
// created when the event is first seen — as `baseline` for events that existed when the
// subscription was made (never sent), as `pending` for new ones — and moved to `sent` or, after
// the last attempt, `failed`. Creating and removing a subscription, and each delivery's final
// outcome (data leaving the organisation), are written to the audit trail in the same transaction.
import type { Kysely, Transaction } from 'kysely';
import { CamauditError } from '../core/errors.js';
import { EVENT_KINDS, type EventKind } from '../core/notify/events.js';
import { MAX_ATTEMPTS } from '../core/notify/deliveries.js';
import type { Channel } from '../core/notify/targets.js';
import { appendAudit, type AuditEntry } from './audit.js';
import type { Store } from './database.js';
import { newId } from './ids.js';
import { idPrefixPattern } from './prefix.js';
import type { Database, NotificationDeliveriesTable, NotificationSubscriptionsTable } from './schema.js';
import type { TenantScope } from './tenant.js';

export const DELIVERY_STATUSES = ['baseline', 'pending', 'sent', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface Subscription {
  id: string;
  channel: Channel;
  target: string;
  events: EventKind[];
  /** Webhooks are signed with a secret; it is shown once, when the subscription is made. */
  hasSecret: boolean;
  createdBy: string;
  createdAt: string;
}

/** A subscription as the sender needs it, secret included; never returned to people. */
export interface SendableSubscription extends Subscription {
  secret: string | null;
}

export interface NewSubscription {
  channel: Channel;
  /** Already checked (core/notify/targets.ts). */
  target: string;
  events: readonly EventKind[];
  secret: string | null;
}

export interface Delivery {
  id: number;
  subscriptionId: string;
  eventKind: string;
  eventKey: string;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

/** A new event for a subscription: its payload is fixed now, so every attempt sends the same bytes. */
export interface DeliveryDraft {
  kind: string;
  key: string;
  payloadJson: string;
}

type Db = Kysely<Database> | Transaction<Database>;

/** The one place this module writes the audit trail, inside the caller's transaction. */
async function recordAudit(trx: Transaction<Database>, store: Store, scope: TenantScope, entries: readonly AuditEntry[], now: string): Promise<void> {
  await appendAudit(trx, store.engine, scope, entries, now);
}

function parseEvents(json: string): EventKind[] {
  const known = new Set<string>(EVENT_KINDS);
  return (JSON.parse(json) as string[]).filter((k): k is EventKind => known.has(k));
}

function subscriptionFromRow(r: NotificationSubscriptionsTable): SendableSubscription {
  return {
    id: r.id, channel: r.channel as Channel, target: r.target, events: parseEvents(r.events_json), hasSecret: r.secret !== null,
    createdBy: r.created_by, createdAt: r.created_at, secret: r.secret,
  };
}

/** What people may see of a subscription: everything but the secret. */
function publicSubscription(s: SendableSubscription): Subscription {
  const { secret: _secret, ...rest } = s;
  return rest;
}

function deliveryFromRow(r: Omit<NotificationDeliveriesTable, 'id' | 'attempts'> & { id: number; attempts: number }): Delivery {
  return {
    id: Number(r.id), subscriptionId: r.subscription_id, eventKind: r.event_kind, eventKey: r.event_key, status: r.status as DeliveryStatus,
    attempts: Number(r.attempts), lastError: r.last_error, createdAt: r.created_at, sentAt: r.sent_at,
  };
}

/** What the audit trail records of a subscription: where to and what, not the signing secret. */
function auditView(s: { channel: string; target: string; events: readonly string[]; hasSecret: boolean }): Record<string, unknown> {
  return { channel: s.channel, target: s.target, events: [...s.events], signed: s.hasSecret };
}

// Eight columns a row; well inside both engines' parameter limits.
const INSERT_BATCH = 500;

async function insertDeliveries(db: Db, scope: TenantScope, subscriptionId: string, drafts: readonly DeliveryDraft[], status: DeliveryStatus, now: string): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < drafts.length; i += INSERT_BATCH) {
    const rows = drafts.slice(i, i + INSERT_BATCH).map((d) => ({
      org_id: scope.orgId, subscription_id: subscriptionId, event_kind: d.kind, event_key: d.key, payload_json: d.payloadJson,
      status, attempts: 0, last_error: null, created_at: now, sent_at: null,
    }));
    // Two sweeps on two instances may find the same new event; the unique key lets one of them record it.
    const result = await db.insertInto('notification_deliveries').values(rows)
      .onConflict((oc) => oc.columns(['subscription_id', 'event_key']).doNothing()).executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return inserted;
}

/**
 * Stores a subscription with the events that exist right now as its baseline, so it hears only
 * of what happens after this moment. One transaction, audited.
 */
export async function createSubscription(store: Store, scope: TenantScope, input: NewSubscription, baseline: readonly DeliveryDraft[], now: string): Promise<Subscription> {
  if (input.events.length === 0) throw new CamauditError('usage', `a subscription needs at least one event (${EVENT_KINDS.join(', ')})`);
  const row: NotificationSubscriptionsTable = {
    id: newId(), org_id: scope.orgId, channel: input.channel, target: input.target, events_json: JSON.stringify([...new Set(input.events)]),
    secret: input.secret, created_by: scope.actor, created_at: now, disabled_at: null,
  };
  const subscription = publicSubscription(subscriptionFromRow(row));
  return store.db.transaction().execute(async (trx) => {
    await trx.insertInto('notification_subscriptions').values(row).execute();
    await insertDeliveries(trx, scope, row.id, baseline, 'baseline', now);
    await recordAudit(trx, store, scope, [{ action: 'create', entityType: 'notification_subscription', entityId: row.id, before: null, after: auditView(subscription) }], now);
    return subscription;
  });
}

export async function listSubscriptions(store: Store, scope: TenantScope): Promise<Subscription[]> {
  const rows = await store.db.selectFrom('notification_subscriptions').selectAll().where('org_id', '=', scope.orgId)
    .where('disabled_at', 'is', null).orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => publicSubscription(subscriptionFromRow(r)));
}

/** Active subscriptions with their secrets, for sending. */
export async function sendableSubscriptions(store: Store, scope: TenantScope): Promise<SendableSubscription[]> {
  const rows = await store.db.selectFrom('notification_subscriptions').selectAll().where('org_id', '=', scope.orgId)
    .where('disabled_at', 'is', null).orderBy('created_at').orderBy('id').execute();
  return rows.map(subscriptionFromRow);
}

/** A subscription by id or unambiguous id prefix. */
export async function getSubscription(db: Db, scope: TenantScope, ref: string): Promise<SendableSubscription> {
  const rows = await db.selectFrom('notification_subscriptions').selectAll().where('org_id', '=', scope.orgId)
    .where('disabled_at', 'is', null).where('id', 'like', idPrefixPattern(ref, 'subscription')).limit(2).execute();
  if (rows.length === 0) throw new CamauditError('not_found', `no notification subscription "${ref}"; see camaudit notify list`);
  if (rows.length > 1) throw new CamauditError('usage', `"${ref}" names more than one subscription; give more characters`);
  return subscriptionFromRow(rows[0]!);
}

/** Removes a subscription and its delivery log; the audit trail keeps what it was. */
export async function deleteSubscription(store: Store, scope: TenantScope, ref: string, now: string): Promise<Subscription> {
  return store.db.transaction().execute(async (trx) => {
    const found = publicSubscription(await getSubscription(trx, scope, ref));
    await trx.deleteFrom('notification_subscriptions').where('org_id', '=', scope.orgId).where('id', '=', found.id).execute();
    await recordAudit(trx, store, scope, [{ action: 'delete', entityType: 'notification_subscription', entityId: found.id, before: auditView(found), after: null }], now);
    return found;
  });
}

/** The event keys a subscription has seen (baseline, sent, pending or failed). */
export async function seenKeys(store: Store, scope: TenantScope, subscriptionId: string): Promise<Set<string>> {
  const rows = await store.db.selectFrom('notification_deliveries').select('event_key')
    .where('org_id', '=', scope.orgId).where('subscription_id', '=', subscriptionId).execute();
  return new Set(rows.map((r) => r.event_key));
}

/** Records new events for a subscription as pending deliveries; returns how many were new. */
export async function addPendingDeliveries(store: Store, scope: TenantScope, subscriptionId: string, drafts: readonly DeliveryDraft[], now: string): Promise<number> {
  return insertDeliveries(store.db, scope, subscriptionId, drafts, 'pending', now);
}

export interface PendingDelivery extends Delivery {
  payloadJson: string;
}

/** Deliveries still to be (re)tried, oldest first. */
export async function pendingDeliveries(store: Store, scope: TenantScope): Promise<PendingDelivery[]> {
  const rows = await store.db.selectFrom('notification_deliveries').selectAll().where('org_id', '=', scope.orgId)
    .where('status', '=', 'pending').orderBy('id').execute();
  return rows.map((r) => ({ ...deliveryFromRow(r), payloadJson: r.payload_json }));
}

/**
 * Claims the next attempt of a delivery: counts it, provided nobody counted it since `attempts`
 * was read. Only the instance whose claim succeeds sends, so two sweeps never send one attempt twice.
 */
export async function claimAttempt(store: Store, scope: TenantScope, delivery: Pick<Delivery, 'id' | 'attempts'>): Promise<boolean> {
  const result = await store.db.updateTable('notification_deliveries').set({ attempts: delivery.attempts + 1 })
    .where('org_id', '=', scope.orgId).where('id', '=', delivery.id).where('status', '=', 'pending').where('attempts', '=', delivery.attempts)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export type AttemptOutcome = { ok: true } | { ok: false; error: string };

function outcomeAudit(delivery: { id: number; subscriptionId: string; eventKey: string }, status: DeliveryStatus, attempts: number, error: string | null): AuditEntry {
  return {
    action: status === 'sent' ? 'send' : 'fail', entityType: 'notification_delivery', entityId: String(delivery.id), before: null,
    after: { subscription: delivery.subscriptionId, event: delivery.eventKey, status, attempts, ...(error !== null ? { error } : {}) },
  };
}

/**
 * Records the result of a claimed attempt (the delivery's `attempts` already counts it): sent,
 * failed for good after the last attempt, or still pending for a retry. Returns the new status.
 */
export async function recordAttempt(store: Store, scope: TenantScope, delivery: Pick<Delivery, 'id' | 'subscriptionId' | 'eventKey'>, attempts: number, outcome: AttemptOutcome, now: string): Promise<DeliveryStatus> {
  const status: DeliveryStatus = outcome.ok ? 'sent' : attempts >= MAX_ATTEMPTS ? 'failed' : 'pending';
  const error = outcome.ok ? null : outcome.error.slice(0, 500);
  await store.db.transaction().execute(async (trx) => {
    await trx.updateTable('notification_deliveries').set({ status, last_error: error, sent_at: outcome.ok ? now : null })
      .where('org_id', '=', scope.orgId).where('id', '=', delivery.id).execute();
    // Retries are the delivery row's own business; the trail records what finally happened.
    if (status !== 'pending') await recordAudit(trx, store, scope, [outcomeAudit(delivery, status, attempts, error)], now);
  });
  return status;
}

/** A test message's delivery, recorded with its outcome; it is never retried. */
export async function recordTestDelivery(store: Store, scope: TenantScope, subscriptionId: string, draft: DeliveryDraft, outcome: AttemptOutcome, now: string): Promise<Delivery> {
  const status: DeliveryStatus = outcome.ok ? 'sent' : 'failed';
  const error = outcome.ok ? null : outcome.error.slice(0, 500);
  return store.db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('notification_deliveries').values({
      org_id: scope.orgId, subscription_id: subscriptionId, event_kind: draft.kind, event_key: draft.key, payload_json: draft.payloadJson,
      status, attempts: 1, last_error: error, created_at: now, sent_at: outcome.ok ? now : null,
    }).returningAll().executeTakeFirstOrThrow();
    const delivery = deliveryFromRow(row);
    await recordAudit(trx, store, scope, [outcomeAudit(delivery, status, 1, error)], now);
    return delivery;
  });
}

export interface DeliveryFilter {
  subscriptionId?: string;
  status?: DeliveryStatus;
  /** Newest first; at most this many. */
  limit?: number;
  /** Only deliveries older than this one (by id): the next page after it. */
  before?: number;
}

export async function listDeliveries(store: Store, scope: TenantScope, filter: DeliveryFilter = {}): Promise<Delivery[]> {
  let q = store.db.selectFrom('notification_deliveries')
    .select(['id', 'org_id', 'subscription_id', 'event_kind', 'event_key', 'status', 'attempts', 'last_error', 'created_at', 'sent_at'])
    .where('org_id', '=', scope.orgId);
  if (filter.subscriptionId !== undefined) q = q.where('subscription_id', '=', filter.subscriptionId);
  if (filter.status !== undefined) q = q.where('status', '=', filter.status);
  if (filter.before !== undefined) q = q.where('id', '<', filter.before);
  const rows = await q.orderBy('id', 'desc').limit(filter.limit ?? 100).execute();
  return rows.map((r) => deliveryFromRow({ ...r, payload_json: '' }));
}

/**
 * The organisations with at least one active subscription: where a sweep over all organisations
 * has work. Like listOrganisations, it crosses tenants, and returns nothing but their ids.
 */
export async function organisationsWithSubscriptions(store: Store): Promise<string[]> {
  const rows = await store.db.selectFrom('notification_subscriptions').select('org_id').distinct()
    .where('disabled_at', 'is', null).orderBy('org_id').execute();
  return rows.map((r) => r.org_id);
}

/** The organisation as a notification names it, and its country (which decides the e-mail's language). */
export async function subscriberOrganisation(store: Store, scope: TenantScope): Promise<{ slug: string; name: string; country: string }> {
  const row = await store.db.selectFrom('organisations').select(['slug', 'name', 'country']).where('id', '=', scope.orgId).executeTakeFirst();
  if (!row) throw new CamauditError('not_found', `no organisation ${scope.orgId}`);
  return row;
}
