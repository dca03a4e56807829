// Web fronts, certificates, RTSP and telnet, probed on lab devices and on loopback listeners.
// Every address here is in this file's block, 127.77.14.0/24.
import { createHash } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identify } from '../../src/core/identify/identify.js';
import { parseCapture } from '../../src/core/identify/parse/detect.js';
import type { Signal } from '../../src/core/identify/signals.js';
import { DEFAULT_POLITENESS, GuardedNet } from '../../src/discover/net.js';
import { captureBytes, type Capture, type HostProbe, type ProbeContext } from '../../src/discover/probe.js';
import { PROTECTED_PATHS, httpProbe, sameOriginPath } from '../../src/discover/probes/http.js';
import { rtspProbe } from '../../src/discover/probes/rtsp.js';
import { negotiate, telnetProbe } from '../../src/discover/probes/telnet.js';
import { tlsProbe } from '../../src/discover/probes/tls.js';
import { buildScope } from '../../src/discover/scope.js';
import { makeDevice } from '../../src/lab/emulator/catalogue.js';
import { startLab, type RunningLab } from '../../src/lab/emulator/lab.js';
import type { LabDevice } from '../../src/lab/emulator/types.js';
import { favicon, rtspRespond, telnetService, webServices } from '../../src/lab/emulator/web.js';
import { loadIdentifier, type Identifier } from '../../src/kb/knowledge.js';

/** The first device of a template (seeds from 1 up) that satisfies `wanted`. */
function deviceWhere(template: string, ip: string, wanted: (d: LabDevice) => boolean): LabDevice {
  for (let seed = 1; seed < 500; seed++) {
    const device = makeDevice(template, ip, seed);
    if (wanted(device)) return device;
  }
  throw new Error(`no ${template} device found with the wanted properties`);
}

const hikvision = deviceWhere('hikvision-camera', '127.77.14.10', (d) => !d.protocols.includes('telnet'));
/** Firmware from before Hikvision's overhaul: Basic realm "hikvision" and telnet open. */
const hikvisionLegacy = deviceWhere('hikvision-camera', '127.77.14.11', (d) => d.protocols.includes('telnet'));
const dahua = makeDevice('dahua-camera', '127.77.14.12', 3);
const axis = makeDevice('axis-camera', '127.77.14.13', 4);
const hanwha = makeDevice('hanwha-camera', '127.77.14.14', 5);
const printer = makeDevice('printer', '127.77.14.15', 6);
const devices = [hikvision, hikvisionLegacy, dahua, axis, hanwha, printer];

/** Out of every scope used here: witnesses listen on it and must see nothing. */
const OUTSIDE_IP = '127.77.14.99';

let lab: RunningLab;
let kb: Identifier;

function guardedNet(): GuardedNet {
  const scope = buildScope({ include: ['127.77.14.0/24'], exclude: [OUTSIDE_IP] });
  return new GuardedNet(scope, { ...DEFAULT_POLITENESS, timeoutMs: 1500, perHostIntervalMs: 0, rate: 0 });
}

/** Runs a probe as the scan does: on the ports of its list the host has open. */
async function probe(p: HostProbe, ip: string, netw = guardedNet()): Promise<Capture[]> {
  const open: number[] = [];
  for (const port of p.ports) if (await netw.isOpen(ip, port)) open.push(port);
  const ctx: ProbeContext = { net: netw, ip, openPorts: new Set(open), credentials: [], now: () => '2025-01-01T00:00:00.000Z' };
  return p.run(ctx);
}

function signalsOf(captures: readonly Capture[]): Signal[] {
  return captures.flatMap((c) => parseCapture(captureBytes(c), c.protocol, `${c.probe} ${c.port} ${c.request}`, c.hint ? { hint: c.hint } : {}));
}

const fieldsOf = (c: Capture) => signalsOf([c])[0]!.fields;
const byRequest = (captures: Capture[], request: string, port = 80) => captures.find((c) => c.request === request && c.port === port);

beforeAll(async () => {
  [lab, kb] = await Promise.all([startLab({ devices }), loadIdentifier()]);
});

afterAll(async () => {
  await lab?.stop();
});

