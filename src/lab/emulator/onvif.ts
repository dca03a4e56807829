// ONVIF as lab devices answer it: WS-Discovery ProbeMatches on UDP 3702 (unicast, and the
// 239.255.255.250 group inside a namespace) and the device service on POST /onvif/device_service
// (GetSystemDateAndTime before login, GetDeviceInformation behind a WS-Security UsernameToken).
// Each maker's firmware writes its envelopes and scopes its own way; those are the tells the
// identifier reads, so they follow real answers: Hikvision's namespace list and MAC-bearing
// endpoint (test/fixtures/devices/onvif/hikvision-getnetworkinterfaces.xml, discovery-protocols.md
// §2.1), Dahua's one-line envelope (onvif/dahua-getcapabilities.xml), Uniview's scopes and endpoint
// (a capture published by brownfinesecurity.com), Bosch's `BOSCH-<serial>` name and hardware-id scope.
import { createHash } from 'node:crypto';
import { asRecord, child, childText, findAll, findText, textOf } from '../../core/identify/parse/common.js';
import { parseXmlSafely } from '../../ingest/xml-guard.js';
import { PASSWORD_TEXT, escapeXml, passwordDigest } from '../../discover/onvif-soap.js';
import type { HttpRoute, LabDevice, LabHttpResponse, LabServices, UdpService } from './types.js';

const NS = {
  soap: 'http://www.w3.org/2003/05/soap-envelope',
  soapEncoding: 'http://www.w3.org/2003/05/soap-encoding',
  addressing: 'http://schemas.xmlsoap.org/ws/2004/08/addressing',
  discovery: 'http://schemas.xmlsoap.org/ws/2005/04/discovery',
  network: 'http://www.onvif.org/ver10/network/wsdl',
  device: 'http://www.onvif.org/ver10/device/wsdl',
  schema: 'http://www.onvif.org/ver10/schema',
  error: 'http://www.onvif.org/ver10/error',
} as const;

/** What a device's ONVIF service does beyond what LabDevice records. */
export interface OnvifBehaviour {
  /** GetDeviceInformation needs a valid UsernameToken (its ONVIF access class is READ_SYSTEM). */
  loginRequired: boolean;
  /** Device clock minus true time: devices without NTP drift, and WS-Security then fails. */
  clockSkewSeconds: number;
}

/** A lab device whose ONVIF behaviour is set explicitly instead of derived from its identity. */
export type OnvifLabDevice = LabDevice & { onvif?: Partial<OnvifBehaviour> };

