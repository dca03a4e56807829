// A small HTTP/1.1 client over the guarded sockets. Camera web servers are old and loose (upper-case
// header names, missing lengths, bodies cut at close), so answers are read leniently and kept raw:
// the capture stored as evidence is what the device sent. Digest and Basic are answered the way
// browsers and vendor tools do, once per request, never by trying passwords.
import { createHash, randomBytes } from 'node:crypto';
import type { GuardedNet, TlsPeer } from './net.js';

export interface HttpRequest {
  method?: 'GET' | 'POST' | 'OPTIONS' | 'DESCRIBE';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  tls?: boolean;
  /** `RTSP/1.0` for RTSP; HTTP/1.1 otherwise. */
  protocol?: string;
  maxBytes?: number;
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  /** Header names in lower case; repeated headers joined with ", " (WWW-Authenticate kept apart). */
  headers: Record<string, string>;
  /** Every WWW-Authenticate challenge, in order. */
  challenges: string[];
  body: Buffer;
  /** The whole answer as received (head and body), for the observation. */
  raw: Buffer;
  peer: TlsPeer;
}

export interface Credential {
  username: string;
  password: string;
  /** Basic sends the password readable to anyone on the path: over plain HTTP only when the owner allows it. */
  basicOverHttp?: boolean;
}

function headEnd(data: Buffer): number {
  const i = data.indexOf('\r\n\r\n');
  if (i >= 0) return i + 4;
  const j = data.indexOf('\n\n');
  return j >= 0 ? j + 2 : -1;
}

/** Whether a full answer has arrived: by Content-Length, or the end of a chunked body. */
function isComplete(data: Buffer, method: string): boolean {
  const end = headEnd(data);
  if (end < 0) return false;
  const head = data.subarray(0, end).toString('latin1');
  if (method === 'HEAD' || /^\S+\s+(?:1\d\d|204|304)\b/.test(head)) return true;
  const length = /^content-length:\s*(\d+)/im.exec(head);
  if (length) return data.length - end >= Number(length[1]);
  if (/^transfer-encoding:\s*chunked/im.test(head)) return /\r\n0\r\n\r\n$/.test(data.subarray(end).toString('latin1')) || data.subarray(end).toString('latin1').startsWith('0\r\n\r\n');
  // RTSP answers without a body carry no length.
  return /^RTSP\//.test(head);
}