describe('HTTP probe against lab devices', () => {
  it('reads a Hikvision front on HTTP and HTTPS: Server, realm of ISAPI, icon hash', async () => {
    const captures = await probe(httpProbe, hikvision.ip);
    expect(new Set(captures.map((c) => c.port))).toEqual(new Set([80, 443]));
    const root = byRequest(captures, 'GET /')!;
    expect(root).toMatchObject({ probe: 'http', protocol: 'http', transport: 'tcp', authenticated: false });
    expect(fieldsOf(root)).toMatchObject({ status: '200', server: 'App-webs/' });
    expect(fieldsOf(root).body).toContain('doc/page/login.asp');
    expect(byRequest(captures, 'GET /', 443)).toMatchObject({ transport: 'tls' });
    // The family's protected API shows the realm; the probe stops at the first challenge.
    const challenge = byRequest(captures, `GET ${PROTECTED_PATHS[0]}`)!;
    expect(fieldsOf(challenge)).toMatchObject({ status: '401', realm: hikvision.web.realm });
    expect(captures.filter((c) => c.port === 80).map((c) => c.request)).toEqual(['GET /', 'GET /favicon.ico', `GET ${PROTECTED_PATHS[0]}`]);
    const icon = byRequest(captures, 'GET /favicon.ico')!;
    expect(icon.hint).toBe('favicon_md5');
    expect(fieldsOf(icon)).toEqual({ favicon_md5: createHash('md5').update(favicon(hikvision)).digest('hex') });
    expect(identify(signalsOf(captures), kb.knowledge).manufacturer).toBe('hikvision');
  });

  it('identifies old Hikvision firmware by its realm alone', async () => {
    const captures = await probe(httpProbe, hikvisionLegacy.ip);
    const challenge = byRequest(captures, `GET ${PROTECTED_PATHS[0]}`)!;
    expect(fieldsOf(challenge)).toMatchObject({ www_authenticate: 'Basic realm="hikvision"', realm: 'hikvision' });
    const identity = identify(signalsOf([challenge]), kb.knowledge);
    expect(identity.manufacturer).toBe('hikvision');
  });

  it('gets the Dahua realm, which names the serial, from magicBox without credentials', async () => {
    const captures = await probe(httpProbe, dahua.ip);
    expect(fieldsOf(byRequest(captures, 'GET /')!).server).toBeUndefined();
    const challenge = byRequest(captures, `GET ${PROTECTED_PATHS[1]}`)!;
    expect(fieldsOf(challenge)).toMatchObject({ status: '401', realm: `Login to ${dahua.serial}` });
    const identity = identify(signalsOf(captures), kb.knowledge);
    expect(identity.manufacturer).toBe('dahua');
    expect(identity.serial).toBe(dahua.serial);
  });

  it('identifies Axis by its Server header and Hanwha by its title', async () => {
    const axisCaptures = await probe(httpProbe, axis.ip);
    expect(fieldsOf(byRequest(axisCaptures, 'GET /')!).server).toBe(axis.web.server);
    expect(identify(signalsOf([byRequest(axisCaptures, 'GET /')!]), kb.knowledge).manufacturer).toBe('axis');
    // Without a family API, the lab's generic protected pages show the realm.
    expect(axisCaptures.some((c) => c.port === 80 && c.content.includes(`realm="${axis.web.realm}"`))).toBe(true);

    const hanwhaCaptures = await probe(httpProbe, hanwha.ip);
    expect(fieldsOf(byRequest(hanwhaCaptures, 'GET /')!).title).toBe('Hanwha Techwin');
    expect(identify(signalsOf(hanwhaCaptures), kb.knowledge).manufacturer).toBe('hanwha');
  });

  it('does not take the printer for a camera', async () => {
    const captures = await probe(httpProbe, printer.ip);
    const signals = signalsOf(captures);
    expect(signals.some((s) => s.fields.realm === 'HP Embedded Web Server')).toBe(true);
    expect(signals.some((s) => s.fields.title === printer.web.title)).toBe(true);
    expect(identify(signals, kb.knowledge).manufacturer).toBeNull();
  });

  it('serves one icon per maker', async () => {
    const other = makeDevice('hikvision-nvr', '127.77.14.30', 9);
    expect(favicon(other).equals(favicon(hikvision))).toBe(true);
    expect(favicon(dahua).equals(favicon(hikvision))).toBe(false);
    const [hik, dh] = await Promise.all([probe(httpProbe, hikvision.ip), probe(httpProbe, dahua.ip)]);
    expect(byRequest(hik, 'GET /favicon.ico')!.content).not.toBe(byRequest(dh, 'GET /favicon.ico')!.content);
  });
});

