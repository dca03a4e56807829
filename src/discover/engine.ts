// A scan: optional multicast discovery on the local segment, a sweep of every address in scope
// over the main camera ports (sweep.ts, threaded for large scopes), then on each live host the
// remaining camera ports and the probes that fit what it showed. Every packet goes through a
// GuardedNet, so the scope and politeness limits hold for every probe. Results stream out host
// by host (the CLI stores each as it comes), with a cursor that makes an interrupted run resume.
import { credentialsFor, type CredentialEntry } from './credentials.js';
import type { Credential } from './http-client.js';
import { GuardedNet, ScopeRefusal, type NetStats, type Politeness } from './net.js';
import type { Capture, GroupProbe, HostProbe } from './probe.js';
import type { HostResult } from './result.js';
import { addresses, buildScope, fromNumber, toNumber, type ScopeSpec } from './scope.js';
import { startSweep, type SweptHost } from './sweep.js';

/**
 * Swept on every address: web, RTSP and the Hikvision and Dahua SDK ports — every camera and
 * recorder we know answers on at least one of them.
 */
export const DEFAULT_PORTS: readonly number[] = [80, 443, 554, 8000, 37777];
/** Checked on hosts that answered: alternative web ports, RTSP alternate, Lorex SDK, telnet. */
export const DEFAULT_FOLLOW_UP_PORTS: readonly number[] = [8080, 8443, 8554, 35000, 23];

export interface MulticastPlan {
  interfaceAddress: string;
  rounds: number;
  waitMs: number;
}

export interface ScanPlan {
  spec: ScopeSpec;
  ports: readonly number[];
  followUpPorts: readonly number[];
  politeness: Politeness;
  credentials: readonly CredentialEntry[];
  multicast: MulticastPlan | null;
  hostProbes: readonly HostProbe[];
  groupProbes: readonly GroupProbe[];
  /** Sweep threads; 0 chooses by scope size. */
  workers: number;
  /** The maker (KB vendor id) unauthenticated answers identify, deciding which login path may be tried. */
  classify: (host: HostResult) => string | null;
  /** Resuming: the sweep continues after this address. */
  after?: string | null;
  now?: () => string;
}

export interface ScanProgress {
  done: number;
  total: number;
  found: number;
  elapsedMs: number;
  /** Addresses per second so far. */
  rate: number;
  etaSeconds: number | null;
}

export interface ScanSink {
  /** A live host with everything captured from it; awaited, so storage keeps pace. */
  host(result: HostResult): Promise<void>;
  /** Every address up to `cursor` is finished; store it to resume from there. */
  checkpoint(cursor: string, progress: ScanProgress): Promise<void>;
  progress?(progress: ScanProgress): void;
}

export interface ScanOutcome extends ScanProgress {
  interrupted: boolean;
  /** Probes that failed on a host (timeouts mid-answer, resets); the host is still reported. */
  probeErrors: number;
  net: NetStats;
}

const CHECKPOINT_MS = 1000;

/** What the multicast queries brought back, by address. */
async function discoverGroups(netw: GuardedNet, plan: ScanPlan, now: () => string): Promise<Map<string, Capture[]>> {
  const found = new Map<string, Capture[]>();
  if (!plan.multicast) return found;
  const results = await Promise.all(plan.groupProbes.map((p) => p.run({ net: netw, ...plan.multicast!, now })));
  for (const { ip, capture } of results.flat()) {
    const list = found.get(ip) ?? [];
    list.push(capture);
    found.set(ip, list);
  }
  return found;
}

/** Captures kept per host: a device answering with endless WS-Discovery endpoints stays bounded. */
const MAX_CAPTURES_PER_HOST = 200;

