// The egress checks of verify-isolation: from inside a segment, can a name be resolved, a TCP
// connection opened, a TLS handshake completed, a datagram answered? Nothing is sent beyond the
// connect, the handshake, the DNS question and one small UDP probe. Every connection goes
// through GuardedNet with a scope of exactly the addresses the endpoints file leads to.
import { Resolver } from 'node:dns/promises';
import { performance } from 'node:perf_hooks';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { GuardedNet, type Datagram, type Politeness } from './net.js';
import { buildScope } from './scope.js';
import { notContactable, type CheckResult, type Endpoint, type EndpointsFile } from './isolation.js';

export interface EgressOptions {
  /** How long one check waits for an answer. */
  timeoutMs: number;
  /** Checks running at once. */
  concurrency: number;
  now: () => string;
}

export const DEFAULT_EGRESS = Object.freeze({ timeoutMs: 3000, concurrency: 8 });

/** A name may resolve to many addresses; a few show whether the service is reachable. */
const MAX_ADDRESSES = 4;

type Outcome = Omit<CheckResult, 'name' | 'protocol' | 'host' | 'port' | 'at'>;

/** Runs every check of the file, a bounded number at once; results in file order. */
export async function checkEgress(file: EndpointsFile, options: EgressOptions): Promise<CheckResult[]> {
  const resolver = new Resolver({ timeout: options.timeoutMs, tries: 1 });
  if (file.resolver) resolver.setServers([`${file.resolver.address}:${file.resolver.port}`]);
  return inTurn(file.endpoints, options.concurrency, async (endpoint) => {
    const at = options.now();
    let outcome: Outcome;
    try {
      outcome = await check(endpoint, resolver, options.timeoutMs);
    } catch (err) {
      outcome = { addresses: [], result: 'inconclusive', detail: `the check failed: ${(err as Error).message}`, error: errorCode(err), latencyMs: null };
    }
    return { name: endpoint.name, protocol: endpoint.protocol, host: endpoint.host, port: endpoint.port, ...outcome, at };
  });
}

async function check(endpoint: Endpoint, resolver: Resolver, timeoutMs: number): Promise<Outcome> {
  if (endpoint.protocol === 'dns') return checkName(endpoint.host, resolver);
  const resolved = endpoint.hostIsName ? await resolveForConnect(endpoint.host, resolver) : { addresses: [endpoint.host] };
  if ('failure' in resolved) return resolved.failure;
  const usable = (a: string) => notContactable(a) === null && !(endpoint.hostIsName && a === SINKHOLE);
  const addresses = resolved.addresses.filter(usable).slice(0, MAX_ADDRESSES);
  if (addresses.length === 0) {
    const [first = ''] = resolved.addresses;
    return {
      addresses: resolved.addresses, result: 'inconclusive', error: null, latencyMs: null,
      detail: `${endpoint.host} resolved to ${first}, which ${notContactable(first) ?? 'is this machine itself'} (a resolver that blocks names often answers so); nothing sent`,
    };
  }
  const net = new GuardedNet(scopeOf(addresses), politeness(timeoutMs));
  const port = endpoint.port!;
  if (endpoint.protocol === 'udp') return probeUdp(net, addresses, port, endpoint.payload!, timeoutMs);
  return connectTcp(net, addresses, port, timeoutMs, endpoint.protocol === 'https' ? { servername: endpoint.hostIsName ? endpoint.host : undefined } : null);
}

/**
 * Unlike a scan, these checks exist to try addresses outside the organisation. The endpoints file
 * is its declaration of what to try, so the scope is exactly the addresses the file leads to.
 */
function scopeOf(addresses: readonly string[]) {
  return buildScope({ include: addresses, ownPublic: addresses, maxAddresses: addresses.length });
}

function politeness(timeoutMs: number): Politeness {
  return { concurrency: 1, perHostConcurrency: 1, perHostIntervalMs: 0, timeoutMs, retries: 0, rate: 0 };
}

