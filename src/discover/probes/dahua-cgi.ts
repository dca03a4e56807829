// Dahua's CGI (magicBox.cgi) with the owner's credentials: system info, device type and software
// version as `key=value` text. Dahua's OEM firmware (Amcrest, Lorex, IMOU…) keeps this API, which
// makes the answers evidence of the maker behind a brand (discovery-protocols.md §2.6). Each
// credential gets one try — the challenge answered once — and the first that works is used for
// every question; a device that locks accounts after failed logins sees at most one per entry.
import { authenticatedRequest, type Credential, type HttpResponse } from '../http-client.js';
import { makeCapture, type Capture, type HostProbe, type ProbeContext } from '../probe.js';

export const MAGICBOX_ACTIONS = ['getSystemInfo', 'getDeviceType', 'getSoftwareVersion'] as const;
const path = (action: string) => `/cgi-bin/magicBox.cgi?action=${action}`;

/** Port 80 when open, else 443 over TLS: the same API answers on both, asking twice adds nothing. */
function webPort(ctx: ProbeContext): { port: number; tls: boolean } | null {
  if (ctx.openPorts.has(80)) return { port: 80, tls: false };
  if (ctx.openPorts.has(443)) return { port: 443, tls: true };
  return null;
}

async function ask(ctx: ProbeContext, web: { port: number; tls: boolean }, action: string, cred: Credential): Promise<HttpResponse | null> {
  return authenticatedRequest(ctx.net, ctx.ip, web.port, { path: path(action), tls: web.tls, maxBytes: 64 * 1024 }, cred);
}

export const dahuaCgiProbe: HostProbe = {
  name: 'dahua_cgi',
  ports: [80, 443],
  credentialProtocol: 'dahua_cgi',
  requiresCredentials: true,
  makers: ['dahua'],
  async run(ctx) {
    const web = webPort(ctx);
    if (!web) return [];
    const [first, ...rest] = MAGICBOX_ACTIONS;
    for (const cred of ctx.credentials) {
      const answer = await ask(ctx, web, first, cred);
      // Refused: try the next entry. Anything else but success (no answer, 404 on a device
      // without the CGI) is the same for every password, so the others are not tried.
      if (answer?.status === 401) continue;
      if (answer?.status !== 200) return [];
      const captures = [capture(ctx, web, first, answer)];
      for (const action of rest) {
        const more = await ask(ctx, web, action, cred);
        if (more?.status === 200) captures.push(capture(ctx, web, action, more));
      }
      return captures;
    }
    return [];
  },
};

function capture(ctx: ProbeContext, web: { port: number; tls: boolean }, action: string, answer: HttpResponse): Capture {
  return makeCapture(
    { probe: 'dahua_cgi', protocol: 'dahua_cgi', transport: web.tls ? 'tls' : 'tcp', port: web.port, request: `GET ${path(action)}`, authenticated: true },
    answer.raw,
    ctx.now(),
  );
}
