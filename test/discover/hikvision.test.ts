import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identify } from '../../src/core/identify/identify.js';
import { parseCapture } from '../../src/core/identify/parse/detect.js';
import type { Signal } from '../../src/core/identify/signals.js';
import type { Credential } from '../../src/discover/http-client.js';
import { DEFAULT_POLITENESS, GuardedNet, ScopeRefusal } from '../../src/discover/net.js';
import { captureBytes, type Capture, type ProbeContext } from '../../src/discover/probe.js';
import { isapiProbe, isRecorder } from '../../src/discover/probes/isapi.js';
import { answersInquiry, sadpGroupProbe, sadpInquiry, sadpUnicastProbe } from '../../src/discover/probes/sadp.js';
import { buildScope } from '../../src/discover/scope.js';
import { generateDevices, makeDevice } from '../../src/lab/emulator/catalogue.js';
import {
  HIK_SDK_REPLY, hikvisionServices, isapiDeviceInfo, readInquiry, sadpProbeMatch, splitFirmware,
} from '../../src/lab/emulator/hikvision.js';
import { startLab, type RunningLab } from '../../src/lab/emulator/lab.js';
import type { LabDevice } from '../../src/lab/emulator/types.js';
import { loadIdentifier, type Identifier } from '../../src/kb/knowledge.js';

// Every address here is in this file's block, 127.77.11.0/24.
const CAMERA_IP = '127.77.11.10';
const NVR_IP = '127.77.11.11';
const OEM_IP = '127.77.11.12';
/** Excluded from the scope; only witnesses listen here. */
const OUTSIDE_IP = '127.77.11.99';

const camera: LabDevice = { ...makeDevice('hikvision-camera', CAMERA_IP, 11), activated: true, cloud: true };
const nvr: LabDevice = { ...makeDevice('hikvision-nvr', NVR_IP, 12), activated: true, cloud: false };
/** The OEM device is also the unactivated one: anyone on the segment could claim it. */
const oem: LabDevice = { ...makeDevice('hikvision-oem', OEM_IP, 13), activated: false, cloud: false };

let lab: RunningLab;
let kb: Identifier;

function guardedNet(): GuardedNet {
  const scope = buildScope({ include: ['127.77.11.0/24'], exclude: [OUTSIDE_IP] });
  return new GuardedNet(scope, { ...DEFAULT_POLITENESS, timeoutMs: 1500, perHostIntervalMs: 0, rate: 0 });
}

function context(netw: GuardedNet, ip: string, openPorts: number[], credentials: Credential[] = []): ProbeContext {
  return { net: netw, ip, openPorts: new Set(openPorts), credentials, now: () => '2025-01-01T00:00:00.000Z' };
}

function signalsOf(captures: readonly Capture[]): Signal[] {
  return captures.flatMap((c) => parseCapture(captureBytes(c), c.protocol, `${c.probe} ${c.request}`, c.hint ? { hint: c.hint } : {}));
}

const own = (signals: Signal[]) => signals.filter((s) => s.fields.channel === undefined);

beforeAll(async () => {
  [lab, kb] = await Promise.all([startLab({ devices: [camera, nvr, oem] }), loadIdentifier()]);
});

afterAll(async () => {
  await lab?.stop();
});

describe('SADP unicast inquiry against lab devices', () => {
  it.each([
    ['camera', camera],
    ['NVR', nvr],
    ['OEM-branded device', oem],
  ])('identifies the %s as Hikvision with its model, firmware, serial and MAC', async (_name, device) => {
    const captures = await sadpUnicastProbe.run(context(guardedNet(), device.ip, []));
    expect(captures).toHaveLength(1);
    expect(captures[0]).toMatchObject({ probe: 'sadp', protocol: 'sadp', transport: 'udp', port: 37020, request: 'SADP inquiry', authenticated: false, encoding: 'utf8' });
    const identity = identify(signalsOf(captures), kb.knowledge);
    expect(identity.manufacturer).toBe('hikvision');
    expect(identity.model).toBe(device.model);
    expect(identity.serial).toBe(device.serial);
    expect(identity.mac).toBe(device.mac);
    // SADP writes the build straight after the version ("V5.7.3build 220112").
    const { version, build } = splitFirmware(device.firmware);
    expect(identity.firmware).toBe(build ? `${version}build ${build}` : version);
  });

  it('reports activation and Hik-Connect as the devices have them', async () => {
    const netw = guardedNet();
    const fields = async (ip: string) => signalsOf(await sadpUnicastProbe.run(context(netw, ip, [])))[0]!.fields;
    expect(await fields(OEM_IP)).toMatchObject({ activated: 'false', cloud: 'false' });
    expect(await fields(CAMERA_IP)).toMatchObject({ activated: 'true', cloud: 'true' });
  });

  it('returns nothing from a live address without SADP, after one retry', async () => {
    const netw = guardedNet();
    const captures = await sadpUnicastProbe.run(context(netw, '127.77.11.50', []));
    expect(captures).toEqual([]);
    expect(netw.stats.datagrams).toBe(2);
  });
});