function hash(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * Which devices answer without login and which clocks are off is a lab choice, derived from the
 * serial so a seeded lab is the same every run: a quarter answer GetDeviceInformation without
 * login, as many cheap devices do (discovery-protocols.md §0.3), and a fifth run minutes to hours
 * off true time. Scans meet both behaviours; neither is a claim about any maker.
 */
export function onvifBehaviour(device: OnvifLabDevice): OnvifBehaviour {
  const h = hash(`onvif:${device.serial}`);
  const drifts = h[1]! % 5 === 0;
  const derived: OnvifBehaviour = {
    loginRequired: h[0]! % 4 !== 0,
    clockSkewSeconds: drifts ? (h[2]! % 2 === 0 ? 1 : -1) * (600 + (h.readUInt16BE(3) % 10_800)) : 0,
  };
  return { ...derived, ...device.onvif };
}

// ---------------------------------------------------------------------------------- envelopes

/** How one firmware family writes a SOAP envelope: prefixes, declarations, layout. */
interface Dialect {
  declaration: string;
  /** Prefixes used in bodies: envelope, WS-Addressing 2004/08, WS-Discovery. */
  env: string;
  wsa: string;
  wsd: string;
  xmlns: readonly (readonly [string, string])[];
  /** Between envelope parts: Dahua writes everything on one line. */
  separator: string;
}

const ONVIF_XMLNS = [['tds', NS.device], ['tt', NS.schema], ['dn', NS.network], ['ter', NS.error]] as const;

// The namespace list of a Hikvision device-service answer, in firmware order (fixture
// onvif/hikvision-getnetworkinterfaces.xml); discovery replies use its `d` and `wsadis` prefixes.
const HIKVISION: Dialect = {
  declaration: '<?xml version="1.0" encoding="UTF-8"?>',
  env: 'env', wsa: 'wsadis', wsd: 'd', separator: '\n',
  xmlns: [
    ['env', NS.soap], ['soapenc', NS.soapEncoding], ['xsi', 'http://www.w3.org/2001/XMLSchema-instance'], ['xs', 'http://www.w3.org/2001/XMLSchema'],
    ['tt', NS.schema], ['tds', NS.device], ['trt', 'http://www.onvif.org/ver10/media/wsdl'], ['timg', 'http://www.onvif.org/ver20/imaging/wsdl'],
    ['tev', 'http://www.onvif.org/ver10/events/wsdl'], ['tptz', 'http://www.onvif.org/ver20/ptz/wsdl'], ['tan', 'http://www.onvif.org/ver20/analytics/wsdl'],
    ['tst', 'http://www.onvif.org/ver10/storage/wsdl'], ['ter', NS.error], ['dn', NS.network], ['tns1', 'http://www.onvif.org/ver10/topics'],
    ['tmd', 'http://www.onvif.org/ver10/deviceIO/wsdl'], ['wsdl', 'http://schemas.xmlsoap.org/wsdl'], ['wsoap12', 'http://schemas.xmlsoap.org/wsdl/soap12'],
    ['http', 'http://schemas.xmlsoap.org/wsdl/http'], ['d', NS.discovery], ['wsadis', NS.addressing], ['wsnt', 'http://docs.oasis-open.org/wsn/b-2'],
    ['wsa', 'http://www.w3.org/2005/08/addressing'], ['wstop', 'http://docs.oasis-open.org/wsn/t-1'], ['wsrf-bf', 'http://docs.oasis-open.org/wsrf/bf-2'],
    ['wsntw', 'http://docs.oasis-open.org/wsn/bw-2'], ['wsrf-rw', 'http://docs.oasis-open.org/wsrf/rw-2'], ['wsaw', 'http://www.w3.org/2006/05/addressing/wsdl'],
    ['wsrf-r', 'http://docs.oasis-open.org/wsrf/r-2'], ['trc', 'http://www.onvif.org/ver10/recording/wsdl'], ['tse', 'http://www.onvif.org/ver10/search/wsdl'],
    ['trp', 'http://www.onvif.org/ver10/replay/wsdl'], ['tnshik', 'http://www.hikvision.com/2011/event/topics'],
    ['hikwsd', 'http://www.onvifext.com/onvif/ext/ver10/wsdl'], ['hikxsd', 'http://www.onvifext.com/onvif/ext/ver10/schema'],
    ['tas', 'http://www.onvif.org/ver10/advancedsecurity/wsdl'],
  ],
};

// One line, `standalone="yes"`, `sc` for SOAP encoding declared first (onvif/dahua-getcapabilities.xml).
const DAHUA: Dialect = {
  declaration: '<?xml version="1.0" encoding="utf-8" standalone="yes" ?>',
  env: 's', wsa: 'a', wsd: 'd', separator: '',
  xmlns: [['sc', NS.soapEncoding], ['s', NS.soap], ...ONVIF_XMLNS, ['d', NS.discovery], ['a', NS.addressing]],
};

// gSOAP's layout, which Axis, Bosch and Hanwha firmware answer with.
const GSOAP: Dialect = {
  declaration: '<?xml version="1.0" encoding="UTF-8"?>',
  env: 'SOAP-ENV', wsa: 'wsa', wsd: 'd', separator: '\n',
  xmlns: [
    ['SOAP-ENV', NS.soap], ['SOAP-ENC', NS.soapEncoding], ['xsi', 'http://www.w3.org/2001/XMLSchema-instance'], ['xsd', 'http://www.w3.org/2001/XMLSchema'],
    ['wsa', NS.addressing], ['d', NS.discovery], ...ONVIF_XMLNS,
  ],
};

// A Uniview camera's ProbeMatches as captured and published by brownfinesecurity.com: gSOAP with
// `tns` for WS-Discovery and `wsa5`.
const UNIVIEW_DIALECT: Dialect = {
  ...GSOAP,
  wsd: 'tns',
  xmlns: [
    ['SOAP-ENV', NS.soap], ['SOAP-ENC', NS.soapEncoding], ['xsi', 'http://www.w3.org/2001/XMLSchema-instance'], ['xsd', 'http://www.w3.org/2001/XMLSchema'],
    ['xop', 'http://www.w3.org/2004/08/xop/include'], ['wsa', NS.addressing], ['tns', NS.discovery], ['dn', NS.network], ['tds', NS.device],
    ['wsa5', 'http://www.w3.org/2005/08/addressing'], ['tt', NS.schema], ['ter', NS.error],
  ],
};

function soapEnvelope(dialect: Dialect, header: string, body: string): string {
  const { env, separator } = dialect;
  const xmlns = dialect.xmlns.map(([prefix, uri]) => `xmlns:${prefix}="${uri}"`).join(' ');
  return [
    dialect.declaration,
    `<${env}:Envelope ${xmlns}>`,
    header === '' ? `<${env}:Header/>` : `<${env}:Header>${header}</${env}:Header>`,
    `<${env}:Body>${body}</${env}:Body>`,
    `</${env}:Envelope>`,
  ].join(separator);
}

// ---------------------------------------------------------------------------------- makers

/** How one maker's firmware presents itself over ONVIF. */
interface MakerStyle {
  dialect: Dialect;
  types: string;
  /** The endpoint reference address announced in discovery. */
  endpoint(device: LabDevice): string;
  scopes(device: LabDevice): string[];
  /** Device-service XAddrs announced in discovery. */
  xaddrs(device: LabDevice): string[];
  /** GetDeviceInformation `Manufacturer`: the maker's own spelling, or the brand on OEM firmware. */
  manufacturer(device: LabDevice): string;
  hardwareId(device: LabDevice): string;
  metadataVersion: number;
  timeZone: { tz: string; offsetMinutes: number };
  /** A reply's own MessageID; Uniview sends a counter instead of a UUID. */
  messageId(device: LabDevice, n: number): string;
}

const scope = (path: string) => `onvif://www.onvif.org/${path}`;
const encoded = (value: string) => encodeURIComponent(value);
const macHex = (device: LabDevice) => device.mac.replace(/[^0-9a-f]/gi, '').toLowerCase();
const hex = (device: LabDevice, salt: string, length: number) => hash(`${salt}:${device.serial}`).toString('hex').slice(0, length);
const uuidOf = (device: LabDevice, salt: string) => {
  const h = hex(device, salt, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};
const serviceAddress = (device: LabDevice, scheme = 'http') => `${scheme}://${device.ip}/onvif/device_service`;

/** Whether the brand on the label is the maker's own name (not an OEM rebrand). */
function ownBrand(device: LabDevice): boolean {
  const maker = device.manufacturer?.toLowerCase();
  return maker !== undefined && device.brand.toLowerCase().replace(/[^a-z0-9]/g, '').includes(maker.replace(/[^a-z0-9]/g, ''));
}

const boschHardwareId = (device: LabDevice) => `F000${hex(device, 'hw', 4).toUpperCase()}`;

const BASE_STYLE = {
  types: 'dn:NetworkVideoTransmitter tds:Device',
  xaddrs: (device: LabDevice) => [serviceAddress(device)],
  metadataVersion: 1,
  timeZone: { tz: 'UTC0', offsetMinutes: 0 },
  messageId: (device: LabDevice, n: number) => `urn:uuid:${uuidOf(device, `message-${n}`)}`,
};

const STYLES: Readonly<Record<string, MakerStyle>> = {
  // Endpoint UUID ending with the MAC, MAC and model in the scopes, recorders named "Embedded Net DVR".
  hikvision: {
    ...BASE_STYLE,
    dialect: HIKVISION,
    endpoint: (d) => {
      const h = hex(d, 'epr', 12);
      return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-11b3-${hex(d, 'clock', 4)}-${macHex(d)}`;
    },
    scopes: (d) => [
      scope('type/video_encoder'), scope('Profile/Streaming'), scope('Profile/G'), scope('Profile/T'),
      scope(`MAC/${d.mac.toLowerCase()}`), scope(`hardware/${encoded(d.model)}`),
      scope(`name/${encoded(d.kind === 'recorder' ? 'Embedded Net DVR' : `${ownBrand(d) ? 'HIKVISION' : d.brand} ${d.model}`)}`),
      scope('location/city/hangzhou'),
    ],
    manufacturer: (d) => (ownBrand(d) ? 'HIKVISION' : d.brand),
    hardwareId: () => '88',
    metadataVersion: 10,
    timeZone: { tz: 'CST-8:00:00', offsetMinutes: 480 },
  },
  dahua: {
    ...BASE_STYLE,
    dialect: DAHUA,
    endpoint: (d) => `uuid:${uuidOf(d, 'epr')}`,
    scopes: (d) => [
      scope('location/country/china'), scope(`name/${encoded(ownBrand(d) ? 'Dahua' : d.brand)}`), scope(`hardware/${encoded(d.model)}`),
      scope('Profile/Streaming'), scope('Profile/T'), scope('type/Network_Video_Transmitter'), scope('extension/unique_identifier/1'),
    ],
    manufacturer: (d) => (ownBrand(d) ? 'Dahua' : d.brand),
    hardwareId: () => '1.00',
    timeZone: { tz: 'GMT+08:00', offsetMinutes: 480 },
  },
  axis: {
    ...BASE_STYLE,
    dialect: GSOAP,
    types: 'tds:Device dn:NetworkVideoTransmitter',
    endpoint: (d) => `urn:uuid:${uuidOf(d, 'epr')}`,
    scopes: (d) => [
      scope('Profile/Streaming'), scope('Profile/G'), scope(`hardware/${encoded(d.model)}`), scope(`name/${encoded(`AXIS ${d.model}`)}`),
      scope('Profile/M'), scope('Profile/T'), scope('location/'),
    ],
    xaddrs: (d) => [serviceAddress(d), serviceAddress(d, 'https')],
    manufacturer: () => 'AXIS',
    hardwareId: (d) => hex(d, 'hw', 3).toUpperCase(),
  },
  // Name scope is the default host name BOSCH-<serial>; the hardware scope is the HardwareId.
  bosch: {
    ...BASE_STYLE,
    dialect: GSOAP,
    endpoint: (d) => `urn:uuid:${uuidOf(d, 'epr')}`,
    scopes: (d) => [scope(`name/BOSCH-${encoded(d.serial)}`), scope('location/'), scope(`hardware/${boschHardwareId(d)}`), scope('Profile/Streaming')],
    manufacturer: () => 'Bosch',
    hardwareId: (d) => boschHardwareId(d),
  },
  // Hanwha Vision firmware names its maker in the discovery scopes (Jazea/Onvif.Core#55).
  hanwha: {
    ...BASE_STYLE,
    dialect: GSOAP,
    endpoint: (d) => `urn:uuid:${uuidOf(d, 'epr')}`,
    scopes: (d) => [
      scope('type/Network_Video_Transmitter'), scope('Profile/Streaming'), scope('Profile/G'), scope('Profile/T'),
      scope(`manufacturer/${encoded('Hanwha Vision')}`), scope(`hardware/${encoded(d.model)}`), scope(`name/${encoded(d.model)}`), scope('location/'),
    ],
    manufacturer: () => 'Hanwha Vision',
    hardwareId: (d) => hex(d, 'hw', 4).toUpperCase(),
  },
  // Endpoint 00010010-0001-1020-8000-<mac>, a numeric MessageID, firmware, serial and MAC scopes;
  // OEM firmware states manufacturer NONE.
  uniview: {
    ...BASE_STYLE,
    dialect: UNIVIEW_DIALECT,
    endpoint: (d) => `urn:uuid:00010010-0001-1020-8000-${macHex(d)}`,
    scopes: (d) => [
      scope('Profile/G'), scope('Profile/Streaming'), scope('Profile/T'), scope('type/video_encoder'), scope('type/audio_encoder'), scope('type/IPC'),
      scope(`manufacturer/${ownBrand(d) ? 'Uniview' : 'NONE'}`), scope('VideoSourceNumber/1'), scope(`version/${encoded(d.firmware)}`),
      scope(`serial/${encoded(d.serial)}`), scope(`macaddr/${macHex(d)}`), scope(`hardware/${encoded(d.model)}`), scope('location/'), scope(`name/${encoded(d.model)}`),
    ],
    manufacturer: (d) => (ownBrand(d) ? 'Uniview' : d.brand),
    hardwareId: (d) => hex(d, 'hw', 4).toUpperCase(),
    messageId: (_d, n) => String(10_000 + n),
  },
};

/** Makers without a style of their own announce the ONVIF minimum: name, hardware, profile. */
const GENERIC: MakerStyle = {
  ...BASE_STYLE,
  dialect: GSOAP,
  endpoint: (d) => `urn:uuid:${uuidOf(d, 'epr')}`,
  scopes: (d) => [scope(`name/${encoded(d.brand)}`), scope(`hardware/${encoded(d.model)}`), scope('Profile/Streaming'), scope('location/')],
  manufacturer: (d) => d.brand,
  hardwareId: (d) => hex(d, 'hw', 4).toUpperCase(),
};

function styleOf(device: LabDevice): MakerStyle {
  return (device.manufacturer && STYLES[device.manufacturer]) || GENERIC;
}

// ---------------------------------------------------------------------------------- discovery

/** The namespace a `Types` QName resolves to, from the declarations in the message. */
function typeNamespace(message: string, qname: string): string | undefined {
  const colon = qname.indexOf(':');
  if (colon > 0) {
    const prefix = qname.slice(0, colon).replace(/[^\w.-]/g, '');
    return new RegExp(`\\sxmlns:${prefix}\\s*=\\s*"([^"]*)"`).exec(message)?.[1];
  }
  return /<(?:[\w.-]+:)?Types\b[^>]*\sxmlns\s*=\s*"([^"]*)"/.exec(message)?.[1];
}

