// `camaudit scan`: discovery of the networks we own, with progress on stderr, results stored as
// they come (so an interrupted run resumes), and an optional signed bundle for closed networks.
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CamauditError } from '../../core/errors.js';
import { createBundle } from '../../discover/bundle.js';
import { loadCredentials, type CredentialEntry } from '../../discover/credentials.js';
import { DEFAULT_FOLLOW_UP_PORTS, DEFAULT_PORTS, runScan, type ScanOutcome, type ScanProgress } from '../../discover/engine.js';
import type { FoundDevice } from '../../discover/found.js';
import { analyseHost } from '../../discover/found.js';
import { DEFAULT_POLITENESS, type Politeness } from '../../discover/net.js';
import { GROUP_PROBES, HOST_PROBES } from '../../discover/probes/index.js';
import { checkpointRun, finishRun, recordHost, startRun, type RecordCounts } from '../../discover/record.js';
import type { HostResult } from '../../discover/result.js';
import { buildScope, DEFAULT_MAX_ADDRESSES, type ScopeSpec } from '../../discover/scope.js';
import { resolveScanTargets } from '../../store/scan-targets.js';
import { getRun } from '../../store/scans.js';
import { VERSION } from '../../version.js';
import { t, type Lang } from '../../i18n/messages.js';
import { identifierFor, resolveOrganisation, scopeFor, withStore } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { printJson, printTable, type CommandContext } from '../program.js';

interface ScanFlags {
  exclude: string[];
  ownPublic: string[];
  maxAddresses?: string;
  ports?: string;
  addPorts?: string;
  followUpPorts?: string;
  workers?: string;
  credentials?: string;
  multicast?: string;
  rounds: string;
  wait: string;
  rate?: string;
  concurrency?: string;
  hostInterval?: string;
  timeout?: string;
  retries?: string;
  out?: string;
  key?: string;
  save: boolean;
  resume?: string;
  progress: boolean;
}

/** What a run stores as its parameters; enough to resume it (credentials are a path, never secrets). */
interface ScanParams {
  targets: string[];
  exclude: string[];
  ownPublic: string[];
  maxAddresses: number;
  ports: number[];
  followUpPorts: number[];
  multicast: { interfaceAddress: string; rounds: number; waitMs: number } | null;
  politeness: Politeness;
  workers: number;
  credentialsFile: string | null;
}

function positiveInt(flag: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new CamauditError('usage', `${flag} "${value}" must be a whole number of at least ${min}`);
  return n;
}

export function parsePorts(flag: string, text: string): number[] {
  return text.split(',').map((p) => p.trim()).filter((p) => p !== '').map((p) => {
    const n = Number(p);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new CamauditError('usage', `${flag}: "${p}" is not a port number`);
    return n;
  });
}

/** `network:NAME` targets, or every registered network when no target is given. */
function paramsFrom(targets: string[], opts: ScanFlags): ScanParams {
  const ports = opts.ports ? parsePorts('--ports', opts.ports) : [...DEFAULT_PORTS];
  if (opts.addPorts) ports.push(...parsePorts('--add-ports', opts.addPorts).filter((p) => !ports.includes(p)));
  if (ports.length === 0) throw new CamauditError('usage', '--ports: give at least one port');
  const followUpPorts = (opts.followUpPorts !== undefined ? parsePorts('--follow-up-ports', opts.followUpPorts) : [...DEFAULT_FOLLOW_UP_PORTS])
    .filter((p) => !ports.includes(p));
  const d = DEFAULT_POLITENESS;
  return {
    targets,
    exclude: opts.exclude,
    ownPublic: opts.ownPublic,
    maxAddresses: positiveInt('--max-addresses', opts.maxAddresses, DEFAULT_MAX_ADDRESSES),
    ports,
    followUpPorts,
    workers: positiveInt('--workers', opts.workers, 0, 0),
    multicast: opts.multicast
      ? { interfaceAddress: opts.multicast, rounds: positiveInt('--rounds', opts.rounds, 2), waitMs: positiveInt('--wait', opts.wait, 1500) }
      : null,
    politeness: {
      rate: positiveInt('--rate', opts.rate, d.rate, 0),
      concurrency: positiveInt('--concurrency', opts.concurrency, d.concurrency),
      perHostConcurrency: d.perHostConcurrency,
      perHostIntervalMs: positiveInt('--host-interval', opts.hostInterval, d.perHostIntervalMs, 0),
      timeoutMs: positiveInt('--timeout', opts.timeout, d.timeoutMs),
      retries: positiveInt('--retries', opts.retries, d.retries, 0),
    },
    credentialsFile: opts.credentials ?? null,
  };
}

function formatProgress(lang: Lang, p: ScanProgress): string {
  const pct = p.total > 0 ? ((p.done / p.total) * 100).toFixed(1) : '100.0';
  const eta = p.etaSeconds === null ? '' : t(lang, 'scan.eta', { n: p.etaSeconds });
  return t(lang, 'scan.progress', { done: p.done, total: p.total, pct, found: p.found, rate: Math.round(p.rate), eta });
}

