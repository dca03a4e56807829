import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identify } from '../../src/core/identify/identify.js';
import { parseCapture } from '../../src/core/identify/parse/detect.js';
import type { Signal } from '../../src/core/identify/signals.js';
import { request, type Credential } from '../../src/discover/http-client.js';
import { DEFAULT_POLITENESS, GuardedNet } from '../../src/discover/net.js';
import {
  clockSkewSeconds, deviceRequest, deviceUtc, passwordDigest, soapContentType, soapFault, usernameToken,
} from '../../src/discover/onvif-soap.js';
import { captureBytes, type Capture, type ProbeContext } from '../../src/discover/probe.js';
import { onvifClockProbe, onvifDeviceInfoProbe } from '../../src/discover/probes/onvif.js';
import {
  DEVICE, NETWORK_VIDEO_TRANSMITTER, messageKey, probeMessage, probeRound, readProbeMatches, wsDiscoveryUnicastProbe,
} from '../../src/discover/probes/ws-discovery.js';
import { buildScope } from '../../src/discover/scope.js';
import { parseXmlSafely } from '../../src/ingest/xml-guard.js';
import { makeDevice } from '../../src/lab/emulator/catalogue.js';
import { startLab, type RunningLab } from '../../src/lab/emulator/lab.js';
import { onvifServices, type OnvifLabDevice } from '../../src/lab/emulator/onvif.js';
import { loadIdentifier, type Identifier } from '../../src/kb/knowledge.js';

// Every address here is in this file's block, 127.77.13.0/24.
const SUBNET = '127.77.13.0/24';
/** Nothing listens here: a live host that does not speak WS-Discovery. */
const SILENT_IP = '127.77.13.99';
/** A hand-made responder answering with someone else's RelatesTo, then with none. */
const ODD_RESPONDER_IP = '127.77.13.98';

const FIXTURES = 'test/fixtures/devices/onvif';
const fixture = (name: string) => readFileSync(`${FIXTURES}/${name}`, 'utf8');

// One camera of each maker. Whether a device insists on login and how far its clock is off are
// set here, so each test meets the behaviour it is about whatever the catalogue derives.
const enforcing = { loginRequired: true, clockSkewSeconds: 0 };
const hikvision: OnvifLabDevice = { ...makeDevice('hikvision-camera', '127.77.13.10', 13), onvif: enforcing };
const dahua: OnvifLabDevice = { ...makeDevice('dahua-camera', '127.77.13.11', 13), onvif: enforcing };
const axis: OnvifLabDevice = { ...makeDevice('axis-camera', '127.77.13.12', 13), onvif: enforcing };
const bosch: OnvifLabDevice = { ...makeDevice('bosch-camera', '127.77.13.13', 13), onvif: enforcing };
const hanwha: OnvifLabDevice = { ...makeDevice('hanwha-camera', '127.77.13.14', 13), onvif: enforcing };
const uniview: OnvifLabDevice = { ...makeDevice('uniview-camera', '127.77.13.15', 13), onvif: enforcing };
const cameras = [hikvision, dahua, axis, bosch, hanwha, uniview];
/** Answers GetDeviceInformation to anyone, as many cheap devices do. */
const open: OnvifLabDevice = { ...makeDevice('hikvision-oem', '127.77.13.20', 13), onvif: { loginRequired: false, clockSkewSeconds: 0 } };
/** Insists on login and runs two hours slow: tokens dated by our clock are refused. */
const SKEW = -7200;
const skewed: OnvifLabDevice = { ...makeDevice('dahua-camera', '127.77.13.21', 14), onvif: { loginRequired: true, clockSkewSeconds: SKEW } };

let lab: RunningLab;
let kb: Identifier;

function guardedNet(): GuardedNet {
  return new GuardedNet(buildScope({ include: [SUBNET] }), { ...DEFAULT_POLITENESS, timeoutMs: 1000, perHostIntervalMs: 0, rate: 0 });
}

function context(netw: GuardedNet, ip: string, credentials: Credential[] = [], openPorts: number[] = [80]): ProbeContext {
  return { net: netw, ip, openPorts: new Set(openPorts), credentials, now: () => new Date().toISOString() };
}

function signalsOf(captures: readonly Capture[]): Signal[] {
  return captures.flatMap((c) => parseCapture(captureBytes(c), c.protocol, `${c.probe} ${c.request}`));
}