/**
 * Whether a Probe's Types ask for what a camera is: none (any device), or each of them
 * NetworkVideoTransmitter or Device in the ONVIF namespaces. An unresolved bare name is matched
 * by name, as firmware does.
 */
function typesMatch(message: string, types: string): boolean {
  return types.split(/\s+/).filter((t) => t !== '').every((qname) => {
    const name = qname.slice(qname.indexOf(':') + 1);
    const namespace = typeNamespace(message, qname);
    if (name === 'NetworkVideoTransmitter') return namespace === undefined || namespace === NS.network;
    if (name === 'Device') return namespace === undefined || namespace === NS.device;
    return false;
  });
}

/** RFC 3986 prefix matching, the WS-Discovery default: every asked scope prefixes one of ours. */
function scopesMatch(asked: string, ours: readonly string[]): boolean {
  return asked.split(/\s+/).filter((s) => s !== '').every((s) => ours.some((o) => o === s || o.startsWith(s.endsWith('/') ? s : `${s}/`)));
}

interface Probe {
  messageId: string;
  types: string;
  scopes: string;
}

/** A WS-Discovery Probe's MessageID, Types and Scopes; null for anything else. */
function readProbe(message: Buffer): Probe | null {
  let doc: unknown;
  try {
    doc = parseXmlSafely(message.toString('utf8').trim(), 'WS-Discovery probe', 64 * 1024, { removeNSPrefix: true });
  } catch {
    return null;
  }
  const probe = findAll(doc, 'Probe')[0];
  const messageId = findText(doc, 'MessageID')?.trim();
  if (probe === undefined || !messageId) return null;
  return { messageId, types: textOf(child(probe, 'Types')) ?? '', scopes: textOf(child(probe, 'Scopes')) ?? '' };
}

