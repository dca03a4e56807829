// The generic front every lab device shows before login: its start page and icon on the web
// ports, the challenge of its protected pages, its RTSP server and its telnet prompt. What the
// answers reveal (title, realm, RTSP Server header and realm, telnet banner) comes from the
// device's catalogue entry; the shapes follow real answers: nmap's RTSP matches for Hikvision
// and Dahua (test/fixtures/devices/nmap), recog's telnet and realm examples
// (test/fixtures/devices/http) and discovery-protocols.md §2.7–2.8.
import { createHash, randomBytes } from 'node:crypto';
import type { HttpRoute, LabDevice, LabServices, TcpService } from './types.js';
import { DO, DONT, IAC, SB, SE, WILL, WONT } from '../../discover/probes/telnet.js';

export const RTSP_PORT = 554;
export const TELNET_PORT = 23;

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The start page: the title the firmware gives it and the start of its login page. */
export function loginPage(device: LabDevice): string {
  return [
    '<!DOCTYPE html>',
    '<html>',
    '<head>',
    '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">',
    `<title>${escapeHtml(device.web.title)}</title>`,
    '</head>',
    '<body>',
    device.web.body,
    '</body>',
    '</html>',
    '',
  ].join('\r\n');
}

/**
 * A 1×1 icon in the ICO format, coloured after the firmware's maker (or the brand of a host with
 * no camera maker), so every device of a maker serves the same bytes and makers differ. Real
 * icons cannot be redistributed, so their hashes in the knowledge base never match the lab's.
 */
export function favicon(device: LabDevice): Buffer {
  const [blue, green, red] = createHash('sha256').update(`favicon:${device.manufacturer ?? device.brand}`).digest();
  const header = Buffer.from([0, 0, 1, 0, 1, 0]); // reserved, type 1 (icon), one image
  const bitmap = Buffer.alloc(40 + 4 + 4); // BITMAPINFOHEADER, one BGRA pixel, one AND-mask row
  bitmap.writeUInt32LE(40, 0);
  bitmap.writeInt32LE(1, 4); // width
  bitmap.writeInt32LE(2, 8); // height: XOR and AND bitmaps together
  bitmap.writeUInt16LE(1, 12); // planes
  bitmap.writeUInt16LE(32, 14); // bits per pixel
  bitmap.set([blue ?? 0, green ?? 0, red ?? 0, 0xff], 40);
  const entry = Buffer.alloc(16);
  entry.writeUInt8(1, 0); // width
  entry.writeUInt8(1, 1); // height
  entry.writeUInt16LE(1, 4); // planes
  entry.writeUInt16LE(32, 6); // bits per pixel
  entry.writeUInt32LE(bitmap.length, 8);
  entry.writeUInt32LE(header.length + entry.length, 12);
  return Buffer.concat([header, entry, bitmap]);
}

/** Hikvision's ISAPI and Dahua's CGI come with their families' own protected routes. */
function hasOwnApi(device: LabDevice): boolean {
  return device.protocols.includes('isapi') || device.protocols.includes('dahua_cgi');
}

