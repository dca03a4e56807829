// Checking a "closed network" claim: the endpoints file an organisation writes (what a device in
// the segment should not be able to reach), the result of one check, the devices whose latest scan
// reports a vendor cloud link, and the verdict on the network's recorded connectivity. Pure: the
// checks themselves run in egress.ts, the register is read by the command. The texts of a result
// are in English with the Dutch beside them (`nl`): the result is stored as evidence, to be read
// later in either language, and tools reading `--json` keep the English fields they know.
import ipaddr from 'ipaddr.js';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { CamauditError } from '../core/errors.js';
import type { Connectivity, RemoteAccess } from '../core/model.js';
import { both, inEach, t, type Lang, type MessageKey, type Texts } from '../i18n/messages.js';

export const ENDPOINT_PROTOCOLS = ['dns', 'tcp', 'udp', 'https'] as const;
export type EndpointProtocol = (typeof ENDPOINT_PROTOCOLS)[number];

/** Enough for any probe worth sending; egress checks send nothing of substance. */
const MAX_PAYLOAD_BYTES = 512;

const EndpointEntry = z.strictObject({
  name: z.string().trim().min(1).max(100),
  host: z.string().trim().min(1).max(253),
  port: z.number().int().min(1).max(65535).optional(),
  protocol: z.enum(ENDPOINT_PROTOCOLS),
  payload: z.string().optional(),
});

const EndpointsFileSchema = z.strictObject({
  resolver: z.string().trim().min(1).optional(),
  endpoints: z.array(z.unknown()).min(1).max(500),
});

export interface Endpoint {
  name: string;
  /** A DNS name or an IPv4 address, as written. */
  host: string;
  /** Whether `host` is a name that has to be resolved before anything can be sent to it. */
  hostIsName: boolean;
  protocol: EndpointProtocol;
  /** Null for dns checks, which ask the resolver rather than the host. */
  port: number | null;
  /** The datagram a udp check sends. */
  payload: Buffer | null;
}

export interface ResolverAddress {
  address: string;
  port: number;
}

export interface EndpointsFile {
  /** The DNS server to ask; null: the system's. */
  resolver: ResolverAddress | null;
  endpoints: Endpoint[];
}