function probeMatches(device: LabDevice, style: MakerStyle, probe: Probe, n: number, instanceId: number): string {
  const { env, wsa, wsd } = style.dialect;
  const header = [
    `<${wsa}:MessageID>${escapeXml(style.messageId(device, n))}</${wsa}:MessageID>`,
    `<${wsa}:RelatesTo>${escapeXml(probe.messageId)}</${wsa}:RelatesTo>`,
    `<${wsa}:To ${env}:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</${wsa}:To>`,
    `<${wsa}:Action ${env}:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</${wsa}:Action>`,
    `<${wsd}:AppSequence InstanceId="${instanceId}" MessageNumber="${n}"/>`,
  ].join('');
  const body = [
    `<${wsd}:ProbeMatches><${wsd}:ProbeMatch>`,
    `<${wsa}:EndpointReference><${wsa}:Address>${escapeXml(style.endpoint(device))}</${wsa}:Address></${wsa}:EndpointReference>`,
    `<${wsd}:Types>${style.types}</${wsd}:Types>`,
    `<${wsd}:Scopes>${escapeXml(style.scopes(device).join(' '))}</${wsd}:Scopes>`,
    `<${wsd}:XAddrs>${escapeXml(style.xaddrs(device).join(' '))}</${wsd}:XAddrs>`,
    `<${wsd}:MetadataVersion>${style.metadataVersion}</${wsd}:MetadataVersion>`,
    `</${wsd}:ProbeMatch></${wsd}:ProbeMatches>`,
  ].join('');
  return soapEnvelope(style.dialect, header, body);
}

