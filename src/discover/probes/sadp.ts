// Hikvision SADP: an XML inquiry on UDP 37020 that every Hikvision-made device (OEM brands
// included) answers without login, with model, serial, MAC, firmware, whether it was ever
// activated and whether Hik-Connect is on. Sent to the multicast group on the local segment, and
// to each live host for routed and closed networks where multicast does not reach.
import { randomUUID } from 'node:crypto';
import type { Datagram, GuardedUdp } from '../net.js';
import { makeCapture, type Capture, type GroupProbe, type HostProbe } from '../probe.js';

export const SADP_PORT = 37020;
export const SADP_GROUP = '239.255.255.250';

/** Pause between multicast rounds, so a device busy with the first still hears the second. */
const ROUND_GAP_MS = 200;
/** A device on the segment answers within milliseconds; waiting longer only slows a sweep. */
const UNICAST_WAIT_MS = 400;

/** The inquiry as Hikvision's own SADP tool sends it; devices echo the Uuid in their answer. */
export function sadpInquiry(uuid: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><Probe><Uuid>${uuid}</Uuid><Types>inquiry</Types></Probe>`;
}

/**
 * Whether a datagram is a device's answer to our inquiry: a ProbeMatch echoing our Uuid. Other
 * SADP traffic on the group (other tools' inquiries, devices' unsolicited Hello) is not.
 */
export function answersInquiry(data: Buffer, uuid: string): boolean {
  const text = data.toString('utf8');
  if (!/<ProbeMatch\b/.test(text)) return false;
  const echoed = /<Uuid>\s*([^<\s]+)\s*<\/Uuid>/i.exec(text)?.[1];
  return echoed !== undefined && echoed.toUpperCase() === uuid.toUpperCase();
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function sadpCapture(transport: 'udp' | 'multicast', data: Buffer, at: string): Capture {
  return makeCapture({ probe: 'sadp', protocol: 'sadp', transport, port: SADP_PORT, request: 'SADP inquiry' }, data, at);
}

/** The first answer from `ip` to our inquiry within `ms`, or null. */
function answerFrom(udp: GuardedUdp, ip: string, uuid: string, ms: number): Promise<Datagram | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      off();
      resolve(null);
    }, ms);
    const off = udp.onMessage((d) => {
      if (d.from !== ip || !answersInquiry(d.data, uuid)) return;
      clearTimeout(timer);
      off();
      resolve(d);
    });
  });
}

export const sadpGroupProbe: GroupProbe = {
  name: 'sadp',
  async run(ctx) {
    const udp = await ctx.net.udp({ multicastInterface: ctx.interfaceAddress });
    const uuid = randomUUID().toUpperCase();
    // Keyed by the sender: the IPv4Address a device writes in its answer is its own configuration,
    // which may be stale or wrong (a camera moved to another segment), while the sender answered.
    const found = new Map<string, Capture>();
    const off = udp.onMessage((d) => {
      if (!found.has(d.from) && answersInquiry(d.data, uuid)) found.set(d.from, sadpCapture('multicast', d.data, ctx.now()));
    });
    try {
      for (let round = 0; round < ctx.rounds; round++) {
        if (round > 0) await sleep(ROUND_GAP_MS);
        await udp.send(SADP_GROUP, SADP_PORT, sadpInquiry(uuid));
      }
      await sleep(ctx.waitMs);
    } finally {
      off();
      udp.close();
    }
    return [...found].map(([ip, capture]) => ({ ip, capture }));
  },
};

export const sadpUnicastProbe: HostProbe = {
  name: 'sadp',
  ports: [],
  async run(ctx) {
    const udp = await ctx.net.udp();
    const uuid = randomUUID().toUpperCase();
    const waitMs = Math.min(ctx.net.politeness.timeoutMs, UNICAST_WAIT_MS);
    // Datagrams get lost; one more inquiry (within the politeness retries) before giving up.
    const attempts = 1 + Math.min(ctx.net.politeness.retries, 1);
    try {
      for (let attempt = 0; attempt < attempts; attempt++) {
        const waiting = answerFrom(udp, ctx.ip, uuid, waitMs);
        await udp.send(ctx.ip, SADP_PORT, sadpInquiry(uuid));
        const answer = await waiting;
        if (answer) return [sadpCapture('udp', answer.data, ctx.now())];
      }
      return [];
    } finally {
      udp.close();
    }
  },
};
