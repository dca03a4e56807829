// The lab host: generated devices are consistent with the knowledge base, every device listens on
// its own loopback address and answers as its firmware does, stop frees everything, and the CLI
// runs it until SIGTERM. Addresses: 127.77.15.0/24 and 127.77.16.0/24 only.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identify } from '../../src/core/identify/identify.js';
import { parseCapture } from '../../src/core/identify/parse/detect.js';
import { parseTls } from '../../src/core/identify/parse/tls.js';
import { CamauditError } from '../../src/core/errors.js';
import { authenticatedRequest, challengeParams, digestAuthorization, request } from '../../src/discover/http-client.js';
import { GuardedNet } from '../../src/discover/net.js';
import { captureBytes, type HostProbe } from '../../src/discover/probe.js';
import { dhipUnicastProbe } from '../../src/discover/probes/dhip.js';
import { dvripUnicastProbe } from '../../src/discover/probes/dvrip.js';
import { sadpUnicastProbe } from '../../src/discover/probes/sadp.js';
import { wsDiscoveryUnicastProbe } from '../../src/discover/probes/ws-discovery.js';
import { buildScope } from '../../src/discover/scope.js';
import { loadIdentifier } from '../../src/kb/knowledge.js';
import { TEMPLATES, generateDevices, groundTruth, makeDevice } from '../../src/lab/emulator/catalogue.js';
import { deviceHttpServer, findRoute } from '../../src/lab/emulator/http-server.js';
import { startLab, type RunningLab } from '../../src/lab/emulator/lab.js';
import { servicesFor } from '../../src/lab/emulator/services.js';
import { labCertificate } from '../../src/lab/emulator/tls.js';
import type { HttpRoute, LabDevice, LabProtocol } from '../../src/lab/emulator/types.js';
import { cli } from '../helpers/cli.js';

const ROOT = join(import.meta.dirname, '..', '..');
const now = () => new Date().toISOString();
const guarded = (cidr: string) => new GuardedNet(buildScope({ include: [cidr] }), { concurrency: 64, perHostConcurrency: 4, perHostIntervalMs: 0, timeoutMs: 2000, retries: 1, rate: 0 });