function errorCode(err: unknown): string | null {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : null;
}

const elapsed = (start: number) => Math.round(performance.now() - start);

/**
 * Blocking resolvers answer a blocked name with 0.0.0.0 or 127.0.0.1; an answer of 127.0.0.1 is
 * this machine, not the service, so connecting to it would prove nothing.
 */
const SINKHOLE = '127.0.0.1';

// Answers by which the resolver says the name cannot be resolved through it.
const NOT_RESOLVED: Readonly<Record<string, string>> = {
  ENOTFOUND: 'does not resolve (no such name)',
  ENODATA: 'resolves to no address',
  ESERVFAIL: 'the resolver could not resolve it (SERVFAIL)',
  EREFUSED: 'the resolver refused to resolve it',
};

async function checkName(name: string, resolver: Resolver): Promise<Outcome> {
  const start = performance.now();
  try {
    const v4 = await resolver.resolve4(name).catch(async (err: unknown) => {
      if (errorCode(err) !== 'ENODATA') throw err;
      return { v6: await resolver.resolve6(name) };
    });
    const latencyMs = elapsed(start);
    if (!Array.isArray(v4)) return { addresses: v4.v6, result: 'reachable', detail: `resolves to ${v4.v6.join(', ')} (IPv6 only)`, error: null, latencyMs };
    const sinkholed = v4.every((a) => notContactable(a) !== null || a === SINKHOLE);
    if (sinkholed) return { addresses: v4, result: 'unreachable', detail: `the resolver answers ${v4.join(', ')}: a blocking answer, not the service's address`, error: null, latencyMs };
    return { addresses: v4, result: 'reachable', detail: `resolves to ${v4.join(', ')}`, error: null, latencyMs };
  } catch (err) {
    const code = errorCode(err);
    const why = code ? NOT_RESOLVED[code] : undefined;
    if (why) return { addresses: [], result: 'unreachable', detail: why, error: code, latencyMs: elapsed(start) };
    return { addresses: [], result: 'inconclusive', detail: `the resolver did not answer (${code ?? (err as Error).message}); whether the name resolves is unknown`, error: code, latencyMs: null };
  }
}

/** IPv4 addresses to connect to, or why the check cannot run. */
async function resolveForConnect(name: string, resolver: Resolver): Promise<{ addresses: string[] } | { failure: Outcome }> {
  try {
    return { addresses: await resolver.resolve4(name) };
  } catch (err) {
    const code = errorCode(err);
    return {
      failure: {
        addresses: [], result: 'inconclusive', error: code, latencyMs: null,
        detail: `${name} did not resolve to an IPv4 address (${code ?? (err as Error).message}); no connection tried (a device with its own resolver might still reach it)`,
      },
    };
  }
}

// Failures that show the way out is closed: nothing, or a refusal, came back from the other side.
const BLOCKED: Readonly<Record<string, (timeoutMs: number) => string>> = {
  ECONNREFUSED: () => 'connection refused (by the host or a firewall on the way)',
  ETIMEDOUT: (ms) => `no answer within ${ms} ms`,
  EHOSTUNREACH: () => 'no route to the host',
  ENETUNREACH: () => 'no route to the network',
};

interface Failure {
  address: string;
  code: string | null;
  text: string;
  blocked: boolean;
  latencyMs: number | null;
}

function failure(address: string, err: unknown, timeoutMs: number, start: number, tls: boolean): Failure {
  const code = errorCode(err);
  const blocked = code !== null ? BLOCKED[code] : undefined;
  if (code === 'ETIMEDOUT' && tls) return { address, code, text: `no completed TLS handshake within ${timeoutMs} ms`, blocked: true, latencyMs: null };
  if (blocked) return { address, code, text: blocked(timeoutMs), blocked: true, latencyMs: code === 'ETIMEDOUT' ? null : elapsed(start) };
  // EPERM/EACCES come from this machine's own firewall, which says nothing about the segment.
  const local = code === 'EPERM' || code === 'EACCES' ? 'this machine refused to send (a local firewall?), which says nothing about the segment' : null;
  // OpenSSL's messages carry source paths; its `reason` is the part people can read.
  const reason = (err as { reason?: unknown }).reason;
  const text = local ?? (typeof reason === 'string' ? `${reason}${code ? ` (${code})` : ''}` : (err as Error).message);
  return { address, code, text, blocked: false, latencyMs: elapsed(start) };
}

