// HTTP and HTTPS fronts, asked without credentials: the login page (status, Server header, realm,
// title and page markers), the favicon's hash, and the challenge a protected API path answers
// with. Together these name the maker of most cameras before anyone logs in (Hikvision
// `*-Webs` servers and `hikvision` realms; Dahua's `Login to <serial>` realm).
import { createHash } from 'node:crypto';
import { request, type HttpResponse } from '../http-client.js';
import { makeCapture, type Capture, type HostProbe, type ProbeContext } from '../probe.js';

const PORTS = [80, 8080, 443, 8443] as const;
const TLS_PORTS: ReadonlySet<number> = new Set([443, 8443]);

/** Login pages and icons are small; a front sending more is not a device page worth keeping. */
const PAGE_MAX_BYTES = 64 * 1024;

/**
 * Read-only device-information paths that camera firmware keeps behind its login, so asking
 * them without credentials makes the device show its challenge. Asked in order until one answers
 * with a challenge. Paths that bypass authentication on vulnerable firmware are never asked.
 */
export const PROTECTED_PATHS: readonly string[] = [
  // Hikvision ISAPI, kept by Hikvision's OEM firmware too.
  '/ISAPI/System/deviceInfo',
  // Dahua magicBox CGI, kept by Dahua's OEM firmware too.
  '/cgi-bin/magicBox.cgi?action=getDeviceType',
  // Axis VAPIX parameter listing, kept behind login by Axis firmware.
  '/axis-cgi/param.cgi?action=list&group=Brand',
];

const REDIRECT = new Set([301, 302, 303, 307, 308]);

/**
 * The path of a redirect that stays on the same scheme, host and port, or null. A redirect to a
 * name or another address is never followed: the scan reaches only the addresses it was given.
 */
export function sameOriginPath(location: string | undefined, ip: string, port: number, tls: boolean): string | null {
  if (!location) return null;
  const origin = `${tls ? 'https' : 'http'}://${ip}:${port}`;
  let target: URL;
  try {
    target = new URL(location, `${origin}/`);
  } catch {
    return null;
  }
  return target.origin === new URL(origin).origin ? `${target.pathname}${target.search}` : null;
}

export const httpProbe: HostProbe = {
  name: 'http',
  ports: PORTS,
  async run(ctx) {
    const captures: Capture[] = [];
    for (const port of PORTS) {
      if (ctx.openPorts.has(port)) captures.push(...(await probePort(ctx, port)));
    }
    return captures;
  },
};

async function probePort(ctx: ProbeContext, port: number): Promise<Capture[]> {
  const tls = TLS_PORTS.has(port);
  const get = (path: string) => request(ctx.net, ctx.ip, port, { path, tls, maxBytes: PAGE_MAX_BYTES });
  const capture = (path: string, answer: HttpResponse) =>
    makeCapture({ probe: 'http', protocol: 'http', transport: tls ? 'tls' : 'tcp', port, request: `GET ${path}` }, answer.raw, ctx.now());

  const captures: Capture[] = [];
  const root = await get('/');
  // Not an HTTP server (an SDK or streaming port on an unusual number): nothing more to ask.
  if (!root) return captures;
  captures.push(capture('/', root));

  if (REDIRECT.has(root.status)) {
    // Many fronts send `/` to their login page; that page is followed once, on the same origin.
    const next = sameOriginPath(root.headers.location, ctx.ip, port, tls);
    if (next !== null && next !== '/') {
      const page = await get(next);
      if (page) captures.push(capture(next, page));
    }
  }

  const icon = await get('/favicon.ico');
  if (icon && icon.status === 200 && icon.body.length > 0) {
    const md5 = createHash('md5').update(icon.body).digest('hex');
    captures.push(
      makeCapture({ probe: 'http', protocol: 'http', transport: tls ? 'tls' : 'tcp', port, request: 'GET /favicon.ico', hint: 'favicon_md5' }, md5, ctx.now()),
    );
  }

  // The root page may already carry the challenge; one challenge says what the realm is.
  if (root.status === 401 && root.challenges.length > 0) return captures;
  for (const path of PROTECTED_PATHS) {
    const answer = await get(path);
    if (answer && answer.status === 401 && answer.challenges.length > 0) {
      captures.push(capture(path, answer));
      break;
    }
  }
  return captures;
}
