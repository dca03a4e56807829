// `camaudit federation`: the national picture. An organisation previews and publishes its
// anonymised aggregate (counts by maker group × site category × connectivity × status ×
// severity, small counts withheld) to a coordinating organisation in this database, to another
// camaudit server, or to a file; a coordinator receives files and shows the summary.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { MAKER_GROUPS, RESTRICTED_GROUPS } from '../../core/aggregate/dimensions.js';
import { DEFAULT_THRESHOLD, type AggregatePayload } from '../../core/aggregate/payload.js';
import { checkThreshold } from '../../core/aggregate/build.js';
import { inServiceOf, summarise, type Summary, type Sum } from '../../core/aggregate/summarise.js';
import { CamauditError } from '../../core/errors.js';
import type { Organisation } from '../../core/model.js';
import { composeAggregate } from '../../federation/compose.js';
import { deliver } from '../../federation/deliver.js';
import { receiveAggregate } from '../../federation/receive.js';
import { parseTarget } from '../../federation/target.js';
import { tFederation as tf } from '../../i18n/federation-messages.js';
import type { Lang } from '../../i18n/messages.js';
import { loadActiveKnowledge } from '../../kb/active.js';
import type { Store } from '../../store/database.js';
import { loadAggregateHeads } from '../../store/federation.js';
import { findOrganisation } from '../../store/organisations.js';
import { resolveOrganisation, scopeFor, withStore, type GlobalOptions, type Io } from '../context.js';
import { printJson, printTable, type CommandContext } from '../program.js';

/** A received document is small: the cube has at most 6,720 cells. */
const MAX_FILE_BYTES = 4 * 1024 * 1024;

const figure = (v: number | null): string => (v === null ? '×' : String(v));
const sum = (s: Sum): string => (s.suppressed > 0 ? `≥${s.value}` : String(s.value));

function threshold(text: string, flag: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text)) throw new CamauditError('usage', `${flag} "${text}": expected a whole number`);
  return checkThreshold(n);
}

async function coordinatorOf(store: Store, slug: string): Promise<Organisation> {
  const org = await findOrganisation(store, slug);
  if (!org) throw new CamauditError('not_found', `no organisation "${slug}" in ${store.location}; create the coordinating organisation with camaudit init --org ${slug}`);
  return org;
}

async function compose(store: Store, g: GlobalOptions, io: Io, opts: { period?: string; threshold: string }): Promise<AggregatePayload> {
  const now = io.now();
  const org = await resolveOrganisation(store, g, now);
  const { kb } = await loadActiveKnowledge(store, g.kbOverlay);
  return composeAggregate(store, org, scopeFor(org, g, 'cli'), kb, { ...(opts.period ? { period: opts.period } : {}), threshold: threshold(opts.threshold, '--threshold') }, now);
}

function printPreview(io: Io, lang: Lang, p: AggregatePayload): void {
  const withheld = p.cells.filter((c) => c.suppressed).length;
  io.out(tf(lang, 'federation.preview.header', { name: p.source.name, code: p.source.code, period: p.period, threshold: p.threshold }));
  io.out(tf(lang, 'federation.preview.cells', { devices: figure(p.totals.devices), cells: p.cells.length, published: p.cells.length - withheld, withheld }));
  io.out('');
  const restricted = new Set<string>(RESTRICTED_GROUPS);
  printTable(io, [tf(lang, 'federation.col.group'), tf(lang, 'federation.col.devices'), tf(lang, 'federation.col.inService'), tf(lang, 'federation.col.exposed'), tf(lang, 'federation.col.runs')],
    MAKER_GROUPS.map((g) => [
      g, figure(p.totals.makerGroup[g]), sum(inServiceOf(p.totals.makerGroup[g], p.totals.makerGroupByStatus[g])), figure(p.totals.makerGroupByConnectivity[g].internet_exposed),
      restricted.has(g) ? yesNo(lang, p.presence[g as keyof AggregatePayload['presence']].inService) : '',
    ]));
  io.out('');
  io.out(tf(lang, 'federation.legend'));
}

const yesNo = (lang: Lang, v: boolean) => tf(lang, v ? 'federation.yes' : 'federation.no');

