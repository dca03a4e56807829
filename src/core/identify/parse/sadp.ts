// Hikvision SADP (UDP 37020) replies: a bare <ProbeMatch> XML document per device, no SOAP.
// Unauthenticated, it gives model, serial, MAC and firmware, plus two risk facts: Activated=false
// (anyone on the LAN can claim the device) and the Hik-Connect/EZVIZ cloud switch.
import type { Signal } from '../signals.js';
import { asRecord, atLeastOne, childText, findAll, invalid, makeSignal, normaliseBool, numbered } from './common.js';
import { parseXmlDocuments } from './documents.js';
import { macField } from './mac.js';

// Cloud switches seen in SADP replies: HCPlatformEnable (Hik-Connect); EZVIZ/P2P on older and
// consumer firmware. An *Enable flag says whether it is on; Support* only that it could be.
const CLOUD_KEY = /(?:hcplatform|hik-?connect|ezviz|cloud|p2p)/i;

function cloudFlag(match: Record<string, unknown>): string | undefined {
  const keys = Object.keys(match).filter((k) => CLOUD_KEY.test(k));
  const key = keys.find((k) => /enable/i.test(k) && !/^support/i.test(k));
  return key ? normaliseBool(childText(match, key)) : undefined;
}

function probeMatchFields(node: unknown): Record<string, string | undefined> {
  const match = asRecord(node) ?? {};
  const description = childText(match, 'DeviceDescription');
  const type = childText(match, 'DeviceType');
  return {
    // device_type carries the model, as for the other native protocols: DeviceType itself is a
    // numeric product-class code (142378) that identification cannot use as a model.
    device_type: description ?? (type && !/^\d+$/.test(type) ? type : undefined),
    description,
    serial: childText(match, 'DeviceSN'),
    mac: macField(childText(match, 'MAC')),
    firmware: childText(match, 'SoftwareVersion'),
    dsp_version: childText(match, 'DSPVersion'),
    activated: normaliseBool(childText(match, 'Activated')),
    ip: childText(match, 'IPv4Address'),
    http_port: childText(match, 'HttpPort'),
    cloud: cloudFlag(match),
  };
}

export function parseSadp(text: string, source: string): Signal[] {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (!trimmed.startsWith('<')) throw invalid(source, 'not a SADP XML reply');
  const matches = parseXmlDocuments(trimmed, source).flatMap((doc) => findAll(doc, 'ProbeMatch'));
  if (matches.length === 0) throw invalid(source, 'no SADP <ProbeMatch> element');
  return atLeastOne(
    matches.map((m, i) => makeSignal('sadp', probeMatchFields(m), numbered(source, i, matches.length))),
    source,
    'SADP fields',
  );
}