const wrong = (device: OnvifLabDevice): Credential => ({ username: device.credentials.username, password: `${device.credentials.password}-not` });

beforeAll(async () => {
  [lab, kb] = await Promise.all([startLab({ devices: [...cameras, open, skewed] }), loadIdentifier()]);
});

afterAll(async () => {
  await lab?.stop();
});

describe('WS-Security UsernameToken', () => {
  // The worked example of the ONVIF Application Programmer's Guide, section 6.1.1.3.
  const nonce = Buffer.from('LKqI6G/AikKCQrN0zqZFlg==', 'base64');

  it('computes PasswordDigest = Base64(SHA1(nonce + created + password))', () => {
    expect(passwordDigest(nonce, '2010-09-16T07:50:45Z', 'userpassword')).toBe('tuOSpGlFlIXsozq4HFNeeGeFLEI=');
  });

  it('builds the header with that digest, the nonce and Created in whole seconds, and never the password', () => {
    const header = usernameToken({ username: 'admin', password: 'userpassword' }, new Date('2010-09-16T07:50:45.678Z'), nonce);
    expect(header).toContain('<wsse:Username>admin</wsse:Username>');
    expect(header).toContain('#PasswordDigest">tuOSpGlFlIXsozq4HFNeeGeFLEI=</wsse:Password>');
    expect(header).toContain('>LKqI6G/AikKCQrN0zqZFlg==</wsse:Nonce>');
    expect(header).toContain('<wsu:Created>2010-09-16T07:50:45Z</wsu:Created>');
    expect(header).not.toContain('userpassword');
  });

  it('puts the token in the header of a well-formed SOAP 1.2 request naming the operation', () => {
    const xml = deviceRequest('GetDeviceInformation', usernameToken({ username: 'a&b', password: 'x' }, new Date(0), nonce));
    const doc = parseXmlSafely(xml, 'request', 64 * 1024, { removeNSPrefix: true }) as { Envelope: { Header: unknown; Body: Record<string, unknown> } };
    expect(Object.keys(doc.Envelope.Body)).toContain('GetDeviceInformation');
    expect(xml).toContain('<wsse:Username>a&amp;b</wsse:Username>');
    expect(soapContentType('GetDeviceInformation')).toContain('action="http://www.onvif.org/ver10/device/wsdl/GetDeviceInformation"');
  });
});

describe('device clock', () => {
  const answer = `<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema">
<SOAP-ENV:Body><tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime>
<tt:DateTimeType>Manual</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings><tt:TimeZone><tt:TZ>CST-8:00:00</tt:TZ></tt:TimeZone>
<tt:UTCDateTime><tt:Time><tt:Hour>4</tt:Hour><tt:Minute>56</tt:Minute><tt:Second>14</tt:Second></tt:Time><tt:Date><tt:Year>2025</tt:Year><tt:Month>12</tt:Month><tt:Day>2</tt:Day></tt:Date></tt:UTCDateTime>
<tt:LocalDateTime><tt:Time><tt:Hour>12</tt:Hour><tt:Minute>56</tt:Minute><tt:Second>14</tt:Second></tt:Time><tt:Date><tt:Year>2025</tt:Year><tt:Month>12</tt:Month><tt:Day>2</tt:Day></tt:Date></tt:LocalDateTime>
</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>`;

  it('reads the UTC time, not the local one', () => {
    expect(deviceUtc(answer)?.toISOString()).toBe('2025-12-02T04:56:14.000Z');
  });

  it('gives device time minus observation time in seconds, with or without the HTTP head', () => {
    expect(clockSkewSeconds(answer, '2025-12-02T04:55:00.000Z')).toBe(74);
    expect(clockSkewSeconds(`HTTP/1.1 200 OK\r\nContent-Type: application/soap+xml\r\n\r\n${answer}`, new Date('2025-12-02T06:56:14.400Z'))).toBe(-7200);
  });

  it('gives null when the answer states no UTC time or is no SOAP at all', () => {
    expect(clockSkewSeconds(answer.replace(/<tt:UTCDateTime>.*<\/tt:UTCDateTime>/, ''), '2025-12-02T04:55:00Z')).toBeNull();
    expect(clockSkewSeconds(answer.replace('<tt:Month>12</tt:Month>', '<tt:Month>13</tt:Month>'), '2025-12-02T04:55:00Z')).toBeNull();
    expect(clockSkewSeconds('<html><body>404</body></html>', '2025-12-02T04:55:00Z')).toBeNull();
  });
});

