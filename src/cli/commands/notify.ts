// `camaudit notify`: subscribe a webhook or an e-mail address to events in the register, list and
// remove subscriptions, run one notification sweep now, send a test message, show the delivery
// log. The SMTP server and the http allowance come from the server's configuration file
// (`notifications:` in camaudit.yaml), so the CLI and the server send the same way.
import type { Command } from 'commander';
import { MAX_ATTEMPTS } from '../../core/notify/deliveries.js';
import { EVENT_KINDS } from '../../core/notify/events.js';
import { t } from '../../i18n/messages.js';
import { tn } from '../../i18n/notify-messages.js';
import { loadActiveKnowledge } from '../../kb/active.js';
import type { KnowledgeBase } from '../../kb/schema.js';
import { loadServerConfig } from '../../server/config.js';
import { notificationDeps } from '../../server/notify/deps.js';
import { sendTest, subscribe } from '../../server/notify/subscribe.js';
import { runNotificationSweep, type SweepFigures } from '../../server/notify/sweep.js';
import type { Store } from '../../store/database.js';
import { listOrganisations } from '../../store/organisations.js';
import { DELIVERY_STATUSES, deleteSubscription, getSubscription, listDeliveries, listSubscriptions, type DeliveryStatus } from '../../store/notifications.js';
import { CamauditError } from '../../core/errors.js';
import { resolveOrganisation, scopeFor, withStore, type GlobalOptions } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { printJson, printTable, type CommandContext } from '../program.js';

interface NotifyFlags {
  config?: string;
}

function depsFor(ctx: CommandContext, store: Store, g: GlobalOptions, flags: NotifyFlags) {
  const config = loadServerConfig({ ...(flags.config ? { file: flags.config } : {}), cwd: process.cwd(), env: ctx.io.env, flags: {} });
  let kb: Promise<KnowledgeBase> | null = null;
  return notificationDeps(store, config.notifications, () => (kb ??= loadActiveKnowledge(store, g.kbOverlay).then((a) => a.kb)));
}

function printSweep(ctx: CommandContext, g: GlobalOptions, figures: SweepFigures, slugs: ReadonlyMap<string, string>): void {
  if (g.json) return printJson(ctx.io, figures);
  for (const a of figures.attempts) {
    const params = { event: a.eventKey, channel: a.channel, target: a.target, error: a.error ?? '', attempts: a.attempts, max: MAX_ATTEMPTS };
    ctx.io.out(tn(g.lang, a.status === 'sent' ? 'notify.attempt.sent' : a.status === 'failed' ? 'notify.attempt.failed' : 'notify.attempt.pending', params));
  }
  for (const p of figures.problems) ctx.io.err(tn(g.lang, 'notify.problem', { org: slugs.get(p.orgId) ?? p.orgId, error: p.error }));
  ctx.io.out(tn(g.lang, 'notify.summary', {
    organisations: figures.organisations, events: figures.events, fresh: figures.newDeliveries, sent: figures.sent, retrying: figures.retrying, failed: figures.failed,
  }));
}

function parseStatus(text: string | undefined): DeliveryStatus | undefined {
  if (text === undefined) return undefined;
  if (!(DELIVERY_STATUSES as readonly string[]).includes(text)) throw new CamauditError('usage', `--status "${text}": expected one of ${DELIVERY_STATUSES.join(', ')}`);
  return text as DeliveryStatus;
}

function parseLimit(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new CamauditError('usage', `--limit "${text}": give a whole number from 1 to 10000`);
  return n;
}

