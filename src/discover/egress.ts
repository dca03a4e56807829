// The egress checks of verify-isolation: from inside a segment, can a name be resolved, a TCP
// connection opened, a TLS handshake completed, a datagram answered? Nothing is sent beyond the
// connect, the handshake, the DNS question and one small UDP probe. Every connection goes
// through GuardedNet with a scope of exactly the addresses the endpoints file leads to.
import { Resolver } from 'node:dns/promises';
import { performance } from 'node:perf_hooks';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { both, inEach, t, type MessageKey, type Texts } from '../i18n/messages.js';
import { GuardedNet, type Datagram, type Politeness } from './net.js';
import { buildScope } from './scope.js';
import { whyNotContactable, type CheckResult, type Endpoint, type EndpointsFile } from './isolation.js';

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

/** What a check found; its detail in every language until the result is put together. */
type Outcome = Omit<CheckResult, 'name' | 'protocol' | 'host' | 'port' | 'at' | 'detail' | 'nl'> & { detail: Texts };

/** Text from the system (an error message, OpenSSL's reason): the same in every language. */
const verbatim = (text: string): Texts => inEach(() => text);

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
      outcome = { addresses: [], result: 'inconclusive', detail: both('egress.checkFailed', { message: (err as Error).message }), error: errorCode(err), latencyMs: null };
    }
    const { detail, ...found } = outcome;
    return { name: endpoint.name, protocol: endpoint.protocol, host: endpoint.host, port: endpoint.port, ...found, detail: detail.en, nl: { detail: detail.nl }, at };
  });
}