describe('WS-Discovery messages', () => {
  it('asks for each ONVIF type with a declared prefix and in the default namespace, with To and Action', () => {
    const prefixed = probeMessage(NETWORK_VIDEO_TRANSMITTER, true).xml;
    expect(prefixed).toContain('xmlns:dn="http://www.onvif.org/ver10/network/wsdl"');
    expect(prefixed).toContain('<d:Types>dn:NetworkVideoTransmitter</d:Types>');
    const bare = probeMessage(DEVICE, false).xml;
    expect(bare).toContain('<d:Types xmlns="http://www.onvif.org/ver10/device/wsdl">Device</d:Types>');
    expect(bare).not.toContain('tds:Device');
    for (const xml of [prefixed, bare]) {
      expect(xml).toContain('<a:To s:mustUnderstand="1">urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To>');
      expect(xml).toContain('<a:Action s:mustUnderstand="1">http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action>');
      expect(() => parseXmlSafely(xml, 'probe', 64 * 1024)).not.toThrow();
    }
  });

  it('sends four probes a round, each with a fresh urn:uuid MessageID', () => {
    const first = probeRound();
    const ids = [...first, ...probeRound()].map((m) => m.messageId);
    expect(first).toHaveLength(4);
    expect(new Set(ids).size).toBe(8);
    for (const id of ids) expect(id).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first.map((m) => /<d:Types[^>]*>([^<]*)</.exec(m.xml)?.[1])).toEqual(['dn:NetworkVideoTransmitter', 'NetworkVideoTransmitter', 'tds:Device', 'Device']);
  });

  it('reads RelatesTo and endpoints of real ProbeMatches, and nothing from other messages', () => {
    expect(readProbeMatches(fixture('unknown-wsdiscovery-anonymised-universalscanner.xml'))).toEqual({
      relatesTo: 'urn:uuid:11223344-5566-7788-9900-000000000001',
      endpoints: ['urn:uuid:11223344-5566-7788-9900-000000000002'],
    });
    expect(readProbeMatches(fixture('tplink-c200-probematch.xml'))).toEqual({ relatesTo: null, endpoints: ['uuid:3fa1fe68-b915-4053-a3e1-c006c3afec0e'] });
    expect(readProbeMatches(fixture('hikvision-getnetworkinterfaces.xml'))).toBeNull();
    expect(readProbeMatches(probeMessage(DEVICE, true).xml)).toBeNull();
    expect(readProbeMatches('not xml <')).toBeNull();
  });

  it('compares message ids as UUIDs, whatever prefix a device echoes', () => {
    expect(messageKey('urn:uuid:ABCD-1')).toBe(messageKey('uuid:abcd-1'));
    expect(messageKey(' abcd-1 ')).toBe('abcd-1');
  });
});

describe('lab WS-Discovery responder', () => {
  const respond = (device: OnvifLabDevice, text: string) => onvifServices(device).udp![0]!.respond(Buffer.from(text), device);

  it('answers every probe of a round, relating each answer to its probe', () => {
    for (const message of probeRound()) {
      const reply = readProbeMatches(respond(hikvision, message.xml)!.toString());
      expect(reply?.relatesTo).toBe(message.messageId);
    }
  });

  it('answers a probe with empty Types, and one asking for a scope it has', () => {
    const untyped = probeMessage(DEVICE, true).xml.replace(/<d:Types>[^<]*<\/d:Types>/, '<d:Types/>');
    expect(respond(dahua, untyped)).not.toBeNull();
    const scoped = probeMessage(DEVICE, true).xml.replace('<d:Scopes/>', `<d:Scopes>onvif://www.onvif.org/hardware/${dahua.model}</d:Scopes>`);
    expect(respond(dahua, scoped)).not.toBeNull();
  });

  it('stays silent for other device types, scopes it lacks, replies, DOCTYPEs and garbage', () => {
    const printer = probeMessage(DEVICE, true).xml
      .replace('<d:Types>tds:Device</d:Types>', '<d:Types xmlns:wprt="http://schemas.microsoft.com/windows/2006/08/wdp/print">wprt:PrintDeviceType</d:Types>');
    expect(respond(axis, printer)).toBeNull();
    const devprof = probeMessage(DEVICE, true).xml.replace('xmlns:tds="http://www.onvif.org/ver10/device/wsdl"', 'xmlns:tds="http://schemas.xmlsoap.org/ws/2006/02/devprof"');
    expect(respond(axis, devprof)).toBeNull();
    const elsewhere = probeMessage(DEVICE, true).xml.replace('<d:Scopes/>', '<d:Scopes>onvif://www.onvif.org/location/city/amsterdam</d:Scopes>');
    expect(respond(axis, elsewhere)).toBeNull();
    expect(respond(axis, fixture('unknown-wsdiscovery-anonymised-universalscanner.xml'))).toBeNull();
    expect(respond(axis, `<!DOCTYPE x [<!ENTITY e "e">]>${probeMessage(DEVICE, true).xml.replace(/^<\?xml[^>]*>/, '')}`)).toBeNull();
    expect(respond(axis, '\u0000\u0001garbage')).toBeNull();
  });
});