function printSummary(io: Io, lang: Lang, coordinator: string, s: Summary): void {
  if (s.municipalities.length === 0) io.out(tf(lang, 'federation.summary.none', { coordinator }));
  else {
    io.out(tf(lang, 'federation.summary.header', { coordinator, n: s.headlines.municipalities, asOf: s.asOf ?? '', threshold: s.threshold }));
    io.out(tf(lang, 'federation.summary.headline', { n: s.headlines.municipalities, named: s.headlines.hikvisionOrDahua, exposed: s.headlines.hikvisionOrDahuaInternetExposed, other: s.headlines.otherRestricted }));
  }
  for (const e of s.excluded) io.err(tf(lang, 'federation.summary.excluded', e));
  if (s.municipalities.length === 0) return;
  io.out('');
  io.out(tf(lang, 'federation.summary.national'));
  const n = s.national;
  printTable(io, [tf(lang, 'federation.col.group'), tf(lang, 'federation.col.devices'), tf(lang, 'federation.col.inService'), tf(lang, 'federation.col.exposed')],
    [...MAKER_GROUPS.map((g) => [g, sum(n.makerGroup[g]), sum(inServiceOf(n.makerGroup[g], n.makerGroupByStatus[g])), sum(n.makerGroupByConnectivity[g].internet_exposed)]),
      ['', sum(n.devices), sum(inServiceOf(n.devices, n.status)), sum(n.connectivity.internet_exposed)]]);
  io.out('');
  io.out(tf(lang, 'federation.summary.municipalities'));
  printTable(io, [
    tf(lang, 'federation.col.code'), tf(lang, 'federation.col.name'), tf(lang, 'federation.col.period'), tf(lang, 'federation.col.devices'),
    'hikvision', 'dahua', 'other_restricted', tf(lang, 'federation.col.exposed'), tf(lang, 'federation.col.critical'),
    tf(lang, 'federation.col.namedInService'), tf(lang, 'federation.col.namedExposed'),
  ], s.municipalities.map((m) => [
    m.code, m.name, m.period, figure(m.devices), figure(m.makerGroup.hikvision), figure(m.makerGroup.dahua), figure(m.makerGroup.other_restricted),
    figure(m.internetExposed), figure(m.critical), sum(m.hikvisionOrDahuaInService), sum(m.hikvisionOrDahuaInternetExposed),
  ]));
  io.out('');
  io.out(tf(lang, 'federation.summary.trend'));
  printTable(io, [tf(lang, 'federation.col.month'), tf(lang, 'federation.col.sources'), tf(lang, 'federation.col.updated'), tf(lang, 'federation.col.devices'),
    tf(lang, 'federation.col.namedInService'), tf(lang, 'federation.col.namedExposed')],
  s.trend.map((t) => [t.month, t.sources, t.updated, sum(t.devices), sum(t.hikvisionOrDahuaInService), sum(t.hikvisionOrDahuaInternetExposed)]));
  io.out('');
  io.out(tf(lang, 'federation.legend'));
}

