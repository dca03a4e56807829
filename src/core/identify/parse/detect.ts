// Which protocol a captured answer is, from its bytes (and, for bare values that carry no
// structure, its file name), and the one entry point that turns a capture into signals.
import { CamauditError } from '../../errors.js';
import type { Protocol, Signal } from '../signals.js';
import { MAX_CAPTURE_BYTES, invalid, looksBinary, stripHttpHead, toText } from './common.js';
import { keyValueLines, parseDahuaCgi } from './dahua-cgi.js';
import { isDhipFrame, isShadowserverDhipCsv, parseDhip } from './dhip.js';
import { splitJsonValues, tryJson } from './documents.js';
import { isDvripReply, parseDvrip } from './dvrip.js';
import { isMessage, parseHttp, type HttpHint } from './http.js';
import { parseIsapi } from './isapi.js';
import { isLoneMac, parseMac } from './mac.js';
import { isMdnsMessage, parseMdns } from './mdns.js';
import { parseOnvif } from './onvif.js';
import { isSdp, parseRtsp, type RtspHint } from './rtsp.js';
import { parseSadp } from './sadp.js';
import { parseTelnet } from './telnet.js';
import { parseText } from './text.js';
import { OPENSSL_TEXT, isDistinguishedName, parseTls, type TlsHint } from './tls.js';
import { sniffJson, sniffXml } from './sniff.js';

export type CaptureHint = HttpHint | RtspHint | TlsHint;
export interface CaptureOptions {
  /** Which field a bare value is (Server banner, realm, title, favicon hash, issuer…). */
  hint?: CaptureHint;
}

// Bare values (a banner, a realm) carry no structure; scanner exports and the fixture set name
// them in the file name instead. Checked in order: the first match wins.
const NAME_PROTOCOLS: readonly [RegExp, Protocol][] = [
  [/telnet/i, 'telnet'],
  [/rtsp/i, 'rtsp'],
  [/dhcp/i, 'text'],
  [/x509|tls|cert|subject|issuer/i, 'tls'],
  [/server-header|wwwauth|www-authenticate|realm|html-title|favicon|http/i, 'http'],
];

const NAME_HINTS: readonly [RegExp, CaptureHint][] = [
  [/issuer/i, 'issuer'],
  [/subject/i, 'subject'],
  [/wwwauth|www-authenticate|realm/i, 'www_authenticate'],
  [/favicon/i, 'favicon_md5'],
  [/title/i, 'title'],
  [/(?:^|[^a-z])server/i, 'server'],
];

/** The field a bare value in a file of this name is, if the name says so. */
export function hintFromName(name: string | undefined): CaptureHint | undefined {
  return name ? NAME_HINTS.find(([re]) => re.test(name))?.[1] : undefined;
}

function detectBinary(content: Buffer): Protocol | null {
  if (isDhipFrame(content)) return 'dhip';
  if (isDvripReply(content)) return 'dvrip';
  if (isMdnsMessage(content)) return 'mdns';
  if (content[0] === 0x30 && content[1] === 0x82) return 'tls'; // DER certificate
  return null;
}

// Keys only magicBox.cgi answers with, and Dahua's firmware numbering. Generic keys (`type=`,
// `version=`, `sn=`) are what any label file has: with those alone a file is read as text.
const DAHUA_ONLY_KEYS = new Set(['deviceType', 'updateSerial', 'processor', 'appAutoStart']);
const DAHUA_VERSION = /^V?\d\.\d{3}\.\d{7}\.\d+\.[A-Z]\b/;

function looksLikeDahuaCgi(kv: ReadonlyMap<string, string>): boolean {
  return [...kv.keys()].some((k) => DAHUA_ONLY_KEYS.has(k)) || DAHUA_VERSION.test(kv.get('version') ?? '');
}

