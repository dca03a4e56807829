// The lab host: binds every emulated device's services on the device's own address — its web
// front on 80 and 443, its UDP discovery responders, its raw TCP ports — so a scan meets a
// network of separate hosts. Inside a network namespace it also answers multicast and broadcast
// discovery, each device replying from its own address as a real one on the segment would.
import dgram from 'node:dgram';
import net from 'node:net';
import ipaddr from 'ipaddr.js';
import { CamauditError } from '../../core/errors.js';
import { deviceHttpServer } from './http-server.js';
import { servicesFor, type DeviceServices } from './services.js';
import { labCertificate } from './tls.js';
import type { LabDevice, TcpService, UdpService } from './types.js';

export interface LabOptions {
  devices: readonly LabDevice[];
  /**
   * The address of the interface the devices sit on (inside a network namespace): discovery sent
   * to a multicast group or broadcast there is answered by every device with that service.
   */
  multicastInterface?: string;
  /** Told when a service fails on a request (a bug in the lab); the device stays silent. */
  onError?: (error: Error, where: string) => void;
}

export interface RunningLab {
  devices: LabDevice[];
  stop(): Promise<void>;
}

export const HTTP_PORT = 80;
export const HTTPS_PORT = 443;

/** Sockets bound at once; 500 devices need about 4,000, which takes well under a second this way. */
const BIND_CONCURRENCY = 128;
/** Raw TCP clients that go quiet are dropped, as firmware does. */
const TCP_IDLE_MS = 30_000;
const TCP_MAX_REQUEST = 64 * 1024;
/**
 * Devices on a segment answer a multicast query after a random delay (WS-Discovery prescribes up
 * to 500 ms), which spreads hundreds of replies so the asker's receive buffer holds them all.
 */
const GROUP_REPLY_JITTER_MS = 250;

type Close = () => Promise<void>;

function bindFailure(err: NodeJS.ErrnoException, what: string, ip: string, port: number): CamauditError {
  const where = `${what} ${ip}:${port}`;
  const location = { address: `${ip}:${port}` };
  switch (err.code) {
    case 'EADDRINUSE':
      return new CamauditError('conflict', `${where} is already in use (is another lab running on these addresses?)`, location, { cause: err });
    case 'EADDRNOTAVAIL':
      return new CamauditError('usage', `${where}: not an address of this host; lab addresses are loopback (127.x.y.z) or, with --netns, the namespace's subnet`, location, { cause: err });
    case 'EACCES':
      return new CamauditError('usage', `${where}: ports below 1024 need root (or sysctl net.ipv4.ip_unprivileged_port_start=0)`, location, { cause: err });
    default:
      return new CamauditError('usage', `${where}: ${err.message}`, location, { cause: err });
  }
}

/** Runs `work` over `items` with at most `limit` at once; the first failure stops the rest. */
async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && !failure) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
}

function listen(server: net.Server, ip: string, port: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (err: NodeJS.ErrnoException) => reject(bindFailure(err, what, ip, port));
    server.once('error', fail);
    server.listen({ host: ip, port, exclusive: true }, () => {
      server.off('error', fail);
      resolve();
    });
  });
}

async function bindUdp(ip: string, port: number, what: string, shared = false): Promise<dgram.Socket> {
  // Group and broadcast listeners share their port with the devices' own sockets; a device's
  // socket does not, so a second lab on the same address fails instead of stealing datagrams.
  const socket = dgram.createSocket({ type: 'udp4', reuseAddr: shared });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', (err: NodeJS.ErrnoException) => reject(bindFailure(err, what, ip, port)));
    socket.bind({ address: ip, port, exclusive: true }, () => {
      socket.removeAllListeners('error');
      resolve();
    });
  });
  // A client gone before the reply arrives shows up here as ICMP unreachable: nothing to do.
  socket.on('error', () => undefined);
  return socket;
}

const closeUdp = (socket: dgram.Socket): Close => () => new Promise<void>((resolve) => socket.close(() => resolve()));

/** One raw TCP service: greeting on connect, then an answer each time `respond` has enough. */
function tcpServer(device: LabDevice, service: TcpService, report: (err: Error) => void): { server: net.Server; close: Close } {
  const connections = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    socket.on('error', () => undefined);
    socket.setTimeout(TCP_IDLE_MS, () => socket.destroy());
    let received = Buffer.alloc(0);
    try {
      const greeting = service.greeting?.(device);
      if (greeting) socket.write(greeting);
      socket.on('data', (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        if (received.length > TCP_MAX_REQUEST) return socket.destroy();
        let answer: ReturnType<NonNullable<TcpService['respond']>>;
        try {
          answer = service.respond?.(received, device) ?? null;
        } catch (err) {
          report(err as Error);
          return socket.destroy();
        }
        if (!answer) return;
        received = Buffer.alloc(0);
        if (answer.close) socket.end(answer.reply);
        else socket.write(answer.reply);
      });
    } catch (err) {
      report(err as Error);
      socket.destroy();
    }
  });
  const close: Close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of connections) socket.destroy();
    });
  return { server, close };
}

function respondSafely(service: UdpService, message: Buffer, device: LabDevice, report: (err: Error) => void): Buffer | null {
  try {
    return service.respond(message, device);
  } catch (err) {
    report(err as Error);
    return null;
  }
}