export function registerFederation(program: Command, ctx: CommandContext): void {
  const federation = program.command('federation').description('the national picture: publish an anonymised aggregate, receive them as a coordinator, summarise');
  const thresholdHelp = `withhold counts below this (at least 2; default ${DEFAULT_THRESHOLD})`;

  federation.command('preview').description('show the aggregate this organisation would publish (--json: the document itself)')
    .option('--period <YYYY-MM-DD>', 'the day the figures describe (default: today)')
    .option('--threshold <n>', thresholdHelp, String(DEFAULT_THRESHOLD))
    .action(async (opts: { period?: string; threshold: string }) => {
      const g = ctx.globals();
      await withStore(g, async (store) => {
        const payload = await compose(store, g, ctx.io, opts);
        if (g.json) printJson(ctx.io, payload);
        else printPreview(ctx.io, g.lang, payload);
      });
    });

  federation.command('publish').description('publish the aggregate to a coordinator: local:SLUG (this database), https://… (another camaudit server) or file:PATH')
    .requiredOption('--to <target>', 'local:SLUG, https://host/api/v1/organisations/SLUG/federation/aggregates, or file:PATH')
    .option('--token <token>', 'the publisher token the coordinator gave you, for https (env CAMAUDIT_FEDERATION_TOKEN)')
    .option('--period <YYYY-MM-DD>', 'the day the figures describe (default: today)')
    .option('--threshold <n>', thresholdHelp, String(DEFAULT_THRESHOLD))
    .action(async (opts: { to: string; token?: string; period?: string; threshold: string }) => {
      const g = ctx.globals();
      const target = parseTarget(opts.to);
      await withStore(g, async (store) => {
        const payload = await compose(store, g, ctx.io, opts);
        const token = opts.token ?? ctx.io.env.CAMAUDIT_FEDERATION_TOKEN;
        const delivery = await deliver(payload, target, {
          store, ...(token ? { token } : {}), minThreshold: DEFAULT_THRESHOLD, actor: g.actor, source: 'cli', now: ctx.io.now(),
          // The operator names the coordinator on their own machine, where an intranet address is theirs to choose.
          allowPrivateTargets: true,
        });
        if (g.json) return printJson(ctx.io, { source: payload.source, period: payload.period, ...delivery });
        const what = { code: payload.source.code, period: payload.period };
        if (delivery.kind === 'file') return ctx.io.out(tf(g.lang, 'federation.written', { ...what, file: delivery.path }));
        const to = delivery.kind === 'local' ? delivery.coordinator : delivery.url;
        ctx.io.out(tf(g.lang, delivery.receipt.replaced ? 'federation.published.replaced' : 'federation.published.new', { ...what, to }));
      });
    });

  federation.command('receive').description('as coordinator: store an aggregate file a publisher handed over')
    .argument('<file>')
    .requiredOption('--coordinator <slug>', 'the coordinating organisation receiving it')
    .option('--threshold <n>', `the lowest publication threshold accepted (default ${DEFAULT_THRESHOLD})`, String(DEFAULT_THRESHOLD))
    .action(async (file: string, opts: { coordinator: string; threshold: string }) => {
      const g = ctx.globals();
      const minThreshold = threshold(opts.threshold, '--threshold');
      const text = await readFile(file).catch((cause: Error) => {
        throw new CamauditError('not_found', `cannot read ${file}: ${cause.message}`, { file });
      });
      if (text.length > MAX_FILE_BYTES) throw new CamauditError('hostile_input', `${file}: ${text.length} bytes is more than any aggregate (at most ${MAX_FILE_BYTES})`, { file });
      let document: unknown;
      try {
        document = JSON.parse(text.toString('utf8'));
      } catch (cause) {
        throw new CamauditError('invalid_input', `${file}: not JSON: ${(cause as Error).message}`, { file });
      }
      await withStore(g, async (store) => {
        const coordinator = await coordinatorOf(store, opts.coordinator);
        const receipt = await receiveAggregate(store, scopeFor(coordinator, g, `file:${file}`), document, { via: 'file', origin: file, minThreshold, now: ctx.io.now() });
        if (g.json) return printJson(ctx.io, { coordinator: coordinator.slug, ...receipt });
        const params = { name: receipt.source.name, code: receipt.source.code, period: receipt.period, coordinator: coordinator.slug };
        ctx.io.out(tf(g.lang, receipt.replaced ? 'federation.received.replaced' : 'federation.received.new', params));
      });
    });

  federation.command('summary').description('as coordinator: national totals, per organisation, trend and headline figures')
    .requiredOption('--coordinator <slug>', 'the coordinating organisation')
    .option('--threshold <n>', `leave out aggregates published with a lower threshold (default ${DEFAULT_THRESHOLD})`, String(DEFAULT_THRESHOLD))
    .action(async (opts: { coordinator: string; threshold: string }) => {
      const g = ctx.globals();
      const minThreshold = threshold(opts.threshold, '--threshold');
      await withStore(g, async (store) => {
        const coordinator = await coordinatorOf(store, opts.coordinator);
        const s = summarise(await loadAggregateHeads(store, scopeFor(coordinator, g, 'cli')), { threshold: minThreshold });
        if (g.json) printJson(ctx.io, { coordinator: coordinator.slug, ...s });
        else printSummary(ctx.io, g.lang, coordinator.slug, s);
      });
    });
}
