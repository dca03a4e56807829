import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identify } from '../../src/core/identify/identify.js';
import { parseCapture } from '../../src/core/identify/parse/detect.js';
import { parseDhip } from '../../src/core/identify/parse/dhip.js';
import { parseDvrip } from '../../src/core/identify/parse/dvrip.js';
import type { Signal } from '../../src/core/identify/signals.js';
import type { Credential } from '../../src/discover/http-client.js';
import { DEFAULT_POLITENESS, GuardedNet, ScopeRefusal } from '../../src/discover/net.js';
import { captureBytes, type Capture, type HostProbe, type ProbeContext } from '../../src/discover/probe.js';
import { dahuaCgiProbe } from '../../src/discover/probes/dahua-cgi.js';
import { dahuaRealmProbe, dvripRealmRequest, isCompleteReply } from '../../src/discover/probes/dahua-sdk.js';
import { dhipBody, dhipFrame, dhipSearchRequest, dhipUnicastProbe } from '../../src/discover/probes/dhip.js';
import { dvripDiscoveryRequest, dvripUnicastProbe } from '../../src/discover/probes/dvrip.js';
import { buildScope } from '../../src/discover/scope.js';
import { loadIdentifier, type Identifier } from '../../src/kb/knowledge.js';
import { makeDevice } from '../../src/lab/emulator/catalogue.js';
import {
  dahuaServices, dhipInit, dvripDiscoveryReply, isSearch, magicBoxAnswer, notifyDevInfo, realmReply, sdkPort,
} from '../../src/lab/emulator/dahua.js';
import { startLab, type RunningLab } from '../../src/lab/emulator/lab.js';
import type { LabDevice } from '../../src/lab/emulator/types.js';

const DEVICES = join(import.meta.dirname, '..', 'fixtures', 'devices');
const fixture = (path: string) => readFileSync(join(DEVICES, path));

// Every address here is in this file's block, 127.77.12.0/24.
const CAMERA_IP = '127.77.12.10';
const NVR_IP = '127.77.12.11';
const LOREX_IP = '127.77.12.12';
const AMCREST_IP = '127.77.12.13';
/** Live in the sense of "in scope", but nothing listens there. */
const SILENT_IP = '127.77.12.50';
/** Excluded from the scope; only witnesses listen here. */
const OUTSIDE_IP = '127.77.12.99';

const camera: LabDevice = { ...makeDevice('dahua-camera', CAMERA_IP, 21), activated: true, cloud: true };
const nvr: LabDevice = { ...makeDevice('dahua-nvr', NVR_IP, 22), activated: true, cloud: false };
const lorex: LabDevice = { ...makeDevice('lorex-nvr', LOREX_IP, 23), activated: true, cloud: true };
/** The Amcrest camera is also the uninitialised one: whoever reaches it first sets its password. */
const amcrest: LabDevice = { ...makeDevice('amcrest-camera', AMCREST_IP, 24), activated: false, cloud: false };
const ALL: [string, LabDevice][] = [['Dahua camera', camera], ['Dahua NVR', nvr], ['Lorex NVR', lorex], ['Amcrest camera', amcrest]];

let lab: RunningLab;
let kb: Identifier;

function guardedNet(): GuardedNet {
  const scope = buildScope({ include: ['127.77.12.0/24'], exclude: [OUTSIDE_IP] });
  return new GuardedNet(scope, { ...DEFAULT_POLITENESS, timeoutMs: 1500, perHostIntervalMs: 0, rate: 0 });
}

function context(netw: GuardedNet, ip: string, openPorts: number[], credentials: Credential[] = []): ProbeContext {
  return { net: netw, ip, openPorts: new Set(openPorts), credentials, now: () => '2025-01-01T00:00:00.000Z' };
}

function signalsOf(captures: readonly Capture[]): Signal[] {
  return captures.flatMap((c) => parseCapture(captureBytes(c), c.protocol, `${c.probe} ${c.request}`, c.hint ? { hint: c.hint } : {}));
}

async function run(probe: HostProbe, device: LabDevice, openPorts: number[] = [], credentials: Credential[] = []): Promise<Capture[]> {
  return probe.run(context(guardedNet(), device.ip, openPorts, credentials));
}

