// ONVIF device service over HTTP: GetSystemDateAndTime, which every device answers before login
// (access class PRE_AUTH) and which shows its clock and its SOAP stack's namespaces; and
// GetDeviceInformation (READ_SYSTEM: maker, model, firmware, serial), asked first without login —
// many devices answer it anyway — and otherwise once per owner's credential, with a WS-Security
// UsernameToken dated by the device's own clock, since a skewed clock makes devices refuse tokens
// (home-assistant/core#121952).
import { authenticatedRequest, request, type Credential, type HttpResponse } from '../http-client.js';
import {
  clockSkewSeconds, deviceRequest, hasResponse, isSoapEnvelope, soapContentType, soapFault, usernameToken, type DeviceOperation,
} from '../onvif-soap.js';
import { makeCapture, type Capture, type HostProbe, type ProbeContext } from '../probe.js';

/** Where ONVIF device services listen: the web port, the alternative web port, and Tapo's 2020. */
export const ONVIF_PORTS = [80, 8080, 2020] as const;
export const DEVICE_SERVICE_PATH = '/onvif/device_service';

/** SOAP answers of interest are a few kilobytes. */
const SOAP_MAX_BYTES = 64 * 1024;

function soapRequest(operation: DeviceOperation, security?: string) {
  return {
    method: 'POST' as const,
    path: DEVICE_SERVICE_PATH,
    headers: { 'Content-Type': soapContentType(operation) },
    body: deviceRequest(operation, security),
    maxBytes: SOAP_MAX_BYTES,
  };
}

function call(ctx: ProbeContext, port: number, operation: DeviceOperation): Promise<HttpResponse | null> {
  return request(ctx.net, ctx.ip, port, soapRequest(operation));
}

function openPorts(ctx: ProbeContext): number[] {
  return ONVIF_PORTS.filter((p) => ctx.openPorts.has(p));
}

const bodyText = (answer: HttpResponse | null) => answer?.body.toString('utf8') ?? '';

function capture(ctx: ProbeContext, probe: string, port: number, request: string, answer: HttpResponse, authenticated: boolean): Capture {
  return makeCapture({ probe, protocol: 'onvif', transport: 'tcp', port, request, authenticated }, answer.raw, ctx.now());
}

export const onvifClockProbe: HostProbe = {
  name: 'onvif-clock',
  ports: ONVIF_PORTS,
  async run(ctx) {
    // The first open port whose /onvif/device_service speaks SOAP is the device service.
    for (const port of openPorts(ctx)) {
      const answer = await call(ctx, port, 'GetSystemDateAndTime');
      if (answer && isSoapEnvelope(bodyText(answer))) {
        return [capture(ctx, 'onvif-clock', port, `POST ${DEVICE_SERVICE_PATH} GetSystemDateAndTime`, answer, false)];
      }
    }
    return [];
  },
};

/** A refusal that credentials may lift: HTTP 401/403, or any SOAP fault (`ter:NotAuthorized` mostly). */
function refusedLogin(answer: HttpResponse): boolean {
  return answer.status === 401 || answer.status === 403 || soapFault(bodyText(answer)) !== null;
}

/** The device clock minus ours in seconds; 0 when it cannot be read (tokens then use our clock). */
async function deviceSkew(ctx: ProbeContext, port: number): Promise<number> {
  const answer = await call(ctx, port, 'GetSystemDateAndTime');
  return (answer && clockSkewSeconds(bodyText(answer), ctx.now())) ?? 0;
}

/**
 * One login with one of the owner's credentials: a UsernameToken in the SOAP header, and when
 * the firmware insists on HTTP authentication instead (401 with a challenge), one answer to it.
 */
function login(ctx: ProbeContext, port: number, cred: Credential, skewSeconds: number): Promise<HttpResponse | null> {
  const deviceNow = new Date(new Date(ctx.now()).getTime() + skewSeconds * 1000);
  return authenticatedRequest(ctx.net, ctx.ip, port, soapRequest('GetDeviceInformation', usernameToken(cred, deviceNow)), cred);
}

export const onvifDeviceInfoProbe: HostProbe = {
  name: 'onvif-device-information',
  ports: ONVIF_PORTS,
  credentialProtocol: 'onvif',
  requiresCredentials: false,
  async run(ctx) {
    const ask = `POST ${DEVICE_SERVICE_PATH} GetDeviceInformation`;
    for (const port of openPorts(ctx)) {
      const first = await call(ctx, port, 'GetDeviceInformation');
      if (!first) continue;
      if (hasResponse(bodyText(first), 'GetDeviceInformation')) return [capture(ctx, 'onvif-device-information', port, ask, first, false)];
      // Not the device service (a web front answering 404 or a login page): try the next port.
      if (!refusedLogin(first)) continue;
      if (ctx.credentials.length === 0) return [];
      const skew = await deviceSkew(ctx, port);
      // Each credential the owner gave for this host is tried once, in file order: no guessing.
      for (const cred of ctx.credentials) {
        const answer = await login(ctx, port, cred, skew);
        if (answer && hasResponse(bodyText(answer), 'GetDeviceInformation')) {
          return [capture(ctx, 'onvif-device-information', port, `${ask} (WS-Security UsernameToken)`, answer, true)];
        }
      }
      return [];
    }
    return [];
  },
};
