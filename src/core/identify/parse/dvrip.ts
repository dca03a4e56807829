// Dahua DVRIP binary answers. Two are read here, both given without any login:
//
// The discovery reply (UDP 5050, answer to `a3 01 00 01…`). Layout, little-endian, from
// DahuaConsole's dh_discover and UniversalScanner's Dahua1 (see discovery-protocols.md §2.5):
//   0      0xb3 0x00 magic
//   2      u16 length of section 2 (MAC text, then optionally the device type)
//   20     u16 length of section 3 (`Key:Value` lines: Name, Device, SerialNo, IPv6Addr…)
//   32     4 × u16 version
//   40     16-byte NUL-padded host name
//   56     IPv4 address, mask, gateway, DNS, then ports
//   120    section 2, then section 3
//
// The realm reply of the SDK port (TCP 37777, answer to the `a0 01` realm request that precedes a
// login): a 32-byte header starting 0xb0 with the u32 body length at byte 4, then the text
// `Realm:Login to <serial>\r\nRandom:<number>\r\n` (mcw0/PoC Dahua-3DES-IMOU-PoC.py, §2.5).
import type { Signal } from '../signals.js';
import { atLeastOne, invalid, makeSignal } from './common.js';
import { macField } from './mac.js';

const SECTION1_BYTES = 120;
const REALM_HEADER_BYTES = 32;

function isDiscoveryReply(content: Buffer): boolean {
  if (content.length < SECTION1_BYTES || content[0] !== 0xb3 || content[1] !== 0x00) return false;
  return SECTION1_BYTES + content.readUInt16LE(2) + content.readUInt16LE(20) <= content.length;
}

/** The text body of a realm reply, or null when the bytes are not one. */
function realmBody(content: Buffer): string | null {
  if (content.length <= REALM_HEADER_BYTES || content[0] !== 0xb0) return null;
  const end = Math.min(content.length, REALM_HEADER_BYTES + content.readUInt32LE(4));
  const body = content.subarray(REALM_HEADER_BYTES, end).toString('utf8');
  return body.startsWith('Realm:') ? body : null;
}

/** A DVRIP answer this parser reads: a 5050 discovery reply or a 37777 realm reply. */
export function isDvripReply(content: Buffer): boolean {
  return isDiscoveryReply(content) || realmBody(content) !== null;
}

function cString(bytes: Buffer): string {
  const end = bytes.indexOf(0);
  return bytes.subarray(0, end === -1 ? bytes.length : end).toString('utf8').trim();
}

function keyValues(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && !map.has(line.slice(0, colon).trim())) map.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return map;
}

function discoveryFields(content: Buffer): Record<string, string | undefined> {
  const section2Length = content.readUInt16LE(2);
  const section3Length = content.readUInt16LE(20);
  const parts = [0, 1, 2, 3].map((i) => content.readUInt16LE(32 + 2 * i));
  const section2 = content.subarray(SECTION1_BYTES, SECTION1_BYTES + section2Length).toString('utf8');
  const section3 = content.subarray(SECTION1_BYTES + section2Length, SECTION1_BYTES + section2Length + section3Length);
  const kv = keyValues(cString(section3));
  const hostname = cString(content.subarray(40, 56));
  return {
    // Section 2 is the MAC as 17 characters of text, then the device type if the device sends it.
    device_type: section2.slice(17).replace(/\0/g, '').trim() || kv.get('Device'),
    serial: kv.get('SerialNo'),
    mac: macField(section2.slice(0, 17)),
    version: kv.get('Version') ?? (parts.some((p) => p !== 0) ? parts.join('.') : undefined),
    // The host name field of the struct; section 3's "Name" when the struct leaves it empty.
    name: hostname || kv.get('Name'),
  };
}

// Dahua firmware (and its OEM builds) names the device's serial in the realm; a realm of another
// form carries no identity, only the answer's shape.
function realmFields(body: string): Record<string, string | undefined> {
  const realm = keyValues(body).get('Realm') ?? '';
  return { serial: /^Login to (\S+)$/.exec(realm)?.[1] };
}

export function parseDvrip(content: Buffer, source: string): Signal[] {
  const body = realmBody(content);
  if (body !== null) return atLeastOne([makeSignal('dvrip', realmFields(body), source)], source, 'serial in the DVRIP realm');
  if (!isDiscoveryReply(content)) throw invalid(source, 'not a DVRIP discovery reply (0xb3, 120-byte header) or realm reply (0xb0, "Realm:")');
  return atLeastOne([makeSignal('dvrip', discoveryFields(content), source)], source, 'DVRIP fields');
}