function describeCertificate(cert: PeerCertificate): string {
  const parts = Object.entries(cert.subject ?? {}).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`);
  return parts.join(', ');
}

/** TCP connect (or TLS handshake when `tls` is given) to each address until one succeeds. */
async function connectTcp(net: GuardedNet, addresses: readonly string[], port: number, timeoutMs: number, tls: { servername: string | undefined } | null): Promise<Outcome> {
  const failures: Failure[] = [];
  for (const address of addresses) {
    const start = performance.now();
    try {
      const socket = await net.connect(address, port, tls ? { tls: true, servername: tls.servername, timeoutMs } : { timeoutMs });
      const latencyMs = elapsed(start);
      if (!tls) {
        socket.destroy();
        return { addresses: [...addresses], result: 'reachable', detail: `connected to ${address}:${port}`, error: null, latencyMs };
      }
      const secure = socket as TLSSocket;
      const cert = secure.getPeerCertificate(false);
      const certificate = { subject: describeCertificate(cert), issuer: Object.entries(cert.issuer ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(', '), trusted: secure.authorized };
      secure.destroy();
      const trust = certificate.trusted ? 'a certificate this machine trusts' : `an untrusted certificate (${String(secure.authorizationError ?? 'unverified')}): possibly an intercepting proxy, still a way out`;
      return { addresses: [...addresses], result: 'reachable', detail: `TLS handshake with ${address}:${port} completed, ${trust}`, error: null, latencyMs, certificate };
    } catch (err) {
      failures.push(failure(address, err, timeoutMs, start, tls !== null));
    }
  }
  const detail = failures.map((f) => (addresses.length > 1 ? `${f.address}: ${f.text}` : f.text)).join('; ');
  const open = failures.find((f) => !f.blocked);
  if (open) {
    const prefix = tls && open.code !== 'EPERM' && open.code !== 'EACCES' ? 'no TLS handshake: ' : '';
    return { addresses: [...addresses], result: 'inconclusive', detail: `${prefix}${detail}`, error: open.code, latencyMs: open.latencyMs };
  }
  const last = failures[failures.length - 1]!;
  return { addresses: [...addresses], result: 'unreachable', detail, error: last.code, latencyMs: last.latencyMs };
}

/** One datagram to each address; any reply from one of them shows the way out and back is open. */
async function probeUdp(net: GuardedNet, addresses: readonly string[], port: number, payload: Buffer, timeoutMs: number): Promise<Outcome> {
  const udp = await net.udp();
  try {
    const start = performance.now();
    const reply = new Promise<Datagram | null>((resolve) => {
      const timer = setTimeout(() => {
        off();
        resolve(null);
      }, timeoutMs);
      const off = udp.onMessage((d) => {
        if (!addresses.includes(d.from)) return;
        clearTimeout(timer);
        off();
        resolve(d);
      });
    });
    for (const address of addresses) await udp.send(address, port, payload);
    const answer = await reply;
    if (answer) {
      return { addresses: [...addresses], result: 'reachable', detail: `reply of ${answer.data.length} bytes from ${answer.from}:${answer.port}`, error: null, latencyMs: elapsed(start) };
    }
    return {
      addresses: [...addresses], result: 'inconclusive', error: null, latencyMs: null,
      detail: `no reply within ${timeoutMs} ms: no evidence of reachability (UDP is silent both when blocked and when a service ignores the datagram)`,
    };
  } finally {
    udp.close();
  }
}

/** `work` on every item, at most `limit` at once; results in input order. */
async function inTurn<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