describe('TLS probe', () => {
  it.each([
    ['Hikvision', hikvision, 'hikvision'],
    ['Axis', axis, 'axis'],
  ])('reads the %s default certificate and names the maker', async (_name, device, maker) => {
    const captures = await probe(tlsProbe, device.ip);
    expect(captures).toHaveLength(1);
    expect(captures[0]).toMatchObject({ probe: 'tls', protocol: 'tls', transport: 'tls', port: 443, encoding: 'base64' });
    expect(captureBytes(captures[0]!)[0]).toBe(0x30);
    const fields = fieldsOf(captures[0]!);
    expect(fields.subject).toBeDefined();
    expect(identify(signalsOf(captures), kb.knowledge).manufacturer).toBe(maker);
  });

  it('reads subject and issuer apart (Dahua: device address, Dahua CA)', async () => {
    const [capture] = await probe(tlsProbe, dahua.ip);
    expect(fieldsOf(capture!)).toMatchObject({ subject_cn: dahua.ip, issuer_cn: 'Dahua Device NVR CA', issuer_o: 'Zhejiang Dahua Technology Co.,Ltd.' });
  });

  it('captures nothing where no TLS port is open', async () => {
    const router = makeDevice('router', '127.77.14.31', 1);
    expect(router.protocols).not.toContain('https');
    expect(await probe(tlsProbe, router.ip)).toEqual([]);
  });
});

describe('RTSP probe', () => {
  it('gets the Dahua RTSP server name from OPTIONS and the serial realm from DESCRIBE', async () => {
    const captures = await probe(rtspProbe, dahua.ip);
    expect(captures.map((c) => c.request)).toEqual([`OPTIONS rtsp://${dahua.ip}:554/`, `DESCRIBE rtsp://${dahua.ip}:554/`]);
    const [options, describe] = captures.map(fieldsOf);
    expect(options).toMatchObject({ status: '200', server: 'Dahua Rtsp Server' });
    expect(options!.public).toContain('DESCRIBE');
    expect(describe).toMatchObject({ status: '401', realm: `Login to ${dahua.serial}` });
    expect(captures.every((c) => !c.authenticated)).toBe(true);
    expect(identify(signalsOf(captures), kb.knowledge)).toMatchObject({ manufacturer: 'dahua', serial: dahua.serial });
  });

  it('gets the Hikvision realm from DESCRIBE without credentials', async () => {
    const captures = await probe(rtspProbe, hikvisionLegacy.ip);
    expect(fieldsOf(captures[1]!)).toMatchObject({ status: '401', realm: 'Hikvision' });
    expect(identify(signalsOf(captures), kb.knowledge).manufacturer).toBe('hikvision');
  });

  it('finds no RTSP on a printer', async () => {
    expect(await probe(rtspProbe, printer.ip)).toEqual([]);
  });
});

describe('lab RTSP service', () => {
  it('waits for a whole request, echoes CSeq and challenges every stream operation', () => {
    expect(rtspRespond(Buffer.from('OPTIONS rtsp://x/ RTSP/1.0\r\nCSeq: 7\r\n'), dahua)).toBeNull();
    const options = rtspRespond(Buffer.from('OPTIONS rtsp://x/ RTSP/1.0\r\nCSeq: 7\r\n\r\n'), dahua)!.reply.toString();
    expect(options).toMatch(/^RTSP\/1\.0 200 OK\r\nCSeq: 7\r\nServer: Dahua Rtsp Server\r\nPublic: /);
    const play = rtspRespond(Buffer.from('PLAY rtsp://x/ RTSP/1.0\r\nCSeq: 8\r\n\r\n'), hikvision)!.reply.toString();
    expect(play).toMatch(/^RTSP\/1\.0 401 Unauthorized\r\nCSeq: 8\r\nWWW-Authenticate: Digest realm="[^"]+", nonce="[0-9a-f]{32}"/);
    expect(rtspRespond(Buffer.from('hello\r\n\r\n'), dahua)).toMatchObject({ close: true });
    expect(rtspRespond(Buffer.from('HELLO rtsp://x/ RTSP/1.0\r\n\r\n'), dahua)!.reply.toString()).toMatch(/^RTSP\/1\.0 501 /);
  });

  it('runs RTSP only on devices that stream and telnet only where firmware opens it', () => {
    const ports = (d: LabDevice) => (webServices(d).tcp ?? []).map((s) => s.port).sort((a, b) => a - b);
    expect(ports(printer)).toEqual([]);
    expect(ports(hikvision)).toEqual([554]);
    expect(ports(hikvisionLegacy)).toEqual([23, 554]);
  });
});