function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < body.length) {
    const eol = body.indexOf('\r\n', at);
    if (eol < 0) break;
    const size = parseInt(body.subarray(at, eol).toString('latin1').split(';')[0]!.trim(), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(body.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

/** Parses a raw answer; null when it is not HTTP or RTSP. */
export function parseResponse(raw: Buffer, peer: TlsPeer = { certificate: null }): HttpResponse | null {
  const end = headEnd(raw);
  const headText = raw.subarray(0, end < 0 ? raw.length : end).toString('latin1');
  const lines = headText.split(/\r?\n/);
  const status = /^(?:HTTP|RTSP)\/\d(?:\.\d)?\s+(\d{3})/i.exec(lines[0] ?? '');
  if (!status) return null;
  const headers: Record<string, string> = {};
  const challenges: string[] = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'www-authenticate') challenges.push(value);
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  let body = end < 0 ? Buffer.alloc(0) : raw.subarray(end);
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = dechunk(body);
  return { status: Number(status[1]), headers, challenges, body, raw, peer };
}

function formatRequest(ip: string, port: number, req: HttpRequest, extra: Record<string, string>): string {
  const method = req.method ?? 'GET';
  const protocol = req.protocol ?? 'HTTP/1.1';
  const defaultPort = req.tls ? 443 : protocol.startsWith('RTSP') ? 554 : 80;
  const headers: Record<string, string> = {
    ...(protocol.startsWith('RTSP') ? {} : { Host: port === defaultPort ? ip : `${ip}:${port}`, Connection: 'close' }),
    'User-Agent': 'camaudit',
    Accept: '*/*',
    ...req.headers,
    ...extra,
  };
  if (req.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(req.body));
  const target = protocol.startsWith('RTSP') && req.path.startsWith('/') ? `rtsp://${ip}:${port}${req.path}` : req.path;
  const head = [`${method} ${target} ${protocol}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)].join('\r\n');
  return `${head}\r\n\r\n${req.body ?? ''}`;
}

/** The parameters of one challenge: `Digest realm="x", nonce="y", qop="auth"`. */
export function challengeParams(challenge: string): { scheme: string; params: Record<string, string> } {
  const scheme = /^\s*(\S+)/.exec(challenge)?.[1]?.toLowerCase() ?? '';
  const params: Record<string, string> = {};
  const re = /([a-zA-Z][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
  for (const m of challenge.slice(scheme.length).matchAll(re)) params[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? '';
  return { scheme, params };
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/** The Authorization header answering one Digest challenge (RFC 7616 with MD5, as cameras use). */
export function digestAuthorization(challenge: string, method: string, uri: string, cred: Credential, cnonce = randomBytes(8).toString('hex')): string {
  const { params } = challengeParams(challenge);
  const realm = params.realm ?? '';
  const nonce = params.nonce ?? '';
  const qop = (params.qop ?? '').split(',').map((q) => q.trim()).includes('auth') ? 'auth' : undefined;
  const ha1 = md5(`${cred.username}:${realm}:${cred.password}`);
  const ha2 = md5(`${method}:${uri}`);
  const nc = '00000001';
  const response = qop ? md5(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : md5(`${ha1}:${nonce}:${ha2}`);
  const parts = [`username="${cred.username}"`, `realm="${realm}"`, `nonce="${nonce}"`, `uri="${uri}"`, `response="${response}"`, 'algorithm=MD5'];
  if (qop) parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce="${cnonce}"`);
  if (params.opaque !== undefined) parts.push(`opaque="${params.opaque}"`);
  return `Digest ${parts.join(', ')}`;
}

export function basicAuthorization(cred: Credential): string {
  return `Basic ${Buffer.from(`${cred.username}:${cred.password}`).toString('base64')}`;
}

/**
 * One request; null when the port does not answer or the answer is not HTTP/RTSP. Read-only by
 * contract: callers send GET, OPTIONS, and the SOAP/JSON queries listed in the probes.
 */
export async function request(netw: GuardedNet, ip: string, port: number, req: HttpRequest, extra: Record<string, string> = {}): Promise<HttpResponse | null> {
  const method = req.method ?? 'GET';
  const answer = await netw.exchange(ip, port, formatRequest(ip, port, req, extra), {
    tls: req.tls,
    maxBytes: req.maxBytes ?? 512 * 1024,
    timeoutMs: req.timeoutMs,
    complete: (data) => isComplete(data, method),
  });
  return answer ? parseResponse(answer.data, answer.peer) : null;
}

/**
 * A request with credentials: sent once without, and when the device challenges, once more with
 * the answer to its strongest challenge (Digest before Basic; Basic over plain HTTP only when the
 * credential allows it). No further attempts.
 */
export async function authenticatedRequest(netw: GuardedNet, ip: string, port: number, req: HttpRequest, cred: Credential): Promise<HttpResponse | null> {
  const first = await request(netw, ip, port, req);
  if (!first || first.status !== 401) return first;
  const method = req.method ?? 'GET';
  const digest = first.challenges.find((c) => /^digest\b/i.test(c));
  const basic = first.challenges.find((c) => /^basic\b/i.test(c));
  if (digest) return request(netw, ip, port, req, { Authorization: digestAuthorization(digest, method, req.path, cred) });
  if (basic && (req.tls || cred.basicOverHttp)) return request(netw, ip, port, req, { Authorization: basicAuthorization(cred) });
  return first;
}