async function runProbe(netw: GuardedNet, probe: HostProbe, ip: string, open: ReadonlySet<number>, credentials: Credential[], now: () => string): Promise<{ captures: Capture[]; failed: boolean }> {
  try {
    return { captures: await probe.run({ net: netw, ip, openPorts: open, credentials, now }), failed: false };
  } catch (err) {
    if (err instanceof ScopeRefusal) throw err;
    return { captures: [], failed: true };
  }
}

/**
 * Probes one live host in two phases. First every probe without credentials. Then, only when the
 * owner gave credentials for this host, the one authenticated path that fits the maker those
 * answers identify: the vendor's own API (ISAPI for Hikvision, magicBox for Dahua), else ONVIF on
 * a device that answered ONVIF. So a password never goes to a printer or an unknown host, and a
 * wrong password costs one failed login per credential on a device, not one per protocol.
 */
async function probeHost(netw: GuardedNet, plan: ScanPlan, swept: SweptHost, known: Capture[], now: () => string): Promise<{ result: HostResult; errors: number }> {
  const { ip } = swept;
  const more = await Promise.all(plan.followUpPorts.filter((p) => !swept.openPorts.includes(p))
    .map(async (port) => ((await netw.isOpen(ip, port)) ? port : null)));
  const openPorts = [...swept.openPorts, ...more.filter((p): p is number => p !== null)].sort((a, b) => a - b);
  const open = new Set(openPorts);
  const fits = (p: HostProbe) => p.ports.length === 0 || p.ports.some((port) => open.has(port));
  let errors = 0;
  const first = await Promise.all(plan.hostProbes.filter((p) => fits(p) && !p.requiresCredentials).map((p) => runProbe(netw, p, ip, open, [], now)));
  const captures = [...known, ...first.flatMap((r) => r.captures)];
  errors += first.filter((r) => r.failed).length;

  const withCredentials = plan.hostProbes.filter((p) => fits(p) && p.credentialProtocol && credentialsFor(plan.credentials, ip, p.credentialProtocol).length > 0);
  if (withCredentials.length > 0) {
    const maker = plan.classify({ ip, mac: null, openPorts, captures });
    const vendorApis = withCredentials.filter((p) => maker !== null && p.makers?.includes(maker));
    const answered = (p: HostProbe) => captures.some((c) => c.protocol === p.credentialProtocol);
    const alreadyRead = (p: HostProbe) => captures.some((c) => c.probe === p.name);
    const chosen = vendorApis.length > 0 ? vendorApis : withCredentials.filter((p) => p.makers === undefined && answered(p) && !alreadyRead(p));
    for (const probe of chosen) {
      const r = await runProbe(netw, probe, ip, open, credentialsFor(plan.credentials, ip, probe.credentialProtocol!), now);
      captures.push(...r.captures);
      if (r.failed) errors++;
    }
  }
  return { result: { ip, mac: null, openPorts, captures: captures.slice(0, MAX_CAPTURES_PER_HOST) }, errors };
}

function addStats(into: NetStats, add: NetStats): void {
  into.connections += add.connections;
  into.datagrams += add.datagrams;
  into.refused += add.refused;
  into.ignoredReplies += add.ignoredReplies;
}

/**
 * Runs the scan. When `signal` aborts, the sweep stops taking new addresses, the hosts in flight
 * are finished, a last checkpoint is written and the outcome says `interrupted`.
 */