beforeAll(async () => {
  [lab, kb] = await Promise.all([startLab({ devices: [camera, nvr, lorex, amcrest] }), loadIdentifier()]);
});

afterAll(async () => {
  await lab?.stop();
});

describe('the lab devices under test', () => {
  it('are Dahua-made under four labels, and speak the Dahua protocols', () => {
    expect(ALL.map(([, d]) => d.manufacturer)).toEqual(['dahua', 'dahua', 'dahua', 'dahua']);
    expect(lorex.brand).toMatch(/lorex/i);
    expect(amcrest.brand).toMatch(/amcrest/i);
    for (const [, d] of ALL) expect(d.protocols).toEqual(expect.arrayContaining(['dhip', 'dvrip', 'dahua_cgi', 'dahua_37777']));
  });
});

describe('DHIP unicast search against lab devices', () => {
  it.each(ALL)('identifies the %s as Dahua-made with kind, model, firmware, serial and MAC', async (_name, device) => {
    const captures = await run(dhipUnicastProbe, device);
    expect(captures).toHaveLength(1);
    expect(captures[0]).toMatchObject({ probe: 'dhip', protocol: 'dhip', transport: 'udp', port: 37810, request: 'DHDiscover.search', authenticated: false, encoding: 'base64' });
    const identity = identify(signalsOf(captures), kb.knowledge);
    expect(identity).toMatchObject({ manufacturer: 'dahua', kind: device.kind, model: device.model, firmware: device.firmware, serial: device.serial, mac: device.mac });
    expect(identity.evidence.some((e) => e.protocol === 'dhip' && e.weight === 'native' && e.claims.manufacturer === 'dahua')).toBe(true);
  });

  it('reports the vendor each label\'s firmware writes', async () => {
    const vendor = async (d: LabDevice) => signalsOf(await run(dhipUnicastProbe, d))[0]!.fields.vendor;
    expect(await vendor(camera)).toBe('Dahua');
    expect(await vendor(lorex)).toBe('Lorex');
    // The label is the brand; the KB knows the Lorex–Dahua link ended, so it asks for a check.
    const lorexIdentity = identify(signalsOf(await run(dhipUnicastProbe, lorex)), kb.knowledge);
    expect(lorexIdentity.checks.some((c) => c.startsWith('Lorex:'))).toBe(true);
    // OEM firmware without its own name answers a placeholder, which names no maker.
    expect(await vendor(amcrest)).toBe('General');
  });

  it('records Init: not initialised on the Amcrest camera, initialised elsewhere, with the P2P bits', async () => {
    const status = async (d: LabDevice) => {
      const { init, p2p } = signalsOf(await run(dhipUnicastProbe, d))[0]!.fields;
      return { init, p2p };
    };
    // NetSDK byInitStatus: bits 0–1 account (1 not initialised, 2 initialised), bits 2–3 P2P (1 off, 2 on).
    expect(await status(amcrest)).toEqual({ init: 'false', p2p: 'false' });
    expect(await status(camera)).toEqual({ init: 'true', p2p: 'true' });
    expect((await status(nvr)).init).toBe('true');
  });

  it('returns nothing from an address where nothing answers, after one retry', async () => {
    const netw = guardedNet();
    expect(await dhipUnicastProbe.run(context(netw, SILENT_IP, []))).toEqual([]);
    expect(netw.stats.datagrams).toBe(2);
  });
});

describe('DVRIP unicast discovery against lab devices', () => {
  it.each(ALL)('identifies the %s as Dahua-made with model, serial and MAC', async (_name, device) => {
    const captures = await run(dvripUnicastProbe, device);
    expect(captures).toHaveLength(1);
    expect(captures[0]).toMatchObject({ probe: 'dvrip', protocol: 'dvrip', transport: 'udp', port: 5050, authenticated: false, encoding: 'base64' });
    const identity = identify(signalsOf(captures), kb.knowledge);
    expect(identity).toMatchObject({ manufacturer: 'dahua', model: device.model, serial: device.serial, mac: device.mac });
  });

  it('returns nothing from an address where nothing answers, after one retry', async () => {
    const netw = guardedNet();
    expect(await dvripUnicastProbe.run(context(netw, SILENT_IP, []))).toEqual([]);
    expect(netw.stats.datagrams).toBe(2);
  });
});