// ---------------------------------------------------------------------------------- device service

const SOAP_HEADERS = { 'Content-Type': 'application/soap+xml; charset=utf-8' };

function fault(dialect: Dialect, status: number, code: 'Sender' | 'Receiver', subcode: string, reason: string): LabHttpResponse {
  const e = dialect.env;
  const body = `<${e}:Fault><${e}:Code><${e}:Value>${e}:${code}</${e}:Value><${e}:Subcode><${e}:Value>ter:${subcode}</${e}:Value></${e}:Subcode></${e}:Code>`
    + `<${e}:Reason><${e}:Text xml:lang="en">${reason}</${e}:Text></${e}:Reason></${e}:Fault>`;
  return { status, headers: SOAP_HEADERS, body: soapEnvelope(dialect, '', body) };
}

function dateTime(at: Date): string {
  return `<tt:Time><tt:Hour>${at.getUTCHours()}</tt:Hour><tt:Minute>${at.getUTCMinutes()}</tt:Minute><tt:Second>${at.getUTCSeconds()}</tt:Second></tt:Time>`
    + `<tt:Date><tt:Year>${at.getUTCFullYear()}</tt:Year><tt:Month>${at.getUTCMonth() + 1}</tt:Month><tt:Day>${at.getUTCDate()}</tt:Day></tt:Date>`;
}