// Letters, digits, hyphens and underscores (SRV-style labels appear in vendor service names).
const HOST_NAME = /^(?=.{1,253}\.?$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.?$/i;

// Each of these asks a question that the well-known service answers, so "no reply" means something.
// NTP version 4 client request: first byte LI 0, VN 4, mode 3; the other 47 bytes zero.
const NTP_CLIENT_REQUEST = Buffer.concat([Buffer.from([0x23]), Buffer.alloc(47)]);
// Id, flags (recursion desired), one question; the root name, type NS, class IN.
const DNS_ROOT_NS_QUERY = Buffer.from([0xca, 0x6d, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0x00, 0, 2, 0, 1]);
const DEFAULT_PAYLOADS: ReadonlyMap<number, Buffer> = new Map([
  [53, DNS_ROOT_NS_QUERY],
  [123, NTP_CLIENT_REQUEST],
]);
const DEFAULT_PAYLOAD = Buffer.from('camaudit verify-isolation\n');

/** The datagram a udp check sends when the file gives none: a real question on 53 and 123. */
export function defaultPayload(port: number): Buffer {
  return DEFAULT_PAYLOADS.get(port) ?? DEFAULT_PAYLOAD;
}

function isIPv4(text: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(text);
}

const NOT_CONTACTABLE: Readonly<Record<string, MessageKey>> = {
  multicast: 'isolation.address.multicast',
  broadcast: 'isolation.address.broadcast',
  unspecified: 'isolation.address.unspecified',
  reserved: 'isolation.address.reserved',
};

/** Why an IPv4 address cannot be the other end of a check, in every language, or null when it can. */
export function whyNotContactable(ip: string): Texts | null {
  const key = NOT_CONTACTABLE[ipaddr.IPv4.parse(ip).range()];
  return key === undefined ? null : both(key);
}

/** Why an IPv4 address cannot be the other end of a check, or null when it can (for error messages). */
export function notContactable(ip: string): string | null {
  return whyNotContactable(ip)?.en ?? null;
}

function parseResolver(text: string, file: string): ResolverAddress {
  const match = /^([0-9.]+)(?::(\d{1,5}))?$/.exec(text);
  const port = match?.[2] === undefined ? 53 : Number(match[2]);
  if (!match || !isIPv4(match[1]!) || port < 1 || port > 65535) {
    throw new CamauditError('invalid_input', `${file}: field "resolver": "${text}" is not an IPv4 address with an optional port (10.0.0.53 or 10.0.0.53:5353)`, { file });
  }
  const why = notContactable(match[1]!);
  if (why) throw new CamauditError('invalid_input', `${file}: field "resolver": ${match[1]} ${why}`, { file });
  return { address: match[1]!, port };
}

function parsePayload(text: string): Buffer | string {
  if (!text.startsWith('hex:')) return Buffer.from(text, 'utf8');
  const hex = text.slice(4).replace(/\s/g, '');
  if (!/^(?:[0-9a-f]{2})+$/i.test(hex)) return 'after "hex:" give an even number of hexadecimal digits';
  return Buffer.from(hex, 'hex');
}

/** The entry's checks that zod cannot express; a message, or the endpoint. */
function toEndpoint(e: z.infer<typeof EndpointEntry>): Endpoint | string {
  if (ipaddr.IPv6.isValid(e.host) && !isIPv4(e.host)) return `field "host": IPv6 addresses are not supported; give an IPv4 address or a name`;
  const hostIsName = !isIPv4(e.host);
  if (hostIsName && (!HOST_NAME.test(e.host) || /^[0-9.]+$/.test(e.host))) return `field "host": "${e.host}" is neither an IPv4 address nor a DNS name`;
  if (!hostIsName) {
    const why = notContactable(e.host);
    if (why) return `field "host": ${e.host} ${why}`;
  }
  if (e.protocol === 'dns') {
    if (!hostIsName) return `field "host": a dns check resolves a name; ${e.host} is already an address`;
    if (e.port !== undefined) return 'field "port": a dns check asks the resolver (set "resolver" at the top of the file), not a port on the host';
  }
  if ((e.protocol === 'tcp' || e.protocol === 'udp') && e.port === undefined) return `field "port": a ${e.protocol} check needs a port`;
  if (e.payload !== undefined && e.protocol !== 'udp') return 'field "payload": only udp checks send a payload';
  const port = e.protocol === 'dns' ? null : (e.port ?? 443);
  let payload: Buffer | null = null;
  if (e.protocol === 'udp') {
    const parsed = e.payload === undefined ? defaultPayload(port!) : parsePayload(e.payload);
    if (typeof parsed === 'string') return `field "payload": ${parsed}`;
    if (parsed.length > MAX_PAYLOAD_BYTES) return `field "payload": ${parsed.length} bytes, more than the ${MAX_PAYLOAD_BYTES} a probe needs`;
    payload = parsed;
  }
  return { name: e.name, host: e.host.replace(/\.$/, ''), hostIsName, protocol: e.protocol, port, payload };
}

const FILE_SHAPE = '{resolver?: "ip[:port]", endpoints: [{name, host, port?, protocol: dns|tcp|udp|https, payload?}]}';

/** Parses an endpoints file's text (JSON when the name ends in .json, else YAML); errors name the file and entry. */
export function parseEndpointsFile(text: string, file: string): EndpointsFile {
  const json = file.toLowerCase().endsWith('.json');
  let data: unknown;
  try {
    data = json ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 0 });
  } catch (err) {
    throw new CamauditError('invalid_input', `${file}: not valid ${json ? 'JSON' : 'YAML'}: ${(err as Error).message}`, { file });
  }
  const top = EndpointsFileSchema.safeParse(data);
  if (!top.success) {
    const issue = top.error.issues[0]!;
    const where = issue.path.length > 0 ? `field "${issue.path.join('.')}"` : 'the file';
    throw new CamauditError('invalid_input', `${file}: ${where}: ${issue.message} (expected ${FILE_SHAPE})`, { file });
  }
  const resolver = top.data.resolver === undefined ? null : parseResolver(top.data.resolver, file);
  const seen = new Map<string, number>();
  const endpoints = top.data.endpoints.map((raw, i) => {
    const label = entryLabel(raw, i);
    const entry = EndpointEntry.safeParse(raw);
    if (!entry.success) {
      const issue = entry.error.issues[0]!;
      const where = issue.path.length > 0 ? ` field "${issue.path.join('.')}"` : '';
      throw new CamauditError('invalid_input', `${file}: ${label}${where}: ${issue.message}`, { file });
    }
    const endpoint = toEndpoint(entry.data);
    if (typeof endpoint === 'string') throw new CamauditError('invalid_input', `${file}: ${label} ${endpoint}`, { file });
    const earlier = seen.get(endpoint.name.toLowerCase());
    if (earlier !== undefined) throw new CamauditError('invalid_input', `${file}: ${label}: the name is already used by entry ${earlier}; results are told apart by name`, { file });
    seen.set(endpoint.name.toLowerCase(), i + 1);
    return endpoint;
  });
  return { resolver, endpoints };
}