describe('realm of the SDK port', () => {
  it.each(ALL)('names the serial of the %s without a login', async (_name, device) => {
    const netw = guardedNet();
    const open = [];
    for (const port of [37777, 35000]) if (await netw.isOpen(device.ip, port)) open.push(port);
    expect(open).toEqual([sdkPort(device)]);
    const captures = await dahuaRealmProbe.run(context(netw, device.ip, open));
    expect(captures).toHaveLength(1);
    expect(captures[0]).toMatchObject({ probe: 'dahua_sdk', protocol: 'dvrip', transport: 'tcp', port: sdkPort(device), authenticated: false });
    expect(captureBytes(captures[0]!).subarray(32).toString()).toMatch(new RegExp(`^Realm:Login to ${device.serial}\\r\\nRandom:\\d+\\r\\n$`));
    const identity = identify(signalsOf(captures), kb.knowledge);
    expect(identity).toMatchObject({ manufacturer: 'dahua', serial: device.serial });
  });

  it('is read the same when stored without its protocol', async () => {
    const [capture] = await run(dahuaRealmProbe, camera, [37777]);
    expect(parseCapture(captureBytes(capture!), undefined, 'saved.bin')).toEqual([{ protocol: 'dvrip', source: 'saved.bin', fields: { serial: camera.serial } }]);
  });

  it('sends nothing when the SDK port is closed', async () => {
    const netw = guardedNet();
    expect(await dahuaRealmProbe.run(context(netw, CAMERA_IP, [80, 554]))).toEqual([]);
    expect(netw.stats.connections).toBe(0);
  });
});

describe('magicBox.cgi with the owner\'s credentials', () => {
  it.each(ALL)('reads system info, device type and software version of the %s', async (_name, device) => {
    const captures = await run(dahuaCgiProbe, device, [80, 443], [device.credentials]);
    expect(captures.map((c) => c.request)).toEqual([
      'GET /cgi-bin/magicBox.cgi?action=getSystemInfo',
      'GET /cgi-bin/magicBox.cgi?action=getDeviceType',
      'GET /cgi-bin/magicBox.cgi?action=getSoftwareVersion',
    ]);
    for (const c of captures) {
      expect(c).toMatchObject({ probe: 'dahua_cgi', protocol: 'dahua_cgi', transport: 'tcp', port: 80, authenticated: true });
      expect(c.content).toMatch(/^HTTP\/1\.[01] 200/);
    }
    const identity = identify(signalsOf(captures), kb.knowledge);
    expect(identity).toMatchObject({ manufacturer: 'dahua', model: device.model, firmware: device.firmware, serial: device.serial });
  });

  it('speaks TLS on 443 when the plain port is closed', async () => {
    const captures = await run(dahuaCgiProbe, lorex, [443], [lorex.credentials]);
    expect(captures).toHaveLength(3);
    expect(captures[0]).toMatchObject({ transport: 'tls', port: 443, authenticated: true });
    expect(identify(signalsOf(captures), kb.knowledge).serial).toBe(lorex.serial);
  });

  it('asks nothing without credentials', async () => {
    const netw = guardedNet();
    expect(await dahuaCgiProbe.run(context(netw, CAMERA_IP, [80, 443]))).toEqual([]);
    expect(netw.stats.connections).toBe(0);
  });

  it('gives up on a wrong password after one answer to the challenge', async () => {
    const netw = guardedNet();
    const wrong = { username: camera.credentials.username, password: 'not-the-password' };
    expect(await dahuaCgiProbe.run(context(netw, CAMERA_IP, [80], [wrong]))).toEqual([]);
    // One request without login, one answering the challenge: nothing more.
    expect(netw.stats.connections).toBe(2);
  });

  it('tries each credential once, in order, and asks everything with the first that works', async () => {
    const netw = guardedNet();
    const wrong = [{ username: 'admin', password: 'wrong-1' }, { username: 'operator', password: 'wrong-2' }];
    const captures = await dahuaCgiProbe.run(context(netw, NVR_IP, [80], [...wrong, nvr.credentials, { username: 'later', password: 'never-used' }]));
    expect(captures).toHaveLength(3);
    // Two refused entries (2 × 2), then three questions with the working one (3 × 2).
    expect(netw.stats.connections).toBe(10);
  });

  it('does not run without a web port open', async () => {
    const netw = guardedNet();
    expect(await dahuaCgiProbe.run(context(netw, CAMERA_IP, [554, 37777], [camera.credentials]))).toEqual([]);
    expect(netw.stats.connections).toBe(0);
  });
});

