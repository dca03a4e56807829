// The only way discovery touches the network. Every TCP connection and every datagram is asked
// of the scope guard first (scope.ts), so no probe can reach an address it was not given, and
// every exchange waits for the politeness limits: old DVRs fall over under parallel logins.
import dgram from 'node:dgram';
import net from 'node:net';
import tls from 'node:tls';
import { CamauditError } from '../core/errors.js';
import { decide, type Scope } from './scope.js';

export interface Politeness {
  /** Open connections at once, over all hosts. */
  concurrency: number;
  /** Open connections to one host at once. */
  perHostConcurrency: number;
  /** Pause between two connection starts to the same host. */
  perHostIntervalMs: number;
  /** Connect and idle timeout of one exchange. */
  timeoutMs: number;
  /** Extra attempts after a timeout (never after a refusal: a closed port stays closed). */
  retries: number;
  /** New connections and datagrams per second over all hosts; 0 = no limit. */
  rate: number;
}

/** Safe for fragile recorders on a municipal LAN; the CLI documents how to raise them. */
export const DEFAULT_POLITENESS: Politeness = Object.freeze({
  concurrency: 256,
  perHostConcurrency: 2,
  perHostIntervalMs: 50,
  timeoutMs: 2000,
  retries: 1,
  rate: 1000,
});

export interface NetStats {
  connections: number;
  datagrams: number;
  /** Sends the guard refused: a bug in a probe, or a reply pointing outside the scope. */
  refused: number;
  /** Datagrams received from addresses outside the scope, dropped unread. */
  ignoredReplies: number;
}

export class ScopeRefusal extends CamauditError {
  constructor(reason: string, address: string) {
    super('usage', `refused to contact ${reason}`, { address });
    this.name = 'ScopeRefusal';
  }
}

export interface ConnectOptions {
  tls?: boolean;
  /** TLS server name; cameras answer any name, so the address is used when absent. */
  servername?: string;
  timeoutMs?: number;
}

export interface ExchangeOptions extends ConnectOptions {
  /** Stop reading after this many bytes (answers of interest are small). */
  maxBytes?: number;
  /** Stop reading when nothing arrives for this long after the first byte. */
  idleMs?: number;
  /** Stop reading as soon as this returns true for what has arrived. */
  complete?: (received: Buffer) => boolean;
}

