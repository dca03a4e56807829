// Making a subscription and proving a channel works: what `camaudit notify` and the API share.
import { randomBytes } from 'node:crypto';
import { CamauditError } from '../../core/errors.js';
import { checkEventKinds } from '../../core/notify/events.js';
import { languageFor, payloadFor, testPayload } from '../../core/notify/payload.js';
import { checkTarget, CHANNELS, type Channel } from '../../core/notify/targets.js';
import type { Store } from '../../store/database.js';
import {
  createSubscription, getSubscription, recordTestDelivery, subscriberOrganisation, type Delivery, type Subscription,
} from '../../store/notifications.js';
import type { TenantScope } from '../../store/tenant.js';
import { channelSender, targetRules } from './channels.js';
import { currentEvents } from './inputs.js';
import type { SweepDeps } from './sweep.js';
import { checkWebhookHost } from './webhook.js';

export interface SubscribeRequest {
  channel: string;
  target: string;
  events: readonly string[];
  /** Webhooks only; generated when not given. */
  secret?: string | undefined;
}

export interface Subscribed {
  subscription: Subscription;
  /** The webhook signing secret, shown this once; null for e-mail. */
  secret: string | null;
  /** Events that already existed and will not be sent. */
  baseline: number;
}

function checkChannel(channel: string): Channel {
  if (!(CHANNELS as readonly string[]).includes(channel)) throw new CamauditError('usage', `unknown channel "${channel}"; channels: ${CHANNELS.join(', ')}`);
  return channel as Channel;
}

function checkSecret(channel: Channel, secret: string | undefined): string | null {
  if (channel === 'email') {
    if (secret !== undefined) throw new CamauditError('usage', 'a secret signs webhooks; e-mail subscriptions take none');
    return null;
  }
  if (secret === undefined) return randomBytes(32).toString('base64url');
  // Shorter keys make the HMAC guessable; 16 characters is the least a receiver should accept.
  if (secret.length < 16) throw new CamauditError('usage', 'a webhook secret must be at least 16 characters');
  return secret;
}

/** Stores the subscription with the events of its kinds that exist now as its baseline. */
export async function subscribe(store: Store, scope: TenantScope, deps: SweepDeps, request: SubscribeRequest, now: string): Promise<Subscribed> {
  const channel = checkChannel(request.channel);
  const target = checkTarget(channel, request.target, targetRules(deps.config));
  if (channel === 'webhook') await checkWebhookHost(target, { allowPrivate: deps.config.allowPrivateTargets });
  const events = checkEventKinds(request.events);
  const secret = checkSecret(channel, request.secret);
  const organisation = await subscriberOrganisation(store, scope);
  const baseline = (await currentEvents(store, scope, deps, new Set(events), now)).map((e) => ({ kind: e.kind, key: e.key, payloadJson: JSON.stringify(payloadFor(e, organisation)) }));
  const subscription = await createSubscription(store, scope, { channel, target, events, secret }, baseline, now);
  return { subscription, secret, baseline: baseline.length };
}

/** Sends a test message through a subscription's channel at once and records the outcome. */
export async function sendTest(store: Store, scope: TenantScope, deps: SweepDeps, ref: string, now: string): Promise<Delivery> {
  const subscription = await getSubscription(store.db, scope, ref);
  const organisation = await subscriberOrganisation(store, scope);
  const payload = testPayload(organisation, now);
  const draft = { kind: payload.event, key: payload.key, payloadJson: JSON.stringify(payload) };
  const sender = channelSender(deps.config);
  let error: string | null = null;
  try {
    await sender.send(subscription, { deliveryId: payload.key, event: payload.event, payloadJson: draft.payloadJson, lang: languageFor(organisation.country) });
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  } finally {
    sender.close();
  }
  return recordTestDelivery(store, scope, subscription.id, draft, error === null ? { ok: true } : { ok: false, error }, now);
}