function systemDateAndTime(style: MakerStyle, deviceNow: Date, skewed: boolean): string {
  const local = new Date(deviceNow.getTime() + style.timeZone.offsetMinutes * 60_000);
  return '<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime>'
    + `<tt:DateTimeType>${skewed ? 'Manual' : 'NTP'}</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>`
    + `<tt:TimeZone><tt:TZ>${style.timeZone.tz}</tt:TZ></tt:TimeZone>`
    + `<tt:UTCDateTime>${dateTime(deviceNow)}</tt:UTCDateTime><tt:LocalDateTime>${dateTime(local)}</tt:LocalDateTime>`
    + '</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>';
}

function deviceInformation(device: LabDevice, style: MakerStyle): string {
  return '<tds:GetDeviceInformationResponse>'
    + `<tds:Manufacturer>${escapeXml(style.manufacturer(device))}</tds:Manufacturer>`
    + `<tds:Model>${escapeXml(device.model)}</tds:Model>`
    + `<tds:FirmwareVersion>${escapeXml(device.firmware)}</tds:FirmwareVersion>`
    + `<tds:SerialNumber>${escapeXml(device.serial)}</tds:SerialNumber>`
    + `<tds:HardwareId>${escapeXml(style.hardwareId(device))}</tds:HardwareId>`
    + '</tds:GetDeviceInformationResponse>';
}

/** How far a token's Created may lie from the device clock before the token is refused. */
const TOKEN_WINDOW_SECONDS = 300;

