// ONVIF WS-Discovery (WS-Discovery 2005/04 over UDP 3702): Probe messages asking for ONVIF video
// transmitters and devices, sent to the multicast group of the local segment and unicast to each
// live address, because multicast never crosses a router and closed networks are often routed.
// Devices differ in what they match, so every round sends four probes: the two ONVIF types, each
// with a declared prefix (`dn:NetworkVideoTransmitter`) and as a bare name in the default
// namespace — some cameras ignore prefixed types (openhab/openhab-addons#9022), newer ones match
// only `tds:Device` (vicmaeg/onvif-discovery#49).
import { randomUUID } from 'node:crypto';
import { child, childText, findAll, findText } from '../../core/identify/parse/common.js';
import { parseXmlDocuments } from '../../core/identify/parse/documents.js';
import type { Datagram, GuardedUdp } from '../net.js';
import { makeCapture, type Capture, type GroupProbe, type HostProbe } from '../probe.js';

export const WS_DISCOVERY_PORT = 3702;
export const WS_DISCOVERY_GROUP = '239.255.255.250';

const NS = {
  soap: 'http://www.w3.org/2003/05/soap-envelope',
  addressing: 'http://schemas.xmlsoap.org/ws/2004/08/addressing',
  discovery: 'http://schemas.xmlsoap.org/ws/2005/04/discovery',
} as const;

export interface OnvifType {
  prefix: string;
  namespace: string;
  name: string;
}

export const NETWORK_VIDEO_TRANSMITTER: OnvifType = { prefix: 'dn', namespace: 'http://www.onvif.org/ver10/network/wsdl', name: 'NetworkVideoTransmitter' };
export const DEVICE: OnvifType = { prefix: 'tds', namespace: 'http://www.onvif.org/ver10/device/wsdl', name: 'Device' };

export interface ProbeMessage {
  messageId: string;
  xml: string;
}

/**
 * One Probe for `type`. Prefixed, the prefix is declared on the envelope; bare, the type's
 * namespace is the default namespace of `Types`, so the name is still namespace-correct for
 * devices that resolve it and a plain word for those that compare text. The `To` and `Action`
 * headers are required by some firmware (ZoneMinder/zoneminder#1410); the empty `Scopes` makes
 * others answer (agsh/onvif#29) and asks for no scope matching, which Hikvision refuses.
 */