export interface TlsPeer {
  /** The peer certificate in DER, when the connection was TLS and one was sent. */
  certificate: Buffer | null;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A counting semaphore; waiters are served in arrival order. */
class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];
  constructor(size: number) {
    this.free = size;
  }
  async take(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  give(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
  get idle(): boolean {
    return this.waiting.length === 0;
  }
}

export class GuardedNet {
  readonly stats: NetStats = { connections: 0, datagrams: 0, refused: 0, ignoredReplies: 0 };
  private readonly global: Slots;
  private readonly hosts = new Map<string, { slots: Slots; next: number; users: number }>();
  private nextStart = 0;

  constructor(
    readonly scope: Scope,
    readonly politeness: Politeness = DEFAULT_POLITENESS,
  ) {
    this.global = new Slots(politeness.concurrency);
  }

  private released = 0;

  /** Forgets hosts nobody uses whose pause has passed, so a /16 sweep does not keep 65k entries. */
  private prune(): void {
    if (++this.released % 1024 !== 0) return;
    const now = Date.now();
    for (const [ip, host] of this.hosts) if (host.users === 0 && host.next <= now) this.hosts.delete(ip);
  }

  /** Throws ScopeRefusal unless the guard allows `ip`; counts the refusal. */
  check(ip: string): void {
    const decision = decide(this.scope, ip);
    if (!decision.allowed) {
      this.stats.refused++;
      throw new ScopeRefusal(decision.reason, ip);
    }
  }

  private context: tls.SecureContext | null = null;

  /** One context for every handshake: building one per connection costs more than the handshake. */
  private tlsContext(): tls.SecureContext {
    this.context ??= tls.createSecureContext();
    return this.context;
  }

  allows(ip: string): boolean {
    return decide(this.scope, ip).allowed;
  }

  /** Waits for the global rate limit: starts are spaced 1/rate seconds apart. */
  private async paceGlobal(): Promise<void> {
    if (this.politeness.rate <= 0) return;
    const now = Date.now();
    const at = Math.max(now, this.nextStart);
    this.nextStart = at + 1000 / this.politeness.rate;
    if (at > now) await sleep(at - now);
  }

  private async acquire(ip: string): Promise<() => void> {
    let host = this.hosts.get(ip);
    if (!host) {
      host = { slots: new Slots(this.politeness.perHostConcurrency), next: 0, users: 0 };
      this.hosts.set(ip, host);
    }
    host.users++;
    await host.slots.take();
    const now = Date.now();
    const at = Math.max(now, host.next);
    host.next = at + this.politeness.perHostIntervalMs;
    if (at > now) await sleep(at - now);
    await this.global.take();
    await this.paceGlobal();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.global.give();
      host.slots.give();
      host.users--;
      this.prune();
    };
  }

  /**
   * A connected socket to `ip:port`, holding a politeness slot until it closes. Rejects with
   * ScopeRefusal before anything is sent when the guard refuses; with the socket error
   * (ECONNREFUSED: port closed) or a timeout error otherwise.
   */
  async connect(ip: string, port: number, options: ConnectOptions = {}): Promise<net.Socket> {
    this.check(ip);
    const release = await this.acquire(ip);
    this.stats.connections++;
    const timeoutMs = options.timeoutMs ?? this.politeness.timeoutMs;
    return new Promise<net.Socket>((resolve, reject) => {
      const socket: net.Socket = options.tls
        ? tls.connect({ host: ip, port, servername: options.servername, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'], secureContext: this.tlsContext() })
        : net.connect({ host: ip, port });
      socket.once('close', release);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(Object.assign(new Error(`${ip}:${port} timed out after ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
      }, timeoutMs);
      socket.once(options.tls ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        resolve(socket);
      });
      // Kept for the socket's life: a reset after connect must not become an uncaught error.
      socket.on('error', (err) => {
        clearTimeout(timer);
        socket.destroy();
        reject(err);
      });
    });
  }

  /** Whether a TCP port accepts connections; timeouts are retried, refusals are final. */
  async isOpen(ip: string, port: number): Promise<boolean> {
    for (let attempt = 0; attempt <= this.politeness.retries; attempt++) {
      try {
        const socket = await this.connect(ip, port);
        socket.destroy();
        return true;
      } catch (err) {
        if (err instanceof ScopeRefusal) throw err;
        if ((err as NodeJS.ErrnoException).code !== 'ETIMEDOUT') return false;
      }
    }
    return false;
  }

  /**
   * Connect, send `request` (if any), and collect the answer until the peer closes, the answer
   * is complete, `maxBytes` arrive or the line goes idle. Null when nothing could be read.
   */
  async exchange(ip: string, port: number, request: Buffer | string | null, options: ExchangeOptions = {}): Promise<{ data: Buffer; peer: TlsPeer } | null> {
    let socket: net.Socket;
    try {
      socket = await this.connect(ip, port, options);
    } catch (err) {
      if (err instanceof ScopeRefusal) throw err;
      return null;
    }
    const maxBytes = options.maxBytes ?? 256 * 1024;
    const timeoutMs = options.timeoutMs ?? this.politeness.timeoutMs;
    const idleMs = options.idleMs ?? timeoutMs;
    const certificate = socket instanceof tls.TLSSocket ? (socket.getPeerCertificate(false)?.raw ?? null) : null;
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let unchecked = 0;
      let timer = setTimeout(finish, timeoutMs);
      // A device dripping one byte at a time resets the idle timer forever; this one it cannot.
      const deadline = setTimeout(finish, timeoutMs * 3);
      function finish() {
        clearTimeout(timer);
        clearTimeout(deadline);
        socket.destroy();
        resolve(size > 0 || certificate ? { data: Buffer.concat(chunks, size), peer: { certificate } } : null);
      }
      socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        unchecked += chunk.length;
        clearTimeout(timer);
        if (size >= maxBytes) return finish();
        // Answers come in a few chunks and are checked on each; a trickle is checked per KB only,
        // so a hostile device cannot make the joining quadratic.
        if (options.complete && (chunks.length <= 8 || unchecked >= 1024)) {
          unchecked = 0;
          if (options.complete(Buffer.concat(chunks, size))) return finish();
        }
        timer = setTimeout(finish, idleMs);
      });
      socket.once('end', finish);
      socket.once('error', finish);
      if (request !== null) socket.write(request);
    });
  }

  /** A UDP socket whose sends pass the guard and whose replies from outside the scope are dropped. */
  async udp(options: { multicastInterface?: string; bind?: string } = {}): Promise<GuardedUdp> {
    const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ address: options.bind ?? options.multicastInterface ?? '0.0.0.0', port: 0 }, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    if (options.multicastInterface) socket.setMulticastInterface(options.multicastInterface);
    socket.setBroadcast(true);
    return new GuardedUdp(this, socket);
  }

  /** Counted by GuardedUdp; kept here so one object holds the figures of a run. */
  async beforeDatagram(ip: string): Promise<void> {
    this.check(ip);
    await this.paceGlobal();
    this.stats.datagrams++;
  }
}

export interface Datagram {
  data: Buffer;
  from: string;
  port: number;
}

export class GuardedUdp {
  private readonly listeners = new Set<(d: Datagram) => void>();

  constructor(
    private readonly owner: GuardedNet,
    private readonly socket: dgram.Socket,
  ) {
    socket.on('message', (data, rinfo) => {
      if (!owner.allows(rinfo.address)) {
        owner.stats.ignoredReplies++;
        return;
      }
      for (const listener of this.listeners) listener({ data, from: rinfo.address, port: rinfo.port });
    });
    // A closed port answers with ICMP, which Node reports on the socket; it means "no device".
    socket.on('error', () => undefined);
  }

  async send(ip: string, port: number, data: Buffer | string): Promise<void> {
    await this.owner.beforeDatagram(ip);
    await new Promise<void>((resolve) => this.socket.send(data, port, ip, () => resolve()));
  }

  onMessage(listener: (d: Datagram) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every in-scope datagram arriving within `ms`. */
  async collect(ms: number, filter: (d: Datagram) => boolean = () => true): Promise<Datagram[]> {
    const got: Datagram[] = [];
    const off = this.onMessage((d) => {
      if (filter(d)) got.push(d);
    });
    await sleep(ms);
    off();
    return got;
  }

  close(): void {
    this.socket.close();
  }
}
