// Notification subscriptions of the organisation in the path, their delivery log, and a test
// message on request. Only the organisation's administrators manage them: a subscription sends
// register data out of the organisation.
import { z } from 'zod';
import { CamauditError } from '../../core/errors.js';
import { EVENT_KINDS } from '../../core/notify/events.js';
import { CHANNELS } from '../../core/notify/targets.js';
import { DELIVERY_STATUSES, deleteSubscription, getSubscription, listDeliveries, listSubscriptions, type Subscription } from '../../store/notifications.js';
import type { ServerContext } from '../context.js';
import { notificationDeps } from '../notify/deps.js';
import { sendTest, subscribe } from '../notify/subscribe.js';
import { route, type RouteSpec } from '../route.js';
import { pageOf, PAGE_PARAMS, sortParam, type SortFields } from './paging.js';
import { IdParam, ORG } from './register-query.js';

const BASE = `${ORG}/notifications`;

const SubscriptionSchema = z.object({
  id: z.string(),
  channel: z.enum(CHANNELS),
  target: z.string(),
  events: z.array(z.enum(EVENT_KINDS)),
  hasSecret: z.boolean(),
  createdBy: z.string(),
  createdAt: z.string(),
});

const DeliverySchema = z.object({
  id: z.number().int(),
  subscriptionId: z.string(),
  eventKind: z.string(),
  eventKey: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});

const NewSubscription = z.strictObject({
  channel: z.enum(CHANNELS),
  /** An https:// URL (webhook) or an e-mail address. */
  target: z.string().min(1).max(2000),
  /** Event kinds, or ["all"]. */
  events: z.array(z.string().max(40)).min(1).max(EVENT_KINDS.length + 1),
  /** Webhook signing secret; generated (and returned once) when left out. */
  secret: z.string().min(16).max(200).optional(),
});

const SUBSCRIPTION_SORTS: SortFields<Subscription> = { createdAt: (s) => s.createdAt, channel: (s) => s.channel, target: (s) => s.target };

const SubscriptionQuery = z.strictObject({ ...PAGE_PARAMS, sort: sortParam(SUBSCRIPTION_SORTS, 'createdAt') });

const DeliveryQuery = z.strictObject({
  ...PAGE_PARAMS,
  subscription: z.uuid().optional(),
  status: z.enum(DELIVERY_STATUSES).optional(),
});

function depsOf(ctx: ServerContext) {
  return notificationDeps(ctx.store, ctx.config.notifications, ctx.knowledge);
}

/** Deliveries are listed newest first; the cursor is the id of the last one given out. */
function cursorId(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const id = Number(cursor);
  if (!Number.isSafeInteger(id) || id < 1) throw new CamauditError('invalid_input', `cursor "${cursor}" is not one this server gave out`);
  return id;
}

export function notificationRoutes(): RouteSpec[] {
  return [
    route({
      method: 'GET', url: `${BASE}/subscriptions`, summary: 'Webhook and e-mail subscriptions to register events', tags: ['notifications'],
      auth: { org: 'admin' }, query: SubscriptionQuery,
      response: z.object({ items: z.array(SubscriptionSchema), nextCursor: z.string().nullable() }),
      handler: async ({ ctx, scope, query }) => pageOf(await listSubscriptions(ctx.store, scope), query, SUBSCRIPTION_SORTS, (s) => s.id),
    }),
    route({
      method: 'POST', url: `${BASE}/subscriptions`, status: 201, tags: ['notifications'],
      summary: 'Subscribe a webhook or e-mail address; events that already exist are recorded as known and not sent',
      auth: { org: 'admin' }, body: NewSubscription,
      response: z.object({ subscription: SubscriptionSchema, secret: z.string().nullable(), baseline: z.number().int() }),
      handler: async ({ ctx, scope, body }) => subscribe(ctx.store, scope, depsOf(ctx), body, ctx.now()),
    }),
    route({
      method: 'DELETE', url: `${BASE}/subscriptions/:id`, summary: 'Remove a subscription and its delivery log', tags: ['notifications'],
      auth: { org: 'admin' }, params: IdParam, response: SubscriptionSchema,
      handler: async ({ ctx, scope, params }) => deleteSubscription(ctx.store, scope, params.id, ctx.now()),
    }),
    route({
      method: 'POST', url: `${BASE}/subscriptions/:id/test`, summary: 'Send a test message through the subscription now', tags: ['notifications'],
      auth: { org: 'admin' }, params: IdParam, response: DeliverySchema,
      handler: async ({ ctx, scope, params }) => sendTest(ctx.store, scope, depsOf(ctx), params.id, ctx.now()),
    }),
    route({
      method: 'GET', url: `${BASE}/deliveries`, summary: 'The delivery log, newest first', tags: ['notifications'],
      auth: { org: 'admin' }, query: DeliveryQuery,
      response: z.object({ items: z.array(DeliverySchema), nextCursor: z.string().nullable() }),
      handler: async ({ ctx, scope, query }) => {
        if (query.subscription !== undefined) await getSubscription(ctx.store.db, scope, query.subscription);
        const before = cursorId(query.cursor);
        const rows = await listDeliveries(ctx.store, scope, {
          ...(query.subscription !== undefined ? { subscriptionId: query.subscription } : {}),
          ...(query.status !== undefined ? { status: query.status } : {}),
          ...(before !== undefined ? { before } : {}),
          limit: query.limit + 1,
        });
        const items = rows.slice(0, query.limit);
        return { items, nextCursor: rows.length > query.limit ? String(items[items.length - 1]!.id) : null };
      },
    }),
  ];
}