/** A UDP service bound on the device's address, and the socket it answers from. */
interface UdpMember {
  device: LabDevice;
  service: UdpService;
  socket: dgram.Socket;
}

function checkPorts(device: LabDevice, services: DeviceServices): void {
  const clash = (kind: string, ports: number[]) => {
    const twice = ports.find((p, i) => ports.indexOf(p) !== i);
    if (twice !== undefined) throw new CamauditError('conflict', `lab device ${device.ip} (${device.template}) has two ${kind} services on port ${twice}`, { address: device.ip });
  };
  const web = [device.protocols.includes('http') ? HTTP_PORT : null, device.protocols.includes('https') ? HTTPS_PORT : null].filter((p): p is number => p !== null);
  clash('udp', services.udp.map((s) => s.port));
  clash('tcp', [...web, ...services.tcp.map((s) => s.port)]);
}

/** Starts every device; resolves once all of them listen. On failure nothing is left bound. */
export async function startLab(options: LabOptions): Promise<RunningLab> {
  const devices = [...options.devices];
  const closers: Close[] = [];
  const members: UdpMember[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const t of timers) clearTimeout(t);
    await Promise.all(closers.splice(0).map((close) => close()));
  };

  const tasks: (() => Promise<void>)[] = [];
  for (const device of devices) {
    const services = servicesFor(device);
    checkPorts(device, services);
    const report = (where: string) => (err: Error) => options.onError?.(err, `${device.ip} ${where}`);
    if (device.protocols.includes('http')) {
      tasks.push(async () => {
        const web = deviceHttpServer(device, services.http);
        await listen(web.server, device.ip, HTTP_PORT, 'http');
        closers.push(web.close);
      });
    }
    if (device.protocols.includes('https')) {
      tasks.push(async () => {
        const subject = device.web.tlsSubject ?? `CN=${device.ip}`;
        const web = deviceHttpServer(device, services.http, labCertificate(subject, device.web.tlsIssuer ?? subject));
        await listen(web.server, device.ip, HTTPS_PORT, 'https');
        closers.push(web.close);
      });
    }
    for (const service of services.tcp) {
      tasks.push(async () => {
        const tcp = tcpServer(device, service, report(`tcp/${service.port}`));
        await listen(tcp.server, device.ip, service.port, 'tcp');
        closers.push(tcp.close);
      });
    }
    for (const service of services.udp) {
      tasks.push(async () => {
        const socket = await bindUdp(device.ip, service.port, 'udp');
        closers.push(closeUdp(socket));
        const fail = report(`udp/${service.port}`);
        socket.on('message', (message, from) => {
          const reply = respondSafely(service, message, device, fail);
          if (reply) socket.send(reply, from.port, from.address);
        });
        members.push({ device, service, socket });
      });
    }
  }

  try {
    await inPool(tasks, BIND_CONCURRENCY, (task) => task());
    if (options.multicastInterface) await listenToGroups(options.multicastInterface, members, closers, timers, options.onError);
  } catch (err) {
    await stop();
    throw err;
  }
  return { devices, stop };
}

/**
 * One listener per multicast group and port joined on the devices' interface, and one per UDP
 * port for limited broadcast (a real device's socket hears both): each datagram goes to every
 * device with that service, and each answers through its own socket, so from its own address.
 */
async function listenToGroups(
  interfaceAddress: string,
  members: readonly UdpMember[],
  closers: Close[],
  timers: Set<NodeJS.Timeout>,
  onError: LabOptions['onError'],
): Promise<void> {
  const dispatch = (listeners: readonly UdpMember[]) => (message: Buffer, from: dgram.RemoteInfo) => {
    for (const m of listeners) {
      const reply = respondSafely(m.service, message, m.device, (err) => onError?.(err, `${m.device.ip} udp/${m.service.port} (group)`));
      if (!reply) continue;
      const timer = setTimeout(() => {
        timers.delete(timer);
        m.socket.send(reply, from.port, from.address);
      }, Math.random() * GROUP_REPLY_JITTER_MS);
      timers.add(timer);
    }
  };
  const add = <K>(map: Map<K, UdpMember[]>, key: K, m: UdpMember) => (map.get(key) ?? map.set(key, []).get(key)!).push(m);
  const byGroup = new Map<string, UdpMember[]>();
  const byPort = new Map<number, UdpMember[]>();
  for (const m of members) {
    if (m.service.group && ipaddr.IPv4.parse(m.service.group).range() === 'multicast') add(byGroup, `${m.service.group}:${m.service.port}`, m);
    add(byPort, m.service.port, m);
  }
  for (const listeners of byGroup.values()) {
    const [group, port] = [listeners[0]!.service.group!, listeners[0]!.service.port];
    const socket = await bindUdp(group, port, 'multicast', true);
    closers.push(closeUdp(socket));
    try {
      socket.addMembership(group, interfaceAddress);
    } catch (err) {
      throw new CamauditError('usage', `cannot join ${group} on the interface of ${interfaceAddress}: ${(err as Error).message}`, { address: interfaceAddress }, { cause: err });
    }
    socket.on('message', dispatch(listeners));
  }
  for (const [port, listeners] of byPort) {
    const socket = await bindUdp('255.255.255.255', port, 'broadcast', true);
    closers.push(closeUdp(socket));
    socket.on('message', dispatch(listeners));
  }
}
