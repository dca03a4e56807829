// The national picture over the API. An organisation's administrators preview and publish its
// anonymised aggregate; a coordinating organisation receives aggregates with publisher tokens it
// handed out, and its coordinators read the summary. Coordinators and publishers hold no
// permission on any register (auth/roles.ts): they see aggregates, never devices.
import { z } from 'zod';
import { AggregateSchema } from '../../core/aggregate/payload.js';
import { checkThreshold } from '../../core/aggregate/build.js';
import { summarise } from '../../core/aggregate/summarise.js';
import { CamauditError } from '../../core/errors.js';
import { composeAggregate } from '../../federation/compose.js';
import { deliver } from '../../federation/deliver.js';
import { receiveAggregate } from '../../federation/receive.js';
import { parseTarget } from '../../federation/target.js';
import { loadAggregateHeads } from '../../store/federation.js';
import { roleIn, type Principal } from '../auth/principal.js';
import { can } from '../auth/roles.js';
import type { ServerContext } from '../context.js';
import { route, type RouteSpec } from '../route.js';
import { ORG } from './register-query.js';

const BASE = `${ORG}/federation`;

const Options = {
  /** The day the figures describe (YYYY-MM-DD); today when left out. */
  period: z.string().max(10).optional(),
  /** Withhold counts below this; the server's federation.suppressBelow when left out, never lower. */
  threshold: z.coerce.number().int().optional(),
};

const PublishBody = z.strictObject({
  /** local:SLUG (a coordinating organisation on this server) or the coordinator server's https:// endpoint. */
  to: z.string().min(1).max(2000),
  /** The publisher token the coordinator handed out, for https. */
  token: z.string().min(1).max(500).optional(),
  ...Options,
});

const Receipt = z.object({ id: z.string(), replaced: z.boolean(), source: z.object({ code: z.string(), name: z.string() }), period: z.string() });

/** The server's minimum applies to what it publishes and what it accepts; a request may only raise it. */
function thresholdFor(ctx: ServerContext, asked: number | undefined): number {
  const minimum = ctx.config.federation.suppressBelow;
  if (asked !== undefined && asked < minimum) throw new CamauditError('usage', `threshold ${asked}: this server withholds counts below ${minimum} at least`);
  return checkThreshold(asked ?? minimum);
}

/**
 * A publisher token answers for one publisher: the coordinator names it after the CBS code (or
 * slug) of the organisation it hands it to, so one municipality cannot overwrite another's figures.
 * People do not post aggregates here: a person with the publisher role would answer for no
 * publisher in particular; they publish their own organisation's through …/federation/publish.
 */
function checkPublisher(principal: Principal | null, code: string): void {
  if (principal?.kind !== 'token') {
    throw new CamauditError('forbidden', 'aggregates are received from publisher tokens only; publish your organisation\'s with POST …/federation/publish');
  }
  if (principal.name !== code) {
    throw new CamauditError('forbidden', `this publisher token ("${principal.name}") publishes for "${principal.name}" only, not "${code}"; coordinators name each publisher token after the publisher's CBS code or slug`);
  }
}

export function federationRoutes(): RouteSpec[] {
  return [
    route({
      method: 'GET', url: `${BASE}/preview`, tags: ['federation'], auth: { org: 'admin' }, query: z.strictObject(Options), response: AggregateSchema,
      summary: 'The aggregate this organisation would publish: counts by maker group × site category × connectivity × status × severity, small counts withheld',
      handler: async ({ ctx, org, scope, query }) => composeAggregate(ctx.store, org, scope, await ctx.knowledge(), {
        ...(query.period ? { period: query.period } : {}), threshold: thresholdFor(ctx, query.threshold),
      }, ctx.now()),
    }),
    route({
      method: 'POST', url: `${BASE}/publish`, tags: ['federation'], auth: { org: 'admin' }, body: PublishBody,
      summary: 'Publish the aggregate to a coordinating organisation on this server (local:SLUG, which needs the publish permission there) or to another camaudit server (https://…/federation/aggregates with its publisher token)',
      handler: async ({ ctx, org, scope, principal, body }) => {
        const target = parseTarget(body.to);
        // Writing files on the server is not something a request may ask for.
        if (target.kind === 'file') throw new CamauditError('usage', 'the server does not write files: download the aggregate from GET …/federation/preview and hand it over');
        const payload = await composeAggregate(ctx.store, org, scope, await ctx.knowledge(), {
          ...(body.period ? { period: body.period } : {}), threshold: thresholdFor(ctx, body.threshold),
        }, ctx.now());
        const delivery = await deliver(payload, target, {
          store: ctx.store, ...(body.token ? { token: body.token } : {}), minThreshold: ctx.config.federation.suppressBelow,
          actor: scope.actor, source: 'api', now: ctx.now(), allowPrivateTargets: ctx.config.federation.allowPrivateTargets,
          mayPublishTo: (coordinator) => {
            const role = principal ? roleIn(principal, coordinator.id) : null;
            return role !== null && can(role, 'publish');
          },
        });
        return { source: payload.source, period: payload.period, ...delivery };
      },
    }),
    route({
      method: 'POST', url: `${BASE}/aggregates`, tags: ['federation'], auth: { org: 'publish' }, body: AggregateSchema, response: Receipt, status: 201,
      summary: 'Receive an aggregate for this coordinating organisation (a publisher token); one per publisher and period, a later one replacing it',
      handler: async ({ ctx, scope, principal, body }) => {
        checkPublisher(principal, body.source.code);
        return receiveAggregate(ctx.store, scope, body, { via: 'https', origin: 'request body', minThreshold: ctx.config.federation.suppressBelow, now: ctx.now() });
      },
    }),
    route({
      method: 'GET', url: `${BASE}/summary`, tags: ['federation'], auth: { org: 'coordinate' }, query: z.strictObject({ threshold: Options.threshold }),
      summary: 'National totals, a comparison per organisation, the trend by month and headline figures from the aggregates received; withheld figures stay withheld',
      handler: async ({ ctx, scope, query }) => summarise(await loadAggregateHeads(ctx.store, scope), { threshold: thresholdFor(ctx, query.threshold) }),
    }),
  ];
}
