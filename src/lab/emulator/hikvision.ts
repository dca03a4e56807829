// What a Hikvision-made device (own brand or OEM) answers in the lab: SADP discovery on UDP 37020,
// ISAPI deviceInfo and the recorder's channel list behind login, and presence on the SDK port
// 8000. Field names, order and quirks follow real answers: test/fixtures/devices/sadp/*,
// test/fixtures/devices/isapi/* and nmap's `ipcam` match for port 8000.
import { createHash } from 'node:crypto';
import type { HttpRoute, LabDevice, LabServices, TcpService, UdpService } from './types.js';

export const SADP_PORT = 37020;
export const SADP_GROUP = '239.255.255.250';
export const HIK_SDK_PORT = 8000;

const ISAPI_NAMESPACE = 'http://www.hikvision.com/ver20/XMLSchema';

/**
 * ISAPI OEMCode / SADP DetailOEMCode: Hikvision's own builds report 1 (fixtures). OEM builds report
 * another number whose table is not public; the lab uses one fixed value for all OEM brands.
 */
const HIKVISION_OEM_CODE = '1';
const OTHER_OEM_CODE = '12';

/**
 * SADP DeviceType is a product-class number that nothing reads as a model: cameras in real answers
 * carry 142378 (fixture) and recorders another class; the lab uses one value per kind.
 */
const SADP_DEVICE_TYPE = { camera: '142378', recorder: '139711' } as const;

/** Reply of the SDK port to a request it cannot read: what nmap's `ipcam` match recognises. */
export const HIK_SDK_REPLY = Buffer.from([0, 0, 0, 0x10, 0, 0, 0, 0x1e, 0, 0, 0, 0x1e, 0, 0, 0, 0]);

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const element = (name: string, value: string | number) => `<${name}>${xmlEscape(String(value))}</${name}>`;

function isOwnBrand(device: LabDevice): boolean {
  return /hikvision/i.test(device.brand);
}

/** `V5.7.3 build 220112` → version `V5.7.3`, build `220112`; firmware without a build date keeps none. */
export function splitFirmware(firmware: string): { version: string; build: string | null } {
  const m = /^\s*(\S+?)\s*build\s*(\d{6})\s*$/i.exec(firmware);
  return m ? { version: m[1]!, build: m[2]! } : { version: firmware.trim(), build: null };
}

/** DVR models (analogue inputs) are DS-72xxH…/iDS-72xxH…; other recorders are NVRs. */
function recorderType(model: string): 'NVR' | 'DVR' {
  return /^i?DS-7[23]\d\dH/i.test(model) ? 'DVR' : 'NVR';
}

/** Channels a recorder model supports (DS-7608 → 8, DS-7732 → 32); cameras have one. */
function channelCapacity(device: LabDevice): number {
  if (device.kind !== 'recorder') return 1;
  const m = /^i?DS-[789]\d(\d{2})/i.exec(device.model);
  return m ? Number(m[1]) : Math.max(device.channels.length, 1);
}

function digest(device: LabDevice, purpose: string): string {
  return createHash('sha256').update(`${purpose}:${device.serial}`).digest('hex');
}

/** The Uuid and Types of a SADP inquiry, or null for anything else (garbage, answers, other tools' XML). */
export function readInquiry(message: Buffer): { uuid: string; types: string } | null {
  if (message.length > 2048) return null;
  const text = message.toString('utf8').replace(/^\uFEFF/, '').trim();
  const probe = /^(?:<\?xml[^>]*\?>\s*)?<Probe>([\s\S]*)<\/Probe>$/.exec(text)?.[1];
  if (probe === undefined) return null;
  const uuid = /<Uuid>\s*([{}0-9A-Za-z-]{1,64})\s*<\/Uuid>/.exec(probe)?.[1];
  const types = /<Types>\s*(inquiry(?:_v32)?)\s*<\/Types>/.exec(probe)?.[1];
  return uuid && types ? { uuid, types } : null;
}

