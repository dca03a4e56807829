// The certificate an HTTPS front presents. Cameras ship self-signed default certificates whose
// subject and issuer name the maker (O=HIKVISION, O=Axis Communications AB), and few owners
// replace them. Only the handshake happens: nothing is sent over the connection.
import type { TLSSocket } from 'node:tls';
import { ScopeRefusal } from '../net.js';
import type { Capture, HostProbe, ProbeContext } from '../probe.js';

const PORTS = [443, 8443] as const;

/** The peer certificate in DER, or null when the port does not complete a TLS handshake. */
async function peerCertificate(ctx: ProbeContext, port: number): Promise<Buffer | null> {
  let socket: TLSSocket;
  try {
    socket = (await ctx.net.connect(ctx.ip, port, { tls: true })) as TLSSocket;
  } catch (err) {
    if (err instanceof ScopeRefusal) throw err;
    return null;
  }
  try {
    const raw = socket.getPeerCertificate(false)?.raw;
    return raw && raw.length > 0 ? raw : null;
  } finally {
    socket.destroy();
  }
}

export const tlsProbe: HostProbe = {
  name: 'tls',
  ports: PORTS,
  async run(ctx) {
    const captures: Capture[] = [];
    for (const port of PORTS) {
      if (!ctx.openPorts.has(port)) continue;
      const der = await peerCertificate(ctx, port);
      if (!der) continue;
      // Written as base64 whatever the bytes look like: a certificate is binary, always.
      captures.push({
        probe: 'tls',
        protocol: 'tls',
        transport: 'tls',
        port,
        request: 'TLS handshake',
        content: der.toString('base64'),
        encoding: 'base64',
        authenticated: false,
        at: ctx.now(),
      });
    }
    return captures;
  },
};
