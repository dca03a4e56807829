// nmap XML reports (`nmap -oX`): what nmap learned about each live host, turned into the captures
// a camaudit scan makes, so an nmap run is identified and reconciled like a scan of our own.
// nmap's answers are kept as close to the device's words as the report allows: the raw answers in
// a service fingerprint and the Server header, title, certificate names, RTSP methods and telnet
// banner its scripts printed. nmap's own verdict (product, CPE) is kept as the weakest evidence.
// Any nmap version: attributes and structured script output came and went between releases, so
// every field is optional and scripts are read from their printed output when no table is there.
import { isIP } from 'node:net';
import { CamauditError } from '../core/errors.js';
import { asRecord } from '../core/identify/parse/common.js';
import { normaliseMac } from '../core/identify/parse/mac.js';
import type { Capture } from '../discover/probe.js';
import type { HostResult } from '../discover/result.js';
import { attr, children, first, portCaptures, wsddCapture, wsddDevices } from './nmap-ports.js';
import { parseXmlSafely } from './xml-guard.js';

export interface NmapScan {
  scanner: 'nmap';
  version: string | null;
  /** The command line nmap was run with. */
  args: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  hosts: HostResult[];
}

/** A /16 scanned with scripts is tens of megabytes; far beyond that is not a report we want in memory. */
export const MAX_NMAP_BYTES = 256 * 1024 * 1024;

// nmap 7 starts every report with `<!DOCTYPE nmaprun>`, and nmap's own tools (ndiff, merges)
// write the public identifier of nmap.dtd. Neither declares an entity nor is ever fetched, so
// exactly these two are blanked out of the prolog; any other DOCTYPE is refused by the XML guard.
const NMAP_DOCTYPE = /^((?:\s*<\?(?:[^?]|\?(?!>)){0,500}\?>|\s*<!--(?:[^-]|-(?!->)){0,2000}-->)*\s*)(<!DOCTYPE\s+nmaprun(?:\s+PUBLIC\s+"-\/\/IDN nmap\.org\/\/DTD Nmap XML 1\.04\/\/EN"\s+"https:\/\/svn\.nmap\.org\/nmap\/docs\/nmap\.dtd")?\s*>)/;
const PROLOG_CHARS = 4096;

function withoutNmapDoctype(text: string): string {
  const m = NMAP_DOCTYPE.exec(text.slice(0, PROLOG_CHARS));
  if (!m) return text;
  const start = m[1]!.length;
  const doctype = m[2]!;
  // Spaces of the same length keep line and column numbers in later messages right.
  return text.slice(0, start) + doctype.replace(/[^\n]/g, ' ') + text.slice(start + doctype.length);
}

/** nmap writes times as Unix seconds. */
function isoFromEpoch(value: string | undefined): string | null {
  if (value === undefined || !/^\d{1,12}$/.test(value)) return null;
  return new Date(Number(value) * 1000).toISOString();
}

/**
 * Reads an nmap XML report. Refuses DTDs and oversize input (hostile_input), and anything that is
 * not a complete nmap report (invalid_input, naming the file): a report cut off mid-write would
 * silently drop the hosts after the cut.
 */
export function readNmapXml(content: Buffer, file: string, maxBytes = MAX_NMAP_BYTES): NmapScan {
  if (content.length > maxBytes) {
    throw new CamauditError('hostile_input', `nmap report is ${content.length} bytes, more than the limit of ${maxBytes}`, { file });
  }
  const text = withoutNmapDoctype(content.toString('utf8').replace(/^\uFEFF/, ''));
  const run = asRecord(parseXmlSafely(text, file, maxBytes).nmaprun);
  if (!run) throw new CamauditError('invalid_input', 'not an nmap XML report: there is no <nmaprun> root element', { file });
  const startedAt = isoFromEpoch(attr(run, 'start'));
  const finishedAt = isoFromEpoch(attr(first(first(run, 'runstats'), 'finished'), 'time'));
  const scanAt = finishedAt ?? startedAt;
  const hosts = new Map<string, HostResult>();
  for (const node of children(run, 'host')) {
    const host = readHost(node, scanAt, file);
    if (host) merge(hosts, host);
  }
  // Broadcast scripts run before the host scan and report every responder they heard.
  for (const script of children(first(run, 'prescript'), 'script')) {
    if (attr(script, 'id') !== 'broadcast-wsdd-discover') continue;
    if (!scanAt) throw noTime(file);
    for (const found of wsddDevices(attr(script, 'output'))) {
      if (!found.ip) continue;
      const capture = wsddCapture(found, { port: 3702, transport: 'multicast', service: 'ws-discovery', at: scanAt }, 'broadcast-wsdd-discover');
      merge(hosts, { ip: found.ip, mac: null, openPorts: [], captures: [capture] });
    }
  }
  return { scanner: 'nmap', version: attr(run, 'version') ?? null, args: attr(run, 'args') ?? null, startedAt, finishedAt, hosts: [...hosts.values()] };
}

function noTime(file: string): CamauditError {
  return new CamauditError('invalid_input', 'nmap report carries no scan time (<nmaprun start> or <finished time>); the evidence could not be dated', { file });
}

/** Hosts listed twice (a target named twice, a broadcast responder) become one. */
function merge(hosts: Map<string, HostResult>, host: HostResult): void {
  const known = hosts.get(host.ip);
  if (!known) {
    hosts.set(host.ip, host);
    return;
  }
  known.mac ??= host.mac;
  known.macVendor ??= host.macVendor;
  known.openPorts = [...new Set([...known.openPorts, ...host.openPorts])].sort((a, b) => a - b);
  known.captures.push(...host.captures);
}

function readHost(node: unknown, scanAt: string | null, file: string): HostResult | null {
  const state = attr(first(node, 'status'), 'state');
  if (state !== undefined && state !== 'up') return null;
  const addresses = children(node, 'address');
  const byType = (type: string) => addresses.find((a) => (attr(a, 'addrtype') ?? 'ipv4') === type);
  const ip = attr(byType('ipv4'), 'addr') ?? attr(byType('ipv6'), 'addr');
  if (!ip) return null;
  // The address becomes a device's address in the register: nothing but an address is taken.
  if (isIP(ip) === 0) throw new CamauditError('invalid_input', `host address "${ip}" is not an IP address`, { file });
  const macNode = byType('mac');
  const at = isoFromEpoch(attr(node, 'endtime')) ?? isoFromEpoch(attr(node, 'starttime')) ?? scanAt;
  if (!at) throw noTime(file);
  const openPorts: number[] = [];
  const captures: Capture[] = [];
  for (const port of children(first(node, 'ports'), 'port')) {
    const number = Number(attr(port, 'portid'));
    const protocol = attr(port, 'protocol') ?? 'tcp';
    const portState = attr(first(port, 'state'), 'state');
    if (!Number.isInteger(number) || number < 1 || number > 65535) continue;
    // openPorts are TCP ports that accepted a connection; UDP answers still count as captures.
    if (protocol === 'tcp' && portState === 'open') openPorts.push(number);
    const answered = portState === 'open' || (protocol === 'udp' && portState === 'open|filtered');
    if (answered) captures.push(...portCaptures(port, number, protocol, at));
  }
  return {
    ip,
    mac: normaliseMac(attr(macNode, 'addr')) ?? null,
    macVendor: attr(macNode, 'vendor') ?? null,
    openPorts: [...new Set(openPorts)].sort((a, b) => a - b),
    captures,
  };
}