describe('all Dahua probes of one device together', () => {
  it.each(ALL)('agree on the identity of the %s', async (_name, device) => {
    const captures = [
      ...(await run(dhipUnicastProbe, device)),
      ...(await run(dvripUnicastProbe, device)),
      ...(await run(dahuaRealmProbe, device, [sdkPort(device)])),
      ...(await run(dahuaCgiProbe, device, [80], [device.credentials])),
    ];
    expect(captures).toHaveLength(6);
    const identity = identify(signalsOf(captures), kb.knowledge);
    expect(identity).toMatchObject({ manufacturer: 'dahua', model: device.model, firmware: device.firmware, serial: device.serial, mac: device.mac });
    expect(identity.conflicts).toEqual([]);
  });
});

describe('scope', () => {
  const udpWitnesses: dgram.Socket[] = [];
  const tcpWitnesses: net.Server[] = [];
  let datagrams = 0;
  let connections = 0;

  beforeAll(async () => {
    for (const port of [37810, 5050]) {
      const socket = dgram.createSocket('udp4');
      socket.on('message', () => datagrams++);
      await new Promise<void>((resolve) => socket.bind(port, OUTSIDE_IP, resolve));
      udpWitnesses.push(socket);
    }
    for (const port of [80, 37777]) {
      const server = net.createServer((socket) => {
        connections++;
        socket.destroy();
      });
      await new Promise<void>((resolve) => server.listen(port, OUTSIDE_IP, resolve));
      tcpWitnesses.push(server);
    }
  });

  afterAll(async () => {
    for (const socket of udpWitnesses) socket.close();
    await Promise.all(tcpWitnesses.map((server) => new Promise((resolve) => server.close(resolve))));
  });

  it('refuses an address outside the scope before any packet leaves', async () => {
    const netw = guardedNet();
    const outside = (openPorts: number[], credentials: Credential[] = []) => context(netw, OUTSIDE_IP, openPorts, credentials);
    await expect(dhipUnicastProbe.run(outside([]))).rejects.toBeInstanceOf(ScopeRefusal);
    await expect(dvripUnicastProbe.run(outside([]))).rejects.toBeInstanceOf(ScopeRefusal);
    await expect(dahuaRealmProbe.run(outside([37777]))).rejects.toBeInstanceOf(ScopeRefusal);
    await expect(dahuaCgiProbe.run(outside([80], [camera.credentials]))).rejects.toBeInstanceOf(ScopeRefusal);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(netw.stats).toMatchObject({ datagrams: 0, connections: 0, refused: 4 });
    expect(datagrams).toBe(0);
    expect(connections).toBe(0);
  });
});

describe('DHIP frames', () => {
  const captured = fixture('dhip/dahua-dhip-anonymised-universalscanner.bin');

  it('are built byte for byte as the captured reply is framed', () => {
    const body = captured.subarray(32).toString('utf8');
    expect(dhipFrame(body)).toEqual(captured);
    expect(dhipBody(captured)).toBe(body);
  });

  it('carry DHDiscover.search with an empty MAC (every device) in the search request', () => {
    const request = dhipSearchRequest();
    expect(request.subarray(0, 8)).toEqual(Buffer.from('20000000' + Buffer.from('DHIP').toString('hex'), 'hex'));
    expect(request.readUInt32LE(16)).toBe(request.length - 32);
    expect(request.readUInt32LE(24)).toBe(request.length - 32);
    expect(JSON.parse(dhipBody(request)!)).toEqual({ method: 'DHDiscover.search', params: { mac: '', uni: 1 } });
  });

  it('have no body when the bytes are not DHIP', () => {
    expect(dhipBody(Buffer.from('{"method":"DHDiscover.search"}'))).toBeNull();
  });
});

