// Dahua DHIP discovery (UDP 37810): a 32-byte header (`20 00 00 00 "DHIP"`, little-endian body
// length at byte 16) and a JSON `client.notifyDevInfo` body. Captures also hold the bare JSON,
// several replies back to back, or Shadowserver's "DVR DHCPDiscover" CSV rows of the same data.
import { parse as parseCsv } from 'csv-parse/sync';
import type { Signal } from '../signals.js';
import { asArray, atLeastOne, child, childText, invalid, makeSignal, numbered, toText, normaliseBool } from './common.js';
import { splitJsonValues, tryJson } from './documents.js';
import { macField } from './mac.js';

const MAGIC = Buffer.from([0x20, 0x00, 0x00, 0x00, 0x44, 0x48, 0x49, 0x50]);
const HEADER_BYTES = 32;

export function isDhipFrame(content: Buffer): boolean {
  return content.length >= HEADER_BYTES && content.subarray(0, 8).equals(MAGIC);
}

/** The JSON bodies of consecutive DHIP frames. */
function frameBodies(content: Buffer): string[] {
  const bodies: string[] = [];
  let at = 0;
  while (at + HEADER_BYTES <= content.length && content.subarray(at, at + 8).equals(MAGIC)) {
    const length = content.readUInt32LE(at + 16);
    const end = Math.min(content.length, at + HEADER_BYTES + length);
    bodies.push(content.subarray(at + HEADER_BYTES, end).toString('utf8').replace(/\0+/g, ''));
    at = end;
  }
  return bodies;
}

type Fields = Record<string, string | undefined>;

/**
 * DHIP `Init` is a status word, as Dahua's NetSDK documents it: bits 0–1 say whether the device
 * is initialised (1 no, 2 yes; 0 on old firmware without the feature), bits 2–3 whether P2P cloud
 * access is on (1 off, 2 on). A value that is not a number is passed on as sent.
 */
function statusBits(raw: string | undefined, shift: number): string | undefined {
  if (raw === undefined || !/^\d+$/.test(raw.trim())) return raw === undefined ? undefined : normaliseBool(raw);
  const bits = (Number(raw) >> shift) & 3;
  return bits === 1 ? 'false' : bits === 2 ? 'true' : undefined;
}

function notifyFields(message: unknown): Fields {
  const info = child(child(message, 'params'), 'deviceInfo') ?? child(message, 'deviceInfo') ?? message;
  return {
    vendor: childText(info, 'Vendor') ?? childText(info, 'Manufacturer'),
    device_type: childText(info, 'DeviceType'),
    device_class: childText(info, 'DeviceClass'),
    serial: childText(info, 'SerialNo'),
    mac: macField(childText(message, 'mac') ?? childText(info, 'Mac') ?? childText(info, 'MAC')),
    version: childText(info, 'Version'),
    init: statusBits(childText(info, 'Init'), 0),
    p2p: /^\d+$/.test(childText(info, 'Init') ?? '') ? statusBits(childText(info, 'Init'), 2) : undefined,
    name: childText(info, 'MachineName'),
  };
}

/**
 * A damaged body (anonymisers drop quotes) still names its keys: read the first string or
 * scalar value of each key we want. A value that swallowed the next separator loses it.
 */
function scanFields(json: string): Fields {
  const found = new Map<string, string>();
  for (const m of json.matchAll(/"(\w+)"\s*:\s*(?:"((?:[^"\\]|\\.)*)"|(-?\d+(?:\.\d+)?|true|false))/g)) {
    const key = m[1] ?? '';
    if (!found.has(key)) found.set(key, (m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1').replace(/[,\s]+$/, ''));
  }
  return notifyFields(Object.fromEntries(found));
}

function jsonFieldSets(text: string): Fields[] {
  return splitJsonValues(text).flatMap((chunk) => {
    const value = tryJson(chunk);
    return value === undefined ? [scanFields(chunk)] : asArray(value).map(notifyFields);
  });
}

// Shadowserver scan_dvr_dhcpdiscover columns → DHIP fields. Shadowserver calls DeviceClass
// "device_type" and DeviceType "device_model".
function csvFieldSets(text: string): Fields[] {
  const rows = parseCsv(text, { columns: true, skip_empty_lines: true, relax_column_count: true, bom: true }) as Record<string, string>[];
  return rows.map((row) => ({
    vendor: row['device_vendor'] || row['manufacturer'],
    device_class: row['device_type'],
    device_type: row['device_model'],
    serial: row['device_serial'],
    mac: macField(row['mac_address']),
    version: row['device_version'],
    name: row['machine_name'],
  }));
}

export function isShadowserverDhipCsv(text: string): boolean {
  const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  return /\bdevice_serial\b/.test(header) && /\b(?:machine_name|device_model)\b/.test(header);
}

export function parseDhip(content: Buffer | string, source: string): Signal[] {
  let sets: Fields[];
  if (Buffer.isBuffer(content) && isDhipFrame(content)) {
    sets = frameBodies(content).flatMap(jsonFieldSets);
  } else {
    const text = toText(content).trim();
    if (isShadowserverDhipCsv(text)) {
      try {
        sets = csvFieldSets(text);
      } catch (cause) {
        throw invalid(source, `unreadable Shadowserver CSV: ${(cause as Error).message}`, cause);
      }
      // Row numbers as a spreadsheet shows them: the header is row 1.
      return atLeastOne(sets.map((f, i) => makeSignal('dhip', f, `${source} row ${i + 2}`)), source, 'DHIP device rows');
    }
    sets = jsonFieldSets(text);
  }
  return atLeastOne(sets.map((f, i) => makeSignal('dhip', f, numbered(source, i, sets.length))), source, 'DHIP device information');
}