/** Whether something accepts TCP connections on ip:port. */
function tcpOpen(ip: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: ip, port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

describe('lab catalogue', () => {
  const devices = generateDevices(500, '127.77.0.0/16', 1);

  it('generates the same devices for the same seed and other devices for another', () => {
    expect(generateDevices(40, '127.77.0.0/16', 5)).toEqual(generateDevices(40, '127.77.0.0/16', 5));
    const other = generateDevices(40, '127.77.0.0/16', 6);
    expect(other.map((d) => d.ip)).not.toEqual(generateDevices(40, '127.77.0.0/16', 5).map((d) => d.ip));
    expect(makeDevice('dahua-camera', '127.77.1.2', 3)).toEqual(makeDevice('dahua-camera', '127.77.1.2', 3));
  });

  it('spreads devices over the subnet on distinct addresses, never .0, .255 or the gateway', () => {
    const ips = devices.map((d) => d.ip);
    expect(new Set(ips).size).toBe(500);
    expect(new Set(ips.map((ip) => ip.split('.')[2])).size).toBeGreaterThan(100);
    for (const ip of ips) {
      expect(ip).toMatch(/^127\.77\.\d+\.\d+$/);
      expect(['0', '255']).not.toContain(ip.split('.')[3]);
      expect(ip).not.toBe('127.77.0.1');
    }
    expect(ips).toEqual([...ips].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })));
  });

  it('mixes mostly cameras, some recorders, rebadged devices and about one host in ten that is no camera', () => {
    const count = (f: (d: LabDevice) => boolean) => devices.filter(f).length;
    for (const t of TEMPLATES) expect(count((d) => d.template === t)).toBeGreaterThan(0);
    expect(count((d) => d.kind === 'camera')).toBeGreaterThan(300);
    expect(count((d) => d.kind === 'recorder')).toBeGreaterThan(40);
    expect(count((d) => d.manufacturer === null)).toBeGreaterThanOrEqual(40);
    expect(count((d) => d.manufacturer === null)).toBeLessThanOrEqual(60);
    expect(count((d) => ['hikvision', 'dahua'].includes(d.manufacturer ?? '') && !['Hikvision', 'Dahua'].includes(d.brand))).toBeGreaterThan(30);
    // Every template even in a small lab.
    expect(new Set(generateDevices(TEMPLATES.length, '127.77.0.0/16', 2).map((d) => d.template)).size).toBe(TEMPLATES.length);
  });

  it('gives each device a label and MAC that the knowledge base attributes to its true maker, and nobody else', async () => {
    const { knowledge } = await loadIdentifier();
    for (const d of devices) {
      const id = identify([
        { protocol: 'text', fields: { brand: d.brand, model: d.model }, source: 'label' },
        { protocol: 'mac', fields: { mac: d.mac }, source: 'arp' },
      ], knowledge);
      // Lorex was Dahua's only while Dahua owned it: the label alone is a reason to check, not proof.
      if (d.template === 'lorex-nvr') expect([d.manufacturer, null], `${d.ip} ${d.model}`).toContain(id.manufacturer);
      else expect(id.manufacturer, `${d.ip} ${d.brand} ${d.model} ${d.mac}`).toBe(d.manufacturer);
      expect(id.conflicts, `${d.ip} ${d.model}`).toEqual([]);
    }
  });

  it('writes serials, realms and certificates in each maker\'s format', () => {
    for (const d of devices) {
      expect(d.mac).toMatch(/^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/);
      expect(d.credentials.password).not.toBe('');
      if (d.manufacturer === 'hikvision') {
        expect(d.serial.startsWith(d.model)).toBe(true);
        expect(d.web.tlsSubject).toContain('O=HIKVISION');
        expect(d.protocols).toEqual(expect.arrayContaining<LabProtocol>(['sadp', 'isapi', 'hik_sdk', 'onvif']));
      }
      if (d.template === 'dahua-camera' || d.template === 'dahua-nvr') expect(d.serial).toMatch(/^[0-9A-Z]{15}$/);
      if (d.manufacturer === 'dahua' && d.web.authScheme === 'digest') expect(d.web.realm).toBe(`Login to ${d.serial}`);
      if (d.manufacturer === 'dahua') expect(d.protocols).toEqual(expect.arrayContaining<LabProtocol>(['dhip', 'dvrip', 'dahua_cgi', 'dahua_37777']));
      if (d.manufacturer === 'axis') expect(d.serial).toBe(d.mac.replace(/:/g, '').toUpperCase());
      if (d.manufacturer === null) expect(d.protocols.every((p) => p === 'http' || p === 'https')).toBe(true);
      if (d.kind === 'recorder') expect(d.channels.length).toBeGreaterThan(0);
    }
    expect(devices.some((d) => d.manufacturer === 'hikvision' && !d.activated)).toBe(true);
    expect(devices.some((d) => d.cloud)).toBe(true);
  });

  it('refuses unknown templates, subnets without room and counts that are not whole', () => {
    expect(() => makeDevice('pelco-camera', '127.77.1.2')).toThrow(/unknown lab template "pelco-camera"/);
    expect(() => generateDevices(300, '127.77.15.0/24', 1)).toThrow(/room for 253 devices, not 300/);
    expect(() => generateDevices(0, '127.77.15.0/24', 1)).toThrow(CamauditError);
    expect(() => generateDevices(3, '127.77.15.9', 1)).toThrow(/give a CIDR/);
  });
});

describe('lab certificates', () => {
  it('carry the subject and issuer the firmware ships with, escaped commas included', () => {
    const issuer = 'CN=Dahua Device NVR CA, O=Zhejiang Dahua Technology Co.\\,Ltd., C=CN';
    const cert = new X509Certificate(labCertificate('CN=127.77.15.9, C=CN', issuer).cert);
    const [signal] = parseTls(cert.raw, 'cert');
    expect(signal!.fields).toMatchObject({ subject: 'CN=127.77.15.9, C=CN', issuer_cn: 'Dahua Device NVR CA', issuer_o: 'Zhejiang Dahua Technology Co.,Ltd.' });
    expect(labCertificate('CN=127.77.15.9, C=CN', issuer)).toBe(labCertificate('CN=127.77.15.9, C=CN', issuer));
    expect(() => labCertificate('XX=nothing')).toThrow(/not one of/);
  });
});