describe('DHIP responder', () => {
  const [service] = dahuaServices(camera).udp?.filter((s) => s.port === 37810) ?? [];

  it('listens on 37810 and the Dahua discovery group', () => {
    expect(service).toMatchObject({ port: 37810, group: '239.255.255.251' });
  });

  it('answers a search, and — like real devices — a single 0xff byte', () => {
    for (const message of [dhipSearchRequest(), Buffer.from([0xff])]) {
      const reply = service!.respond(message, camera);
      expect(reply).toEqual(dhipFrame(notifyDevInfo(camera)));
    }
  });

  it('answers a search for its own MAC but not for another device\'s', () => {
    const search = (mac: string) => dhipFrame(JSON.stringify({ method: 'DHDiscover.search', params: { mac, uni: 1 } }));
    expect(isSearch(search(camera.mac.toUpperCase()), camera)).toBe(true);
    expect(isSearch(search('00:11:22:33:44:55'), camera)).toBe(false);
  });

  it.each([
    ['an empty datagram', Buffer.alloc(0)],
    ['a device\'s own answer', fixture('dhip/dahua-dhip-anonymised-universalscanner.bin')],
    ['a frame whose body is not JSON', dhipFrame('DHDiscover.search')],
    ['another method', dhipFrame(JSON.stringify({ method: 'global.login', params: {} }))],
    ['a SADP inquiry', Buffer.from('<?xml version="1.0" encoding="utf-8"?><Probe><Uuid>A</Uuid><Types>inquiry</Types></Probe>')],
    ['the DVRIP discovery request', dvripDiscoveryRequest()],
  ])('stays silent on %s', (_name, message) => {
    expect(service!.respond(message, camera)).toBeNull();
  });

  it('writes the keys, nesting and order of a real notifyDevInfo', () => {
    const real = JSON.parse(fixture('dhip/dahua-ipc-hdw1431t1-s4-notifydevinfo.json').toString());
    const lab = JSON.parse(notifyDevInfo(camera));
    expect(Object.keys(lab)).toEqual(Object.keys(real));
    expect(Object.keys(lab.params.deviceInfo)).toEqual(Object.keys(real.params.deviceInfo));
    expect(Object.keys(lab.params.deviceInfo.IPv4Address)).toEqual(Object.keys(real.params.deviceInfo.IPv4Address));
    expect(lab.params.deviceInfo).toMatchObject({ DeviceClass: 'IPC', IPv4Address: { IPAddress: CAMERA_IP }, Port: 37777, HttpPort: 80 });
    expect(JSON.parse(notifyDevInfo(nvr)).params.deviceInfo.DeviceClass).not.toBe('IPC');
    expect(JSON.parse(notifyDevInfo(lorex)).params.deviceInfo.Port).toBe(35000);
  });

  it('encodes the fixture\'s Init the way NetSDK reads it', () => {
    // 2714 (fixture): initialised (bits 0–1 = 2), P2P on (bits 2–3 = 2).
    expect(2714 & 0b11).toBe(2);
    expect(dhipInit({ ...camera, activated: true, cloud: true }) & 0b1111).toBe(2714 & 0b1111);
  });

  it('is read by the DHIP parser into the device\'s fields', () => {
    expect(parseDhip(dhipFrame(notifyDevInfo(nvr)), 'lab')[0]!.fields).toEqual({
      vendor: 'Dahua', device_type: nvr.model, device_class: 'NVR', serial: nvr.serial, mac: nvr.mac,
      version: nvr.firmware, init: 'true', p2p: nvr.cloud ? 'true' : 'false', name: nvr.serial,
    });
  });
});