/** The device's ProbeMatch, in the element order real firmware writes. */
export function sadpProbeMatch(device: LabDevice, uuid: string, types = 'inquiry'): string {
  const { version, build } = splitFirmware(device.firmware);
  const recorder = device.kind === 'recorder';
  const octets = device.ip.split('.');
  // Real firmware misspells false as "flase" in HCPlatformEnable and DeviceLock (fixtures);
  // Activated is written correctly in every answer seen.
  const flag = (on: boolean) => (on ? 'true' : 'flase');
  const fields: [string, string | number][] = [
    ['Uuid', uuid],
    ['Types', types],
    ['DeviceType', recorder ? SADP_DEVICE_TYPE.recorder : SADP_DEVICE_TYPE.camera],
    ['DeviceDescription', device.model],
    ['DeviceSN', device.serial],
    ['CommandPort', HIK_SDK_PORT],
    ['HttpPort', 80],
    // Dash-separated lower case, as the fixtures show.
    ['MAC', device.mac.toLowerCase().replace(/:/g, '-')],
    ['IPv4Address', device.ip],
    ['IPv4SubnetMask', '255.255.255.0'],
    ['IPv4Gateway', [...octets.slice(0, 3), '1'].join('.')],
    ['IPv6Address', '::'],
    ['IPv6Gateway', '::'],
    ['IPv6MaskLen', 64],
    ['DHCP', 'false'],
    ['AnalogChannelNum', 0],
    ['DigitalChannelNum', channelCapacity(device)],
    ['SoftwareVersion', build ? `${version}build ${build}` : version],
    ['DSPVersion', build ? `V7.3 build ${build}` : 'V7.3'],
    ['BootTime', '2024-09-18 09:21:28'],
    ['Encrypt', 'true'],
    ['ResetAbility', 'false'],
    ['DiskNumber', recorder ? 1 : 0],
    ['Activated', device.activated ? 'true' : 'false'],
    ['PasswordResetAbility', 'true'],
    ['PasswordResetModeSecond', 'true'],
    ['DetailOEMCode', isOwnBrand(device) ? HIKVISION_OEM_CODE : OTHER_OEM_CODE],
    ['SupportSecurityQuestion', 'true'],
    ['SupportHCPlatform', 'true'],
    ['HCPlatformEnable', flag(device.cloud)],
    ['IsModifyVerificationCode', 'true'],
    ['Salt', digest(device, 'salt')],
    ['DeviceLock', flag(false)],
    ['SDKOverTLSPort', 8443],
    ['SDKServerStatus', 'true'],
    ['SDKOverTLSServerStatus', 'true'],
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ProbeMatch>\n${fields.map(([k, v]) => element(k, v)).join('\n')}\n</ProbeMatch>\n`;
}

/** /ISAPI/System/deviceInfo as current firmware writes it (fixture ipc1.xml). */
export function isapiDeviceInfo(device: LabDevice): string {
  const { version, build } = splitFirmware(device.firmware);
  const recorder = device.kind === 'recorder';
  const type = recorder ? recorderType(device.model) : 'IPCamera';
  const id = digest(device, 'device-id');
  const own = isOwnBrand(device);
  const fields: [string, string | number][] = [
    ['deviceName', recorder ? type : 'IP CAMERA'],
    ['deviceID', `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`],
    ['deviceDescription', type],
    ['deviceLocation', 'hangzhou'],
    // OEM builds carry their brand's own defaults here; the lab leaves the contact out for them.
    ...(own ? [['systemContact', 'Hikvision.China'] as [string, string]] : []),
    ['model', device.model],
    ['serialNumber', device.serial],
    ['macAddress', device.mac.toLowerCase()],
    ['firmwareVersion', version],
    ...(build ? [['firmwareReleasedDate', `build ${build}`] as [string, string]] : []),
    ['encoderVersion', 'V7.3'],
    ...(build ? [['encoderReleasedDate', `build ${build}`] as [string, string]] : []),
    ['hardwareVersion', '0x0'],
    ['deviceType', type],
    ['telecontrolID', recorder ? 255 : 88],
    // Newer Hikvision firmware names itself; OEM builds do not.
    ...(own ? [['manufacturer', 'hikvision'] as [string, string]] : []),
    ['OEMCode', own ? HIKVISION_OEM_CODE : OTHER_OEM_CODE],
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>\n<DeviceInfo version="2.0" xmlns="${ISAPI_NAMESPACE}">\n${fields
    .map(([k, v]) => `    ${element(k, v)}`)
    .join('\n')}\n</DeviceInfo>\n`;
}

/**
 * /ISAPI/ContentMgmt/InputProxy/channels: the cameras a recorder proxies, described as the
 * recorder learnt them (fixtures list model, address and protocol, never the maker).
 */
export function isapiChannels(device: LabDevice): string {
  const channels = device.channels.map((c) => {
    const protocol = c.protocol.toUpperCase();
    const port: [string, string | number][] = [
      ['proxyProtocol', protocol],
      ['addressingFormatType', 'ipaddress'],
      ['ipAddress', c.ip],
      ['managePortNo', protocol === 'HIKVISION' ? HIK_SDK_PORT : 80],
      ['srcInputPort', 1],
      ['userName', 'admin'],
      ['streamType', 'auto'],
      ['model', c.model],
    ];
    return [
      `<InputProxyChannel version="1.0" xmlns="${ISAPI_NAMESPACE}">`,
      element('id', c.id),
      element('name', `IPCamera ${String(c.id).padStart(2, '0')}`),
      '<sourceInputPortDescriptor>',
      ...port.map(([k, v]) => element(k, v)),
      '</sourceInputPortDescriptor>',
      element('enableAnr', 'false'),
      element('enableTiming', 'true'),
      '</InputProxyChannel>',
    ].join('\n');
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<InputProxyChannelList version="1.0" xmlns="${ISAPI_NAMESPACE}" size="${device.channels.length}">\n${channels.join('\n')}\n</InputProxyChannelList>\n`;
}

const XML_HEADERS = { 'Content-Type': 'application/xml; charset="UTF-8"' };

function sadpService(): UdpService {
  return {
    port: SADP_PORT,
    group: SADP_GROUP,
    respond(message, device) {
      const inquiry = readInquiry(message);
      return inquiry ? Buffer.from(sadpProbeMatch(device, inquiry.uuid, inquiry.types), 'utf8') : null;
    },
  };
}

function isapiRoutes(device: LabDevice): HttpRoute[] {
  const routes: HttpRoute[] = [
    { method: 'GET', path: '/ISAPI/System/deviceInfo', auth: true, handle: (_req, d) => ({ status: 200, headers: XML_HEADERS, body: isapiDeviceInfo(d) }) },
  ];
  if (device.kind === 'recorder') {
    routes.push({ method: 'GET', path: '/ISAPI/ContentMgmt/InputProxy/channels', auth: true, handle: (_req, d) => ({ status: 200, headers: XML_HEADERS, body: isapiChannels(d) }) });
  }
  return routes;
}

/** The SDK port stays silent until spoken to, then answers any request it cannot read and hangs up. */
function sdkService(): TcpService {
  return {
    port: HIK_SDK_PORT,
    respond: (received) => (received.length > 0 ? { reply: HIK_SDK_REPLY, close: true } : null),
  };
}

export function hikvisionServices(device: LabDevice): LabServices {
  const services: LabServices = {};
  if (device.protocols.includes('sadp')) services.udp = [sadpService()];
  if (device.protocols.includes('isapi')) services.http = isapiRoutes(device);
  if (device.protocols.includes('hik_sdk')) services.tcp = [sdkService()];
  return services;
}
