// Hikvision ISAPI with the owner's credentials: /ISAPI/System/deviceInfo gives model, serial,
// MAC, firmware and device type of any Hikvision-made device (OEM brands included); on a recorder,
// /ISAPI/ContentMgmt/InputProxy/channels lists the cameras behind it, which are often on a
// private PoE segment the scan cannot reach. Each credential is tried once, in file order; when
// the device refuses them all, its refusal is kept so the owner learns the credentials are wrong.
import { authenticatedRequest, type Credential, type HttpResponse } from '../http-client.js';
import type { GuardedNet } from '../net.js';
import { makeCapture, type Capture, type HostProbe } from '../probe.js';

const DEVICE_INFO = '/ISAPI/System/deviceInfo';
const CHANNELS = '/ISAPI/ContentMgmt/InputProxy/channels';

/** In order of preference: the plain web port first, as the Hikvision web client does. */
const ISAPI_PORTS = [80, 443, 8080, 8443] as const;
const TLS_PORTS: ReadonlySet<number> = new Set([443, 8443]);

/** Refusals a different account may get past; anything else is the device's final word. */
const DENIED = new Set([401, 403]);

function elementText(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>\\s*([^<]*?)\\s*</${name}>`, 'i').exec(xml)?.[1];
}

/**
 * Whether a deviceInfo answer is a recorder's: its deviceType (NVR, DVR, HybirdNVR…), or, on
 * firmware that leaves the type out, a recorder model series (DS-7xxx, DS-8xxx, DS-9xxx).
 */
export function isRecorder(deviceInfo: string): boolean {
  const type = elementText(deviceInfo, 'deviceType');
  if (type !== undefined) return /[ND]VR/i.test(type);
  return /^i?DS-[789]\d/i.test(elementText(deviceInfo, 'model') ?? '');
}

/**
 * The answer as kept for the parsers: verbatim, except that a chunked body is stored decoded
 * (under its head without Transfer-Encoding), since chunk sizes inside the XML would make it
 * unreadable.
 */
function answerText(res: HttpResponse): Buffer {
  if (!/chunked/i.test(res.headers['transfer-encoding'] ?? '')) return res.raw;
  const raw = res.raw.toString('latin1');
  const end = raw.search(/\r?\n\r?\n/);
  const head = raw.slice(0, end).split(/\r?\n/).filter((line) => !/^transfer-encoding\s*:/i.test(line));
  return Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), res.body]);
}

function isapiCapture(port: number, tls: boolean, path: string, res: HttpResponse, at: string): Capture {
  return makeCapture(
    { probe: 'isapi', protocol: 'isapi', transport: tls ? 'tls' : 'tcp', port, request: `GET ${path}`, authenticated: true },
    answerText(res),
    at,
  );
}

/**
 * The device's refusal of every credential given, kept as an unauthenticated HTTP answer: it
 * shows the owner that the credentials file is wrong for this device, and its challenge (realm,
 * Digest parameters) is evidence of the maker like any other.
 */
function refusalCapture(port: number, tls: boolean, res: HttpResponse, at: string): Capture {
  return makeCapture(
    { probe: 'isapi', protocol: 'http', transport: tls ? 'tls' : 'tcp', port, request: `GET ${DEVICE_INFO}`, authenticated: false },
    answerText(res),
    at,
  );
}

async function get(net: GuardedNet, ip: string, port: number, path: string, cred: Credential): Promise<HttpResponse | null> {
  return authenticatedRequest(net, ip, port, { path, tls: TLS_PORTS.has(port), headers: { Accept: 'application/xml' } }, cred);
}

export const isapiProbe: HostProbe = {
  name: 'isapi',
  ports: ISAPI_PORTS,
  credentialProtocol: 'isapi',
  requiresCredentials: true,
  makers: ['hikvision'],
  async run(ctx) {
    const port = ISAPI_PORTS.find((p) => ctx.openPorts.has(p));
    if (port === undefined) return [];
    const tls = TLS_PORTS.has(port);
    let refusal: HttpResponse | null = null;
    for (const cred of ctx.credentials) {
      const info = await get(ctx.net, ctx.ip, port, DEVICE_INFO, cred);
      if (info && DENIED.has(info.status)) {
        refusal = info;
        continue;
      }
      // No answer, or not ISAPI (404, a login page): other accounts would not change that.
      const body = info?.body.toString('utf8') ?? '';
      if (!info || info.status !== 200 || !/<DeviceInfo\b/.test(body)) return [];
      const captures = [isapiCapture(port, tls, DEVICE_INFO, info, ctx.now())];
      if (isRecorder(body)) {
        const channels = await get(ctx.net, ctx.ip, port, CHANNELS, cred);
        if (channels?.status === 200 && /<InputProxyChannelList\b/.test(channels.body.toString('utf8'))) {
          captures.push(isapiCapture(port, tls, CHANNELS, channels, ctx.now()));
        }
      }
      return captures;
    }
    return refusal ? [refusalCapture(port, tls, refusal, ctx.now())] : [];
  },
};
