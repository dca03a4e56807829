// SOAP 1.2 for the ONVIF device service: the two questions camaudit asks (GetSystemDateAndTime,
// GetDeviceInformation), the WS-Security UsernameToken that answers a device's login, and the
// device clock read back from an answer. Pure apart from the random nonce a token defaults to.
import { createHash, randomBytes } from 'node:crypto';
import { findAll, child, childText, stripHttpHead, textOf } from '../core/identify/parse/common.js';
import { parseXmlDocuments } from '../core/identify/parse/documents.js';
import type { Credential } from './http-client.js';

export const NS = {
  soap: 'http://www.w3.org/2003/05/soap-envelope',
  tds: 'http://www.onvif.org/ver10/device/wsdl',
  tt: 'http://www.onvif.org/ver10/schema',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  wsu: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
} as const;

export const PASSWORD_DIGEST = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest';
export const PASSWORD_TEXT = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText';
const BASE64_BINARY = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary';

/** The device-service operations camaudit sends: both read-only. */
export type DeviceOperation = 'GetSystemDateAndTime' | 'GetDeviceInformation';

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** WS-Security PasswordDigest: Base64(SHA-1(nonce + created + password)), nonce as raw bytes. */
export function passwordDigest(nonce: Buffer, created: string, password: string): string {
  return createHash('sha1').update(Buffer.concat([nonce, Buffer.from(created, 'utf8'), Buffer.from(password, 'utf8')])).digest('base64');
}

/** `2010-09-16T07:50:45Z`: whole seconds, the form every ONVIF stack accepts. */
export function createdTime(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The `wsse:Security` header carrying a UsernameToken with a PasswordDigest. `created` should be
 * the device's clock, not ours: devices refuse tokens created too far from their own time.
 */
export function usernameToken(cred: Credential, created: Date, nonce: Buffer = randomBytes(16)): string {
  const stamp = createdTime(created);
  return [
    `<wsse:Security s:mustUnderstand="1" xmlns:wsse="${NS.wsse}" xmlns:wsu="${NS.wsu}">`,
    '<wsse:UsernameToken>',
    `<wsse:Username>${escapeXml(cred.username)}</wsse:Username>`,
    `<wsse:Password Type="${PASSWORD_DIGEST}">${passwordDigest(nonce, stamp, cred.password)}</wsse:Password>`,
    `<wsse:Nonce EncodingType="${BASE64_BINARY}">${nonce.toString('base64')}</wsse:Nonce>`,
    `<wsu:Created>${stamp}</wsu:Created>`,
    '</wsse:UsernameToken>',
    '</wsse:Security>',
  ].join('');
}

/** A SOAP 1.2 request for one device-service operation, with an optional security header. */
export function deviceRequest(operation: DeviceOperation, security?: string): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<s:Envelope xmlns:s="${NS.soap}" xmlns:tds="${NS.tds}">`,
    security ? `<s:Header>${security}</s:Header>` : '',
    `<s:Body><tds:${operation}/></s:Body>`,
    '</s:Envelope>',
  ].join('');
}

/** SOAP 1.2 carries the action in the content type; some firmware routes on it. */
export function soapContentType(operation: DeviceOperation): string {
  return `application/soap+xml; charset=utf-8; action="${NS.tds}/${operation}"`;
}

/** The parsed envelope of an answer (HTTP head allowed), or null when it is not SOAP XML. */
function envelope(text: string): Record<string, unknown> | null {
  const body = (stripHttpHead(text) ?? text).trim();
  if (!/^(?:<\?xml[^>]*>\s*)?<(?:[\w.-]+:)?Envelope\b/.test(body)) return null;
  try {
    const [doc] = parseXmlDocuments(body, 'ONVIF answer');
    return doc ?? null;
  } catch {
    return null;
  }
}

export function isSoapEnvelope(text: string): boolean {
  return envelope(text) !== null;
}

/** Whether the answer holds the response element of `operation`. */
export function hasResponse(text: string, operation: DeviceOperation): boolean {
  const doc = envelope(text);
  return doc !== null && findAll(doc, `${operation}Response`).length > 0;
}

/** The fault of a SOAP answer: its subcode (`NotAuthorized`) and reason, or null for none. */
export function soapFault(text: string): { subcode: string | null; reason: string | null } | null {
  const doc = envelope(text);
  const fault = doc ? findAll(doc, 'Fault')[0] : undefined;
  if (fault === undefined) return null;
  const subcode = textOf(child(child(child(fault, 'Code'), 'Subcode'), 'Value'));
  return {
    subcode: subcode ? subcode.replace(/^[\w.-]+:/, '').trim() : null,
    reason: textOf(child(child(fault, 'Reason'), 'Text')) ?? null,
  };
}

function field(node: unknown, name: string, min: number, max: number): number | null {
  const text = childText(node, name)?.trim();
  if (!text || !/^\d{1,4}$/.test(text)) return null;
  const n = Number(text);
  return n >= min && n <= max ? n : null;
}

/** The device's UTC clock from a GetSystemDateAndTime answer, or null when it states none. */
export function deviceUtc(answer: string): Date | null {
  const doc = envelope(answer);
  const utc = doc ? findAll(doc, 'UTCDateTime')[0] : undefined;
  if (utc === undefined) return null;
  const date = child(utc, 'Date');
  const time = child(utc, 'Time');
  const parts = [
    field(date, 'Year', 1970, 9999), field(date, 'Month', 1, 12), field(date, 'Day', 1, 31),
    field(time, 'Hour', 0, 23), field(time, 'Minute', 0, 59), field(time, 'Second', 0, 60),
  ];
  if (parts.some((p) => p === null)) return null;
  const [year, month, day, hour, minute, second] = parts as number[];
  return new Date(Date.UTC(year!, month! - 1, day!, hour!, minute!, second!));
}

/**
 * Device clock minus the observer's clock, in whole seconds, from a GetSystemDateAndTime answer
 * and the moment it was received; null when the answer states no UTC time. A skew of minutes
 * makes WS-Security logins fail and recordings unusable as evidence.
 */
export function clockSkewSeconds(answer: string, observedAt: string | Date): number | null {
  const device = deviceUtc(answer);
  const observed = typeof observedAt === 'string' ? new Date(observedAt) : observedAt;
  if (device === null || Number.isNaN(observed.getTime())) return null;
  return Math.round((device.getTime() - observed.getTime()) / 1000);
}
