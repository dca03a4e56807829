// Certificates for the lab's HTTPS fronts, carrying the subject and issuer each device's real
// firmware ships with (CN=www.hikvision.com…, O=Axis Communications AB…). Built here in DER with
// one ECDSA key per process: no openssl binary, no temporary files, and 500 certificates in
// milliseconds. Nothing verifies these certificates; scanners read their names.
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { CamauditError } from '../../core/errors.js';

export interface LabCertificate {
  /** PEM, for `https.createServer`. */
  key: string;
  cert: string;
}

// ------------------------------------------------------------------ DER, just what X.509 needs
function der(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const length = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, content]);
}
const sequence = (...parts: Buffer[]) => der(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => der(0x31, Buffer.concat(parts));
const explicit = (n: number, content: Buffer) => der(0xa0 + n, content);

function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [a * 40 + b];
  for (const arc of rest) {
    const groups = [arc & 0x7f];
    for (let v = arc >>> 7; v > 0; v >>>= 7) groups.unshift((v & 0x7f) | 0x80);
    bytes.push(...groups);
  }
  return der(0x06, Buffer.from(bytes));
}

/** A non-negative INTEGER from big-endian bytes (a leading zero keeps it positive). */
function integer(bytes: Buffer): Buffer {
  return der(0x02, bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

/** UTCTime until 2049, as RFC 5280 requires; GeneralizedTime after. */
function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  return date.getUTCFullYear() < 2050 ? der(0x17, Buffer.from(iso.slice(2))) : der(0x18, Buffer.from(iso));
}

// ------------------------------------------------------------------ Distinguished names
const ATTRIBUTES: Readonly<Record<string, { oid: string; printable?: boolean }>> = {
  CN: { oid: '2.5.4.3' },
  SERIALNUMBER: { oid: '2.5.4.5', printable: true },
  C: { oid: '2.5.4.6', printable: true },
  L: { oid: '2.5.4.7' },
  ST: { oid: '2.5.4.8' },
  O: { oid: '2.5.4.10' },
  OU: { oid: '2.5.4.11' },
};

/** `CN=a, O=b\, c` (most specific first, `\,` for a comma in a value) as attribute/value pairs. */
export function splitDn(dn: string): [string, string][] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < dn.length; i++) {
    const c = dn[i]!;
    if (c === '\\' && i + 1 < dn.length) current += dn[++i];
    else if (c === ',') {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts.map((part) => {
    const eq = part.indexOf('=');
    const attribute = part.slice(0, eq).trim().toUpperCase();
    if (eq <= 0 || !ATTRIBUTES[attribute]) {
      throw new CamauditError('invalid_input', `certificate name "${dn}": "${part.trim()}" is not one of ${Object.keys(ATTRIBUTES).join(', ')}=value`);
    }
    return [attribute, part.slice(eq + 1).trim()];
  });
}

/** A Name in certificate order: the least specific attribute (C) first, as RDNSequence stores it. */
function name(dn: string): Buffer {
  const rdns = splitDn(dn).reverse().map(([attribute, value]) => {
    const spec = ATTRIBUTES[attribute]!;
    return set(sequence(oid(spec.oid), der(spec.printable ? 0x13 : 0x0c, Buffer.from(value, 'utf8'))));
  });
  return sequence(...rdns);
}

// ------------------------------------------------------------------ Certificates
const ECDSA_WITH_SHA256 = sequence(oid('1.2.840.10045.4.3.2'));
// A validity wide enough for any lab run; devices ship certificates valid for decades.
const NOT_BEFORE = new Date(Date.UTC(2020, 0, 1));
const NOT_AFTER = new Date(Date.UTC(2049, 11, 31, 23, 59, 59));

let keys: { privateKey: KeyObject; spki: Buffer; pem: string } | undefined;
function labKey() {
  if (!keys) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    keys = { privateKey, spki: publicKey.export({ type: 'spki', format: 'der' }), pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
  }
  return keys;
}

const cache = new Map<string, LabCertificate>();

/**
 * A certificate naming `subject` and `issuer` (self-signed in name when the issuer is omitted),
 * one per distinct pair. The serial number derives from the names, as a device keeps its own.
 */
export function labCertificate(subject: string, issuer: string = subject): LabCertificate {
  const id = `${subject}\u0000${issuer}`;
  const known = cache.get(id);
  if (known) return known;
  const key = labKey();
  const serial = createHash('sha256').update(id).digest().subarray(0, 12);
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))),
    integer(serial),
    ECDSA_WITH_SHA256,
    name(issuer),
    sequence(time(NOT_BEFORE), time(NOT_AFTER)),
    name(subject),
    key.spki,
  );
  const signature = sign('sha256', tbs, key.privateKey);
  const certificate = sequence(tbs, ECDSA_WITH_SHA256, der(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const pem = `-----BEGIN CERTIFICATE-----\n${certificate.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
  const made = { key: key.pem, cert: pem };
  cache.set(id, made);
  return made;
}