/** `entry 3 ("hik-connect")`: the position always, the name when there is one to show. */
function entryLabel(raw: unknown, index: number): string {
  const name = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>).name : undefined;
  return typeof name === 'string' && name.trim() !== '' ? `entry ${index + 1} ("${name.trim()}")` : `entry ${index + 1}`;
}

export type Reachability = 'reachable' | 'unreachable' | 'inconclusive';

export interface CheckResult {
  name: string;
  protocol: EndpointProtocol;
  host: string;
  port: number | null;
  /** The addresses tried: the host's own, or what the resolver gave for its name. */
  addresses: string[];
  result: Reachability;
  /** What happened, in words precise about what it does and does not show. */
  detail: string;
  /** The texts above in Dutch, so stored evidence reads in either language. */
  nl: { detail: string };
  /** The system's error code when there was one (ECONNREFUSED, ETIMEDOUT, ENOTFOUND). */
  error: string | null;
  /** Time until the answer or the failure; null when nothing answered before the timeout. */
  latencyMs: number | null;
  /** For https: whom the certificate names, and whether it chains to a CA this machine trusts. */
  certificate?: { subject: string; issuer: string; trusted: boolean };
  at: string;
}

/** A check's detail in the reader's language. */
export function checkDetail(c: Pick<CheckResult, 'detail' | 'nl'>, lang: Lang): string {
  return lang === 'nl' ? c.nl.detail : c.detail;
}

/** `host:port`, or the bare name for dns checks. */
export function checkTarget(c: Pick<CheckResult, 'host' | 'port'>): string {
  return c.port === null ? c.host : `${c.host}:${c.port}`;
}

/** A register device with what the result shows of it. */
export interface NetworkDevice {
  id: string;
  ip: string | null;
  brand: string | null;
  manufacturer: string | null;
  model: string | null;
}

/** One scan observation of a device (payloads are needed for risk facts only). */
export interface ScanObservation {
  deviceId: string;
  scanRunId: string | null;
  observedAt: string;
  kind: string;
  payload: unknown;
}

export interface P2pDevice extends NetworkDevice {
  /** What showed the cloud link: `sadp.cloud=true (Hik-Connect enabled)`. */
  detail: string;
  observedAt: string;
  scanRunId: string | null;
}

function vendorCloudDetail(payload: unknown): string | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const { fact, detail } = payload as { fact?: unknown; detail?: unknown };
  if (fact !== 'vendor_cloud') return null;
  return typeof detail === 'string' && detail !== '' ? detail : 'vendor cloud / P2P reported on';
}

/**
 * The devices whose latest scan reports a vendor cloud (Hik-Connect, P2P) link. Only the latest
 * scan counts: a device whose owner switched P2P off should stop being flagged. A scan is one scan
 * run; observations without a run are grouped by their time.
 */
export function p2pDevices(devices: readonly NetworkDevice[], observations: readonly ScanObservation[]): P2pDevice[] {
  const byDevice = new Map<string, ScanObservation[]>();
  for (const o of observations) {
    const list = byDevice.get(o.deviceId) ?? [];
    list.push(o);
    byDevice.set(o.deviceId, list);
  }
  const flagged: P2pDevice[] = [];
  for (const device of devices) {
    const list = byDevice.get(device.id);
    if (!list || list.length === 0) continue;
    const newest = list.reduce((a, b) => (b.observedAt > a.observedAt ? b : a));
    const latest = newest.scanRunId === null
      ? list.filter((o) => o.scanRunId === null && o.observedAt === newest.observedAt)
      : list.filter((o) => o.scanRunId === newest.scanRunId);
    for (const o of latest) {
      const detail = o.kind === 'risk_fact' ? vendorCloudDetail(o.payload) : null;
      if (detail === null) continue;
      flagged.push({ ...device, detail, observedAt: o.observedAt, scanRunId: o.scanRunId });
      break;
    }
  }
  return flagged.sort((a, b) => (a.ip ?? '').localeCompare(b.ip ?? '', 'en', { numeric: true }) || a.id.localeCompare(b.id));
}