function webRoutes(device: LabDevice): HttpRoute[] {
  const routes: HttpRoute[] = [
    {
      method: 'GET',
      path: '/',
      auth: false,
      handle: (_req, dev) => ({ status: 200, headers: { 'Content-Type': 'text/html' }, body: loginPage(dev) }),
    },
    {
      method: 'GET',
      path: '/favicon.ico',
      auth: false,
      handle: (_req, dev) => ({ status: 200, headers: { 'Content-Type': 'image/x-icon' }, body: favicon(dev) }),
    },
  ];
  if (!hasOwnApi(device)) {
    // Firmware without a family API keeps every page but its start page and icon behind its
    // login (the routes above match first), so any other path shows its challenge; once logged
    // in there is nothing more to read at a path the lab does not know.
    routes.push({ method: 'GET', path: /^\//, auth: true, handle: () => ({ status: 404, headers: { 'Content-Type': 'text/html' }, body: '' }) });
  }
  return routes;
}

// ---------------------------------------------------------------------------------- RTSP

/** The methods RTSP servers of camera firmware offer (nmap's Hikvision camera match). */
const RTSP_METHODS = ['OPTIONS', 'DESCRIBE', 'PLAY', 'PAUSE', 'SETUP', 'TEARDOWN', 'SET_PARAMETER', 'GET_PARAMETER'];

function headEnd(data: Buffer): number {
  const i = data.indexOf('\r\n\r\n');
  return i >= 0 ? i + 4 : -1;
}

/** The RTSP challenge: the device's login scheme with its RTSP realm. */
export function rtspChallenge(device: LabDevice): string {
  const realm = device.web.rtspRealm ?? device.web.realm;
  return device.web.authScheme === 'basic' ? `Basic realm="${realm}"` : `Digest realm="${realm}", nonce="${randomBytes(16).toString('hex')}"`;
}

function rtspReply(status: string, cseq: string | undefined, device: LabDevice, headers: [string, string][] = []): Buffer {
  const lines = [
    `RTSP/1.0 ${status}`,
    ...(cseq === undefined ? [] : [`CSeq: ${cseq}`]),
    ...(device.web.rtspServer ? [`Server: ${device.web.rtspServer}`] : []),
    ...headers.map(([k, v]) => `${k}: ${v}`),
    `Date: ${new Date().toUTCString()}`,
  ];
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}

/**
 * One RTSP request, once its head (and any body) has arrived. OPTIONS is open; every stream
 * operation asks for login, and the lab, which carries no video, never gets past that: what a
 * scanner without credentials meets.
 */
export function rtspRespond(received: Buffer, device: LabDevice): { reply: Buffer; close: boolean } | null {
  const end = headEnd(received);
  if (end < 0) return null;
  const head = received.subarray(0, end).toString('latin1');
  const length = Number(/^content-length:\s*(\d+)/im.exec(head)?.[1] ?? 0);
  if (received.length - end < length) return null;
  const requestLine = /^([A-Z_]+) (\S+) RTSP\/1\.0\r\n/.exec(head);
  const cseq = /^cseq:\s*(\S+)/im.exec(head)?.[1];
  if (!requestLine) return { reply: rtspReply('400 Bad Request', cseq, device), close: true };
  const method = requestLine[1]!;
  if (method === 'OPTIONS') return { reply: rtspReply('200 OK', cseq, device, [['Public', RTSP_METHODS.join(', ')]]), close: false };
  if (RTSP_METHODS.includes(method)) return { reply: rtspReply('401 Unauthorized', cseq, device, [['WWW-Authenticate', rtspChallenge(device)]]), close: false };
  return { reply: rtspReply('501 Not Implemented', cseq, device), close: false };
}

// ---------------------------------------------------------------------------------- telnet

const ECHO = 1;
const SUPPRESS_GO_AHEAD = 3;
const WINDOW_SIZE = 31;

/** What busybox telnetd, the server of camera firmware, asks first. */
const OPENING: readonly [verb: number, option: number][] = [[DO, ECHO], [DO, WINDOW_SIZE], [WILL, ECHO], [WILL, SUPPRESS_GO_AHEAD]];
const ANSWERS: Readonly<Record<number, readonly number[]>> = { [DO]: [WILL, WONT], [WILL]: [DO, DONT] };

/** Whether the client has answered (accepted or refused) every option the server asked about. */
function answeredAll(received: Buffer): boolean {
  const said: [number, number][] = [];
  for (let i = 0; i + 2 < received.length; i++) {
    if (received[i] === IAC && received[i + 1]! >= WILL && received[i + 1]! <= DONT) said.push([received[i + 1]!, received[i + 2]!]);
  }
  return OPENING.every(([verb, option]) => said.some(([v, o]) => o === option && ANSWERS[verb]!.includes(v)));
}

/** Whether the client typed a line (a user name): text outside the option commands. */
function typedLine(received: Buffer): boolean {
  for (let i = 0; i < received.length; i++) {
    const byte = received[i]!;
    if (byte === IAC) {
      const verb = received[i + 1] ?? 0;
      if (verb === SB) {
        // Subnegotiation (the window size) is binary: skip to its IAC SE.
        const end = received.indexOf(Buffer.from([IAC, SE]), i + 2);
        i = end < 0 ? received.length : end + 1;
      } else {
        i += verb >= WILL && verb <= DONT ? 2 : 1;
      }
      continue;
    }
    if (byte === 0x0d || byte === 0x0a) return true;
  }
  return false;
}

/**
 * The telnet server: it opens with its option requests and prints its login prompt once the
 * client has answered them, as telnet servers that read the terminal's options before starting
 * login do. A typed user name is refused and the line hung up: the lab offers no shell.
 */
export const telnetService: TcpService = {
  port: TELNET_PORT,
  greeting: () => Buffer.from(OPENING.flatMap(([verb, option]) => [IAC, verb, option])),
  respond(received, device) {
    if (typedLine(received)) return { reply: Buffer.from('\r\nLogin incorrect\r\n'), close: true };
    if (!answeredAll(received)) return null;
    return { reply: Buffer.from(`\r\n${device.web.telnetBanner ?? `${device.ip} login:`} `), close: false };
  },
};

export function webServices(device: LabDevice): LabServices {
  const tcp: TcpService[] = [];
  if (device.protocols.includes('rtsp')) tcp.push({ port: RTSP_PORT, respond: rtspRespond });
  if (device.protocols.includes('telnet')) tcp.push(telnetService);
  return { http: webRoutes(device), tcp };
}
