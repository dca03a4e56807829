// Dahua DVRIP discovery reply (UDP 5050, answer to `a3 01 00 01…`). Layout, little-endian, from
// DahuaConsole's dh_discover and UniversalScanner's Dahua1 (see discovery-protocols.md §2.5):
//   0      0xb3 0x00 magic
//   2      u16 length of section 2 (MAC text, then optionally the device type)
//   20     u16 length of section 3 (`Key:Value` lines: Name, Device, SerialNo, IPv6Addr…)
//   32     4 × u16 version
//   40     16-byte NUL-padded host name
//   56     IPv4 address, mask, gateway, DNS, then ports
//   120    section 2, then section 3
import type { Signal } from '../signals.js';
import { atLeastOne, invalid, makeSignal } from './common.js';
import { macField } from './mac.js';

const SECTION1_BYTES = 120;

export function isDvripReply(content: Buffer): boolean {
  if (content.length < SECTION1_BYTES || content[0] !== 0xb3 || content[1] !== 0x00) return false;
  return SECTION1_BYTES + content.readUInt16LE(2) + content.readUInt16LE(20) <= content.length;
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

export function parseDvrip(content: Buffer, source: string): Signal[] {
  if (!isDvripReply(content)) throw invalid(source, 'not a DVRIP discovery reply (0xb3, 120-byte header)');
  const section2Length = content.readUInt16LE(2);
  const section3Length = content.readUInt16LE(20);
  const parts = [0, 1, 2, 3].map((i) => content.readUInt16LE(32 + 2 * i));
  const section2 = content.subarray(SECTION1_BYTES, SECTION1_BYTES + section2Length).toString('utf8');
  const section3 = content.subarray(SECTION1_BYTES + section2Length, SECTION1_BYTES + section2Length + section3Length);
  const kv = keyValues(cString(section3));
  const hostname = cString(content.subarray(40, 56));
  const fields = {
    // Section 2 is the MAC as 17 characters of text, then the device type if the device sends it.
    device_type: section2.slice(17).replace(/\0/g, '').trim() || kv.get('Device'),
    serial: kv.get('SerialNo'),
    mac: macField(section2.slice(0, 17)),
    version: kv.get('Version') ?? (parts.some((p) => p !== 0) ? parts.join('.') : undefined),
    // The host name field of the struct; section 3's "Name" when the struct leaves it empty.
    name: hostname || kv.get('Name'),
  };
  return atLeastOne([makeSignal('dvrip', fields, source)], source, 'DVRIP fields');
}
