// TLS certificates: PEM (one or a chain), DER, an `openssl x509 -text` / `s_client` dump, or a
// bare distinguished name copied from a scanner. Default certificates name their maker
// (O=HIKVISION, O=Axis Communications AB), so subject and issuer are the signal.
import { X509Certificate } from 'node:crypto';
import type { Signal } from '../signals.js';
import { atLeastOne, invalid, makeSignal, numbered, toText } from './common.js';

export type TlsHint = 'subject' | 'issuer';
export interface TlsOptions {
  /** Whether bare distinguished names are subjects (default) or issuers. */
  hint?: TlsHint;
}

type Rdn = [attribute: string, value: string];

// Most specific first, as RFC 4514 writes names; used to orient names printed in either order.
const RANK: Readonly<Record<string, number>> = { CN: 0, SERIALNUMBER: 1, OU: 2, O: 3, L: 4, ST: 5, C: 6, DC: 7 };
const DN_ATTRIBUTE = /^(?:CN|O|OU|C|L|ST|S|DC|E|EMAILADDRESS|SERIALNUMBER|UID|STREET|TITLE|GN|SN|POSTALCODE|\d+(?:\.\d+)+)$/i;

/** Split at separators outside quotes and not escaped with a backslash. */
function splitUnquoted(text: string, separators: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c === '\\' && i + 1 < text.length) {
      current += c + (text[++i] ?? '');
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (!quoted && separators.includes(c)) {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  return [...parts, current];
}

/** Split `CN=a, O=b`, `C = CN, O = "b,c"` (OpenSSL), Node's one-per-line or `/C=CN/O=b`. */
export function parseDn(text: string): Rdn[] {
  const t = text.trim();
  const parts = t.startsWith('/') ? splitUnquoted(t.slice(1), '/') : splitUnquoted(t, ',;\n');
  const rdns: Rdn[] = [];
  for (const part of parts) {
    const eq = part.indexOf('=');
    const attribute = eq > 0 ? part.slice(0, eq).trim() : '';
    const last = rdns[rdns.length - 1];
    if (!DN_ATTRIBUTE.test(attribute)) {
      // `O=Zhejiang Dahua Technology Co.,Ltd.` unescaped: the piece after the comma is value.
      if (last) last[1] = `${last[1]},${part}`;
      continue;
    }
    rdns.push([attribute, part.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1').replace(/\\(.)/g, '$1')]);
  }
  return orient(rdns);
}

/** Put the most specific attribute first, whichever order the tool printed. */
function orient(rdns: Rdn[]): Rdn[] {
  const rank = (r: Rdn | undefined) => (r ? (RANK[r[0].toUpperCase()] ?? 3) : 3);
  return rank(rdns[0]) > rank(rdns[rdns.length - 1]) ? [...rdns].reverse() : rdns;
}

export function isDistinguishedName(text: string): boolean {
  const rdns = parseDn(text);
  return rdns.length > 0 && rdns.some(([a]) => /^(?:CN|O|OU)$/i.test(a)) && /^\s*\/?[A-Za-z0-9.]+\s*=/.test(text);
}

const formatDn = (rdns: Rdn[]) => rdns.map(([a, v]) => `${a}=${v.replace(/([,\\])/g, '\\$1')}`).join(', ');
const first = (rdns: Rdn[], attribute: string) => rdns.find(([a]) => a.toUpperCase() === attribute)?.[1];

function dnFields(prefix: TlsHint, text: string | undefined): Record<string, string | undefined> {
  if (text === undefined) return {};
  const rdns = parseDn(text);
  return { [prefix]: formatDn(rdns), [`${prefix}_cn`]: first(rdns, 'CN'), [`${prefix}_o`]: first(rdns, 'O') };
}

function certificateFields(cert: X509Certificate): Record<string, string | undefined> {
  // Node prints one attribute per line in certificate order.
  return { ...dnFields('subject', cert.subject), ...dnFields('issuer', cert.issuer), san: cert.subjectAltName };
}

function fromCertificate(der: Buffer | string, source: string): Record<string, string | undefined> {
  try {
    return certificateFields(new X509Certificate(der));
  } catch (cause) {
    throw invalid(source, `unreadable certificate: ${(cause as Error).message}`, cause);
  }
}

/** Lines `openssl x509 -text`, `openssl x509 -subject -issuer` and `s_client -showcerts` print. */
export const OPENSSL_TEXT = /^\s*(?:Subject:|Issuer:|subject=|issuer=|\d+\s+s:)/m;

/** Subject/Issuer lines of `openssl x509 -text`, or `s:`/`i:` pairs of `openssl s_client -showcerts`. */
function fromOpensslText(text: string, source: string): Signal[] {
  const subjects = [...text.matchAll(/^\s*(?:Subject:|subject=|\d+\s+s:)\s*(.*)$/gm)].map((m) => m[1] ?? '');
  const issuers = [...text.matchAll(/^\s*(?:Issuer:|issuer=|i:)\s*(.*)$/gm)].map((m) => m[1] ?? '');
  const sans = [...text.matchAll(/X509v3 Subject Alternative Name:.*\r?\n\s*(.+)/g)].map((m) => m[1]);
  const count = Math.max(subjects.length, issuers.length);
  const signals: (Signal | null)[] = [];
  for (let i = 0; i < count; i++) {
    const fields = { ...dnFields('subject', subjects[i]), ...dnFields('issuer', issuers[i]), san: sans[i] };
    signals.push(makeSignal('tls', fields, numbered(source, i, count)));
  }
  return atLeastOne(signals, source, 'certificate subject or issuer');
}

export function parseTls(content: Buffer | string, source: string, options: TlsOptions = {}): Signal[] {
  if (Buffer.isBuffer(content) && content[0] === 0x30) {
    return atLeastOne([makeSignal('tls', fromCertificate(content, source), source)], source, 'certificate');
  }
  const text = toText(content);
  const pems = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g);
  if (pems) {
    return atLeastOne(pems.map((pem, i) => makeSignal('tls', fromCertificate(pem, source), numbered(source, i, pems.length))), source, 'certificate');
  }
  if (OPENSSL_TEXT.test(text)) return fromOpensslText(text, source);
  // Bare distinguished names, one per line.
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  const field = options.hint ?? 'subject';
  const signals = lines.map((line, i) => (isDistinguishedName(line) ? makeSignal('tls', dnFields(field, line), numbered(source, i, lines.length)) : null));
  return atLeastOne(signals, source, 'certificate, openssl dump or distinguished name');
}
