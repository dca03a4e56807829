// What a scan may touch. Pure: built once from what the user gave, then asked about every
// address before any socket is opened (see net.ts). Refusal is the default; an address is in
// scope only when a target range covers it, no exclusion does, and it is private or declared
// as the organisation's own public space.
import ipaddr from 'ipaddr.js';
import { CamauditError } from '../core/errors.js';

/** A /16: a municipal segment is rarely larger; more needs an explicit, visible override. */
export const DEFAULT_MAX_ADDRESSES = 65_536;

export interface ScopeSpec {
  /** CIDRs (`10.1.0.0/24`), single addresses, or ranges (`10.1.0.10-10.1.0.50`). */
  include: readonly string[];
  exclude?: readonly string[];
  /** Public ranges the organisation declares its own; public targets outside these are refused. */
  ownPublic?: readonly string[];
  maxAddresses?: number;
  /** Whether discovery may send to the ONVIF/SADP/DHIP multicast groups (replies are still filtered). */
  multicast?: boolean;
}

/** An inclusive range of IPv4 addresses as unsigned 32-bit numbers. */
export interface Range {
  readonly first: number;
  readonly last: number;
  /** As the user wrote it, for messages. */
  readonly text: string;
}

export interface Scope {
  readonly include: readonly Range[];
  readonly exclude: readonly Range[];
  readonly ownPublic: readonly Range[];
  /** Number of addresses a sweep visits (included minus excluded). */
  readonly size: number;
  readonly multicast: boolean;
}

export type Decision = { allowed: true } | { allowed: false; reason: string };

/** The discovery groups; sending to them is the only traffic not addressed to one host. */
export const DISCOVERY_GROUPS: ReadonlySet<string> = new Set(['239.255.255.250', '239.255.255.251', '255.255.255.255']);


const DOTTED_QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The address as a number, or NaN when it is not a dotted-quad IPv4 address. */
function parseQuad(ip: string): number {
  const m = DOTTED_QUAD.exec(ip);
  if (!m) return NaN;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const part = m[i]!;
    // "010" is octal to some parsers and decimal to others: refuse the ambiguity.
    if (part.length > 1 && part.startsWith('0')) return NaN;
    const byte = Number(part);
    if (byte > 255) return NaN;
    n = n * 256 + byte;
  }
  return n;
}

export function toNumber(ip: string): number {
  const n = parseQuad(ip);
  if (Number.isNaN(n)) throw new CamauditError('usage', `"${ip}" is not an IPv4 address`, { address: ip });
  return n;
}

