// What nmap learned about one port of one host, as the captures a camaudit probe would have made:
// script output (Server header, title, certificate names, WS-Discovery, banners), the raw answers
// in an unrecognised service's fingerprint, and nmap's own verdict (product, CPE) as the weakest.
import { asArray, asRecord, findAll, textOf } from '../core/identify/parse/common.js';
import { makeCapture, type Capture } from '../discover/probe.js';

export type Transport = Capture['transport'];
export interface PortContext {
  port: number;
  transport: Transport;
  service: string | undefined;
  at: string;
}

export const attr = (node: unknown, name: string): string | undefined => {
  const value = asRecord(node)?.[`@_${name}`];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
};
export const children = (node: unknown, name: string): unknown[] => asArray(asRecord(node)?.[name]);
export const first = (node: unknown, name: string): unknown => children(node, name)[0];

export function portCaptures(port: unknown, number: number, protocol: string, at: string): Capture[] {
  const service = first(port, 'service');
  const transport: Transport = protocol === 'udp' ? 'udp' : attr(service, 'tunnel') === 'ssl' ? 'tls' : 'tcp';
  const ctx: PortContext = { port: number, transport, service: attr(service, 'name'), at };
  const captures: Capture[] = [];
  const serverHeaders: string[] = [];
  for (const script of children(port, 'script')) {
    // A script that failed prints nmap's error in place of an answer.
    if (/^ERROR:/.test(attr(script, 'output') ?? '')) continue;
    const id = attr(script, 'id') ?? '';
    if (id === 'http-server-header') serverHeaders.push(...serverHeaderValues(script));
    const capture = scriptCapture(id, script, ctx);
    if (capture) captures.push(capture);
  }
  captures.push(...fingerprintCaptures(attr(service, 'servicefp'), ctx));
  const verdict = serviceCapture(service, serverHeaders, ctx);
  if (verdict) captures.push(verdict);
  return captures;
}

function capture(ctx: PortContext, probe: string, protocol: Capture['protocol'], request: string, data: Buffer | string, hint?: Capture['hint']): Capture {
  return makeCapture({ probe: `nmap:${probe}`, protocol, transport: ctx.transport, port: ctx.port, request, ...(hint ? { hint } : {}) }, data, ctx.at);
}

/** Values of the script's structured output (`<elem>`s, in tables too), or null when it printed only text. */
function elems(script: unknown, key?: string): string[] | null {
  const found = findAll(script, 'elem');
  if (found.length === 0) return null;
  return found
    .filter((e) => key === undefined || attr(e, 'key') === key)
    .map((e) => textOf(e)?.trim() ?? '')
    .filter((v) => v !== '');
}

function outputLines(script: unknown): string[] {
  return (attr(script, 'output') ?? '').split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
}

function serverHeaderValues(script: unknown): string[] {
  return (elems(script) ?? outputLines(script)).filter((v) => v !== '<empty>');
}