/**
 * A telnet server on loopback that asks `options` (split across two writes), shows `prompt` once
 * they are answered, and records every byte the client sends. The scan's port check connects
 * first and says nothing; `closed` waits for the connection that did talk.
 */
async function telnetServer(ip: string, options: Buffer, prompt: string | null): Promise<{ received: () => Buffer; closed: Promise<void>; close(): Promise<void> }> {
  let received = Buffer.alloc(0);
  let markClosed!: () => void;
  const closed = new Promise<void>((resolve) => (markClosed = resolve));
  const server = net.createServer((socket) => {
    let prompted = false;
    socket.on('error', () => undefined);
    socket.write(options.subarray(0, 4));
    setTimeout(() => socket.write(options.subarray(4)), 50);
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      // Every option asked has been answered (three bytes each): show the prompt.
      if (prompt !== null && !prompted && received.length >= options.length) {
        prompted = true;
        socket.write(prompt);
      }
    });
    socket.on('close', () => {
      if (received.length > 0) markClosed();
    });
  });
  await new Promise<void>((resolve) => server.listen(23, ip, resolve));
  return { received: () => received, closed, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('telnet probe', () => {
  const IAC = 0xff;
  // DO ECHO, DO window size, WILL ECHO, WILL suppress-go-ahead, DO terminal type.
  const asked = Buffer.from([IAC, 0xfd, 1, IAC, 0xfd, 31, IAC, 0xfb, 1, IAC, 0xfb, 3, IAC, 0xfd, 24]);
  const refusals = Buffer.from([IAC, 0xfc, 1, IAC, 0xfc, 31, IAC, 0xfe, 1, IAC, 0xfe, 3, IAC, 0xfc, 24]);

  it('identifies old Hikvision firmware by its banner from the lab', async () => {
    const captures = await probe(telnetProbe, hikvisionLegacy.ip);
    expect(captures).toHaveLength(1);
    expect(captures[0]).toMatchObject({ probe: 'telnet', protocol: 'telnet', transport: 'tcp', port: 23 });
    expect(fieldsOf(captures[0]!).banner).toBe('192.0.0.64 login:');
    expect(identify(signalsOf(captures), kb.knowledge).manufacturer).toBe('hikvision');
  });

  it('only refuses options and never sends a user name', async () => {
    const server = await telnetServer('127.77.14.40', asked, '\r\nWelcome to HiLinux.\r\ncam login: ');
    try {
      const started = Date.now();
      const captures = await probe(telnetProbe, '127.77.14.40');
      // It hung up at the prompt instead of waiting out the banner time.
      expect(Date.now() - started).toBeLessThan(1500);
      await server.closed;
      expect(server.received().equals(refusals)).toBe(true);
      expect(fieldsOf(captures[0]!).banner).toBe('Welcome to HiLinux.\ncam login:');
    } finally {
      await server.close();
    }
  });

  it('captures nothing when a server sends options but never a banner', async () => {
    const server = await telnetServer('127.77.14.41', asked, null);
    try {
      expect(await probe(telnetProbe, '127.77.14.41')).toEqual([]);
      await server.closed;
      expect(server.received().equals(refusals)).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('reads option commands cut between two chunks on the next chunk', () => {
    const first = negotiate(asked.subarray(0, 4), 0);
    expect(first).toMatchObject({ next: 3 });
    expect([...first.replies]).toEqual([IAC, 0xfc, 1]);
    const second = negotiate(Buffer.concat([asked, Buffer.from('x\xff\xffy', 'latin1')]), first.next);
    expect([...second.replies]).toEqual([...refusals.subarray(3)]);
    expect(second.text.toString('latin1')).toBe('x\xffy');
  });

  it('lab server prints its prompt only after its options are answered and hangs up on a user name', () => {
    const greeting = telnetService.greeting!(hikvisionLegacy)!;
    expect(telnetService.respond!(Buffer.alloc(0), hikvisionLegacy)).toBeNull();
    const answers = negotiate(greeting, 0).replies;
    expect(telnetService.respond!(answers.subarray(0, 6), hikvisionLegacy)).toBeNull();
    expect(telnetService.respond!(answers, hikvisionLegacy)!.reply.toString()).toBe('\r\n192.0.0.64 login: ');
    expect(telnetService.respond!(Buffer.from('admin\r\n'), hikvisionLegacy)).toMatchObject({ close: true });
  });
});

describe('redirects', () => {
  it('resolves only same-origin targets', () => {
    expect(sameOriginPath('/doc/page/login.asp', '10.0.0.5', 80, false)).toBe('/doc/page/login.asp');
    expect(sameOriginPath('http://10.0.0.5/index.asp?x=1', '10.0.0.5', 80, false)).toBe('/index.asp?x=1');
    expect(sameOriginPath('https://10.0.0.5:8443/a', '10.0.0.5', 8443, true)).toBe('/a');
    expect(sameOriginPath('http://10.0.0.6/', '10.0.0.5', 80, false)).toBeNull();
    expect(sameOriginPath('http://camera.example/', '10.0.0.5', 80, false)).toBeNull();
    expect(sameOriginPath('http://10.0.0.5:8080/', '10.0.0.5', 80, false)).toBeNull();
    expect(sameOriginPath('https://10.0.0.5/', '10.0.0.5', 80, false)).toBeNull();
    expect(sameOriginPath('//10.0.0.6/x', '10.0.0.5', 80, false)).toBeNull();
    expect(sameOriginPath(undefined, '10.0.0.5', 80, false)).toBeNull();
  });

  it('never follows a redirect to another host, and follows one on the same host once', async () => {
    const seen: string[] = [];
    const front = http.createServer((req, res) => {
      seen.push(req.url ?? '');
      if (req.url === '/') res.writeHead(302, { Location: `http://${OUTSIDE_IP}/login.asp` }).end();
      else res.writeHead(404).end();
    });
    const loop = http.createServer((req, res) => {
      seen.push(`loop ${req.url}`);
      if (req.url === '/') res.writeHead(302, { Location: '/doc/page/login.asp' }).end();
      else if (req.url === '/doc/page/login.asp') res.writeHead(302, { Location: '/again' }).end();
      else res.writeHead(404).end();
    });
    let outsideConnections = 0;
    const outside = net.createServer((s) => {
      outsideConnections++;
      s.destroy();
    });
    await Promise.all([
      new Promise<void>((resolve) => front.listen(80, '127.77.14.50', resolve)),
      new Promise<void>((resolve) => loop.listen(80, '127.77.14.51', resolve)),
      new Promise<void>((resolve) => outside.listen(80, OUTSIDE_IP, resolve)),
    ]);
    try {
      const netw = guardedNet();
      const captures = await probe(httpProbe, '127.77.14.50', netw);
      expect(outsideConnections).toBe(0);
      // The redirect was never even attempted: the guard refused nothing because nothing asked.
      expect(netw.stats.refused).toBe(0);
      expect(fieldsOf(byRequest(captures, 'GET /')!)).toMatchObject({ status: '302' });
      expect(seen.filter((s) => !s.startsWith('loop'))).toEqual(['/', '/favicon.ico', ...PROTECTED_PATHS]);

      const looped = await probe(httpProbe, '127.77.14.51', netw);
      expect(looped.map((c) => c.request).slice(0, 2)).toEqual(['GET /', 'GET /doc/page/login.asp']);
      expect(seen).not.toContain('loop /again');
    } finally {
      await Promise.all([front, loop, outside].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    }
  });
});
