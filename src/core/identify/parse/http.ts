// HTTP answers as analysts save them: a whole response (`curl -i`), just the headers, an HTML
// page, or a single value copied out of a scanner report (a Server banner, a realm, a favicon
// hash, a title). The last kind carries no name, so the caller may say which field it is.
import type { Signal } from '../signals.js';
import { atLeastOne, invalid, makeSignal, numbered } from './common.js';

export type HttpHint = 'server' | 'www_authenticate' | 'title' | 'favicon_md5' | 'body';
export interface HttpOptions {
  /** Which field a bare value is; guessed (hash, <title>, auth scheme, else Server) when absent. */
  hint?: HttpHint;
}

/** A start line, headers (name lower-cased, in order) and body. */
export interface Message {
  startLine: string | undefined;
  headers: [string, string][];
  body: string;
}

const BODY_LIMIT = 4096;
const HEADER_LINE = /^([A-Za-z][A-Za-z0-9-]*):[ \t]*(.*)$/;
const STATUS = /^(?:HTTP|RTSP)\/\d(?:\.\d)?\s+(\d{3})\b/i;
// SSDP is HTTP over UDP: NOTIFY/M-SEARCH requests carry the same Server header.
const REQUEST = /^[A-Z][A-Z-]*\s+\S+\s+(?:HTTP|RTSP)\/\d(?:\.\d)?\s*$/;
const AUTH_SCHEME = /^(?:basic|digest|negotiate|ntlm|bearer)\b/i;

/** Split a message into start line, headers and body; null when the text has no header block. */
export function readMessage(text: string): Message | null {
  const lines = text.replace(/^\s+/, '').split(/\r?\n/);
  let i = 0;
  let startLine: string | undefined;
  const first = lines[0] ?? '';
  if (STATUS.test(first) || REQUEST.test(first)) {
    startLine = first.trim();
    i = 1;
  } else if (!HEADER_LINE.test(first)) {
    return null;
  }
  const headers: [string, string][] = [];
  for (; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') {
      i++;
      break;
    }
    const last = headers[headers.length - 1];
    if (/^[ \t]/.test(line) && last) {
      last[1] = `${last[1]} ${line.trim()}`.trim(); // folded continuation line
      continue;
    }
    const header = HEADER_LINE.exec(line);
    if (!header) break; // not a header after all: the rest is body
    headers.push([(header[1] ?? '').toLowerCase(), (header[2] ?? '').trim()]);
  }
  return { startLine, headers, body: lines.slice(i).join('\n') };
}

export function headerValues(message: Message, name: string): string[] {
  return message.headers.filter(([n]) => n === name).map(([, v]) => v);
}

export function statusOf(message: Message): string | undefined {
  return message.startLine ? STATUS.exec(message.startLine)?.[1] : undefined;
}

/** The realm of the first challenge that names one (`Basic realm="x"`, `Digest realm=x, …`). */
export function realmOf(challenge: string | undefined): string | undefined {
  if (!challenge) return undefined;
  const m = /\brealm\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/i.exec(challenge);
  return m ? (m[1] ?? m[2] ?? '').replace(/\\(.)/g, '$1') : undefined;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** The page title, with the common entities decoded and whitespace collapsed. */
export function titleOf(html: string): string | undefined {
  // Found by position, not one regular expression: a lazy match from every "<title" in a hostile
  // page is quadratic. Device pages put the title near the top.
  const head = html.slice(0, 65536);
  const lower = head.toLowerCase();
  const start = lower.search(/<title[\s>]/);
  if (start < 0) return undefined;
  const open = lower.indexOf('>', start);
  const end = open < 0 ? -1 : lower.indexOf('</title', open);
  if (end < 0) return undefined;
  return head.slice(open + 1, end)
    .replace(/&(?:([a-z]+)|#(\d{1,7})|#x([0-9a-f]{1,6}));/gi, (whole, name?: string, dec?: string, hex?: string) => {
      if (name) return ENTITIES[name.toLowerCase()] ?? whole;
      const code = dec ? Number.parseInt(dec, 10) : Number.parseInt(hex ?? '', 16);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

function bodyFields(body: string): Record<string, string | undefined> {
  return { title: titleOf(body), body: body.trim().slice(0, BODY_LIMIT) };
}

function guessHint(value: string): HttpHint {
  if (/^[0-9a-f]{32}$/i.test(value)) return 'favicon_md5';
  if (/<title/i.test(value)) return 'title';
  if (AUTH_SCHEME.test(value) || /\brealm\s*=/i.test(value)) return 'www_authenticate';
  return 'server';
}

/** Fields for one bare value of the given kind. */
function bareFields(value: string, hint: HttpHint): Record<string, string | undefined> {
  switch (hint) {
    case 'www_authenticate':
      return { www_authenticate: value, realm: realmOf(value) };
    case 'title':
      return { title: /<title/i.test(value) ? titleOf(value) : value };
    case 'favicon_md5':
      return { favicon_md5: value.toLowerCase() };
    case 'body':
      return bodyFields(value);
    default:
      return { server: value };
  }
}

// Headers that mark a line as a header even when the caller says the text is a bare value.
const KNOWN_HEADERS = new Set([
  'server', 'www-authenticate', 'date', 'content-type', 'content-length', 'connection', 'location',
  'set-cookie', 'cache-control', 'x-frame-options', 'p3p', 'cseq', 'public', 'pragma', 'expires',
]);

/** A start line, or a header line (any name, or only well-known ones when `knownHeadersOnly`). */
export function isMessage(text: string, knownHeadersOnly = false): boolean {
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  if (STATUS.test(first) || REQUEST.test(first)) return true;
  const header = HEADER_LINE.exec(first);
  return header !== null && (!knownHeadersOnly || KNOWN_HEADERS.has((header[1] ?? '').toLowerCase()));
}

export function parseHttp(text: string, source: string, options: HttpOptions = {}): Signal[] {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') throw invalid(source, 'empty HTTP capture');
  const m = isMessage(trimmed, options.hint !== undefined) ? readMessage(trimmed) : null;
  if (m) {
    const auth = headerValues(m, 'www-authenticate');
    const fields = {
      status: statusOf(m),
      server: headerValues(m, 'server')[0],
      www_authenticate: auth.length > 0 ? auth.join(', ') : undefined,
      realm: auth.map(realmOf).find((r) => r !== undefined),
      ...bodyFields(m.body),
    };
    return atLeastOne([makeSignal('http', fields, source)], source, 'HTTP status, header or body');
  }
  // A page on its own, or a value the caller says is a body, is one value however many lines.
  if (options.hint === 'body' || (trimmed.startsWith('<') && options.hint !== 'title')) {
    return atLeastOne([makeSignal('http', bodyFields(trimmed), source)], source, 'HTTP body');
  }
  // Bare values: one per line (recog-style example lists hold one banner per line).
  const values = trimmed.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  return atLeastOne(
    values.map((v, i) => makeSignal('http', bareFields(v, options.hint ?? guessHint(v)), numbered(source, i, values.length))),
    source,
    'HTTP value',
  );
}