export type VerdictOutcome = 'supported' | 'contradicted' | 'inconclusive' | 'not_applicable';

export interface Verdict {
  claimed: Connectivity;
  outcome: VerdictOutcome;
  /** One line for people: "claim supported by these checks", "claim contradicted", … */
  summary: string;
  /** Each reason behind the outcome, naming the check or device. */
  reasons: string[];
  /** The texts above in Dutch, so stored evidence reads in either language. */
  nl: { summary: string; reasons: string[] };
}

export interface VerdictInput {
  claimed: Connectivity;
  remoteAccess: RemoteAccess;
  checks: readonly CheckResult[];
  p2pDevices: readonly P2pDevice[];
}

function verdict(claimed: Connectivity, outcome: VerdictOutcome, reasons: readonly Texts[]): Verdict {
  const summary = both(`isolation.summary.${outcome}`);
  return {
    claimed, outcome, summary: summary.en, reasons: reasons.map((r) => r.en),
    nl: { summary: summary.nl, reasons: reasons.map((r) => r.nl) },
  };
}

/** The verdict's summary and reasons in the reader's language. */
export function verdictText(v: Verdict, lang: Lang): { summary: string; reasons: readonly string[] } {
  return lang === 'nl' ? v.nl : v;
}

/**
 * What the checks say about the recorded connectivity. `isolated` claims that nothing outside the
 * segment can be reached, so any reachable endpoint (every entry of the file stands for somewhere
 * outside) or any vendor cloud link contradicts it. `internal` claims the devices are not
 * reachable from the internet: egress does not contradict that, a vendor cloud relay does.
 */
export function judge(input: VerdictInput): Verdict {
  const { claimed, checks } = input;
  const reachable = checks.filter((c) => c.result === 'reachable');
  const unreachable = checks.filter((c) => c.result === 'unreachable');
  const inconclusive = checks.filter((c) => c.result === 'inconclusive');
  const cloud = [
    ...(input.remoteAccess === 'vendor_cloud' ? [both('isolation.reason.registerCloud')] : []),
    ...input.p2pDevices.map((d) => inEach((lang) => t(lang, 'isolation.reason.deviceCloud', {
      device: d.ip ?? d.id, model: [d.brand, d.model].filter(Boolean).join(' ') || t(lang, 'isolation.reason.unknownModel'), detail: d.detail,
    }))),
  ];
  const egress = reachable.map((c) => inEach((lang) => t(lang, 'isolation.reason.reachable', {
    name: c.name, protocol: c.protocol, target: checkTarget(c), detail: checkDetail(c, lang),
  })));
  const undecided = inconclusive.length > 0
    ? [both('isolation.reason.undecided', { n: inconclusive.length, total: checks.length, names: inconclusive.map((c) => c.name).join(', ') })]
    : [];

  if (claimed === 'isolated') {
    if (egress.length > 0 || cloud.length > 0) return verdict(claimed, 'contradicted', [...egress, ...cloud]);
    if (unreachable.length > 0) {
      return verdict(claimed, 'supported', [both('isolation.reason.supported', { n: unreachable.length, total: checks.length }), ...undecided]);
    }
    return verdict(claimed, 'inconclusive', [...undecided, both('isolation.reason.noAnswer')]);
  }
  if (claimed === 'internal') {
    if (cloud.length > 0) return verdict(claimed, 'contradicted', [...cloud, both('isolation.reason.cloudRelay')]);
    return verdict(claimed, 'inconclusive', [both('isolation.reason.internalUntested'), ...egress]);
  }
  const observed = [...egress, ...cloud];
  return verdict(claimed, 'not_applicable', [
    both(claimed === 'internet_exposed' ? 'isolation.reason.alreadyExposed' : 'isolation.reason.noClass'),
    ...(observed.length > 0 ? [...observed, both('isolation.reason.notIsolated')] : []),
  ]);
}
