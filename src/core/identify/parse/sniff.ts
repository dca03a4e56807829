// Telling XML and JSON answers apart by their element and key names, without parsing them in
// full (detection runs on every file an analyst drops in; parsing happens once, after).
import type { Protocol } from '../signals.js';
import { asRecord, child } from './common.js';

const SNIFF_CHARS = 64 * 1024;

/** The local name of the first element, after the prolog, comments and any DOCTYPE. */
function rootName(text: string): string | undefined {
  const body = text
    .slice(0, SNIFF_CHARS)
    .replace(/<\?[\s\S]*?\?>/g, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<!DOCTYPE(?:[^[>]|\[[\s\S]*?\])*>/gi, '');
  return /<(?:[\w.-]+:)?([\w.-]+)/.exec(body)?.[1];
}

function hasElement(text: string, name: string): boolean {
  return new RegExp(`<(?:[\\w.-]+:)?${name}[\\s/>]`).test(text.slice(0, SNIFF_CHARS));
}

export function sniffXml(text: string): Protocol | null {
  // An HTML page (a login page saved from a browser) is an HTTP body, not XML.
  if (/^(?:<!DOCTYPE\s+html|<html[\s>])/i.test(text.replace(/^<\?xml[\s\S]*?\?>\s*/, ''))) return 'http';
  const root = rootName(text);
  if (root === 'Envelope') return 'onvif';
  if (root === 'ProbeMatch' || root === 'ProbeMatches') {
    if (hasElement(text, 'DeviceSN') || hasElement(text, 'DeviceDescription')) return 'sadp';
    return 'onvif';
  }
  if (root === 'Hello' || root === 'Probe') return hasElement(text, 'DeviceSN') ? 'sadp' : 'onvif';
  if (root === 'InputProxyChannelList' || root === 'InputProxyChannel') return 'isapi';
  if (root === 'DeviceInfo') {
    const isapiNamespace = /xmlns\s*=\s*["'](?:http:\/\/www\.(?:hikvision|isapi)\.(?:com|org)\/|urn:psialliance-org)/i.test(text);
    return isapiNamespace || hasElement(text, 'serialNumber') ? 'isapi' : null;
  }
  return null;
}

const SCOPES = /^(?:scopes|xaddrs|types|urn)$/i;

function sniffValue(value: unknown): Protocol | null {
  const record = asRecord(Array.isArray(value) ? value[0] : value);
  if (!record) return null;
  const keys = Object.keys(record);
  if (keys.some((k) => k === 'DeviceInfo' || k === 'InputProxyChannelList' || k === 'InputProxyChannel')) return 'isapi';
  if (record['method'] === 'client.notifyDevInfo' || child(child(record, 'params'), 'deviceInfo') !== undefined) return 'dhip';
  if (keys.some((k) => SCOPES.test(k))) return 'onvif';
  // A parsed GetDeviceInformationResponse.
  if (keys.includes('Manufacturer') && (keys.includes('Model') || keys.includes('FirmwareVersion'))) return 'onvif';
  if (keys.includes('SerialNo') && keys.includes('DeviceType')) return 'dhip';
  return null;
}

/** JSON values (already parsed) or, when they did not parse, the raw text's telltale keys. */
export function sniffJson(values: readonly unknown[], text: string): Protocol | null {
  for (const value of values) {
    const found = sniffValue(value);
    if (found) return found;
  }
  // Damaged JSON (anonymised captures drop quotes) still shows its method or keys.
  if (/"method"\s*:\s*"client\.notifyDevInfo"/.test(text) || /"deviceInfo"\s*:\s*\{/.test(text)) return 'dhip';
  if (/"(?:DeviceInfo|InputProxyChannelList)"\s*:/.test(text)) return 'isapi';
  if (/"Scopes"\s*:/i.test(text)) return 'onvif';
  return null;
}