export async function runScan(plan: ScanPlan, sink: ScanSink, signal?: AbortSignal): Promise<ScanOutcome> {
  const now = plan.now ?? (() => new Date().toISOString());
  const started = Date.now();
  const scope = buildScope(plan.spec);
  // The sweep and the probes run at the same time; each gets half of the limits, so together
  // they keep to the rate and the number of open connections asked for.
  const half: Politeness = {
    ...plan.politeness,
    rate: plan.politeness.rate > 0 ? plan.politeness.rate / 2 : 0,
    concurrency: Math.max(1, Math.floor(plan.politeness.concurrency / 2)),
  };
  const netw = new GuardedNet(scope, half);
  const after = plan.after ?? null;
  const afterN = after === null ? -1 : toNumber(after);
  let done = 0;
  if (after !== null) for (const ip of addresses(scope)) if (toNumber(ip) <= afterN) done++;
  const sweptAtStart = done;
  const total = scope.size;
  let found = 0;
  let probeErrors = 0;

  const progress = (): ScanProgress => {
    const elapsedMs = Date.now() - started;
    const rate = elapsedMs > 0 ? ((done - sweptAtStart) * 1000) / elapsedMs : 0;
    return { done, total, found, elapsedMs, rate, etaSeconds: rate > 0 ? Math.round((total - done) / rate) : null };
  };

  const grouped = await discoverGroups(netw, plan, now);

  // The cursor is the highest address below which every part has swept and every live host has
  // been probed and stored: a resumed run then never skips a host that was still in flight.
  const partDone: number[] = [];
  const probing = new Set<number>();
  let lastCheckpoint = Date.now();
  let cursor = afterN;
  let failure: unknown = null;
  const advance = async (final: boolean) => {
    const swept = partDone.length === 0 ? afterN : Math.min(...partDone);
    // Hosts that answered multicast are probed after the sweep unless it reaches them first.
    const waiting = [...probing, ...awaitingProbe];
    const inFlight = waiting.length === 0 ? Number.MAX_SAFE_INTEGER : Math.min(...waiting) - 1;
    const next = Math.min(swept, inFlight, scope.include[scope.include.length - 1]!.last);
    if (next <= cursor) return;
    if (!final && Date.now() - lastCheckpoint < CHECKPOINT_MS) return;
    cursor = next;
    lastCheckpoint = Date.now();
    await sink.checkpoint(fromNumber(cursor), progress());
  };

  const probed = new Set<string>();
  const awaitingProbe = new Set([...grouped.keys()].map(toNumber).filter((n) => n > afterN));
  const probes: Promise<void>[] = [];
  const probe = (swept: SweptHost) => {
    const n = toNumber(swept.ip);
    probed.add(swept.ip);
    awaitingProbe.delete(n);
    probing.add(n);
    probes.push((async () => {
      try {
        const { result, errors } = await probeHost(netw, plan, swept, grouped.get(swept.ip) ?? [], now);
        probeErrors += errors;
        found++;
        await sink.host(result);
        probing.delete(n);
        await advance(false);
      } catch (err) {
        failure ??= err;
        sweep.stop();
      } finally {
        probing.delete(n);
      }
    })());
  };

  const sweep = startSweep({ spec: plan.spec, ports: plan.ports, politeness: half, after, workers: plan.workers }, (report) => {
    for (const h of report.hosts) probe(h);
    done += report.swept;
    partDone[report.part] = report.doneUpTo;
    sink.progress?.(progress());
    void advance(false).catch((err: unknown) => {
      failure ??= err;
    });
  });
  for (let part = 0; part < sweep.parts; part++) partDone[part] ??= afterN;
  const onAbort = () => sweep.stop();
  signal?.addEventListener('abort', onAbort);
  // An interrupt during the multicast phase came before the listener.
  if (signal?.aborted) sweep.stop();
  let sweepStats: NetStats[];
  try {
    sweepStats = await sweep.finished;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  // Hosts that answered a multicast query but showed no swept port are probed too.
  if (!signal?.aborted) {
    for (const [ip] of grouped) if (!probed.has(ip) && toNumber(ip) > afterN) probe({ ip, openPorts: [] });
  }
  // The cursor stays below multicast hosts an interrupted run has not probed, so a resumed run
  // (which asks the groups again) probes them.
  while (probes.length > 0) await Promise.all(probes.splice(0));
  if (failure) throw failure;
  await advance(true);
  const net = { ...netw.stats };
  for (const s of sweepStats) addStats(net, s);
  const interrupted = signal?.aborted === true && done < total;
  return { ...progress(), interrupted, probeErrors, net };
}