// http-title prints these in place of a title; they are nmap's words, not the device's.
const NO_TITLE = /^(?:Site doesn't have a title|Did not follow redirect|Requested resource was)/;

function scriptCapture(id: string, script: unknown, ctx: PortContext): Capture | null {
  const request = `nmap --script ${id}`;
  switch (id) {
    case 'http-server-header': {
      const values = serverHeaderValues(script);
      return values.length > 0 ? capture(ctx, id, 'http', request, values.join('\n'), 'server') : null;
    }
    case 'http-title': {
      const title = elems(script, 'title')?.[0] ?? outputLines(script).find((l) => !NO_TITLE.test(l));
      return title ? capture(ctx, id, 'http', request, title, 'title') : null;
    }
    case 'http-favicon': {
      // A favicon nmap knows is printed by name; only an unknown one is printed as its hash.
      const md5 = /\b([0-9a-f]{32})\b/i.exec(attr(script, 'output') ?? '')?.[1];
      return md5 ? capture(ctx, id, 'http', request, md5.toLowerCase(), 'favicon_md5') : null;
    }
    case 'rtsp-methods': {
      const methods = outputLines(script).join(' ');
      return methods ? capture(ctx, id, 'rtsp', request, `Public: ${methods}`) : null;
    }
    case 'ssl-cert':
      return certificateCapture(script, ctx, request);
    case 'wsdd-discover': {
      const found = wsddDevices(attr(script, 'output'))[0];
      return found ? wsddCapture(found, ctx, id) : null;
    }
    case 'banner':
      return ctx.service === 'telnet' || ctx.port === 23 ? bannerCapture(script, ctx, request) : null;
    default:
      return null;
  }
}

// ----------------------------------------------------------------------------- ssl-cert

// nmap names certificate attributes by their long names; the TLS reader knows the short ones.
const DN_ATTRIBUTES: readonly [long: string, short: string][] = [
  ['commonName', 'CN'], ['serialNumber', 'SERIALNUMBER'], ['organizationalUnitName', 'OU'], ['organizationName', 'O'],
  ['localityName', 'L'], ['stateOrProvinceName', 'ST'], ['countryName', 'C'], ['domainComponent', 'DC'], ['emailAddress', 'E'],
];

const escapeDn = (value: string) => value.replace(/([,;\\"])/g, '\\$1');

/** `CN=…, O=…` from attribute/value pairs, most specific first; unknown attributes are left out. */
function distinguishedName(pairs: readonly [string, string][]): string | null {
  const parts = DN_ATTRIBUTES.flatMap(([long, short]) =>
    pairs.filter(([name]) => name.toLowerCase() === long.toLowerCase()).map(([, value]) => `${short}=${escapeDn(value)}`));
  return parts.length > 0 ? parts.join(', ') : null;
}

function tableName(script: unknown, key: string): string | null {
  const table = children(script, 'table').find((t) => attr(t, 'key') === key);
  if (!table) return null;
  return distinguishedName(children(table, 'elem').map((e) => [attr(e, 'key') ?? '', textOf(e)?.trim() ?? '']));
}

/** Older nmap prints `Subject: commonName=x/organizationName=y` only. */
function printedName(script: unknown, label: string): string | null {
  const line = outputLines(script).find((l) => l.startsWith(`${label}:`));
  if (!line) return null;
  const pairs = line.slice(label.length + 1).trim().split(/\/(?=[A-Za-z][A-Za-z0-9]*=)/).map((part): [string, string] => {
    const eq = part.indexOf('=');
    return [part.slice(0, eq), part.slice(eq + 1)];
  });
  return distinguishedName(pairs);
}

function certificateCapture(script: unknown, ctx: PortContext, request: string): Capture | null {
  const subject = tableName(script, 'subject') ?? printedName(script, 'Subject');
  const issuer = tableName(script, 'issuer') ?? printedName(script, 'Issuer');
  const lines = [subject ? `Subject: ${subject}` : null, issuer ? `Issuer: ${issuer}` : null].filter((l) => l !== null);
  return lines.length > 0 ? capture(ctx, 'ssl-cert', 'tls', request, lines.join('\n')) : null;
}

// ----------------------------------------------------------------------------- WS-Discovery

interface WsddDevice {
  ip: string | null;
  xaddrs: string[];
  types: string[];
}

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/**
 * The devices in a wsdd-discover / broadcast-wsdd-discover report: under "Devices", optionally an
 * address line per responder, then "Message id:", "Address:" and "Type:" lines. WCF services
 * (the other section) are Windows software, not devices.
 */
export function wsddDevices(output: string | undefined): WsddDevice[] {
  const devices: WsddDevice[] = [];
  let inDevices = false;
  let current: WsddDevice | null = null;
  for (const raw of (output ?? '').split(/\r?\n/)) {
    const line = raw.trim();
    if (line === 'Devices' || line === 'WCF Services') {
      inDevices = line === 'Devices';
      current = null;
      continue;
    }
    if (!inDevices || line === '') continue;
    if (IPV4.test(line) || (current === null && /^Message id:/i.test(line))) {
      current = { ip: IPV4.test(line) ? line : null, xaddrs: [], types: [] };
      devices.push(current);
      if (current.ip) continue;
    }
    const field = /^(Address|Type):\s*(.*)$/i.exec(line);
    if (!current || !field) continue;
    if (/^address$/i.test(field[1]!)) current.xaddrs.push(field[2]!.trim());
    else current.types.push(field[2]!.trim());
  }
  return devices.filter((d) => d.xaddrs.length > 0 || d.types.length > 0);
}

export function wsddCapture(device: WsddDevice, ctx: PortContext, script: string): Capture {
  // nmap prints the ProbeMatch's XAddrs and Types; the ONVIF reader takes them as JSON.
  const content = JSON.stringify([{ Types: device.types.join(' '), XAddrs: device.xaddrs.join(' ') }]);
  return capture(ctx, script, 'onvif', `nmap --script ${script}`, content);
}

// ----------------------------------------------------------------------------- banners and fingerprints

/**
 * The banner script escapes unprintable bytes as `\xHH` and breaks long banners into lines of its
 * own; the line breaks are undone and the escapes decoded, giving the bytes the device sent.
 */
function bannerCapture(script: unknown, ctx: PortContext, request: string): Capture | null {
  const printed = (attr(script, 'output') ?? '').split(/\r?\n/).join('');
  if (printed === '') return null;
  const bytes: number[] = [];
  for (let i = 0; i < printed.length; i++) {
    const hex = printed[i] === '\\' && printed[i + 1] === 'x' ? /^[0-9A-Fa-f]{2}$/.exec(printed.slice(i + 2, i + 4)) : null;
    if (hex) {
      bytes.push(Number.parseInt(hex[0], 16));
      i += 3;
    } else {
      bytes.push(...Buffer.from(printed[i]!, 'utf8'));
    }
  }
  return capture(ctx, 'banner', 'telnet', request, Buffer.from(bytes));
}

const ESCAPES: Readonly<Record<string, number>> = { '0': 0, a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13 };

/** One quoted response of a service fingerprint, from `start` (after the opening quote) to its closing quote. */
function unescapeResponse(text: string, start: number): Buffer {
  const bytes: number[] = [];
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') break;
    if (c !== '\\') {
      bytes.push(c.charCodeAt(0) & 0xff);
      continue;
    }
    const next = text[i + 1];
    if (next === undefined) break;
    const hex = next === 'x' ? /^[0-9A-Fa-f]{2}$/.exec(text.slice(i + 2, i + 4)) : null;
    if (hex) {
      bytes.push(Number.parseInt(hex[0], 16));
      i += 3;
    } else {
      bytes.push(ESCAPES[next] ?? next.charCodeAt(0) & 0xff);
      i += 1;
    }
  }
  return Buffer.from(bytes);
}

/**
 * A service nmap could not name comes with its fingerprint: the start of every answer it got,
 * `%r(Probe,length,"escaped bytes")`, wrapped in `SF:` lines by newer versions. Those answers are
 * the device's own words — often the Server header or realm that identifies it.
 */
function fingerprintCaptures(fingerprint: string | undefined, ctx: PortContext): Capture[] {
  if (!fingerprint) return [];
  const text = fingerprint.replace(/\r?\nSF:/g, '');
  const captures: Capture[] = [];
  const seen = new Set<string>();
  for (const m of text.matchAll(/%r\(([A-Za-z0-9_-]+),[0-9A-Fa-f]+,"/g)) {
    const probe = m[1]!;
    const data = unescapeResponse(text, m.index + m[0].length);
    const head = data.subarray(0, 8).toString('latin1');
    const protocol = /^HTTP\/\d/.test(head) ? 'http' : /^RTSP\/\d/.test(head) ? 'rtsp' : probe === 'NULL' && ctx.service === 'telnet' ? 'telnet' : null;
    const key = data.toString('base64');
    if (!protocol || seen.has(key)) continue;
    seen.add(key);
    captures.push(capture(ctx, 'service-fingerprint', protocol, `nmap -sV probe ${probe}`, data));
  }
  return captures;
}

// ----------------------------------------------------------------------------- service detection

/** CPE 2.2 names percent-encode some characters (`200%2b`). */
function cpeText(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** `cpe:/h:hikvision:…` → "hikvision": the hardware maker nmap's match named, in CPE spelling. */
function hardwareVendor(service: unknown): string | undefined {
  for (const cpe of children(service, 'cpe')) {
    const vendor = /^cpe:\/h:([^:]+)/i.exec(textOf(cpe)?.trim() ?? '')?.[1];
    if (vendor) return cpeText(vendor).replace(/_/g, ' ');
  }
  return undefined;
}

/**
 * nmap's verdict on a port: a product label such as "Hikvision IP camera httpd" and CPEs. Labels
 * start with the maker's name, so the first word (or a hardware CPE's vendor) is offered as the
 * manufacturer; the knowledge base decides whether it is one. That is text-weight evidence: nmap
 * read a banner we cannot see. The full verdict is kept in the request, for people.
 */
function serviceCapture(service: unknown, serverHeaders: readonly string[], ctx: PortContext): Capture | null {
  const product = attr(service, 'product');
  const cpes = children(service, 'cpe').map((c) => textOf(c)?.trim() ?? '').filter((c) => c !== '');
  // http-server-header fills an unnamed service's product with the Server header itself: that
  // banner is already a capture, and is not nmap's verdict. A product whose CPEs all name
  // software or an operating system ("Apache httpd", "OpenSSH") names that software's maker.
  const softwareOnly = cpes.length > 0 && cpes.every((c) => /^cpe:\/[ao]:/i.test(c));
  const label = product && !serverHeaders.includes(product) && !softwareOnly ? product : undefined;
  const maker = hardwareVendor(service) ?? label?.split(/\s+/)[0]?.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
  if (!maker) return null;
  const said = ['name', 'product', 'version', 'extrainfo', 'devicetype', 'ostype']
    .map((a) => [a, attr(service, a)] as const)
    .filter(([, v]) => v !== undefined)
    .map(([a, v]) => `${a}="${v}"`);
  const request = `nmap -sV service detection: ${[...said, ...cpes].join(' ')}`;
  return capture(ctx, 'service', 'text', request, `manufacturer: ${maker}`);
}