export function registerNotify(program: Command, ctx: CommandContext): void {
  const notify = program.command('notify')
    .description('webhook and e-mail notifications: subscribe, list, remove, run a sweep, test')
    .option('--config <file>', 'configuration with notifications.smtp (default ./camaudit.yaml when present)');
  const flags = () => notify.opts<NotifyFlags>();

  notify.command('add').description(`subscribe a webhook URL or an e-mail address to events: ${EVENT_KINDS.join(', ')} (or all)`)
    .argument('<channel>', 'webhook or email').argument('<target>', 'https:// URL or e-mail address')
    .requiredOption('--events <list>', 'comma-separated event kinds, or all')
    .option('--secret <text>', 'webhook signing secret (at least 16 characters; generated when left out)')
    .action(async (channel: string, target: string, opts: { events: string; secret?: string }) => {
      const g = ctx.globals();
      const now = ctx.io.now();
      await withStore(g, async (store) => {
        const org = await resolveOrganisation(store, g, now);
        const scope = scopeFor(org, g, 'cli');
        const made = await subscribe(store, scope, depsFor(ctx, store, g, flags()), { channel, target, events: opts.events.split(','), secret: opts.secret }, now);
        if (g.json) return printJson(ctx.io, { ...made.subscription, secret: made.secret, baseline: made.baseline });
        const s = made.subscription;
        ctx.io.out(tn(g.lang, 'notify.added', { id: s.id.slice(0, 8), channel: s.channel, target: s.target, events: s.events.join(', ') }));
        ctx.io.out(tn(g.lang, 'notify.baseline', { n: made.baseline }));
        // A generated secret exists nowhere else; one the user chose they already know.
        if (made.secret !== null && opts.secret === undefined) ctx.io.out(tn(g.lang, 'notify.secret', { secret: made.secret }));
      });
    });

  notify.command('list').description('the organisation\'s subscriptions').action(async () => {
    const g = ctx.globals();
    await withStore(g, async (store) => {
      const org = await resolveOrganisation(store, g, ctx.io.now());
      const subs = await listSubscriptions(store, scopeFor(org, g, 'cli'));
      if (g.json) return printJson(ctx.io, subs);
      if (subs.length === 0) return ctx.io.out(tn(g.lang, 'notify.none'));
      const h = (k: 'id' | 'channel' | 'target' | 'events' | 'created') => tn(g.lang, `notify.heading.${k}`);
      printTable(ctx.io, [h('id'), h('channel'), h('target'), h('events'), h('created')],
        subs.map((s) => [s.id.slice(0, 8), s.channel, s.target, s.events.join(','), `${s.createdAt.slice(0, 10)} ${s.createdBy}`]));
    });
  });

  notify.command('remove').description('remove a subscription and its delivery log').argument('<id>', 'subscription id (or a unique prefix)')
    .action(async (id: string) => {
      const g = ctx.globals();
      const now = ctx.io.now();
      await withStore(g, async (store) => {
        const org = await resolveOrganisation(store, g, now);
        const removed = await deleteSubscription(store, scopeFor(org, g, 'cli'), id, now);
        if (g.json) return printJson(ctx.io, removed);
        ctx.io.out(tn(g.lang, 'notify.removed', { id: removed.id.slice(0, 8), channel: removed.channel, target: removed.target }));
      });
    });

  notify.command('run').description('one notification sweep now: send new events and due retries')
    .option('--all-organisations', 'sweep every organisation with subscriptions, not only the current one')
    .action(async (opts: { allOrganisations?: boolean }) => {
      const g = ctx.globals();
      const now = ctx.io.now();
      await withStore(g, async (store) => {
        const deps = depsFor(ctx, store, g, flags());
        const all = Boolean(opts.allOrganisations);
        const org = all ? null : await resolveOrganisation(store, g, now);
        const figures = await runNotificationSweep(store, deps, now, { ...(org ? { orgId: org.id } : {}), actor: g.actor, source: 'cli' });
        const slugs = new Map((await listOrganisations(store)).map((o) => [o.id, o.slug]));
        printSweep(ctx, g, figures, slugs);
      });
    });

  notify.command('test').description('send a test message through a subscription now').argument('<id>', 'subscription id (or a unique prefix)')
    .action(async (id: string) => {
      const g = ctx.globals();
      const now = ctx.io.now();
      await withStore(g, async (store) => {
        const org = await resolveOrganisation(store, g, now);
        const scope = scopeFor(org, g, 'cli');
        const subscription = await getSubscription(store.db, scope, id);
        const delivery = await sendTest(store, scope, depsFor(ctx, store, g, flags()), subscription.id, now);
        // A channel that does not work is the answer the person asked for, not an error; the exit code tells scripts.
        if (delivery.status !== 'sent') ctx.setExit(EXIT.rejected);
        if (g.json) return printJson(ctx.io, delivery);
        if (delivery.status === 'sent') ctx.io.out(tn(g.lang, 'notify.testSent', { target: subscription.target }));
        else ctx.io.out(tn(g.lang, 'notify.testFailed', { target: subscription.target, error: delivery.lastError ?? '' }));
      });
    });

  notify.command('deliveries').description('the delivery log, newest first')
    .option('--subscription <id>', 'only this subscription (id or unique prefix)')
    .option('--status <status>', `only ${DELIVERY_STATUSES.join(', ')}`)
    .option('--limit <n>', 'at most this many', '50')
    .action(async (opts: { subscription?: string; status?: string; limit: string }) => {
      const g = ctx.globals();
      await withStore(g, async (store) => {
        const org = await resolveOrganisation(store, g, ctx.io.now());
        const scope = scopeFor(org, g, 'cli');
        const subscriptionId = opts.subscription === undefined ? undefined : (await getSubscription(store.db, scope, opts.subscription)).id;
        const status = parseStatus(opts.status);
        const rows = await listDeliveries(store, scope, { ...(subscriptionId ? { subscriptionId } : {}), ...(status ? { status } : {}), limit: parseLimit(opts.limit) });
        if (g.json) return printJson(ctx.io, rows);
        if (rows.length === 0) return ctx.io.out(t(g.lang, 'list.empty'));
        const h = (k: 'created' | 'id' | 'event' | 'status' | 'attempts' | 'error') => tn(g.lang, `notify.heading.${k}`);
        printTable(ctx.io, [h('created'), h('id'), h('event'), h('status'), h('attempts'), h('error')],
          rows.map((d) => [d.createdAt.slice(0, 16), d.subscriptionId.slice(0, 8), d.eventKey, d.status, d.attempts, d.lastError]));
      });
    });
}