export function probeMessage(type: OnvifType, prefixed: boolean, messageId = `urn:uuid:${randomUUID()}`): ProbeMessage {
  const types = prefixed
    ? `<d:Types>${type.prefix}:${type.name}</d:Types>`
    : `<d:Types xmlns="${type.namespace}">${type.name}</d:Types>`;
  const xml = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<s:Envelope xmlns:s="${NS.soap}" xmlns:a="${NS.addressing}" xmlns:d="${NS.discovery}"${prefixed ? ` xmlns:${type.prefix}="${type.namespace}"` : ''}>`,
    '<s:Header>',
    `<a:MessageID>${messageId}</a:MessageID>`,
    '<a:To s:mustUnderstand="1">urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To>',
    '<a:Action s:mustUnderstand="1">http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action>',
    '</s:Header>',
    `<s:Body><d:Probe>${types}<d:Scopes/></d:Probe></s:Body>`,
    '</s:Envelope>',
  ].join('\n');
  return { messageId, xml };
}

/** The four probes of one round, each with a fresh MessageID. */
export function probeRound(): ProbeMessage[] {
  return [NETWORK_VIDEO_TRANSMITTER, DEVICE].flatMap((type) => [probeMessage(type, true), probeMessage(type, false)]);
}

/** What the probes ask, for the capture's evidence. */
const REQUEST = 'WS-Discovery Probe dn:NetworkVideoTransmitter, tds:Device (prefixed and default-namespace forms)';

export interface ProbeMatches {
  /** The MessageID the reply answers, as sent back (`urn:uuid:…`, `uuid:…`), or null if absent. */
  relatesTo: string | null;
  /** EndpointReference addresses of the matches. */
  endpoints: string[];
}

/** A ProbeMatches reply's correlation and endpoints; null for anything else (Hello, Bye, garbage). */
export function readProbeMatches(text: string): ProbeMatches | null {
  let doc: unknown;
  try {
    doc = parseXmlDocuments(text.trim(), 'WS-Discovery reply')[0];
  } catch {
    return null;
  }
  if (findAll(doc, 'ProbeMatches').length === 0) return null;
  return {
    relatesTo: findText(doc, 'RelatesTo')?.trim() ?? null,
    endpoints: findAll(doc, 'ProbeMatch').map((m) => childText(child(m, 'EndpointReference'), 'Address')?.trim() ?? ''),
  };
}

/** Devices echo our `urn:uuid:x` as `uuid:x` or `x`; compare the UUID alone. */
export function messageKey(id: string): string {
  return id.trim().toLowerCase().replace(/^urn:/, '').replace(/^uuid:/, '');
}

/**
 * The replies worth keeping: ProbeMatches relating to one of our probes, one capture per answering
 * address. A device answers each of the four probes of every round with the same endpoint; those
 * repeats are dropped, and a later reply is kept only if it names an endpoint not seen from that
 * address. Replies without RelatesTo are kept (some firmware omits the header); replies relating
 * to someone else's probe are not ours. Non-camera WSD responders (printers, Windows) that answer
 * are kept too: identification, not discovery, decides what they are.
 */
class ReplyBook {
  private readonly ids = new Set<string>();
  private readonly seen = new Map<string, Set<string>>();
  readonly kept: { ip: string; capture: Capture }[] = [];

  constructor(
    private readonly describe: (data: Buffer) => Capture,
    private readonly from?: string,
  ) {}

  expect(message: ProbeMessage): void {
    this.ids.add(messageKey(message.messageId));
  }

  /** Whether the datagram was kept as a new capture. */
  take(d: Datagram): boolean {
    if (this.from !== undefined && d.from !== this.from) return false;
    const reply = readProbeMatches(d.data.toString('utf8'));
    if (!reply || (reply.relatesTo !== null && !this.ids.has(messageKey(reply.relatesTo)))) return false;
    const seen = this.seen.get(d.from) ?? new Set<string>();
    const fresh = reply.endpoints.filter((e) => !seen.has(e));
    if (this.seen.has(d.from) && fresh.length === 0) return false;
    for (const e of reply.endpoints) seen.add(e);
    this.seen.set(d.from, seen);
    this.kept.push({ ip: d.from, capture: this.describe(d.data) });
    return true;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** WS-Discovery asks a random 50–250 ms between repeats of a UDP message; rounds are spaced likewise. */
const ROUND_GAP_MS = 150;

async function sendRound(udp: GuardedUdp, book: ReplyBook, to: string): Promise<void> {
  for (const message of probeRound()) {
    book.expect(message);
    await udp.send(to, WS_DISCOVERY_PORT, message.xml);
  }
}

export const wsDiscoveryGroupProbe: GroupProbe = {
  name: 'ws-discovery',
  async run(ctx) {
    // Multicast TTL stays at its default of 1: the probe never leaves the segment it is sent on.
    const udp = await ctx.net.udp({ multicastInterface: ctx.interfaceAddress });
    try {
      const book = new ReplyBook((data) =>
        makeCapture({ probe: 'ws-discovery', protocol: 'onvif', transport: 'multicast', port: WS_DISCOVERY_PORT, request: REQUEST }, data, ctx.now()));
      const off = udp.onMessage((d) => book.take(d));
      for (let round = 0; round < ctx.rounds; round++) {
        if (round > 0) await sleep(ROUND_GAP_MS);
        await sendRound(udp, book, WS_DISCOVERY_GROUP);
      }
      await sleep(ctx.waitMs);
      off();
      return book.kept;
    } finally {
      udp.close();
    }
  },
};

/** After the first answer, how long to keep listening for replies naming other endpoints. */
const SETTLE_MS = 100;

export const wsDiscoveryUnicastProbe: HostProbe = {
  name: 'ws-discovery-unicast',
  ports: [],
  async run(ctx) {
    const udp = await ctx.net.udp();
    try {
      let answered: () => void = () => undefined;
      const firstAnswer = new Promise<void>((resolve) => (answered = resolve));
      const book = new ReplyBook((data) =>
        makeCapture({ probe: 'ws-discovery-unicast', protocol: 'onvif', transport: 'udp', port: WS_DISCOVERY_PORT, request: REQUEST }, data, ctx.now()),
      ctx.ip);
      const off = udp.onMessage((d) => {
        if (book.take(d)) answered();
      });
      // A silent host costs the politeness timeout once, split over the attempts: datagrams are
      // lost rarely on a LAN, and most live hosts do not speak WS-Discovery at all.
      const attempts = ctx.net.politeness.retries + 1;
      const waitMs = Math.max(SETTLE_MS, Math.floor(ctx.net.politeness.timeoutMs / attempts));
      for (let attempt = 0; attempt < attempts && book.kept.length === 0; attempt++) {
        await sendRound(udp, book, ctx.ip);
        await firstOf(firstAnswer, waitMs);
      }
      if (book.kept.length > 0) await sleep(SETTLE_MS);
      off();
      return book.kept.map((k) => k.capture);
    } finally {
      udp.close();
    }
  },
};

/** Waits for `promise` or `ms`, whichever comes first, leaving no timer behind. */
async function firstOf(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