/**
 * Whether the request's UsernameToken names the device's user with the right password, as a
 * PasswordDigest over its nonce and Created (or as PasswordText), created within the window
 * around the device's own clock.
 */
function tokenValid(doc: unknown, device: LabDevice, deviceNow: Date): boolean {
  const token = findAll(findAll(doc, 'Security')[0], 'UsernameToken')[0];
  if (token === undefined) return false;
  const username = childText(token, 'Username')?.trim();
  const passwordNode = child(token, 'Password');
  const password = textOf(passwordNode)?.trim() ?? '';
  const created = childText(token, 'Created')?.trim() ?? '';
  const nonce = childText(token, 'Nonce')?.trim() ?? '';
  if (username !== device.credentials.username) return false;
  const type = typeof passwordNode === 'object' && passwordNode !== null ? String((passwordNode as Record<string, unknown>)['@_Type'] ?? '') : '';
  if (type === PASSWORD_TEXT) return password === device.credentials.password;
  const createdAt = Date.parse(created);
  if (Number.isNaN(createdAt) || Math.abs(createdAt - deviceNow.getTime()) > TOKEN_WINDOW_SECONDS * 1000) return false;
  return password === passwordDigest(Buffer.from(nonce, 'base64'), created, device.credentials.password);
}

function answerDeviceService(device: OnvifLabDevice, style: MakerStyle, body: string, httpAuthenticated: boolean): LabHttpResponse {
  const { dialect } = style;
  let doc: unknown;
  try {
    doc = parseXmlSafely(body.trim(), 'ONVIF request', 256 * 1024, { removeNSPrefix: true });
  } catch {
    return fault(dialect, 400, 'Sender', 'WellFormed', 'Well-formed Error');
  }
  const behaviour = onvifBehaviour(device);
  const deviceNow = new Date(Date.now() + behaviour.clockSkewSeconds * 1000);
  const ok = (payload: string): LabHttpResponse => ({ status: 200, headers: SOAP_HEADERS, body: soapEnvelope(dialect, '', payload) });
  const operation = Object.keys(asRecord(child(child(doc, 'Envelope'), 'Body')) ?? {}).find((k) => !k.startsWith('@_'));
  switch (operation) {
    case 'GetSystemDateAndTime':
      return ok(systemDateAndTime(style, deviceNow, behaviour.clockSkewSeconds !== 0));
    case 'GetDeviceInformation':
      // ONVIF accepts HTTP Digest as well as WS-Security; either one logs in.
      if (behaviour.loginRequired && !httpAuthenticated && !tokenValid(doc, device, deviceNow)) {
        return fault(dialect, 400, 'Sender', 'NotAuthorized', 'Sender not Authorized');
      }
      return ok(deviceInformation(device, style));
    default:
      return fault(dialect, 500, 'Receiver', 'ActionNotSupported', 'Optional Action Not Implemented');
  }
}

// ---------------------------------------------------------------------------------- services

export const ONVIF_DISCOVERY_PORT = 3702;
export const ONVIF_DISCOVERY_GROUP = '239.255.255.250';

export function onvifServices(device: LabDevice): LabServices {
  if (!device.protocols.includes('onvif')) return {};
  const style = styleOf(device);
  // Firmware numbers its discovery messages from boot; InstanceId changes per boot.
  const instanceId = Math.floor(Date.now() / 1000);
  let messageNumber = 0;
  const discovery: UdpService = {
    port: ONVIF_DISCOVERY_PORT,
    group: ONVIF_DISCOVERY_GROUP,
    respond(message, dev) {
      const probe = readProbe(message);
      if (!probe || !typesMatch(message.toString('utf8'), probe.types) || !scopesMatch(probe.scopes, style.scopes(dev))) return null;
      return Buffer.from(probeMatches(dev, style, probe, ++messageNumber, instanceId), 'utf8');
    },
  };
  const service: HttpRoute = {
    method: 'POST',
    path: '/onvif/device_service',
    auth: false,
    handle: (req, dev) => answerDeviceService(dev, style, req.body, req.authenticated),
  };
  return { udp: [discovery], http: [service] };
}
