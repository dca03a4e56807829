// The socket layer on loopback: an address outside the scope never sees a connection or a
// datagram, whatever a probe asks for. Only 127.77.22.0/22 addresses are used.
import dgram from 'node:dgram';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GuardedNet, ScopeRefusal } from '../../src/discover/net.js';
import { buildScope } from '../../src/discover/scope.js';

interface Counter {
  connections: number;
  datagrams: number;
  close(): Promise<void>;
}

/** A TCP listener on `port` and a UDP socket on `udpPort` at `ip`, counting what reaches them. */
async function listen(ip: string, port: number, udpPort: number): Promise<Counter> {
  const counter = { connections: 0, datagrams: 0 } as Counter;
  const server = net.createServer((s) => {
    counter.connections++;
    s.on('error', () => undefined);
    s.end('hello\r\n');
  });
  await new Promise<void>((resolve) => server.listen(port, ip, resolve));
  const udp = dgram.createSocket('udp4');
  udp.on('message', (msg, rinfo) => {
    counter.datagrams++;
    udp.send(msg, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => udp.bind(udpPort, ip, resolve));
  counter.close = async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await new Promise<void>((resolve) => udp.close(() => resolve()));
  };
  return counter;
}

describe('GuardedNet on loopback', () => {
  let inside: Counter;
  let excluded: Counter;
  let outside: Counter;
  const scope = buildScope({ include: ['127.77.22.0/24'], exclude: ['127.77.22.200'] });
  const politeness = { concurrency: 8, perHostConcurrency: 2, perHostIntervalMs: 0, timeoutMs: 500, retries: 0, rate: 0 };

  beforeAll(async () => {
    inside = await listen('127.77.22.10', 8080, 37020);
    excluded = await listen('127.77.22.200', 8080, 37020);
    outside = await listen('127.77.23.10', 8080, 37020);
  });
  afterAll(async () => {
    await Promise.all([inside, excluded, outside].map((c) => c.close()));
  });

  it('connects and exchanges inside the scope', async () => {
    const netw = new GuardedNet(scope, politeness);
    expect(await netw.isOpen('127.77.22.10', 8080)).toBe(true);
    expect(await netw.isOpen('127.77.22.10', 8081)).toBe(false);
    const answer = await netw.exchange('127.77.22.10', 8080, null);
    expect(answer?.data.toString()).toBe('hello\r\n');
    const udp = await netw.udp({ bind: '127.77.22.1' });
    const replies = udp.collect(200);
    await udp.send('127.77.22.10', 37020, 'ping');
    expect((await replies).map((d) => [d.from, d.data.toString()])).toEqual([['127.77.22.10', 'ping']]);
    udp.close();
    expect(inside.connections).toBeGreaterThanOrEqual(2);
    expect(inside.datagrams).toBe(1);
  });

  it('refuses excluded and out-of-scope addresses before any packet', async () => {
    const netw = new GuardedNet(scope, politeness);
    await expect(netw.connect('127.77.23.10', 8080)).rejects.toBeInstanceOf(ScopeRefusal);
    await expect(netw.isOpen('127.77.22.200', 8080)).rejects.toThrow(/excluded by 127.77.22.200/);
    await expect(netw.exchange('127.77.23.10', 8080, 'GET / HTTP/1.0\r\n\r\n')).rejects.toThrow(/outside the scan scope/);
    const udp = await netw.udp({ bind: '127.77.22.1' });
    await expect(udp.send('127.77.23.10', 37020, 'ping')).rejects.toBeInstanceOf(ScopeRefusal);
    await expect(udp.send('239.255.255.250', 37020, 'ping')).rejects.toThrow(/multicast discovery is not enabled/);
    udp.close();
    expect(netw.stats.refused).toBe(5);
    expect(netw.stats.connections).toBe(0);
    expect(netw.stats.datagrams).toBe(0);
    expect(outside.connections + outside.datagrams + excluded.connections + excluded.datagrams).toBe(0);
  });

  it('drops answers that come from outside the scope', async () => {
    const netw = new GuardedNet(scope, politeness);
    const udp = await netw.udp({ bind: '127.77.22.1' });
    const got = udp.collect(200);
    // Something outside the scope sends to the scanner's socket unasked.
    const stranger = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => stranger.bind(0, '127.77.23.10', resolve));
    const port = (udp as unknown as { socket: dgram.Socket }).socket.address().port;
    await new Promise<void>((resolve) => stranger.send('spoof', port, '127.77.22.1', () => resolve()));
    expect(await got).toEqual([]);
    expect(netw.stats.ignoredReplies).toBe(1);
    stranger.close();
    udp.close();
  });

  it('ends an exchange with a device that drips its answer, however slowly it keeps sending', async () => {
    const server = net.createServer((s) => {
      s.on('error', () => undefined);
      const timer = setInterval(() => s.write('x'), 20);
      s.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => server.listen(8082, '127.77.22.10', resolve));
    try {
      const netw = new GuardedNet(scope, { ...politeness, timeoutMs: 200 });
      const started = Date.now();
      const answer = await netw.exchange('127.77.22.10', 8082, 'GET / HTTP/1.0\r\n\r\n', { complete: () => false });
      expect(Date.now() - started).toBeLessThan(1500);
      expect(answer!.data.length).toBeGreaterThan(3);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('keeps to the per-host connection limit', async () => {
    const netw = new GuardedNet(scope, { ...politeness, perHostConcurrency: 1 });
    let open = 0;
    let peak = 0;
    await Promise.all(Array.from({ length: 5 }, async () => {
      const s = await netw.connect('127.77.22.10', 8080);
      open++;
      peak = Math.max(peak, open);
      await new Promise((r) => setTimeout(r, 20));
      open--;
      s.destroy();
      await new Promise((r) => s.once('close', r));
    }));
    expect(peak).toBe(1);
  });
});
