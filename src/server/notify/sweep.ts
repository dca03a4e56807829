// The notification sweep: for each organisation with subscriptions, compute the events its
// register shows, record the ones each subscription has not seen as pending deliveries, and send
// every pending delivery whose next attempt is due. It keeps no state between runs — everything
// it needs is in the database — so it can run on a timer, on demand, on any instance, after any
// restart; two sweeps at once send each attempt once (store/notifications.ts claimAttempt).
import { attemptDue, unseenEvents } from '../../core/notify/deliveries.js';
import { languageFor, payloadFor } from '../../core/notify/payload.js';
import type { Store } from '../../store/database.js';
import {
  addPendingDeliveries, claimAttempt, organisationsWithSubscriptions, pendingDeliveries, recordAttempt, seenKeys,
  sendableSubscriptions, subscriberOrganisation, type DeliveryStatus,
} from '../../store/notifications.js';
import type { TenantScope } from '../../store/tenant.js';
import { channelSender, type NotificationsConfig, type Sender } from './channels.js';
import { currentEvents, type EventSources } from './inputs.js';

export interface SweepDeps extends EventSources {
  config: NotificationsConfig;
}

export interface SweepOptions {
  /** Sweep this organisation only; all organisations with subscriptions otherwise. */
  orgId?: string;
  /** Who the audit trail names for the sends (default: the notification service). */
  actor?: string;
  source?: string;
}

/** One attempt the sweep made. */
export interface SweepAttempt {
  orgId: string;
  deliveryId: number;
  subscriptionId: string;
  channel: string;
  target: string;
  eventKey: string;
  /** sent; pending (will be retried); failed (no attempts left). */
  status: DeliveryStatus;
  attempts: number;
  error: string | null;
}

export interface SweepFigures {
  organisations: number;
  /** Events the swept registers show (new or not). */
  events: number;
  /** Deliveries created for events subscriptions had not seen. */
  newDeliveries: number;
  sent: number;
  retrying: number;
  failed: number;
  attempts: SweepAttempt[];
  /** Organisations whose sweep stopped on an error (an invalid stored policy, a database fault). */
  problems: { orgId: string; error: string }[];
}

async function sweepOrganisation(store: Store, scope: TenantScope, deps: SweepDeps, sender: Sender, now: string, figures: SweepFigures): Promise<void> {
  const subscriptions = await sendableSubscriptions(store, scope);
  if (subscriptions.length === 0) return;
  figures.organisations++;
  const organisation = await subscriberOrganisation(store, scope);
  const events = await currentEvents(store, scope, deps, new Set(subscriptions.flatMap((s) => s.events)), now);
  figures.events += events.length;
  for (const s of subscriptions) {
    const unseen = unseenEvents(events, s.events, await seenKeys(store, scope, s.id));
    const drafts = unseen.map((e) => ({ kind: e.kind, key: e.key, payloadJson: JSON.stringify(payloadFor(e, organisation)) }));
    figures.newDeliveries += await addPendingDeliveries(store, scope, s.id, drafts, now);
  }
  const byId = new Map(subscriptions.map((s) => [s.id, s]));
  const lang = languageFor(organisation.country);
  for (const d of await pendingDeliveries(store, scope)) {
    const subscription = byId.get(d.subscriptionId);
    if (!subscription || !attemptDue(d, now)) continue;
    if (!(await claimAttempt(store, scope, d))) continue;
    const attempts = d.attempts + 1;
    let error: string | null = null;
    try {
      await sender.send(subscription, { deliveryId: String(d.id), event: d.eventKind, payloadJson: d.payloadJson, lang });
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    const status = await recordAttempt(store, scope, d, attempts, error === null ? { ok: true } : { ok: false, error }, now);
    figures[status === 'sent' ? 'sent' : status === 'failed' ? 'failed' : 'retrying']++;
    figures.attempts.push({
      orgId: scope.orgId, deliveryId: d.id, subscriptionId: d.subscriptionId, channel: subscription.channel, target: subscription.target,
      eventKey: d.eventKey, status, attempts, error,
    });
  }
}

/** One sweep over one organisation or all of them; returns what it found and did. */
export async function runNotificationSweep(store: Store, deps: SweepDeps, now: string, options: SweepOptions = {}): Promise<SweepFigures> {
  const figures: SweepFigures = { organisations: 0, events: 0, newDeliveries: 0, sent: 0, retrying: 0, failed: 0, attempts: [], problems: [] };
  const orgIds = options.orgId !== undefined ? [options.orgId] : await organisationsWithSubscriptions(store);
  const sender = channelSender(deps.config);
  try {
    for (const orgId of orgIds) {
      const scope: TenantScope = { orgId, actor: options.actor ?? 'system:notifications', source: options.source ?? 'notify' };
      // One organisation's broken policy must not silence every other organisation's notifications.
      try {
        await sweepOrganisation(store, scope, deps, sender, now, figures);
      } catch (err) {
        figures.problems.push({ orgId, error: err instanceof Error ? err.message : String(err) });
      }
    }
  } finally {
    sender.close();
  }
  return figures;
}