describe('device web front', () => {
  const routes: HttpRoute[] = [
    { method: 'GET', path: '/open', auth: false, handle: (req) => ({ status: 200, body: `open ${String(req.authenticated)}` }) },
    { method: 'GET', path: '/cgi-bin/magicBox.cgi?action=getDeviceType', auth: true, handle: () => ({ status: 200, body: 'type=IPC' }) },
    { method: 'POST', path: /^\/api\/\w+$/, auth: true, handle: (req) => ({ status: 200, headers: { 'Content-Type': 'application/json' }, body: req.body }) },
  ];
  const digest = makeDevice('hikvision-camera', '127.77.15.250', 11);
  const basic = makeDevice('router', '127.77.15.251', 11);
  const servers = [deviceHttpServer(digest, routes), deviceHttpServer(basic, routes)];
  const netw = guarded('127.77.15.0/24');

  beforeAll(async () => {
    expect(digest.web.authScheme).toBe('digest');
    expect(basic.web.authScheme).toBe('basic');
    await Promise.all(servers.map((s, i) => new Promise<void>((r) => s.server.listen(80, [digest, basic][i]!.ip, r))));
  });
  afterAll(() => Promise.all(servers.map((s) => s.close())));

  it('routes exact paths, paths with their query, and patterns; 404 otherwise; Server as the firmware sends it', async () => {
    const open = await request(netw, digest.ip, 80, { path: '/open' });
    expect(open).toMatchObject({ status: 200, headers: { server: digest.web.server } });
    expect(open!.body.toString()).toBe('open false');
    expect((await request(netw, digest.ip, 80, { path: '/open?x=1' }))?.status).toBe(200);
    expect((await request(netw, digest.ip, 80, { path: '/cgi-bin/magicBox.cgi?action=getSystemInfo' }))?.status).toBe(404);
    expect((await request(netw, digest.ip, 80, { path: '/api/x', method: 'GET' }))?.status).toBe(404);
    const router = await request(netw, basic.ip, 80, { path: '/nothing' });
    expect(router?.status).toBe(404);
    expect(router?.headers.server).toBeUndefined();
  });

  it('challenges with the device realm, accepts its Digest credentials and refuses wrong ones', async () => {
    const path = '/cgi-bin/magicBox.cgi?action=getDeviceType';
    const first = await request(netw, digest.ip, 80, { path });
    expect(first?.status).toBe(401);
    const { scheme, params } = challengeParams(first!.challenges[0]!);
    expect(scheme).toBe('digest');
    expect(params).toMatchObject({ realm: digest.web.realm, qop: 'auth' });
    expect(first!.challenges[0]).toMatch(/^Digest realm="IP Camera\(\d{5}\)"/);
    const ok = await authenticatedRequest(netw, digest.ip, 80, { path }, digest.credentials);
    expect(ok?.status).toBe(200);
    expect(ok?.body.toString()).toBe('type=IPC');
    expect((await authenticatedRequest(netw, digest.ip, 80, { path }, { ...digest.credentials, password: 'wrong' }))?.status).toBe(401);
    expect((await authenticatedRequest(netw, digest.ip, 80, { path }, { username: 'guest', password: digest.credentials.password }))?.status).toBe(401);
    const posted = await authenticatedRequest(netw, digest.ip, 80, { path: '/api/echo', method: 'POST', body: '{"a":1}' }, digest.credentials);
    expect(posted?.body.toString()).toBe('{"a":1}');
    // A Digest answer is bound to its nonce: one made up by the client is refused.
    const forged = first!.challenges[0]!.replace(/nonce="[^"]+"/, 'nonce="0000000000000000000000000000"');
    const replay = await request(netw, digest.ip, 80, { path }, { Authorization: digestAuthorization(forged, 'GET', path, digest.credentials) });
    expect(replay?.status).toBe(401);
  });

  it('asks Basic-only devices for Basic and accepts nothing else', async () => {
    const first = await request(netw, basic.ip, 80, { path: '/cgi-bin/magicBox.cgi?action=getDeviceType' });
    expect(first?.challenges).toEqual([`Basic realm="${basic.web.realm}"`]);
    expect((await authenticatedRequest(netw, basic.ip, 80, { path: '/cgi-bin/magicBox.cgi?action=getDeviceType' }, { ...basic.credentials, basicOverHttp: true }))?.status).toBe(200);
    expect((await authenticatedRequest(netw, basic.ip, 80, { path: '/cgi-bin/magicBox.cgi?action=getDeviceType' }, { ...basic.credentials, password: 'x', basicOverHttp: true }))?.status).toBe(401);
    // Without the owner's say-so the password is not sent readable over plain HTTP.
    expect((await authenticatedRequest(netw, basic.ip, 80, { path: '/cgi-bin/magicBox.cgi?action=getDeviceType' }, basic.credentials))?.status).toBe(401);
  });
});

