// Dahua DHIP discovery (UDP 37810): the `DHDiscover.search` question Dahua's ConfigTool asks, to
// the group 239.255.255.251 on the local segment and to each address for routed or closed
// networks. Dahua-made devices answer `client.notifyDevInfo` with model, serial, firmware, MAC and
// `Init`, whatever brand they carry (discovery-protocols.md §2.5). Read-only: a search changes
// nothing on the device.
import { isDhipFrame } from '../../core/identify/parse/dhip.js';
import type { Datagram, GuardedNet } from '../net.js';
import { makeCapture, type Capture, type GroupContext, type GroupProbe, type HostProbe } from '../probe.js';

export const DHIP_PORT = 37810;
export const DHIP_GROUP = '239.255.255.251';
const HEADER_BYTES = 32;
const SEARCH_BODY = JSON.stringify({ method: 'DHDiscover.search', params: { mac: '', uni: 1 } });
/** Rounds of a group search are spaced so one lost burst does not take every round with it. */
const ROUND_GAP_MS = 100;
const UNICAST_WAIT_MS = 400;

/**
 * A DHIP frame: a 32-byte header of little-endian words `0x20`, "DHIP", session 0, id 0, body
 * length, 0, body length, 0 — then the JSON body.
 */
export function dhipFrame(body: string): Buffer {
  const json = Buffer.from(body, 'utf8');
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32LE(0x20, 0);
  header.write('DHIP', 4, 'latin1');
  header.writeUInt32LE(json.length, 16);
  header.writeUInt32LE(json.length, 24);
  return Buffer.concat([header, json]);
}

/** The JSON body of one frame, or null when the bytes are not a DHIP frame. */
export function dhipBody(frame: Buffer): string | null {
  if (!isDhipFrame(frame)) return null;
  return frame.subarray(HEADER_BYTES, HEADER_BYTES + frame.readUInt32LE(16)).toString('utf8');
}

export function dhipSearchRequest(): Buffer {
  return dhipFrame(SEARCH_BODY);
}

/** A device's answer, as opposed to another scanner's search seen on the same port. */
function isNotify(d: Datagram): boolean {
  return /"client\.notifyDevInfo"/.test(dhipBody(d.data) ?? '');
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One UDP question to one host: the first accepted answer from that address, or null. A device on
 * the segment answers within milliseconds, so the wait is short, and one more question (within
 * the politeness retries) covers a lost datagram; a closed port answers with silence or ICMP.
 */
export async function askHost(net: GuardedNet, ip: string, port: number, request: Buffer, accept: (d: Datagram) => boolean): Promise<Buffer | null> {
  const udp = await net.udp();
  const waitMs = Math.min(net.politeness.timeoutMs, UNICAST_WAIT_MS);
  const attempts = 1 + Math.min(net.politeness.retries, 1);
  try {
    for (let attempt = 0; attempt < attempts; attempt++) {
      const answer = new Promise<Buffer | null>((resolve) => {
        const timer = setTimeout(() => {
          off();
          resolve(null);
        }, waitMs);
        const off = udp.onMessage((d) => {
          if (d.from !== ip || !accept(d)) return;
          clearTimeout(timer);
          off();
          resolve(d.data);
        });
      });
      await udp.send(ip, port, request);
      const data = await answer;
      if (data) return data;
    }
    return null;
  } finally {
    udp.close();
  }
}

/**
 * Sends `request` to a group or broadcast address `rounds` times and keeps, per answering
 * address, its first accepted answer.
 */
export async function askGroup(
  ctx: GroupContext,
  target: { address: string; port: number },
  request: Buffer,
  accept: (d: Datagram) => boolean,
): Promise<Map<string, Buffer>> {
  const udp = await ctx.net.udp({ multicastInterface: ctx.interfaceAddress });
  const answers = new Map<string, Buffer>();
  const off = udp.onMessage((d) => {
    if (!answers.has(d.from) && accept(d)) answers.set(d.from, d.data);
  });
  try {
    for (let round = 0; round < ctx.rounds; round++) {
      if (round > 0) await sleep(ROUND_GAP_MS);
      await udp.send(target.address, target.port, request);
    }
    await sleep(ctx.waitMs);
    return answers;
  } finally {
    off();
    udp.close();
  }
}

function capture(transport: Capture['transport'], data: Buffer, at: string): Capture {
  return makeCapture({ probe: 'dhip', protocol: 'dhip', transport, port: DHIP_PORT, request: 'DHDiscover.search' }, data, at);
}

export const dhipGroupProbe: GroupProbe = {
  name: 'dhip',
  async run(ctx) {
    const answers = await askGroup(ctx, { address: DHIP_GROUP, port: DHIP_PORT }, dhipSearchRequest(), isNotify);
    const at = ctx.now();
    return [...answers].map(([ip, data]) => ({ ip, capture: capture('multicast', data, at) }));
  },
};

export const dhipUnicastProbe: HostProbe = {
  name: 'dhip',
  ports: [],
  async run(ctx) {
    const data = await askHost(ctx.net, ctx.ip, DHIP_PORT, dhipSearchRequest(), isNotify);
    return data ? [capture('udp', data, ctx.now())] : [];
  },
};
