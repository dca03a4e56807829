// A scan: optional multicast discovery on the local segment, then a sweep of every address in
// scope over the camera ports, then the probes that fit what each live host showed. All traffic
// goes through one GuardedNet, so the scope and politeness limits hold for every probe. Results
// stream out host by host (the CLI stores each as it comes), with a resumable cursor.
import { credentialsFor, type CredentialEntry } from './credentials.js';
import { ScopeRefusal, type GuardedNet } from './net.js';
import type { Capture, GroupProbe, HostProbe } from './probe.js';
import type { HostResult } from './result.js';
import { addresses, toNumber, type Scope } from './scope.js';

/** Camera web ports, vendor SDK ports (Hikvision 8000, Dahua 37777, Lorex 35000), RTSP, telnet. */
export const DEFAULT_PORTS: readonly number[] = [80, 443, 8000, 8080, 8443, 37777, 35000, 554, 8554, 23];

export interface MulticastPlan {
  interfaceAddress: string;
  rounds: number;
  waitMs: number;
}

export interface ScanPlan {
  scope: Scope;
  ports: readonly number[];
  credentials: readonly CredentialEntry[];
  multicast: MulticastPlan | null;
  hostProbes: readonly HostProbe[];
  groupProbes: readonly GroupProbe[];
  /** Hosts swept at once. */
  hostConcurrency: number;
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

async function probeHost(netw: GuardedNet, plan: ScanPlan, ip: string, openPorts: number[], known: Capture[], now: () => string): Promise<{ result: HostResult; errors: number }> {
  const open = new Set(openPorts);
  let errors = 0;
  const runs = plan.hostProbes
    .filter((p) => p.ports.length === 0 || p.ports.some((port) => open.has(port)))
    .map(async (probe) => {
      const credentials = probe.credentialProtocol ? credentialsFor(plan.credentials, ip, probe.credentialProtocol) : [];
      if (probe.requiresCredentials && credentials.length === 0) return [];
      try {
        return await probe.run({ net: netw, ip, openPorts: open, credentials, now });
      } catch (err) {
        if (err instanceof ScopeRefusal) throw err;
        errors++;
        return [];
      }
    });
  const captures = [...known, ...(await Promise.all(runs)).flat()];
  return { result: { ip, mac: null, openPorts, captures }, errors };
}

async function openPortsOf(netw: GuardedNet, ip: string, ports: readonly number[]): Promise<number[]> {
  const open = await Promise.all(ports.map(async (port) => ((await netw.isOpen(ip, port)) ? port : null)));
  return open.filter((p): p is number => p !== null);
}

/**
 * Runs the scan. Stops taking new addresses when `signal` aborts, finishes the hosts in flight,
 * writes a last checkpoint and returns with `interrupted: true`.
 */
export async function runScan(netw: GuardedNet, plan: ScanPlan, sink: ScanSink, signal?: AbortSignal): Promise<ScanOutcome> {
  const now = plan.now ?? (() => new Date().toISOString());
  const started = Date.now();
  const after = plan.after ?? null;
  let done = 0;
  if (after !== null) for (const _ of addresses(plan.scope)) if (toNumber(_) <= toNumber(after)) done++;
  const total = plan.scope.size;
  let found = 0;
  let probeErrors = 0;
  const sweptAtStart = done;

  const progress = (): ScanProgress => {
    const elapsedMs = Date.now() - started;
    const rate = elapsedMs > 0 ? ((done - sweptAtStart) * 1000) / elapsedMs : 0;
    return { done, total, found, elapsedMs, rate, etaSeconds: rate > 0 ? Math.round((total - done) / rate) : null };
  };

  const grouped = await discoverGroups(netw, plan, now);

  // The cursor advances over a prefix of finished addresses, so a resumed run never skips one
  // that was still in flight when the previous run stopped.
  const order = addresses(plan.scope, after ?? undefined);
  const pending: { ip: string; finished: boolean }[] = [];
  let cursor = after;
  let lastCheckpoint = Date.now();
  let failure: unknown = null;

  const advance = async () => {
    while (pending.length > 0 && pending[0]!.finished) cursor = pending.shift()!.ip;
    if (cursor !== null && Date.now() - lastCheckpoint >= CHECKPOINT_MS) {
      lastCheckpoint = Date.now();
      await sink.checkpoint(cursor, progress());
    }
  };

  const worker = async () => {
    for (;;) {
      if (signal?.aborted || failure) return;
      const next = order.next();
      if (next.done) return;
      const entry = { ip: next.value, finished: false };
      pending.push(entry);
      try {
        const openPorts = await openPortsOf(netw, entry.ip, plan.ports);
        const known = grouped.get(entry.ip) ?? [];
        if (openPorts.length > 0 || known.length > 0) {
          const { result, errors } = await probeHost(netw, plan, entry.ip, openPorts, known, now);
          probeErrors += errors;
          found++;
          await sink.host(result);
        }
      } catch (err) {
        failure ??= err;
        return;
      }
      entry.finished = true;
      done++;
      sink.progress?.(progress());
      await advance();
    }
  };

  await Promise.all(Array.from({ length: Math.max(1, plan.hostConcurrency) }, worker));
  if (failure) throw failure;
  while (pending.length > 0 && pending[0]!.finished) cursor = pending.shift()!.ip;
  if (cursor !== null) await sink.checkpoint(cursor, progress());
  return { ...progress(), interrupted: signal?.aborted === true && done < total, probeErrors };
}