describe('unicast WS-Discovery against lab cameras', () => {
  it.each(cameras.map((c) => [c.template, c] as const))('%s: found once, announcing its service address', async (_template, device) => {
    const captures = await wsDiscoveryUnicastProbe.run(context(guardedNet(), device.ip));
    // The camera answers all four probes; the repeats name the same endpoint and are merged.
    expect(captures).toHaveLength(1);
    const [capture] = captures as [Capture];
    expect(capture).toMatchObject({ probe: 'ws-discovery-unicast', protocol: 'onvif', transport: 'udp', port: 3702, authenticated: false });
    const [signal] = signalsOf(captures);
    expect(signal?.fields.xaddrs).toContain(`http://${device.ip}/onvif/device_service`);
    expect(signal?.fields.types).toMatch(/NetworkVideoTransmitter/);
  });

  it.each([hikvision, dahua, hanwha, uniview].map((c) => [c.template, c] as const))(
    '%s: the announcement alone names the maker', async (_template, device) => {
      const captures = await wsDiscoveryUnicastProbe.run(context(guardedNet(), device.ip));
      expect(identify(signalsOf(captures), kb.knowledge).manufacturer).toBe(device.manufacturer);
    });

  it.each(cameras.map((c) => [c.template, c] as const))(
    '%s: announcement and device information together identify maker, model, firmware and serial', async (_template, device) => {
      const netw = guardedNet();
      const captures = [
        ...(await wsDiscoveryUnicastProbe.run(context(netw, device.ip))),
        ...(await onvifDeviceInfoProbe.run(context(netw, device.ip, [device.credentials]))),
      ];
      const identity = identify(signalsOf(captures), kb.knowledge);
      expect(identity).toMatchObject({ manufacturer: device.manufacturer, model: device.model, firmware: device.firmware, serial: device.serial });
    });

  it('hears nothing from a host without WS-Discovery, within the politeness timeout', async () => {
    const started = Date.now();
    expect(await wsDiscoveryUnicastProbe.run(context(guardedNet(), SILENT_IP))).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1600);
  });

  it('drops a ProbeMatches relating to another probe, and keeps one without RelatesTo', async () => {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(3702, ODD_RESPONDER_IP, resolve));
    const foreign = fixture('unknown-wsdiscovery-anonymised-universalscanner.xml');
    const headless = fixture('tplink-c200-probematch.xml');
    let answers = 0;
    socket.on('message', (_msg, from) => {
      // First round: someone else's reply only; from the second round on, a reply without header.
      socket.send(answers++ < 4 ? foreign : headless, from.port, from.address);
    });
    try {
      const foreignOnly = await wsDiscoveryUnicastProbe.run({ ...context(guardedNet(), ODD_RESPONDER_IP) });
      expect(answers).toBe(8);
      expect(foreignOnly.map((c) => c.content)).toEqual([headless]);
    } finally {
      socket.close();
    }
  });
});

