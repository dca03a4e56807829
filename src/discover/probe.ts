// What a probe is and what it returns. A probe asks one protocol one read-only question and keeps
// the answer verbatim as a capture; parsing and identification happen later on the stored capture
// (core/identify/parse), so a scan, a bundle and an analyst's saved file are read the same way.
import type { CaptureHint } from '../core/identify/parse/detect.js';
import { looksBinary } from '../core/identify/parse/common.js';
import type { Protocol } from '../core/identify/signals.js';
import type { Credential } from './http-client.js';
import type { GuardedNet } from './net.js';

export interface Capture {
  /** The probe that produced it (`sadp`, `http`, `isapi`, …). */
  probe: string;
  /** How core/identify/parse reads `content`. */
  protocol: Protocol;
  transport: 'tcp' | 'tls' | 'udp' | 'multicast';
  port: number | null;
  /** What was asked, for evidence: `GET /ISAPI/System/deviceInfo`, `DHDiscover.search` (at most 500 characters). */
  request: string;
  /** The answer as received: UTF-8 text, or base64 for binary answers. */
  content: string;
  encoding: 'utf8' | 'base64';
  /** Which field a bare value is (a banner alone, a certificate issuer). */
  hint?: CaptureHint;
  /** Whether the answer needed the owner's credentials. */
  authenticated: boolean;
  at: string;
}

const MAX_REQUEST_CHARS = 500;

export function makeCapture(
  fields: Omit<Capture, 'content' | 'encoding' | 'authenticated' | 'at'> & { authenticated?: boolean },
  data: Buffer | string,
  at: string,
): Capture {
  const buffer = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  // Text that is not valid UTF-8 (a Latin-1 login page) is kept as bytes, so the capture stays verbatim.
  const binary = looksBinary(buffer) || !Buffer.from(buffer.toString('utf8'), 'utf8').equals(buffer);
  return {
    ...fields,
    // A device chooses what a request names (a redirect target): keep evidence bounded.
    request: fields.request.length > MAX_REQUEST_CHARS ? `${fields.request.slice(0, MAX_REQUEST_CHARS - 1)}…` : fields.request,
    authenticated: fields.authenticated ?? false,
    content: binary ? buffer.toString('base64') : buffer.toString('utf8'),
    encoding: binary ? 'base64' : 'utf8',
    at,
  };
}

export function captureBytes(c: Capture): Buffer {
  return Buffer.from(c.content, c.encoding);
}

/** The names credentials files use to limit an entry to some probes. */
export const CREDENTIAL_PROTOCOLS = ['isapi', 'dahua_cgi', 'onvif'] as const;
export type CredentialProtocol = (typeof CREDENTIAL_PROTOCOLS)[number];

export interface ProbeContext {
  net: GuardedNet;
  ip: string;
  /** TCP ports the sweep found open on this host. */
  openPorts: ReadonlySet<number>;
  /** The owner's credentials that apply to this host and this probe, in file order. */
  credentials: readonly Credential[];
  now: () => string;
}

/** Asks one host. Never guesses passwords, never writes, never reboots. */
export interface HostProbe {
  name: string;
  /** Runs when one of these TCP ports is open; empty: runs on every live host (UDP unicast). */
  ports: readonly number[];
  /** Which entries of the credentials file apply (those naming this protocol, or none). */
  credentialProtocol?: CredentialProtocol;
  /** Skipped when no credentials apply; otherwise it also runs without (asking what needs no login). */
  requiresCredentials?: boolean;
  /**
   * Credentials are offered only to devices that the unauthenticated answers identify as made by
   * one of these KB vendors, so a password never goes to a host that is not that vendor's device.
   * Absent: offered to any device that answered this probe's protocol without them.
   */
  makers?: readonly string[];
  run(ctx: ProbeContext): Promise<Capture[]>;
}

export interface GroupContext {
  net: GuardedNet;
  /** Local address of the interface to send multicast from (the segment being discovered). */
  interfaceAddress: string;
  /** Times the query is repeated: datagrams get lost, and some devices answer only the second. */
  rounds: number;
  /** How long to listen after the last round. */
  waitMs: number;
  now: () => string;
}

/** Asks a multicast group; answers from outside the scope never reach it (GuardedUdp drops them). */
export interface GroupProbe {
  name: string;
  run(ctx: GroupContext): Promise<{ ip: string; capture: Capture }[]>;
}
