// What a Dahua-made device (own brand or OEM: Lorex, Amcrest…) answers in the lab: DHIP discovery
// on UDP 37810, DVRIP discovery on UDP 5050, magicBox.cgi behind login, and the realm of its SDK
// port. Field names, order and values follow real answers: test/fixtures/devices/dhip/*,
// test/fixtures/devices/dvrip/*, test/fixtures/devices/dahua-cgi/* and discovery-protocols.md §2.5.
import { randomInt } from 'node:crypto';
import { DHIP_GROUP, DHIP_PORT, dhipBody, dhipFrame } from '../../discover/probes/dhip.js';
import { DVRIP_DISCOVERY_PORT } from '../../discover/probes/dvrip.js';
import type { HttpRoute, LabDevice, LabServices, TcpService, UdpService } from './types.js';

/** The SDK port: 37777 on Dahua's own builds, 35000 on Lorex's (§2.5). */
export function sdkPort(device: LabDevice): number {
  return /lorex/i.test(device.brand) ? 35000 : 37777;
}

/**
 * DHIP Vendor/Manufacturer: Dahua's own builds name Dahua, Lorex builds Lorex; other OEM builds
 * answer the placeholder "General" (UniversalScanner's capture; others send "Private").
 */
export function dhipVendor(device: LabDevice): string {
  if (/dahua/i.test(device.brand)) return 'Dahua';
  if (/lorex/i.test(device.brand)) return 'Lorex';
  return 'General';
}

/**
 * DHIP `Init` is the NetSDK byInitStatus bit field: bits 0–1 account initialised (1 no, 2 yes),
 * bits 2–3 public network (P2P cloud) access (1 off, 2 on), bits 4–5 phone direct connection
 * (1 off), bits 6–7 password reset supported (2 yes). The fixture's 2714 reads initialised, P2P on.
 */
export function dhipInit(device: LabDevice): number {
  return (device.activated ? 2 : 1) | ((device.cloud ? 2 : 1) << 2) | (1 << 4) | (2 << 6);
}

function deviceClass(device: LabDevice): string {
  if (device.kind !== 'recorder') return 'IPC';
  return /HCVR|XVR/i.exec(device.model)?.[0].toUpperCase() ?? 'NVR';
}

function gateway(ip: string): string {
  return [...ip.split('.').slice(0, 3), '1'].join('.');
}

/** The EUI-64 link-local address devices derive from their MAC, as DHIP and DVRIP report it. */
function linkLocal(mac: string): string {
  const b = mac.split(':').map((h) => parseInt(h, 16));
  const words = [((b[0]! ^ 0x02) << 8) | b[1]!, (b[2]! << 8) | 0xff, 0xfe00 | b[3]!, (b[4]! << 8) | b[5]!];
  return `fe80::${words.map((w) => w.toString(16).padStart(4, '0')).join(':')}`;
}

/** `client.notifyDevInfo` with the keys and nesting of the fixture (dahua-ipc-hdw1431t1-s4). */
export function notifyDevInfo(device: LabDevice): string {
  const recorder = device.kind === 'recorder';
  const vendor = dhipVendor(device);
  return JSON.stringify({
    mac: device.mac,
    method: 'client.notifyDevInfo',
    params: {
      deviceInfo: {
        AlarmInputChannels: recorder ? 4 : 0,
        AlarmOutputChannels: recorder ? 1 : 0,
        DeviceClass: deviceClass(device),
        DeviceID: '',
        DeviceType: device.model,
        Find: 'BC',
        FindVersion: 1,
        HttpPort: 80,
        IPv4Address: { DefaultGateway: gateway(device.ip), DhcpEnable: false, IPAddress: device.ip, SubnetMask: '255.255.255.0' },
        IPv6Address: { DefaultGateway: null, DhcpEnable: false, IPAddress: '/0', LinkLocalAddress: `${linkLocal(device.mac)}/64` },
        Init: dhipInit(device),
        // Dahua firmware names the machine after its serial until someone renames it (fixture).
        MachineName: device.serial,
        Manufacturer: vendor,
        Port: sdkPort(device),
        RemoteVideoInputChannels: recorder ? device.channels.length : 0,
        SerialNo: device.serial,
        UnLoginFuncMask: 1,
        Vendor: vendor,
        Version: device.firmware,
        VideoInputChannels: recorder ? 0 : 1,
        VideoOutputChannels: recorder ? 1 : 0,
      },
    },
  });
}

/**
 * Whether a datagram makes a device answer: a `DHDiscover.search` for every device or for this
 * MAC, or — as real devices do, which makes 37810 a reflector — a single 0xff byte.
 */
export function isSearch(message: Buffer, device: LabDevice): boolean {
  if (message.length === 1 && message[0] === 0xff) return true;
  const body = dhipBody(message);
  if (body === null) return false;
  let search: unknown;
  try {
    search = JSON.parse(body.replace(/\0+$/, ''));
  } catch {
    return false;
  }
  const { method, params } = (search ?? {}) as { method?: unknown; params?: { mac?: unknown } };
  if (method !== 'DHDiscover.search') return false;
  const mac = typeof params?.mac === 'string' ? params.mac.toLowerCase() : '';
  return mac === '' || mac === device.mac.toLowerCase();
}

const DVRIP_SECTION1_BYTES = 120;

/** Whether a datagram is the DVRIP discovery request (`a3 01 00 01`, 32 bytes). */
export function isDvripDiscovery(message: Buffer): boolean {
  return message.length === 32 && message[0] === 0xa3 && message[1] === 0x01;
}