describe('lab host', () => {
  // 28 devices over a /24: every template at least once.
  const devices = generateDevices(28, '127.77.15.0/25', 7);
  const netw = guarded('127.77.15.0/24');
  let lab: RunningLab;

  beforeAll(async () => {
    lab = await startLab({ devices });
  });
  afterAll(() => lab?.stop());

  it('runs every template', () => {
    expect(new Set(lab.devices.map((d) => d.template)).size).toBe(TEMPLATES.length);
  });

  it('answers GET / on every device with its web front, naming the firmware in Server', async () => {
    for (const d of devices) {
      const res = await request(netw, d.ip, 80, { path: '/' });
      expect(res, d.ip).not.toBeNull();
      expect([200, 302], `${d.ip} ${d.template}`).toContain(res!.status);
      expect(res!.headers.server, `${d.ip} ${d.template}`).toBe(d.web.server);
    }
  });

  it('serves HTTPS with the certificate the firmware ships', async () => {
    for (const d of devices.filter((x) => x.protocols.includes('https'))) {
      const got = await netw.exchange(d.ip, 443, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', { tls: true });
      // Attribute names as Node prints them (serialNumber) aside, the names are the firmware's.
      const dn = (text: string | undefined) => text?.replace(/^serialNumber=/i, 'SERIALNUMBER=');
      const [signal] = parseTls(got!.peer.certificate!, d.ip);
      const expected = parseTls(d.web.tlsSubject ?? `CN=${d.ip}`, 'subject')[0]!.fields.subject;
      expect(dn(signal!.fields.subject), `${d.ip} ${d.template}`).toBe(expected);
      if (d.web.tlsIssuer) expect(dn(signal!.fields.issuer), d.ip).toBe(parseTls(d.web.tlsIssuer, 'issuer', { hint: 'issuer' })[0]!.fields.issuer);
      expect(got!.data.toString('latin1')).toMatch(/^HTTP\/1\.1 (200|302)/);
    }
  });

  it('challenges a protected path with the device realm, then answers its credentials and refuses others', async () => {
    const protectedPaths: [LabProtocol, string][] = [['isapi', '/ISAPI/System/deviceInfo'], ['dahua_cgi', '/cgi-bin/magicBox.cgi?action=getDeviceType']];
    const checked = new Set<string>();
    for (const d of devices) {
      const path = protectedPaths.find(([p]) => d.protocols.includes(p))?.[1];
      if (!path) continue;
      expect(findRoute(servicesFor(d).http, 'GET', path)?.auth, `${d.ip} ${path}`).toBe(true);
      const first = await request(netw, d.ip, 80, { path });
      expect(first?.status, `${d.ip} ${path}`).toBe(401);
      const { scheme, params } = challengeParams(first!.challenges[0]!);
      expect(scheme).toBe(d.web.authScheme);
      expect(params.realm).toBe(d.web.realm);
      expect((await authenticatedRequest(netw, d.ip, 80, { path }, d.credentials))?.status, `${d.ip} ${path}`).toBe(200);
      expect((await authenticatedRequest(netw, d.ip, 80, { path }, { ...d.credentials, password: 'not-it' }))?.status).toBe(401);
      checked.add(`${d.manufacturer} ${d.web.authScheme}`);
    }
    expect([...checked]).toEqual(expect.arrayContaining(['hikvision digest', 'dahua digest']));
  });

  it('opens every raw TCP port of every device and nothing on devices without one', async () => {
    for (const d of devices) {
      for (const s of servicesFor(d).tcp) expect(await tcpOpen(d.ip, s.port), `${d.ip} ${d.template} tcp/${s.port}`).toBe(true);
    }
    const printer = devices.find((d) => d.template === 'printer')!;
    expect(await tcpOpen(printer.ip, 554)).toBe(false);
  });

  it('answers unicast discovery on UDP from each device, with the device\'s own serial', async () => {
    const probes: [LabProtocol, HostProbe][] = [['sadp', sadpUnicastProbe], ['dhip', dhipUnicastProbe], ['dvrip', dvripUnicastProbe], ['onvif', wsDiscoveryUnicastProbe]];
    for (const [protocol, probe] of probes) {
      const speakers = devices.filter((d) => d.protocols.includes(protocol));
      expect(speakers.length, protocol).toBeGreaterThan(0);
      for (const d of speakers) {
        const captures = await probe.run({ net: netw, ip: d.ip, openPorts: new Set(), credentials: [], now });
        expect(captures.length, `${protocol} ${d.ip} ${d.template}`).toBe(1);
        if (protocol === 'sadp' || protocol === 'dhip') {
          const signals = parseCapture(captureBytes(captures[0]!), captures[0]!.protocol, d.ip);
          expect(signals.some((s) => s.fields.serial === d.serial), `${protocol} ${d.ip}`).toBe(true);
        }
      }
    }
    // A printer speaks none of them.
    const printer = devices.find((d) => d.template === 'printer')!;
    expect(await sadpUnicastProbe.run({ net: netw, ip: printer.ip, openPorts: new Set(), credentials: [], now })).toEqual([]);
  });
});

describe('lab lifecycle', () => {
  const devices = generateDevices(6, '127.77.16.0/25', 9);

  it('frees every port on stop, so the same addresses start again', async () => {
    const first = await startLab({ devices });
    expect(await tcpOpen(devices[0]!.ip, 80)).toBe(true);
    await first.stop();
    for (const d of devices) expect(await tcpOpen(d.ip, 80)).toBe(false);
    const second = await startLab({ devices });
    expect(await tcpOpen(devices[0]!.ip, 80)).toBe(true);
    await second.stop();
    await second.stop();
  });

  it('refuses addresses already taken, naming the address, and leaves nothing of itself bound', async () => {
    const running = await startLab({ devices: devices.slice(0, 1) });
    try {
      const failed = startLab({ devices });
      await expect(failed).rejects.toThrow(CamauditError);
      await expect(failed).rejects.toThrow(new RegExp(`${devices[0]!.ip.replace(/\./g, '\\.')}:\\d+ is already in use`));
      // The devices that did bind before the clash were released again.
      for (const d of devices.slice(1)) expect(await tcpOpen(d.ip, 80)).toBe(false);
    } finally {
      await running.stop();
    }
  });
});

/** `camaudit lab` in its own process, once it has printed its ready line. */
async function startLabProcess(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test', 'helpers', 'cli-entry.ts'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines: string[] = [];
  const reader = createInterface({ input: child.stdout });
  reader.on('line', (l) => lines.push(l));
  await new Promise<void>((resolve, reject) => {
    reader.on('line', (l) => l.includes('"ready":true') && resolve());
    child.on('exit', (code) => reject(new Error(`lab exited (${String(code)}) before it was ready:\n${stderr}`)));
  });
  return { child, lines, stderr: () => stderr };
}

describe('camaudit lab', () => {
  it('prints one ready line once every device listens, writes the truth, and exits 0 on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'camaudit-lab-'));
    const truthFile = join(dir, 'truth.json');
    const { child, lines } = await startLabProcess(['lab', '--devices', '5', '--subnet', '127.77.16.128/25', '--seed', '3', '--truth-out', truthFile]);
    const ready = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(ready).toEqual({ ready: true, devices: 5, subnet: '127.77.16.128/25', seed: 3 });
    const expected = generateDevices(5, '127.77.16.128/25', 3);
    expect(JSON.parse(readFileSync(truthFile, 'utf8'))).toEqual(groundTruth(expected));
    const res = await request(guarded('127.77.16.128/25'), expected[0]!.ip, 80, { path: '/' });
    expect(res?.headers.server).toBe(expected[0]!.web.server);

    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(lines).toHaveLength(1);
    for (const d of expected) expect(await tcpOpen(d.ip, 80)).toBe(false);
  });

  it('tells the user in Dutch with --lang nl, the ready line unchanged', async () => {
    const { child, lines, stderr } = await startLabProcess(['--lang', 'nl', 'lab', '--devices', '2', '--subnet', '127.77.16.128/25', '--seed', '4']);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(lines).toEqual(['{"ready":true,"devices":2,"subnet":"127.77.16.128/25","seed":4}']);
    expect(stderr()).toBe('lab: 2 apparaten op 127.77.16.128/25; stoppen met Ctrl-C\n');
  });

  it('refuses a subnet off loopback without --netns', async () => {
    const result = await cli(['lab', '--devices', '2', '--subnet', '10.231.5.0/24']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/without --netns the lab runs on loopback/);
  });
});