describe('ISAPI with the owner credentials', () => {
  it('reads a camera deviceInfo once, authenticated, and identifies it', async () => {
    const netw = guardedNet();
    const captures = await isapiProbe.run(context(netw, CAMERA_IP, [80, 554], [camera.credentials]));
    expect(captures).toHaveLength(1);
    expect(captures[0]).toMatchObject({ probe: 'isapi', protocol: 'isapi', transport: 'tcp', port: 80, request: 'GET /ISAPI/System/deviceInfo', authenticated: true });
    expect(captures[0]!.content).toMatch(/^HTTP\/1\.[01] 200/);
    const identity = identify(signalsOf(captures), kb.knowledge);
    expect(identity).toMatchObject({ manufacturer: 'hikvision', model: camera.model, serial: camera.serial, mac: camera.mac, kind: 'camera' });
    expect(identity.firmware).toBe(splitFirmware(camera.firmware).version);
  });

  it('identifies the OEM-branded device as Hikvision-made', async () => {
    const captures = await isapiProbe.run(context(guardedNet(), OEM_IP, [80], [oem.credentials]));
    const identity = identify(signalsOf(captures), kb.knowledge);
    expect(oem.brand).not.toMatch(/hikvision/i);
    expect(identity).toMatchObject({ manufacturer: 'hikvision', model: oem.model, serial: oem.serial, mac: oem.mac });
  });

  it('also reads the channels behind an NVR', async () => {
    expect(nvr.channels.length).toBeGreaterThan(0);
    const captures = await isapiProbe.run(context(guardedNet(), NVR_IP, [80, 8000], [nvr.credentials]));
    expect(captures.map((c) => c.request)).toEqual(['GET /ISAPI/System/deviceInfo', 'GET /ISAPI/ContentMgmt/InputProxy/channels']);
    const signals = signalsOf(captures);
    const identity = identify(own(signals), kb.knowledge);
    expect(identity).toMatchObject({ manufacturer: 'hikvision', model: nvr.model, serial: nvr.serial, mac: nvr.mac, kind: 'recorder' });
    const channels = signals.filter((s) => s.fields.channel !== undefined);
    expect(channels.map((s) => [s.fields.channel, s.fields.model, s.fields.proxy_protocol])).toEqual(
      nvr.channels.map((c) => [String(c.id), c.model, c.protocol.toUpperCase()]),
    );
  });

  it('speaks TLS on 443 when the plain port is closed', async () => {
    const captures = await isapiProbe.run(context(guardedNet(), CAMERA_IP, [443], [camera.credentials]));
    expect(captures).toHaveLength(1);
    expect(captures[0]).toMatchObject({ transport: 'tls', port: 443, authenticated: true });
    expect(identify(signalsOf(captures), kb.knowledge).serial).toBe(camera.serial);
  });

  it('asks nothing without credentials', async () => {
    const netw = guardedNet();
    expect(await isapiProbe.run(context(netw, CAMERA_IP, [80]))).toEqual([]);
    expect(netw.stats.connections).toBe(0);
  });

  it('keeps the refusal of a wrong password as an unauthenticated answer, without retrying', async () => {
    const netw = guardedNet();
    const captures = await isapiProbe.run(context(netw, CAMERA_IP, [80], [{ username: camera.credentials.username, password: 'not-the-password' }]));
    expect(captures).toHaveLength(1);
    expect(captures[0]).toMatchObject({ probe: 'isapi', protocol: 'http', authenticated: false, request: 'GET /ISAPI/System/deviceInfo' });
    expect(signalsOf(captures)[0]!.fields.status).toBe('401');
    // One request without login, one answering the challenge: nothing more.
    expect(netw.stats.connections).toBe(2);
  });

  it('tries each credential once, in order, until one is accepted', async () => {
    const netw = guardedNet();
    const wrong = [{ username: 'admin', password: 'wrong-1' }, { username: 'operator', password: 'wrong-2' }];
    const captures = await isapiProbe.run(context(netw, CAMERA_IP, [80], [...wrong, camera.credentials, { username: 'later', password: 'never-used' }]));
    expect(captures).toHaveLength(1);
    expect(captures[0]!.authenticated).toBe(true);
    expect(netw.stats.connections).toBe(6);
  });

  it('stores a chunked answer decoded, so the parser can read it', async () => {
    // Firmware web servers may stream an answer in chunks; this server does, with Basic login.
    const ip = '127.77.11.20';
    const basic = `Basic ${Buffer.from('admin:chunked-secret').toString('base64')}`;
    const server = http.createServer((req, res) => {
      if (req.headers.authorization !== basic) {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="DS-2CD2386G2-IU"' }).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/xml' });
      const xml = isapiDeviceInfo(camera);
      res.write(xml.slice(0, 200));
      res.end(xml.slice(200));
    });
    await new Promise<void>((resolve) => server.listen(80, ip, resolve));
    try {
      // Basic over plain HTTP exposes the password on the wire: refused unless the owner allows it.
      const refused = await isapiProbe.run(context(guardedNet(), ip, [80], [{ username: 'admin', password: 'chunked-secret' }]));
      expect(refused.every((c) => !c.authenticated)).toBe(true);
      const captures = await isapiProbe.run(context(guardedNet(), ip, [80], [{ username: 'admin', password: 'chunked-secret', basicOverHttp: true }]));
      expect(captures).toHaveLength(1);
      expect(captures[0]!.content).not.toMatch(/transfer-encoding/i);
      expect(identify(signalsOf(captures), kb.knowledge)).toMatchObject({ manufacturer: 'hikvision', serial: camera.serial });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('does not run without an ISAPI port open', async () => {
    const netw = guardedNet();
    expect(await isapiProbe.run(context(netw, CAMERA_IP, [554], [camera.credentials]))).toEqual([]);
    expect(netw.stats.connections).toBe(0);
  });
});

describe('SDK port 8000', () => {
  it('answers a request with the reply nmap recognises as the Hikvision IPCam control port', async () => {
    const answer = await guardedNet().exchange(NVR_IP, 8000, Buffer.from('\r\n\r\n'));
    expect(answer?.data).toEqual(HIK_SDK_REPLY);
    // nmap-service-probes line 1821 (test/fixtures/devices/nmap/…-camera-excerpt.txt):
    // match ipcam m|^\0\0\0\x10\0\0\0\x1e\0\0\0\x1e\0\0\0\0| p/Hikvision IPCam control port/
    expect(answer!.data.subarray(0, 16).toString('hex')).toBe('000000100000001e0000001e00000000');
  });
});

describe('scope', () => {
  let udpWitness: dgram.Socket;
  let tcpWitness: net.Server;
  let datagrams = 0;
  let connections = 0;

  beforeAll(async () => {
    udpWitness = dgram.createSocket('udp4');
    udpWitness.on('message', () => datagrams++);
    await new Promise<void>((resolve) => udpWitness.bind(37020, OUTSIDE_IP, resolve));
    tcpWitness = net.createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => tcpWitness.listen(80, OUTSIDE_IP, resolve));
  });

  afterAll(async () => {
    udpWitness.close();
    await new Promise((resolve) => tcpWitness.close(resolve));
  });

  it('refuses an address outside the scope before any packet leaves', async () => {
    const netw = guardedNet();
    await expect(sadpUnicastProbe.run(context(netw, OUTSIDE_IP, []))).rejects.toBeInstanceOf(ScopeRefusal);
    await expect(isapiProbe.run(context(netw, OUTSIDE_IP, [80], [camera.credentials]))).rejects.toBeInstanceOf(ScopeRefusal);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(netw.stats).toMatchObject({ datagrams: 0, connections: 0, refused: 2 });
    expect(datagrams).toBe(0);
    expect(connections).toBe(0);
  });
});

describe('SADP responder', () => {
  const [service] = hikvisionServices(camera).udp ?? [];

  it('listens on 37020 and the discovery group', () => {
    expect(service).toMatchObject({ port: 37020, group: '239.255.255.250' });
  });

  it('answers a valid inquiry with a ProbeMatch echoing its Uuid', () => {
    const uuid = '0F2C5B9A-1111-2222-3333-444455556666';
    const reply = service!.respond(Buffer.from(sadpInquiry(uuid)), camera);
    expect(reply).not.toBeNull();
    expect(answersInquiry(reply!, uuid)).toBe(true);
    expect(answersInquiry(reply!, 'AAAAAAAA-1111-2222-3333-444455556666')).toBe(false);
    expect(reply!.toString()).toContain(`<Uuid>${uuid}</Uuid>`);
    expect(reply!.toString()).toContain(`<MAC>${camera.mac.replace(/:/g, '-')}</MAC>`);
  });

  it.each([
    ['an empty datagram', Buffer.alloc(0)],
    ['random bytes', Buffer.from([0x00, 0xff, 0x13, 0x37, 0x42, 0x00, 0x01])],
    ['a DHIP search', Buffer.from('\x20\x00\x00\x00DHIP\x00\x00\x00\x00{"method":"DHDiscover.search"}')],
    ['another device\'s ProbeMatch', Buffer.from(sadpProbeMatch(nvr, 'F93CF8DC-DF53-424B-98A7-9FC0536E1083'))],
    ['a Probe without Uuid', Buffer.from('<?xml version="1.0" encoding="utf-8"?><Probe><Types>inquiry</Types></Probe>')],
    ['a Probe of another type', Buffer.from('<?xml version="1.0" encoding="utf-8"?><Probe><Uuid>ABC</Uuid><Types>update</Types></Probe>')],
    ['a Uuid with markup in it', Buffer.from('<Probe><Uuid><![CDATA[x]]></Uuid><Types>inquiry</Types></Probe>')],
    ['an oversized inquiry', Buffer.from(sadpInquiry('A'.repeat(40)).replace('</Probe>', `${' '.repeat(4096)}</Probe>`))],
    ['a WS-Discovery probe', Buffer.from('<?xml version="1.0"?><e:Envelope><e:Body><d:Probe/></e:Body></e:Envelope>')],
  ])('stays silent on %s', (_name, message) => {
    expect(readInquiry(message)).toBeNull();
    expect(service!.respond(message, camera)).toBeNull();
  });
});

describe('ISAPI emulation', () => {
  it('tells a recorder from a camera the way the probe reads it', () => {
    expect(isRecorder(isapiDeviceInfo(nvr))).toBe(true);
    expect(isRecorder(isapiDeviceInfo(camera))).toBe(false);
  });

  it('routes the channel list only on recorders, behind login', () => {
    const paths = (d: LabDevice) => (hikvisionServices(d).http ?? []).map((r) => [r.path, r.auth]);
    expect(paths(camera)).toEqual([['/ISAPI/System/deviceInfo', true]]);
    expect(paths(nvr)).toEqual([['/ISAPI/System/deviceInfo', true], ['/ISAPI/ContentMgmt/InputProxy/channels', true]]);
  });
});

// Multicast needs a real segment: loopback carries none. The lab runs in a network namespace of
// its own behind a veth pair (private addresses that exist only there), and the probe sends to
// the group from the host end, as a scanner on the camera network would.
describe.skipIf(process.getuid?.() !== 0)('SADP multicast inquiry in a network namespace (needs root)', () => {
  const SUBNET = '10.77.11.0/24';
  const SEED = 5;
  const COUNT = 14;
  const ROOT = join(import.meta.dirname, '..', '..');
  const devices = generateDevices(COUNT, SUBNET, SEED);
  const hikvision = devices.filter((d) => d.protocols.includes('sadp'));
  let child: ChildProcess;
  let hostAddress: string;

  beforeAll(async () => {
    child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'helpers', 'cli-entry.ts'),
      'lab', '--devices', String(COUNT), '--subnet', SUBNET, '--seed', String(SEED), '--netns', `camaudit-hik-${process.pid}`], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const ready = await new Promise<Record<string, string>>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (l) => l.includes('"ready":true') && resolve(JSON.parse(l) as Record<string, string>));
      child.on('exit', (code) => reject(new Error(`lab exited (${String(code)}) before it was ready:\n${stderr}`)));
    });
    hostAddress = ready.hostAddress!;
  });

  afterAll(async () => {
    if (!child || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  });

  function segmentNet(exclude: string[] = []): GuardedNet {
    return new GuardedNet(buildScope({ include: [SUBNET], exclude, multicast: true }), { ...DEFAULT_POLITENESS, rate: 0 });
  }

  it('finds every Hikvision-made device once, keyed by its address, and nothing else', async () => {
    expect(hikvision.length).toBeGreaterThan(1);
    const found = await sadpGroupProbe.run({ net: segmentNet(), interfaceAddress: hostAddress, rounds: 2, waitMs: 800, now: () => '2025-01-01T00:00:00.000Z' });
    expect(found.map((f) => f.ip).sort()).toEqual(hikvision.map((d) => d.ip).sort());
    for (const { ip, capture } of found) {
      const device = hikvision.find((d) => d.ip === ip)!;
      expect(capture).toMatchObject({ probe: 'sadp', protocol: 'sadp', transport: 'multicast', port: 37020 });
      expect(identify(signalsOf([capture]), kb.knowledge)).toMatchObject({ manufacturer: 'hikvision', model: device.model, serial: device.serial, mac: device.mac });
    }
  });

  it('drops answers from devices outside the scope', async () => {
    const [excluded, ...kept] = hikvision;
    const netw = segmentNet([excluded!.ip]);
    const found = await sadpGroupProbe.run({ net: netw, interfaceAddress: hostAddress, rounds: 1, waitMs: 800, now: () => '2025-01-01T00:00:00.000Z' });
    expect(found.map((f) => f.ip).sort()).toEqual(kept.map((d) => d.ip).sort());
    expect(netw.stats.ignoredReplies).toBeGreaterThan(0);
  });
});