function detectText(text: string, fileName: string | undefined): Protocol | null {
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  if (/-----BEGIN CERTIFICATE-----/.test(text)) return 'tls';
  if (/^RTSP\/\d\.\d\s/i.test(first)) return 'rtsp';
  const body = stripHttpHead(text);
  if (body !== null) {
    // A saved `curl -i` of an API call is that API's answer; anything else is an HTTP answer.
    const inner = body.trim() === '' ? null : detectText(body.trim(), undefined);
    return inner && ['onvif', 'isapi', 'sadp', 'dahua_cgi', 'dhip'].includes(inner) ? inner : 'http';
  }
  if (/^[A-Z][A-Z-]*\s+\S+\s+HTTP\/\d\.\d\s*$/.test(first)) return 'http'; // SSDP NOTIFY / M-SEARCH
  if (isSdp(text)) return 'rtsp';
  if (text.startsWith('<')) return sniffXml(text);
  if (text.startsWith('{') || text.startsWith('[')) {
    const values = splitJsonValues(text).map(tryJson).filter((v) => v !== undefined);
    return sniffJson(values, text);
  }
  if (isShadowserverDhipCsv(text)) return 'dhip';
  if (OPENSSL_TEXT.test(text)) return 'tls';
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  if (lines.length > 0 && lines.every(isDistinguishedName)) return 'tls';
  const kv = keyValueLines(text);
  if (kv.size === lines.length && looksLikeDahuaCgi(kv)) return 'dahua_cgi';
  if (isLoneMac(text)) return 'mac';
  if (isMessage(text, true)) return 'http'; // a bare `Server:` / `WWW-Authenticate:` line
  const named = fileName ? NAME_PROTOCOLS.find(([re]) => re.test(fileName))?.[1] : undefined;
  if (named) return named;
  if (/\bonvif:\/\/www\.onvif\.org\//i.test(text)) return 'onvif';
  if (/(?:login|username|password)\s*:\s*$/i.test(lines[lines.length - 1] ?? '')) return 'telnet';
  if (lines.every((l) => /^[0-9a-f]{32}$/i.test(l))) return 'http'; // favicon hashes
  if (lines.every((l) => /^(?:basic|digest)\s+realm\s*=/i.test(l) || /<title/i.test(l))) return 'http';
  // Free text is the fallback, but only for text that reads as labels (not code or tables).
  if (lines.length > 20) return null;
  try {
    parseText(text, fileName ?? 'capture');
    return 'text';
  } catch (err) {
    // A register table is text too: reading it as such lets the reader say what to do instead.
    return /table of devices/.test((err as Error).message) ? 'text' : null;
  }
}

/**
 * The protocol of a captured answer, or null when the content is none we read (other vendors'
 * binary discovery replies, unknown XML/JSON, long non-label text).
 */
export function detectProtocol(content: Buffer, fileName?: string): Protocol | null {
  if (content.length === 0) return null;
  if (looksBinary(content)) return detectBinary(content);
  const text = toText(content).trim();
  return text === '' ? null : detectText(text, fileName);
}

function dispatch(content: Buffer, protocol: Protocol, source: string, hint: CaptureHint | undefined): Signal[] {
  const text = toText(content);
  // API answers saved with their HTTP head: parse the body.
  const apiText = () => stripHttpHead(text) ?? text;
  switch (protocol) {
    case 'http': return parseHttp(text, source, { hint: hint as HttpHint | undefined });
    case 'rtsp': return parseRtsp(text, source, { hint: hint === 'server' || hint === 'www_authenticate' ? hint : undefined });
    case 'tls': return parseTls(looksBinary(content) ? content : text, source, { hint: hint === 'issuer' || hint === 'subject' ? hint : undefined });
    case 'onvif': return parseOnvif(apiText(), source);
    case 'sadp': return parseSadp(apiText(), source);
    case 'dhip': return parseDhip(isDhipFrame(content) ? content : apiText(), source);
    case 'dvrip': return parseDvrip(content, source);
    case 'dahua_cgi': return parseDahuaCgi(apiText(), source);
    case 'isapi': return parseIsapi(apiText(), source);
    case 'telnet': return parseTelnet(content, source);
    case 'mdns': return parseMdns(content, source);
    case 'mac': return parseMac(text, source);
    case 'text': return parseText(text, source);
  }
}

/**
 * Signals from one captured answer. With no protocol it is detected (from the content, and the
 * source's file name for bare values); a bare value's field comes from `options.hint`, else the
 * source name. Throws invalid_input (naming the source) when the content is not that protocol,
 * hostile_input for refused XML or an oversized capture.
 */
export function parseCapture(content: Buffer, protocol: Protocol | undefined, source: string, options: CaptureOptions = {}): Signal[] {
  if (content.length > MAX_CAPTURE_BYTES) {
    throw new CamauditError('hostile_input', `${source}: capture is ${content.length} bytes, more than the limit of ${MAX_CAPTURE_BYTES}`, { file: source });
  }
  const chosen = protocol ?? detectProtocol(content, source);
  if (!chosen) throw invalid(source, 'not a capture of any supported protocol');
  try {
    return dispatch(content, chosen, source, options.hint ?? hintFromName(source));
  } catch (err) {
    if (err instanceof CamauditError) throw err;
    throw invalid(source, `cannot be read as ${chosen}: ${(err as Error).message}`, err);
  }
}
