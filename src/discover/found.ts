// From what a scan captured at one address to a found device: every capture is parsed by the
// same parsers that read an analyst's saved files, the signals are identified against the KB,
// and the risk facts visible without login are read off the same signals. Pure.
import { CamauditError } from '../core/errors.js';
import type { IdentifyKnowledge } from '../core/identify/identify.js';
import { identify } from '../core/identify/identify.js';
import type { Identity } from '../core/identify/identity.js';
import { parseCapture } from '../core/identify/parse/detect.js';
import type { Signal } from '../core/identify/signals.js';
import type { DeviceKind } from '../core/model.js';
import { riskFacts, type RiskFact } from './facts.js';
import { captureBytes, type Capture } from './probe.js';
import type { HostResult } from './result.js';

export interface FoundEvidence {
  rule: string;
  protocol: string;
  field: string;
  value: string;
  source: string;
}

/** A camera a recorder reports behind it (ISAPI InputProxy), identified on its own. */
export interface FoundChannel {
  channel: string;
  manufacturer: string | null;
  model: string | null;
  serial: string | null;
  ip: string | null;
  protocol: string | null;
}

/** The shape `camaudit scan --json` prints, one per address that answered. */
export interface FoundDevice {
  ip: string;
  mac: string | null;
  manufacturer: string | null;
  brand: string | null;
  model: string | null;
  firmware: string | null;
  serial: string | null;
  kind: DeviceKind | null;
  confidence: number;
  ports: number[];
  protocols: string[];
  evidence: FoundEvidence[];
  facts: RiskFact[];
  channels: FoundChannel[];
  /** Captures no parser could read (a device answering in a way we do not know yet). */
  unreadable: number;
}

export function captureSource(c: Capture, ip: string): string {
  return `scan:${c.probe} ${ip}${c.port === null ? '' : `:${c.port}`}`;
}

/** Signals of every capture; captures that cannot be read are counted, not fatal. */
export function hostSignals(host: HostResult): { signals: Signal[]; unreadable: number } {
  const signals: Signal[] = [];
  let unreadable = 0;
  for (const c of host.captures) {
    try {
      signals.push(...parseCapture(captureBytes(c), c.protocol, captureSource(c, host.ip), c.hint ? { hint: c.hint } : {}));
    } catch (err) {
      if (!(err instanceof CamauditError)) throw err;
      unreadable++;
    }
  }
  if (host.mac) signals.push({ protocol: 'mac', fields: { mac: host.mac }, source: `scan:neighbour ${host.ip}` });
  return { signals, unreadable };
}

function channelOf(signal: Signal, kb: IdentifyKnowledge): FoundChannel {
  const identity = identify([signal], kb);
  const f = signal.fields;
  return {
    channel: f.channel!,
    manufacturer: identity.manufacturer,
    model: f.model ?? null,
    serial: f.serial ?? null,
    ip: f.ip ?? null,
    protocol: f.proxy_protocol ?? null,
  };
}

function evidenceOf(identity: Identity): FoundEvidence[] {
  return identity.evidence
    .filter((e) => e.claims.manufacturer !== undefined || e.claims.kind !== undefined || e.claims.model !== undefined)
    .map((e) => ({ rule: e.rule, protocol: e.protocol, field: e.field, value: e.value, source: e.source }));
}

export interface Analysis {
  found: FoundDevice;
  /** The host's own signals (channels excluded), for merging with what the register says. */
  signals: Signal[];
  identity: Identity;
}

/** Null when the address showed nothing at all (no open port, no answer). */
export function foundDevice(host: HostResult, kb: IdentifyKnowledge): FoundDevice | null {
  return analyseHost(host, kb)?.found ?? null;
}

export function analyseHost(host: HostResult, kb: IdentifyKnowledge): Analysis | null {
  if (host.openPorts.length === 0 && host.captures.length === 0) return null;
  const { signals, unreadable } = hostSignals(host);
  // A recorder's channel list describes other cameras: identify those apart from the recorder.
  const own = signals.filter((s) => s.fields.channel === undefined);
  const channels = signals.filter((s) => s.fields.channel !== undefined).map((s) => channelOf(s, kb));
  const identity = identify(own, kb);
  const found: FoundDevice = {
    ip: host.ip,
    mac: identity.mac ?? host.mac,
    manufacturer: identity.manufacturer,
    brand: identity.brand,
    model: identity.model,
    firmware: identity.firmware,
    serial: identity.serial,
    kind: identity.kind ?? (channels.length > 0 ? 'recorder' : null),
    confidence: identity.confidence,
    ports: [...host.openPorts].sort((a, b) => a - b),
    protocols: [...new Set(host.captures.map((c) => c.protocol))].sort(),
    evidence: evidenceOf(identity),
    facts: riskFacts(own, host.openPorts),
    channels,
    unreadable,
  };
  return { found, signals: own, identity };
}
