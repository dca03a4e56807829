// The shapes shared by the lab's device emulators. A lab device is data (what it is, what it
// answers); each protocol family contributes the services that answer for it, and the lab host
// (lab.ts) binds them on the device's own loopback or namespace address.
import type { DeviceKind } from '../../core/model.js';

export interface LabCredential {
  username: string;
  password: string;
}

/** One emulated device: its ground truth and everything its protocols reveal. */
export interface LabDevice {
  ip: string;
  /** KB vendor id of the true maker (`hikvision`, `dahua`, `axis`…), or null for non-camera hosts. */
  manufacturer: string | null;
  /** Brand on the label (an OEM brand for rebadged devices). */
  brand: string;
  model: string;
  firmware: string;
  serial: string;
  /** Colon-separated lower-case MAC. */
  mac: string;
  kind: DeviceKind;
  /** Short template name from the catalogue (`hikvision-camera`, `lorex-nvr`, `printer`…). */
  template: string;
  credentials: LabCredential;
  /** Hikvision SADP `Activated`; Dahua DHIP `Init`. */
  activated: boolean;
  /** Hik-Connect / Dahua P2P enabled. */
  cloud: boolean;
  /** Cameras behind a recorder (ISAPI InputProxy), each with its own maker. */
  channels: { id: number; ip: string; manufacturer: string; model: string; protocol: string }[];
  /** Which protocol families answer; a printer answers HTTP only, an Axis camera ONVIF too. */
  protocols: readonly LabProtocol[];
  web: LabWeb;
}

export const LAB_PROTOCOLS = ['http', 'https', 'rtsp', 'telnet', 'onvif', 'sadp', 'isapi', 'hik_sdk', 'dhip', 'dvrip', 'dahua_cgi', 'dahua_37777'] as const;
export type LabProtocol = (typeof LAB_PROTOCOLS)[number];

/** The web front as real firmware shows it before login. */
export interface LabWeb {
  /** `Server:` header; absent for firmware that sends none (Dahua). */
  server?: string;
  title: string;
  /** Start of the login page body (markers such as `doc/page/login.asp`). */
  body: string;
  /** The challenge of protected paths (`Digest realm="…"` / `Basic realm="…"`). */
  authScheme: 'digest' | 'basic';
  realm: string;
  /** RTSP `Server:` header and realm, when the device streams. */
  rtspServer?: string;
  rtspRealm?: string;
  telnetBanner?: string;
  /** TLS certificate subject and issuer as `CN=…, O=…` (self-signed when equal). */
  tlsSubject?: string;
  tlsIssuer?: string;
}

export interface LabHttpRequest {
  method: string;
  /** Path with query string, as sent. */
  path: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: string;
  /** Whether the request carried valid credentials for the device (Digest or Basic). */
  authenticated: boolean;
}

export interface LabHttpResponse {
  status: number;
  headers?: Record<string, string>;
  body: string | Buffer;
}

export interface HttpRoute {
  method: 'GET' | 'POST';
  /** Exact path (query string included when `matchQuery`), or a pattern over the whole path. */
  path: string | RegExp;
  /** Routes needing login answer 401 with the device's challenge until authenticated. */
  auth: boolean;
  handle(req: LabHttpRequest, device: LabDevice): LabHttpResponse;
}

/** A UDP service: unicast on the device's address, and (in a namespace) the multicast group. */
export interface UdpService {
  port: number;
  group?: string;
  /** The reply to one datagram, or null to stay silent. */
  respond(message: Buffer, device: LabDevice): Buffer | null;
}

/** A raw TCP service (RTSP, telnet, SDK ports): reacts to what the client sends. */
export interface TcpService {
  port: number;
  /** Sent on connect, before the client says anything (telnet banners). */
  greeting?(device: LabDevice): Buffer | null;
  /** Answer to the bytes received so far; null waits for more. Return `close: true` to hang up. */
  respond?(received: Buffer, device: LabDevice): { reply: Buffer; close: boolean } | null;
}

/** What one protocol family adds to a device that speaks it. */
export interface LabServices {
  http?: HttpRoute[];
  udp?: UdpService[];
  tcp?: TcpService[];
}
