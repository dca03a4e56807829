// Requests the server makes to addresses someone else chose: webhooks an organisation subscribes
// and coordinator servers it publishes to. Such a request must not become a way into the
// server's own network — its loopback services, the cloud metadata address, intranet hosts — so
// the host is resolved once, every address it resolves to must be ordinary public unicast, and
// the connection goes to the address that was checked (a second lookup could answer differently:
// DNS rebinding). What goes wrong is reported in a few fixed words, never the network error or
// the answer's body, so a failed request tells the caller nothing about what is behind it.
import type { lookup as dnsLookup } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import ipaddr from 'ipaddr.js';

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Every address a host name stands for. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface OutboundPolicy {
  /** Loopback, private, link-local and other non-public addresses too (configuration: allowPrivateTargets). */
  allowPrivate: boolean;
  /** The system resolver unless a test names another. */
  resolve?: Resolver;
}

export type OutboundFailureReason =
  /** The host is, or resolves to, an address outside public unicast space. */
  | 'refused'
  /** No answer: the name did not resolve, the connection or TLS failed, the answer broke off. */
  | 'unreachable'
  | 'timeout'
  /** The answer was longer than the caller reads. */
  | 'too_large';

export class OutboundFailure extends Error {
  constructor(readonly reason: OutboundFailureReason, options?: { cause?: unknown }) {
    super(`outbound request failed: ${reason}`, options);
    this.name = 'OutboundFailure';
  }
}

const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3');

const systemResolver: Resolver = async (hostname) => lookup(hostname, { all: true, verbatim: true });

/**
 * Whether an address is ordinary public unicast. Everything else is refused rather than listed:
 * loopback, RFC 1918, CGNAT, link-local (169.254.169.254 is the cloud metadata service), unique
 * local (fc00::/7, where fd00:ec2::254 is), multicast, unspecified, reserved, and IPv6 forms
 * that carry an IPv4 address (NAT64, 6to4, Teredo) and could lead to any of those.
 */
export function isPublicAddress(text: string): boolean {
  if (!ipaddr.isValid(text)) return false;
  // An IPv4-mapped IPv6 address (::ffff:127.0.0.1) is judged as the IPv4 address it carries.
  const address = ipaddr.process(text);
  if (address.range() !== 'unicast') return false;
  // Only global unicast (2000::/3) is public IPv6; ::7f00:1 and the like are "unicast" to ipaddr.js.
  return address instanceof ipaddr.IPv4 || address.match(GLOBAL_UNICAST_V6);
}

/** The host name of a URL as a resolver or a socket takes it: IPv6 literals without brackets. */
function bareHost(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/**
 * The address to connect to for a URL's host: resolved once, refused when any address it
 * resolves to is not public (unless the policy allows that), so a name cannot pair a public
 * address with an internal one and hope the connection picks the second.
 */
export async function checkedAddress(url: URL, policy: OutboundPolicy): Promise<ResolvedAddress> {
  const host = bareHost(url);
  let addresses: ResolvedAddress[];
  try {
    addresses = ipaddr.isValid(host) ? [{ address: host, family: ipaddr.parse(host).kind() === 'ipv4' ? 4 : 6 }] : await (policy.resolve ?? systemResolver)(host);
  } catch (cause) {
    throw new OutboundFailure('unreachable', { cause });
  }
  if (addresses.length === 0) throw new OutboundFailure('unreachable');
  if (!policy.allowPrivate && !addresses.every((a) => isPublicAddress(a.address))) throw new OutboundFailure('refused');
  return addresses[0]!;
}

/** A `lookup` for the socket that answers with the checked address only, whatever DNS says now. */
function pinnedLookup(pinned: ResolvedAddress): typeof dnsLookup {
  return ((_hostname: string, options: { all?: boolean }, callback: (err: Error | null, address: unknown, family?: number) => void) => {
    if (options.all) callback(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  }) as unknown as typeof dnsLookup;
}

export interface OutboundRequest {
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** Bytes of the answer's body to read; 0 discards it. */
  maxResponseBytes: number;
}

export interface OutboundResponse {
  status: number;
  body: Buffer;
}

function readBody(response: IncomingMessage, max: number, fail: (err: OutboundFailure) => void, done: (body: Buffer) => void): void {
  if (max === 0) {
    response.resume();
    response.on('end', () => done(Buffer.alloc(0)));
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  response.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > max) fail(new OutboundFailure('too_large'));
    else chunks.push(chunk);
  });
  response.on('end', () => done(Buffer.concat(chunks)));
}

/**
 * POSTs to a URL (http or https) at its checked address. Redirects are not followed: a redirect
 * would carry the request somewhere nobody chose. Throws OutboundFailure; any HTTP status is an
 * answer, for the caller to judge.
 */
export async function postTo(url: URL, message: OutboundRequest, policy: OutboundPolicy): Promise<OutboundResponse> {
  const pinned = await checkedAddress(url, policy);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<OutboundResponse>((resolve, reject) => {
    const req = send({
      protocol: url.protocol, hostname: bareHost(url), port: url.port || undefined, path: `${url.pathname}${url.search}`, method: 'POST',
      headers: { ...message.headers, 'content-length': String(Buffer.byteLength(message.body)) },
      lookup: pinnedLookup(pinned),
      // A fresh connection each time: nothing pooled under this host name from an earlier lookup.
      agent: false,
    }, (response) => {
      readBody(response, message.maxResponseBytes, finish, (body) => finish(null, { status: response.statusCode ?? 0, body }));
      response.on('error', (cause) => finish(new OutboundFailure('unreachable', { cause })));
    });
    const timer = setTimeout(() => finish(new OutboundFailure('timeout')), message.timeoutMs);
    let settled = false;
    function finish(err: OutboundFailure | null, response?: OutboundResponse): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        req.destroy();
        reject(err);
      } else resolve(response!);
    }
    req.on('error', (cause) => finish(new OutboundFailure('unreachable', { cause })));
    req.end(message.body);
  });
}