describe('DVRIP discovery frames', () => {
  const captured = fixture('dvrip/dahua-dvrip-discovery-5050-anonymised-universalscanner.bin');

  it('ask with the 32 bytes UniversalScanner and DahuaConsole send', () => {
    expect(dvripDiscoveryRequest().toString('hex')).toBe('a3010001' + '00'.repeat(12) + '02000000' + '00'.repeat(12));
  });

  it('are answered in the captured reply\'s layout', () => {
    const reply = dvripDiscoveryReply(camera);
    // Magic, the constant words at 4 and 16, and the sections placed after 120 bytes.
    expect(reply.subarray(0, 2)).toEqual(captured.subarray(0, 2));
    expect(reply.readUInt32LE(4)).toBe(captured.readUInt32LE(4));
    expect(reply.readUInt32LE(16)).toBe(captured.readUInt32LE(16));
    expect(reply.length).toBe(120 + reply.readUInt16LE(2) + reply.readUInt16LE(20));
    expect([...reply.subarray(56, 60)].join('.')).toBe(CAMERA_IP);
    expect(reply.readUInt16LE(94)).toBe(captured.readUInt16LE(94));
    expect(reply.readUInt16LE(98)).toBe(37777);
    const section3 = (b: Buffer) => b.subarray(120 + b.readUInt16LE(2)).toString().split('\r\n').map((l) => l.split(':')[0]);
    expect(section3(reply)).toEqual(section3(captured));
  });

  it('are read by the DVRIP parser into the device\'s fields', () => {
    expect(parseDvrip(dvripDiscoveryReply(lorex), 'lab')[0]!.fields).toEqual({ device_type: lorex.model, serial: lorex.serial, mac: lorex.mac, name: lorex.serial.slice(0, 15) });
  });

  it('come only in answer to the discovery request', () => {
    const [service] = dahuaServices(camera).udp?.filter((s) => s.port === 5050) ?? [];
    expect(service!.respond(dvripDiscoveryRequest(), camera)).toEqual(dvripDiscoveryReply(camera));
    expect(service!.respond(captured, camera)).toBeNull();
    expect(service!.respond(dhipSearchRequest(), camera)).toBeNull();
  });
});

describe('SDK realm exchange', () => {
  it('asks with the realm request of mcw0/PoC: a0 01, no credential bytes', () => {
    expect(dvripRealmRequest().toString('hex')).toBe('a0010000' + '00'.repeat(20) + '050201010000a1aa');
  });

  it('knows a reply is whole from the length in its header', () => {
    const reply = realmReply(camera, 1852772904);
    expect(isCompleteReply(reply)).toBe(true);
    expect(isCompleteReply(reply.subarray(0, reply.length - 1))).toBe(false);
    expect(isCompleteReply(reply.subarray(0, 20))).toBe(false);
  });

  it('answers only the realm request, and hangs up on anything else', () => {
    const [service] = dahuaServices(camera).tcp ?? [];
    expect(service!.port).toBe(37777);
    expect(service!.respond!(dvripRealmRequest().subarray(0, 16), camera)).toBeNull();
    const answer = service!.respond!(dvripRealmRequest(), camera);
    expect(answer?.reply.subarray(32).toString()).toMatch(new RegExp(`^Realm:Login to ${camera.serial}\\r\\nRandom:\\d+\\r\\n$`));
    expect(service!.respond!(Buffer.from('GET / HTTP/1.1\r\nHost: camera\r\n\r\n'), camera)).toEqual({ reply: Buffer.alloc(0), close: true });
  });
});

describe('magicBox.cgi emulation', () => {
  const keys = (text: string) => text.trim().split(/\r?\n/).map((l) => l.split('=')[0]);

  it('answers with the keys of the real answers', () => {
    const real = keys(fixture('dahua-cgi/dahua-ipc-hdw5831r-ze-getsysteminfo.txt').toString());
    expect(real).toEqual(expect.arrayContaining(keys(magicBoxAnswer('getSystemInfo', camera)!)));
    expect(keys(magicBoxAnswer('getDeviceType', camera)!)).toEqual(keys(fixture('dahua-cgi/dahua-ipc-hdw5831r-ze-getdevicetype.txt').toString()));
    expect(keys(magicBoxAnswer('getSoftwareVersion', camera)!)).toEqual(keys(fixture('dahua-cgi/dahua-getsoftwareversion.txt').toString()));
    expect(magicBoxAnswer('reboot', camera)).toBeNull();
  });

  it('routes magicBox.cgi behind login, and only on devices that speak it', () => {
    const [route] = dahuaServices(camera).http ?? [];
    expect(route).toMatchObject({ method: 'GET', auth: true });
    const get = (path: string) => route!.handle({ method: 'GET', path, headers: {}, body: '', authenticated: true }, camera);
    expect(get('/cgi-bin/magicBox.cgi?action=getDeviceType')).toMatchObject({ status: 200, body: `type=${camera.model}\r\n` });
    expect(get('/cgi-bin/magicBox.cgi?action=reboot').status).toBe(400);
    const quiet = dahuaServices({ ...camera, protocols: ['http', 'dhip'] });
    expect(quiet.http).toEqual([]);
    expect(quiet.tcp).toEqual([]);
    expect(quiet.udp?.map((s) => s.port)).toEqual([37810]);
  });
});
