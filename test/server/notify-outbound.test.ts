// The guard on requests the server makes to addresses others chose (webhooks, coordinator
// servers): which addresses count as public, that a name is resolved once and the connection
// goes to the address that was checked, and that a name with any non-public address is refused.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPublicAddress, OutboundFailure, postTo, type Resolver } from '../../src/server/outbound.js';

let server: Server;
let port: number;
const seen: { host: string | undefined; headers: IncomingHttpHeaders }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ host: req.headers.host, headers: req.headers });
    req.resume();
    req.on('end', () => res.end(req.url === '/big' ? 'x'.repeat(5000) : '{"ok":true}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const request = { headers: { 'content-type': 'application/json' }, body: '{}', timeoutMs: 2000, maxResponseBytes: 1024 };

async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof OutboundFailure) return err.reason;
    throw err;
  }
  return 'sent';
}

describe('isPublicAddress', () => {
  it('accepts ordinary public unicast only', () => {
    for (const a of ['8.8.8.8', '145.21.0.1', '2a00:1450:4001:80b::200e', '2001:4860:4860::8888']) expect(isPublicAddress(a), a).toBe(true);
    const refused = [
      '127.0.0.1', '127.77.30.10', '::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', // loopback, also as IPv4-mapped IPv6
      '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.0.1', 'fd00:ec2::254', 'fc00::1', // RFC 1918, unique local (AWS IPv6 metadata)
      '169.254.169.254', '169.254.0.1', 'fe80::1', // link-local, the cloud metadata address
      '100.64.0.1', '100.100.100.200', // CGNAT (Alibaba's metadata address)
      '0.0.0.0', '::', '224.0.0.1', 'ff02::1', '255.255.255.255', '240.0.0.1', '192.0.2.1', // unspecified, multicast, broadcast, reserved
      '64:ff9b::7f00:1', '2002:7f00:1::1', '::7f00:1', // NAT64, 6to4 and IPv4-compatible forms of 127.0.0.1
      'localhost', '',
    ];
    for (const a of refused) expect(isPublicAddress(a), a).toBe(false);
  });
});

describe('postTo', () => {
  it('refuses loopback by default, by address and by a name resolving to it (localhost), before connecting', async () => {
    const before = seen.length;
    expect(await reason(postTo(new URL(`http://127.0.0.1:${port}/`), request, { allowPrivate: false }))).toBe('refused');
    expect(await reason(postTo(new URL(`http://localhost:${port}/`), request, { allowPrivate: false }))).toBe('refused');
    expect(await reason(postTo(new URL(`http://[::1]:${port}/`), request, { allowPrivate: false }))).toBe('refused');
    expect(seen.length).toBe(before);
  });

  it('refuses a name when any of its addresses is not public, so the connection cannot pick the internal one', async () => {
    const before = seen.length;
    const mixed: Resolver = async () => [{ address: '127.0.0.1', family: 4 }, { address: '8.8.8.8', family: 4 }];
    expect(await reason(postTo(new URL(`http://hooks.example.org:${port}/`), request, { allowPrivate: false, resolve: mixed }))).toBe('refused');
    expect(seen.length).toBe(before);
  });

  it('resolves once and connects to the address it checked, sending the name as the Host', async () => {
    // The name exists only in this resolver: a second, ordinary lookup by the socket would fail.
    let lookups = 0;
    const resolve: Resolver = async () => {
      lookups++;
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const answer = await postTo(new URL(`http://receiver.invalid:${port}/hook`), request, { allowPrivate: true, resolve });
    expect(answer.status).toBe(200);
    expect(answer.body.toString()).toBe('{"ok":true}');
    expect(lookups).toBe(1);
    expect(seen.at(-1)!.host).toBe(`receiver.invalid:${port}`);
  });

  it('a name that does not resolve is unreachable; an answer longer than asked for is refused', async () => {
    const none: Resolver = async () => {
      throw new Error('getaddrinfo ENOTFOUND receiver.invalid');
    };
    expect(await reason(postTo(new URL('https://receiver.invalid/'), request, { allowPrivate: false, resolve: none }))).toBe('unreachable');
    expect(await reason(postTo(new URL(`http://127.0.0.1:${port}/big`), request, { allowPrivate: true }))).toBe('too_large');
  });
});