async function check(endpoint: Endpoint, resolver: Resolver, timeoutMs: number): Promise<Outcome> {
  if (endpoint.protocol === 'dns') return checkName(endpoint.host, resolver);
  const resolved = endpoint.hostIsName ? await resolveForConnect(endpoint.host, resolver) : { addresses: [endpoint.host] };
  if ('failure' in resolved) return resolved.failure;
  const usable = (a: string) => whyNotContactable(a) === null && !(endpoint.hostIsName && a === SINKHOLE);
  const addresses = resolved.addresses.filter(usable).slice(0, MAX_ADDRESSES);
  if (addresses.length === 0) {
    const [first = ''] = resolved.addresses;
    const why = whyNotContactable(first) ?? both('egress.thisMachine');
    return {
      addresses: resolved.addresses, result: 'inconclusive', error: null, latencyMs: null,
      detail: inEach((lang) => t(lang, 'egress.blockedAddress', { host: endpoint.host, address: first, why: why[lang] })),
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
const NOT_RESOLVED: Readonly<Record<string, MessageKey>> = {
  ENOTFOUND: 'egress.noSuchName',
  ENODATA: 'egress.noAddress',
  ESERVFAIL: 'egress.servfail',
  EREFUSED: 'egress.refused',
};

async function checkName(name: string, resolver: Resolver): Promise<Outcome> {
  const start = performance.now();
  try {
    const v4 = await resolver.resolve4(name).catch(async (err: unknown) => {
      if (errorCode(err) !== 'ENODATA') throw err;
      return { v6: await resolver.resolve6(name) };
    });
    const latencyMs = elapsed(start);
    if (!Array.isArray(v4)) return { addresses: v4.v6, result: 'reachable', detail: both('egress.resolvesIpv6', { addresses: v4.v6.join(', ') }), error: null, latencyMs };
    const sinkholed = v4.every((a) => whyNotContactable(a) !== null || a === SINKHOLE);
    if (sinkholed) return { addresses: v4, result: 'unreachable', detail: both('egress.blockingAnswer', { addresses: v4.join(', ') }), error: null, latencyMs };
    return { addresses: v4, result: 'reachable', detail: both('egress.resolves', { addresses: v4.join(', ') }), error: null, latencyMs };
  } catch (err) {
    const code = errorCode(err);
    const why = code ? NOT_RESOLVED[code] : undefined;
    if (why) return { addresses: [], result: 'unreachable', detail: both(why), error: code, latencyMs: elapsed(start) };
    return { addresses: [], result: 'inconclusive', detail: both('egress.resolverSilent', { reason: code ?? (err as Error).message }), error: code, latencyMs: null };
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
        detail: both('egress.notResolved', { name, reason: code ?? (err as Error).message }),
      },
    };
  }
}

// Failures that show the way out is closed: nothing, or a refusal, came back from the other side.
const BLOCKED: Readonly<Record<string, (timeoutMs: number) => Texts>> = {
  ECONNREFUSED: () => both('egress.connectionRefused'),
  ETIMEDOUT: (ms) => both('egress.noAnswerWithin', { ms }),
  EHOSTUNREACH: () => both('egress.noRouteToHost'),
  ENETUNREACH: () => both('egress.noRouteToNetwork'),
};

interface Failure {
  address: string;
  code: string | null;
  text: Texts;
  blocked: boolean;
  latencyMs: number | null;
}

function failure(address: string, err: unknown, timeoutMs: number, start: number, tls: boolean): Failure {
  const code = errorCode(err);
  const blocked = code !== null ? BLOCKED[code] : undefined;
  if (code === 'ETIMEDOUT' && tls) return { address, code, text: both('egress.noHandshakeWithin', { ms: timeoutMs }), blocked: true, latencyMs: null };
  if (blocked) return { address, code, text: blocked(timeoutMs), blocked: true, latencyMs: code === 'ETIMEDOUT' ? null : elapsed(start) };
  // EPERM/EACCES come from this machine's own firewall, which says nothing about the segment.
  const local = code === 'EPERM' || code === 'EACCES' ? both('egress.localRefusal') : null;
  // OpenSSL's messages carry source paths; its `reason` is the part people can read.
  const reason = (err as { reason?: unknown }).reason;
  const text = local ?? verbatim(typeof reason === 'string' ? `${reason}${code ? ` (${code})` : ''}` : (err as Error).message);
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
        return { addresses: [...addresses], result: 'reachable', detail: both('egress.connected', { address, port }), error: null, latencyMs };
      }
      const secure = socket as TLSSocket;
      const cert = secure.getPeerCertificate(false);
      const certificate = { subject: describeCertificate(cert), issuer: Object.entries(cert.issuer ?? {}).map(([k, v]) => `${k}=${String(v)}`).join(', '), trusted: secure.authorized };
      secure.destroy();
      const refusal = secure.authorizationError;
      const trust = inEach((lang) => certificate.trusted
        ? t(lang, 'egress.trusted')
        : t(lang, 'egress.untrusted', { reason: refusal ? String(refusal) : t(lang, 'egress.unverified') }));
      return { addresses: [...addresses], result: 'reachable', detail: inEach((lang) => t(lang, 'egress.handshake', { address, port, trust: trust[lang] })), error: null, latencyMs, certificate };
    } catch (err) {
      failures.push(failure(address, err, timeoutMs, start, tls !== null));
    }
  }
  const detail = inEach((lang) => failures.map((f) => (addresses.length > 1 ? `${f.address}: ${f.text[lang]}` : f.text[lang])).join('; '));
  const open = failures.find((f) => !f.blocked);
  if (open) {
    const handshake = tls && open.code !== 'EPERM' && open.code !== 'EACCES';
    return {
      addresses: [...addresses], result: 'inconclusive', error: open.code, latencyMs: open.latencyMs,
      detail: handshake ? inEach((lang) => t(lang, 'egress.noHandshake', { detail: detail[lang] })) : detail,
    };
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
      return {
        addresses: [...addresses], result: 'reachable', error: null, latencyMs: elapsed(start),
        detail: both('egress.udpReply', { bytes: answer.data.length, address: answer.from, port: answer.port }),
      };
    }
    return { addresses: [...addresses], result: 'inconclusive', error: null, latencyMs: null, detail: both('egress.udpSilent', { ms: timeoutMs }) };
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
