// Telnet banners: what a device prints before asking for a login. Hikvision firmware prints its
// factory address (`192.0.0.64 login:`), Bosch domes their model; an open telnet port is a risk
// fact on its own. The probe only listens: it refuses every option the server proposes, so the
// server goes on to its prompt, and never sends a user name or anything else.
import type { Socket } from 'node:net';
import { ScopeRefusal } from '../net.js';
import { captureBytes, makeCapture, type HostProbe, type ProbeContext } from '../probe.js';

const PORT = 23;
/** Servers print their banner at once; a slow one gets this long before the probe hangs up. */
export const BANNER_WAIT_MS = 2000;
const BANNER_MAX_BYTES = 4096;

/** Telnet command bytes (RFC 854), shared with the lab's telnet server. */
export const IAC = 0xff;
export const DONT = 0xfe;
export const DO = 0xfd;
export const WONT = 0xfc;
export const WILL = 0xfb;
export const SB = 0xfa;
export const SE = 0xf0;

/** Whether the text so far ends with a prompt for credentials: the banner is complete. */
const PROMPT = /(?:login|username|user name|password)\s*:\s*$/i;

/**
 * Refusals for the option requests in `data[from…]`: DO → WONT, WILL → DONT. Returns the replies
 * and how far the bytes were read; a command cut off at the end of a chunk is read next time.
 */
export function negotiate(data: Buffer, from: number): { replies: Buffer; next: number; text: Buffer } {
  const replies: number[] = [];
  const text: number[] = [];
  let i = from;
  while (i < data.length) {
    const byte = data[i]!;
    if (byte !== IAC) {
      text.push(byte);
      i++;
      continue;
    }
    const verb = data[i + 1];
    if (verb === undefined) break;
    if (verb === IAC) {
      text.push(IAC);
      i += 2;
    } else if (verb === DO || verb === WILL || verb === DONT || verb === WONT) {
      const option = data[i + 2];
      if (option === undefined) break;
      if (verb === DO) replies.push(IAC, WONT, option);
      if (verb === WILL) replies.push(IAC, DONT, option);
      i += 3;
    } else if (verb === SB) {
      const end = data.indexOf(Buffer.from([IAC, SE]), i + 2);
      if (end < 0) break;
      i = end + 2;
    } else {
      i += 2;
    }
  }
  return { replies: Buffer.from(replies), next: i, text: Buffer.from(text) };
}

interface Banner {
  /** Every byte the server sent, option commands included: the capture keeps them. */
  received: Buffer;
  /** The printable part, without option commands. */
  text: string;
}

/** Everything the server sent until its prompt, BANNER_WAIT_MS, its close or the size cap. */
function readBanner(socket: Socket): Promise<Banner> {
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    let read = 0;
    let text = '';
    const timer = setTimeout(finish, BANNER_WAIT_MS);
    function finish() {
      clearTimeout(timer);
      socket.destroy();
      resolve({ received, text });
    }
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const step = negotiate(received, read);
      read = step.next;
      text += step.text.toString('latin1');
      if (step.replies.length > 0) socket.write(step.replies);
      if (received.length >= BANNER_MAX_BYTES || PROMPT.test(text)) finish();
    });
    socket.once('end', finish);
    socket.once('error', finish);
  });
}

async function banner(ctx: ProbeContext): Promise<Banner | null> {
  let socket: Socket;
  try {
    socket = await ctx.net.connect(ctx.ip, PORT);
  } catch (err) {
    if (err instanceof ScopeRefusal) throw err;
    return null;
  }
  return readBanner(socket);
}

export const telnetProbe: HostProbe = {
  name: 'telnet',
  ports: [PORT],
  async run(ctx) {
    if (!ctx.openPorts.has(PORT)) return [];
    const got = await banner(ctx);
    // Option commands alone say nothing about the device; the open port itself is on record.
    if (!got || got.text.trim() === '') return [];
    const fields = { probe: 'telnet', protocol: 'telnet', transport: 'tcp', port: PORT, request: 'connect' } as const;
    const capture = makeCapture(fields, got.received, ctx.now());
    // Option commands (0xff…) are not UTF-8: a banner carrying them is kept as base64, whatever
    // share of it is text, so the stored bytes are the received ones.
    return [captureBytes(capture).equals(got.received) ? capture : { ...capture, content: got.received.toString('base64'), encoding: 'base64' }];
  },
};