describe('ONVIF device service against lab cameras', () => {
  it('reads the clock before login and records it verbatim with the vendor namespaces', async () => {
    const [capture, ...rest] = await onvifClockProbe.run(context(guardedNet(), hikvision.ip));
    expect(rest).toEqual([]);
    expect(capture).toMatchObject({ probe: 'onvif-clock', protocol: 'onvif', port: 80, authenticated: false });
    expect(Math.abs(clockSkewSeconds(capture!.content, capture!.at)!)).toBeLessThanOrEqual(2);
    // Hikvision's SOAP stack declares its own namespaces, which name the maker before any login.
    expect(identify(signalsOf([capture!]), kb.knowledge).manufacturer).toBe('hikvision');
  });

  it('measures the skew of a device whose clock is off', async () => {
    const [capture] = await onvifClockProbe.run(context(guardedNet(), skewed.ip));
    expect(clockSkewSeconds(capture!.content, capture!.at)).toBeGreaterThanOrEqual(SKEW - 2);
    expect(clockSkewSeconds(capture!.content, capture!.at)).toBeLessThanOrEqual(SKEW + 2);
  });

  it('finds no device service on a port that does not speak SOAP', async () => {
    const netw = guardedNet();
    expect(await onvifClockProbe.run(context(netw, SILENT_IP, [], [8080]))).toEqual([]);
    expect(await onvifDeviceInfoProbe.run(context(netw, SILENT_IP, [hikvision.credentials], [8080]))).toEqual([]);
  });

  it('is refused device information without credentials by a device that insists on login', async () => {
    const netw = guardedNet();
    expect(await onvifDeviceInfoProbe.run(context(netw, hikvision.ip))).toEqual([]);
    // One question, no clock reading and no login attempt: there was nothing to log in with.
    expect(netw.stats.connections).toBe(1);
  });

  it('gets device information with the right credentials, marked authenticated', async () => {
    const captures = await onvifDeviceInfoProbe.run(context(guardedNet(), hikvision.ip, [hikvision.credentials]));
    expect(captures).toHaveLength(1);
    expect(captures[0]).toMatchObject({ probe: 'onvif-device-information', protocol: 'onvif', port: 80, authenticated: true });
    expect(captures[0]!.content).not.toContain(hikvision.credentials.password);
    const [signal] = signalsOf(captures);
    expect(signal?.fields).toMatchObject({ manufacturer: 'HIKVISION', model: hikvision.model, firmware: hikvision.firmware, serial: hikvision.serial });
  });

  it('tries a wrong password once and marks nothing authenticated', async () => {
    const netw = guardedNet();
    expect(await onvifDeviceInfoProbe.run(context(netw, bosch.ip, [wrong(bosch)]))).toEqual([]);
    // Unauthenticated question, clock reading, one login attempt.
    expect(netw.stats.connections).toBe(3);
  });

  it('tries each of the owner\u2019s credentials once, in order, until one is accepted', async () => {
    const netw = guardedNet();
    const captures = await onvifDeviceInfoProbe.run(context(netw, axis.ip, [wrong(axis), axis.credentials, wrong(axis)]));
    expect(captures.map((c) => c.authenticated)).toEqual([true]);
    expect(netw.stats.connections).toBe(4);
  });

  it('takes the answer of a device that needs no login as unauthenticated, even when credentials are given', async () => {
    const netw = guardedNet();
    const captures = await onvifDeviceInfoProbe.run(context(netw, open.ip, [open.credentials]));
    expect(captures.map((c) => c.authenticated)).toEqual([false]);
    expect(netw.stats.connections).toBe(1);
    const identity = identify(signalsOf(captures), kb.knowledge);
    expect(identity).toMatchObject({ model: open.model, serial: open.serial });
    // Hikvision-made, sold as another brand: the manufacturer field gives the brand, the
    // envelope's namespaces the maker.
    expect(signalsOf(captures)[0]?.fields.manufacturer).toBe(open.brand);
    expect(identity.manufacturer).toBe('hikvision');
  });

  it('logs in to a device whose clock is two hours off by dating the token with the device clock', async () => {
    const netw = guardedNet();
    // A token dated by our own clock is refused as stale ...
    const ours = await request(netw, skewed.ip, 80, {
      method: 'POST', path: '/onvif/device_service',
      headers: { 'Content-Type': soapContentType('GetDeviceInformation') },
      body: deviceRequest('GetDeviceInformation', usernameToken(skewed.credentials, new Date())),
    });
    expect(soapFault(ours!.body.toString())?.subcode).toBe('NotAuthorized');
    // ... the probe reads the device clock first and is let in.
    const captures = await onvifDeviceInfoProbe.run(context(netw, skewed.ip, [skewed.credentials]));
    expect(captures.map((c) => c.authenticated)).toEqual([true]);
    expect(signalsOf(captures)[0]?.fields).toMatchObject({ model: skewed.model, serial: skewed.serial });
  });
});
