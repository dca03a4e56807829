// A device's web front: the HTTP (and HTTPS) server real firmware runs, reduced to what scanners
// see. It routes to the device's family routes, challenges protected paths with the device's own
// scheme and realm, and names itself in `Server:` as the firmware does. This is the emulator
// side: it listens, so it uses node:http directly rather than the scanner's guarded sockets.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { challengeParams } from '../../discover/http-client.js';
import type { LabCertificate } from './tls.js';
import type { HttpRoute, LabDevice, LabHttpRequest, LabHttpResponse } from './types.js';

/** Request bodies the lab reads; SOAP and JSON queries are far smaller. */
const MAX_BODY = 64 * 1024;
/** How long a Digest nonce stays good; clients answer a challenge within a second. */
const NONCE_LIFETIME_MS = 10 * 60 * 1000;

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

// Nonces are signed instead of stored: 500 devices keep no per-client state, and a nonce is
// accepted only by the device that issued it.
const NONCE_SECRET = randomBytes(32);
function nonceFor(device: LabDevice, issued = Date.now()): string {
  const stamp = issued.toString(16).padStart(12, '0');
  return stamp + createHmac('sha256', NONCE_SECRET).update(`${device.ip}:${stamp}`).digest('hex').slice(0, 20);
}
function nonceValid(device: LabDevice, nonce: string): boolean {
  const issued = parseInt(nonce.slice(0, 12), 16);
  return Number.isFinite(issued) && Date.now() - issued <= NONCE_LIFETIME_MS && nonceFor(device, issued) === nonce;
}

/** The `WWW-Authenticate` value of the device: realm first, as the firmware of every family sends it. */
export function challengeFor(device: LabDevice): string {
  return device.web.authScheme === 'basic'
    ? `Basic realm="${device.web.realm}"`
    : `Digest realm="${device.web.realm}", nonce="${nonceFor(device)}", qop="auth"`;
}

/** Whether `authorization` carries the device's credentials in the scheme the device asks for. */
export function authenticates(device: LabDevice, method: string, target: string, authorization: string | undefined): boolean {
  if (!authorization) return false;
  const { username, password } = device.credentials;
  const { scheme, params } = challengeParams(authorization);
  if (device.web.authScheme === 'basic') {
    if (scheme !== 'basic') return false;
    return Buffer.from(authorization.trim().slice('basic'.length).trim(), 'base64').toString('utf8') === `${username}:${password}`;
  }
  if (scheme !== 'digest' || params.username !== username || params.realm !== device.web.realm) return false;
  const nonce = params.nonce ?? '';
  const uri = params.uri ?? '';
  if (!nonceValid(device, nonce) || !sameTarget(uri, target)) return false;
  const ha1 = md5(`${username}:${device.web.realm}:${password}`);
  const ha2 = md5(`${method}:${uri}`);
  const expected = params.qop
    ? md5(`${ha1}:${nonce}:${params.nc ?? ''}:${params.cnonce ?? ''}:${params.qop}:${ha2}`)
    : md5(`${ha1}:${nonce}:${ha2}`);
  return params.response?.toLowerCase() === expected;
}

/** The Digest `uri` names the request target; some clients write it absolute. */
function sameTarget(uri: string, target: string): boolean {
  if (uri === target) return true;
  try {
    const u = new URL(uri);
    return u.pathname + u.search === target;
  } catch {
    return false;
  }
}

/** The route answering a request: same method (HEAD as GET), and the path as the route names it. */
export function findRoute(routes: readonly HttpRoute[], method: string, target: string): HttpRoute | undefined {
  const wanted = method === 'HEAD' ? 'GET' : method;
  const pathname = target.split('?', 1)[0]!;
  return routes.find((r) => {
    if (r.method !== wanted) return false;
    if (r.path instanceof RegExp) return r.path.test(target);
    // A route naming a query (`magicBox.cgi?action=getSystemInfo`) matches it exactly.
    return r.path.includes('?') ? r.path === target : r.path === pathname;
  });
}

const UNAUTHORIZED_BODY = '<!DOCTYPE html><html><head><title>Document Error: Unauthorized</title></head><body><h2>Access Error: 401 -- Unauthorized</h2><p>Authentication Error</p></body></html>';
const NOT_FOUND_BODY = '<!DOCTYPE html><html><head><title>Document Error: Page not found</title></head><body><h2>Access Error: 404 -- Not Found</h2></body></html>';

/** What the device answers to one request. */
function answer(device: LabDevice, routes: readonly HttpRoute[], req: Omit<LabHttpRequest, 'authenticated'>): LabHttpResponse {
  const route = findRoute(routes, req.method, req.path);
  if (!route) return { status: 404, headers: { 'Content-Type': 'text/html' }, body: NOT_FOUND_BODY };
  const authenticated = authenticates(device, req.method, req.path, req.headers.authorization);
  if (route.auth && !authenticated) {
    return { status: 401, headers: { 'Content-Type': 'text/html', 'WWW-Authenticate': challengeFor(device) }, body: UNAUTHORIZED_BODY };
  }
  return route.handle({ ...req, authenticated }, device);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function handler(device: LabDevice, routes: readonly HttpRoute[]): http.RequestListener {
  return (req, res) => {
    void readBody(req).then((body) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      let reply: LabHttpResponse;
      try {
        reply = answer(device, routes, { method: req.method ?? 'GET', path: req.url ?? '/', headers, body });
      } catch (err) {
        // A family route that throws is a bug in the lab; show it rather than hang the client.
        reply = { status: 500, headers: { 'Content-Type': 'text/plain' }, body: `lab route failed: ${(err as Error).message}` };
      }
      const out: Record<string, string> = { ...(device.web.server ? { Server: device.web.server } : {}), ...reply.headers };
      const hasLength = Object.keys(out).some((k) => k.toLowerCase() === 'content-length');
      if (!hasLength) out['Content-Length'] = String(Buffer.byteLength(reply.body));
      res.writeHead(reply.status, out);
      res.end(reply.body);
    });
  };
}

export interface DeviceHttpServer {
  server: http.Server;
  close(): Promise<void>;
}

/** An HTTP server (HTTPS with `certificate`) for one device, not yet listening. */
export function deviceHttpServer(device: LabDevice, routes: readonly HttpRoute[], certificate?: LabCertificate): DeviceHttpServer {
  // Scanners and old clients send sloppy requests; the lab reads them as lenient firmware does.
  const options = { insecureHTTPParser: true, keepAliveTimeout: 2000 };
  const server = certificate
    ? https.createServer({ ...options, key: certificate.key, cert: certificate.cert }, handler(device, routes))
    : http.createServer(options, handler(device, routes));
  server.on('clientError', (_err, socket) => socket.destroy());
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