function printFound(ctx: CommandContext, devices: readonly FoundDevice[]): void {
  printTable(ctx.io, ['IP', 'MAKER', 'BRAND', 'MODEL', 'FIRMWARE', 'KIND', 'CONF', 'PORTS', 'RISK FACTS'], devices.map((d) => [
    d.ip, d.manufacturer ?? '?', d.brand, d.model, d.firmware, d.kind, d.confidence.toFixed(2), d.ports.join(','),
    d.facts.map((f) => f.fact).join(', '),
  ]));
}

export function registerScan(program: Command, ctx: CommandContext): void {
  program
    .command('scan')
    .description('find and identify cameras and recorders on networks you own (read-only probes)')
    .argument('[targets...]', 'CIDRs, addresses, ranges (a-b) or network:NAME; default: every registered network')
    .option('--exclude <range>', 'leave out these addresses (repeatable)', (v: string, acc: string[]) => [...acc, v], [])
    .option('--own-public <range>', 'public range that is your own and may be scanned (repeatable)', (v: string, acc: string[]) => [...acc, v], [])
    .option('--max-addresses <n>', `refuse scopes larger than this (default ${DEFAULT_MAX_ADDRESSES})`)
    .option('--ports <list>', `TCP ports to sweep on every address (default ${DEFAULT_PORTS.join(',')})`)
    .option('--add-ports <list>', 'TCP ports to sweep in addition to the defaults')
    .option('--follow-up-ports <list>', `TCP ports checked on hosts that answered (default ${DEFAULT_FOLLOW_UP_PORTS.join(',')})`)
    .option('--workers <n>', 'sweep threads (default: by scope size and processors)')
    .option('--credentials <file>', 'JSON/YAML list of {scope?, protocols?, username, password} for the authenticated probes')
    .option('--multicast <address>', 'also discover by multicast/broadcast from this local interface address')
    .option('--rounds <n>', 'multicast query rounds', '2')
    .option('--wait <ms>', 'how long to listen for multicast answers', '1500')
    .option('--rate <n>', `new connections and datagrams per second, 0 = unlimited (default ${DEFAULT_POLITENESS.rate})`)
    .option('--concurrency <n>', `open connections at once (default ${DEFAULT_POLITENESS.concurrency})`)
    .option('--host-interval <ms>', `pause between connections to one host (default ${DEFAULT_POLITENESS.perHostIntervalMs})`)
    .option('--timeout <ms>', `connect and answer timeout (default ${DEFAULT_POLITENESS.timeoutMs})`)
    .option('--retries <n>', `retries after a timeout (default ${DEFAULT_POLITENESS.retries})`)
    .option('--out <file>', 'also write a signed scan bundle (for closed networks; needs --key)')
    .option('--key <file>', 'agent private key for --out (camaudit agent keygen)')
    .option('--no-save', 'do not store the run or change the register')
    .option('--resume <run>', 'continue an interrupted run with its original parameters')
    .option('--no-progress', 'no progress lines on stderr')
    .action(async (targets: string[], opts: ScanFlags) => {
      const g = ctx.globals();
      if (opts.out && !opts.key) throw new CamauditError('usage', '--out writes a signed bundle: give the agent key with --key (camaudit agent keygen makes one)');
      if (opts.resume && targets.length > 0) throw new CamauditError('usage', '--resume continues a run with its own targets; give no targets');
      if (opts.resume && !opts.save) throw new CamauditError('usage', '--resume needs a stored run; it cannot be combined with --no-save');
      if (opts.resume && opts.out) throw new CamauditError('usage', '--out signs one complete run; a resumed run cannot be written as a bundle (scan again with --out)');
      const privateKey = opts.key ? await readFile(opts.key, 'utf8').catch(() => {
        throw new CamauditError('not_found', `${opts.key}: key file not found`, { file: opts.key });
      }) : null;
      await withStore(g, async (store) => {
        const org = await resolveOrganisation(store, g, ctx.io.now());
        const identifier = await identifierFor(store, g);
        let params: ScanParams;
        let runId: string | null = null;
        let after: string | null = null;
        let startedAt = ctx.io.now();
        if (opts.resume) {
          const run = await getRun(store, scopeFor(org, g, 'scan'), opts.resume);
          if (run.status === 'done') throw new CamauditError('conflict', `scan run ${run.id} is complete; nothing to resume`);
          if (run.origin !== 'live') throw new CamauditError('usage', `scan run ${run.id} came from ${run.origin === 'nmap' ? 'an nmap file' : 'a bundle'}; only live scans resume`);
          params = run.params as unknown as ScanParams;
          runId = run.id;
          after = run.cursor;
          startedAt = run.startedAt;
        } else {
          params = paramsFrom(await resolveScanTargets(store, scopeFor(org, g, 'scan'), targets), opts);
        }
        const spec: ScopeSpec = {
          include: params.targets, exclude: params.exclude, ownPublic: params.ownPublic,
          maxAddresses: params.maxAddresses, multicast: params.multicast !== null,
        };
        // Refuse a bad scope before a run is recorded for it.
        buildScope(spec);
        let credentials: CredentialEntry[] = [];
        if (params.credentialsFile) {
          const loaded = await loadCredentials(params.credentialsFile);
          credentials = loaded.entries;
          if (loaded.warning) ctx.io.err(`warning: ${loaded.warning}`);
        }
        const save = opts.save;
        if (save && runId === null) {
          runId = await startRun(store.db, scopeFor(org, g, 'scan'), { origin: 'live', actor: g.actor, agentId: null, params: params as unknown as Record<string, unknown>, startedAt });
        }
        const tenant = scopeFor(org, g, runId ? `scan:${runId}` : 'scan');
        const counts: RecordCounts = { created: 0, updated: 0, unchanged: 0 };
        const devices: FoundDevice[] = [];
        const hosts: HostResult[] = [];
        let lastProgress = 0;
        const interval = process.stderr.isTTY ? 500 : 5000;
        const abort = new AbortController();
        const onSignal = () => abort.abort();
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        let outcome: ScanOutcome;
        let storing: Promise<void> = Promise.resolve();
        try {
          outcome = await runScan({
            spec, ports: params.ports, followUpPorts: params.followUpPorts, politeness: params.politeness, credentials,
            multicast: params.multicast, hostProbes: HOST_PROBES, groupProbes: GROUP_PROBES, workers: params.workers,
            classify: (host) => analyseHost(host, identifier.knowledge)?.found.manufacturer ?? null,
            after, now: ctx.io.now,
          }, {
            // One host at a time: two addresses of one device must not both miss the register and create it twice.
            host: (result) => (storing = storing.then(() => storeHost(result))),
            checkpoint: async (cursor, progress) => {
              await storing;
              if (save && runId) await checkpointRun(store.db, tenant, runId, cursor, { ...progress, ...counts });
            },
            progress: (p) => {
              if (!opts.progress || Date.now() - lastProgress < interval) return;
              lastProgress = Date.now();
              ctx.io.err(formatProgress(g.lang, p));
            },
          }, abort.signal);
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
        async function storeHost(result: HostResult): Promise<void> {
          if (opts.out) hosts.push(result);
          if (save && runId) {
            const found = await store.db.transaction().execute((trx) => recordHost(trx, tenant, identifier, runId!, result, ctx.io.now(), counts));
            if (found) devices.push(found);
          } else {
            const analysed = analyseHost(result, identifier.knowledge);
            if (analysed) devices.push(analysed.found);
          }
        }
        const finishedAt = ctx.io.now();
        const { net, ...figures } = outcome;
        const stats = { ...figures, ...net, ...counts };
        if (save && runId) await finishRun(store.db, tenant, runId, outcome.interrupted ? 'interrupted' : 'done', stats, finishedAt);
        if (opts.out && privateKey && outcome.interrupted) ctx.io.err(t(g.lang, 'scan.bundleSkipped'));
        if (opts.out && privateKey && !outcome.interrupted) {
          const statistics = Object.fromEntries(Object.entries(stats).filter(([, v]) => typeof v === 'number' || typeof v === 'boolean')) as Record<string, number | boolean>;
          const bundle = createBundle({
            meta: {
              runId: runId ?? randomUUID(), organisation: org.slug, startedAt, finishedAt, scannerVersion: VERSION,
              kbVersion: identifier.kb.meta.version, statistics,
              parameters: {
                targets: params.targets, exclusions: params.exclude, ports: params.ports, ownPublic: params.ownPublic,
                maxAddresses: params.maxAddresses, multicast: params.multicast, politeness: { ...params.politeness },
                credentialsUsed: params.credentialsFile !== null,
              },
            },
            hosts,
          }, privateKey);
          await writeFile(opts.out, bundle);
        }
        if (opts.progress) ctx.io.err(formatProgress(g.lang, outcome));
        devices.sort((a, b) => a.ip.localeCompare(b.ip, 'en', { numeric: true }));
        if (g.json) printJson(ctx.io, devices);
        else {
          printFound(ctx, devices);
          ctx.io.out('');
          const summary = t(g.lang, 'scan.summary', {
            found: devices.length, done: outcome.done, seconds: (outcome.elapsedMs / 1000).toFixed(1), connections: net.connections, datagrams: net.datagrams,
          });
          ctx.io.out(net.ignoredReplies > 0 ? `${summary}; ${t(g.lang, 'scan.ignored', { n: net.ignoredReplies })}` : summary);
          if (save && runId) ctx.io.out(t(g.lang, 'scan.register', { ...counts, run: runId }));
          if (opts.out) ctx.io.out(t(g.lang, 'scan.bundle', { file: opts.out }));
        }
        if (outcome.interrupted) {
          ctx.io.err(save && runId ? t(g.lang, 'scan.interrupted', { run: runId.slice(0, 8) }) : t(g.lang, 'scan.interruptedUnsaved'));
          ctx.setExit(EXIT.interrupted);
        }
      });
    });
}
