// RTSP streaming servers, asked without credentials: OPTIONS names the server (`Dahua Rtsp
// Server`) and the methods it offers; DESCRIBE without credentials makes a protected stream
// answer with its challenge, whose realm names Hikvision, or Dahua's `Login to <serial>`. Both
// are read-only; no stream is set up.
import { request, type HttpResponse } from '../http-client.js';
import { makeCapture, type Capture, type HostProbe, type ProbeContext } from '../probe.js';

const PORTS = [554, 8554] as const;

/** An SDP description is a few kilobytes; more is not worth keeping. */
const ANSWER_MAX_BYTES = 64 * 1024;

async function ask(ctx: ProbeContext, port: number, method: 'OPTIONS' | 'DESCRIBE', cseq: number): Promise<HttpResponse | null> {
  const headers: Record<string, string> = { CSeq: String(cseq) };
  if (method === 'DESCRIBE') headers.Accept = 'application/sdp';
  return request(ctx.net, ctx.ip, port, { method, path: '/', protocol: 'RTSP/1.0', headers, maxBytes: ANSWER_MAX_BYTES });
}

export const rtspProbe: HostProbe = {
  name: 'rtsp',
  ports: PORTS,
  async run(ctx) {
    const captures: Capture[] = [];
    for (const port of PORTS) {
      if (!ctx.openPorts.has(port)) continue;
      const url = `rtsp://${ctx.ip}:${port}/`;
      const options = await ask(ctx, port, 'OPTIONS', 1);
      // Not an RTSP server on this port: DESCRIBE would be no better understood.
      if (!options) continue;
      captures.push(makeCapture({ probe: 'rtsp', protocol: 'rtsp', transport: 'tcp', port, request: `OPTIONS ${url}` }, options.raw, ctx.now()));
      const describe = await ask(ctx, port, 'DESCRIBE', 2);
      if (describe) captures.push(makeCapture({ probe: 'rtsp', protocol: 'rtsp', transport: 'tcp', port, request: `DESCRIBE ${url}` }, describe.raw, ctx.now()));
    }
    return captures;
  },
};