/**
 * The DVRIP discovery reply in the fixture's layout: section 1 (120 bytes: magic, section
 * lengths, version words, host name, IPv4 settings, port words), the MAC and device type as
 * section 2, `Key:Value` lines as section 3.
 */
export function dvripDiscoveryReply(device: LabDevice): Buffer {
  const section2 = Buffer.from(`${device.mac}${device.model}`, 'utf8');
  const lines = [`Name:${dhipVendor(device)}`, `Device:${device.model}`, `IPv6Addr:${linkLocal(device.mac)}/64;gateway:fe80::`, '', `SerialNo:${device.serial}`, '', ''];
  const section3 = Buffer.from(lines.join('\r\n'), 'utf8');
  const head = Buffer.alloc(DVRIP_SECTION1_BYTES);
  head.set([0xb3, 0x00], 0);
  head.writeUInt16LE(section2.length, 2);
  head.writeUInt32LE(0x58, 4);
  head.writeUInt32LE(2, 16);
  head.writeUInt16LE(section3.length, 20);
  // Version words stay zero, as in the fixture: Dahua's version strings do not fit four words.
  head.write(device.serial.slice(0, 15), 40, 'utf8');
  const ipv4 = (text: string, at: number) => head.set(text.split('.').map(Number), at);
  ipv4(device.ip, 56);
  ipv4('255.255.255.0', 60);
  ipv4(gateway(device.ip), 64);
  ipv4(gateway(device.ip), 68);
  // Port words where the fixture has them: web, HTTPS, TCP (SDK), UDP.
  head.writeUInt16LE(80, 94);
  head.writeUInt16LE(443, 96);
  head.writeUInt16LE(sdkPort(device), 98);
  head.writeUInt16LE(sdkPort(device) + 1, 104);
  return Buffer.concat([head, section2, section3]);
}

const MAGICBOX = /^\/cgi-bin\/magicBox\.cgi\?action=([A-Za-z]+)$/;

/** magicBox.cgi answers as `key=value` lines (fixtures: getSystemInfo, getDeviceType, getSoftwareVersion). */
export function magicBoxAnswer(action: string, device: LabDevice): string | null {
  const lines: Record<string, string[]> = {
    getSystemInfo: ['appAutoStart=true', `deviceType=${device.model}`, 'hardwareVersion=1.00', `serialNumber=${device.serial}`, `updateSerial=${device.model}`],
    getDeviceType: [`type=${device.model}`],
    getSoftwareVersion: [`version=${device.firmware}`],
    getSerialNo: [`sn=${device.serial}`],
    getMachineName: [`name=${device.serial}`],
    getVendor: [`vendor=${dhipVendor(device)}`],
  };
  return Object.hasOwn(lines, action) ? `${lines[action]!.join('\r\n')}\r\n` : null;
}

const magicBoxRoute: HttpRoute = {
  method: 'GET',
  path: MAGICBOX,
  auth: true,
  handle(req, device) {
    const answer = magicBoxAnswer(MAGICBOX.exec(req.path)?.[1] ?? '', device);
    // Dahua firmware answers an unknown action with this two-line text and status 400.
    return answer === null
      ? { status: 400, headers: { 'Content-Type': 'text/plain;charset=utf-8' }, body: 'Error\r\nBad Request!\r\n' }
      : { status: 200, headers: { 'Content-Type': 'text/plain;charset=utf-8' }, body: answer };
  },
};

const DVRIP_HEADER_BYTES = 32;

/** The reply to the `a0 01` realm request: 32-byte header (0xb0, body length at byte 4) + text. */
export function realmReply(device: LabDevice, random: number): Buffer {
  const body = Buffer.from(`Realm:Login to ${device.serial}\r\nRandom:${random}\r\n`, 'utf8');
  const header = Buffer.alloc(DVRIP_HEADER_BYTES);
  header.set([0xb0, 0x01, 0x00, 0x68], 0);
  header.writeUInt32LE(body.length, 4);
  header.writeUInt32LE(body.length, 16);
  return Buffer.concat([header, body]);
}

function sdkService(device: LabDevice): TcpService {
  return {
    port: sdkPort(device),
    respond(received, dev) {
      if (received.length < DVRIP_HEADER_BYTES) return null;
      // A realm request gets its realm and a fresh random; the lab answers nothing else on this
      // port (logins are never sent by the scanner) and hangs up, as firmware does on garbage.
      if (received[0] === 0xa0 && received[1] === 0x01) return { reply: realmReply(dev, randomInt(2 ** 31)), close: false };
      return { reply: Buffer.alloc(0), close: true };
    },
  };
}

export function dahuaServices(device: LabDevice): LabServices {
  const udp: UdpService[] = [];
  const http: HttpRoute[] = [];
  const tcp: TcpService[] = [];
  if (device.protocols.includes('dhip')) {
    udp.push({
      port: DHIP_PORT,
      group: DHIP_GROUP,
      respond: (message, dev) => (isSearch(message, dev) ? dhipFrame(notifyDevInfo(dev)) : null),
    });
  }
  if (device.protocols.includes('dvrip')) {
    udp.push({ port: DVRIP_DISCOVERY_PORT, respond: (message, dev) => (isDvripDiscovery(message) ? dvripDiscoveryReply(dev) : null) });
  }
  if (device.protocols.includes('dahua_cgi')) http.push(magicBoxRoute);
  if (device.protocols.includes('dahua_37777')) tcp.push(sdkService(device));
  return { udp, http, tcp };
}