export function fromNumber(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function bad(text: string, why: string): CamauditError {
  return new CamauditError('usage', `scope "${text}": ${why}`, { address: text });
}

function parseIPv4(text: string, whole: string): number {
  if (Number.isNaN(parseQuad(text))) {
    if (ipaddr.IPv6.isValid(text)) throw bad(whole, 'IPv6 scanning is not supported; give IPv4 ranges');
    throw bad(whole, 'not an IPv4 address, CIDR or range (host names are not accepted: a scan targets addresses)');
  }
  return toNumber(text);
}

/** One target, exclusion or own-public entry as a range. */
export function parseRange(raw: string): Range {
  const text = raw.trim();
  if (text.includes('/')) {
    const [addr = '', bits = ''] = text.split('/');
    if (!/^\d{1,2}$/.test(bits) || Number(bits) > 32) throw bad(text, 'prefix length must be 0–32');
    const prefix = Number(bits);
    const base = parseIPv4(addr, text);
    const size = 2 ** (32 - prefix);
    const first = base - (base % size);
    return { first, last: first + size - 1, text };
  }
  const dash = text.indexOf('-');
  if (dash > 0) {
    const first = parseIPv4(text.slice(0, dash).trim(), text);
    const last = parseIPv4(text.slice(dash + 1).trim(), text);
    if (last < first) throw bad(text, 'range ends before it starts');
    return { first, last, text };
  }
  const one = parseIPv4(text, text);
  return { first: one, last: one, text };
}

function covers(ranges: readonly Range[], n: number): Range | undefined {
  return ranges.find((r) => n >= r.first && n <= r.last);
}

export function inRange(r: Range, ip: string): boolean {
  const n = toNumber(ip);
  return n >= r.first && n <= r.last;
}

const PRIVATE_BLOCKS: readonly [number, number][] = ([['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], ['127.0.0.0', 8], ['169.254.0.0', 16], ['100.64.0.0', 10]] as const)
  .map(([base, bits]) => [toNumber(base), toNumber(base) + 2 ** (32 - bits) - 1]);

function privateNumber(n: number): boolean {
  return PRIVATE_BLOCKS.some(([first, last]) => n >= first && n <= last);
}

export function isPrivate(ip: string): boolean {
  return privateNumber(toNumber(ip));
}

/** Whether every address of a range is private (ranges straddling public space are not). */
function rangeIsPrivate(r: Range): boolean {
  return PRIVATE_BLOCKS.some(([first, last]) => r.first >= first && r.last <= last);
}

function notAHost(n: number): string | null {
  const kind = ipaddr.IPv4.parse(fromNumber(n)).range();
  if (kind === 'multicast') return 'a multicast group';
  if (kind === 'broadcast') return 'the broadcast address';
  if (kind === 'unspecified') return 'the unspecified address';
  // ipaddr.js also files the documentation ranges under "reserved"; only 240/4 is unusable.
  if (n >= 0xf0000000) return 'reserved address space';
  return null;
}

/** Number of addresses in `r` not covered by any of `minus` (which may overlap each other). */
function sizeWithout(r: Range, minus: readonly Range[]): number {
  const cuts = minus
    .map((m) => ({ first: Math.max(m.first, r.first), last: Math.min(m.last, r.last) }))
    .filter((m) => m.first <= m.last)
    .sort((a, b) => a.first - b.first);
  let removed = 0;
  let end = r.first - 1;
  for (const c of cuts) {
    const from = Math.max(c.first, end + 1);
    if (c.last >= from) removed += c.last - from + 1;
    end = Math.max(end, c.last);
  }
  return r.last - r.first + 1 - removed;
}

/** Overlapping targets merged, so no address is visited twice. */
function merge(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a.first - b.first);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.first <= last.last + 1) out[out.length - 1] = { first: last.first, last: Math.max(last.last, r.last), text: `${last.text}, ${r.text}` };
    else out.push(r);
  }
  return out;
}

/**
 * The scope for a scan. Throws `usage` naming the entry when a target is malformed, not a host
 * range, public without being declared the organisation's own, or when the scope is larger than
 * the limit.
 */
export function buildScope(spec: ScopeSpec): Scope {
  if (spec.include.length === 0) throw new CamauditError('usage', 'no targets: give CIDRs, addresses or ranges to scan');
  const include = spec.include.map(parseRange);
  const exclude = (spec.exclude ?? []).map(parseRange);
  const ownPublic = (spec.ownPublic ?? []).map(parseRange);
  for (const r of include) {
    const reason = notAHost(r.first) ?? notAHost(r.last);
    if (reason) throw bad(r.text, `is ${reason}, not hosts to scan`);
    if (!rangeIsPrivate(r) && !(r.first === r.last ? covers(ownPublic, r.first) : ownPublic.some((o) => r.first >= o.first && r.last <= o.last))) {
      throw bad(r.text, 'contains public addresses; scan them only if they are your own and declare them with --own-public');
    }
  }
  const merged = merge(include);
  const size = merged.reduce((sum, r) => sum + sizeWithout(r, exclude), 0);
  const max = spec.maxAddresses ?? DEFAULT_MAX_ADDRESSES;
  if (size > max) {
    throw new CamauditError('usage', `scope has ${size} addresses, more than the limit of ${max}; narrow the targets or raise the limit with --max-addresses`);
  }
  return { include: merged, exclude, ownPublic, size, multicast: spec.multicast ?? false };
}

/** Whether a packet may be sent to `ip`. The one question every socket asks (net.ts). */
export function decide(scope: Scope, ip: string): Decision {
  const n = parseQuad(ip);
  if (Number.isNaN(n)) return { allowed: false, reason: `${ip} is not an IPv4 address` };
  if (DISCOVERY_GROUPS.has(ip)) {
    return scope.multicast ? { allowed: true } : { allowed: false, reason: `${ip}: multicast discovery is not enabled for this scan` };
  }
  const excluded = covers(scope.exclude, n);
  if (excluded) return { allowed: false, reason: `${ip} is excluded by ${excluded.text}` };
  if (!covers(scope.include, n)) return { allowed: false, reason: `${ip} is outside the scan scope` };
  if (!privateNumber(n) && !covers(scope.ownPublic, n)) return { allowed: false, reason: `${ip} is public and not declared as the organisation's own` };
  return { allowed: true };
}

/** Every address a sweep visits, in order, skipping exclusions; `from` resumes after an address. */
export function* addresses(scope: Scope, from?: string): Generator<string> {
  const start = from === undefined ? -1 : toNumber(from);
  for (const r of scope.include) {
    for (let n = Math.max(r.first, start + 1); n <= r.last; n++) {
      const ex = covers(scope.exclude, n);
      if (ex) {
        n = ex.last;
        continue;
      }
      yield fromNumber(n);
    }
  }
}
