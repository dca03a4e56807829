// Dahua's SDK port (TCP 37777; Lorex builds use 35000): the realm request a client sends before
// logging in. The device answers `Realm:Login to <serial>` and a random number without any login,
// so an open SDK port names the device's serial (discovery-protocols.md §2.5, mcw0/PoC
// Dahua-3DES-IMOU-PoC.py). The request carries no user name or password hashes — the slots
// clients fill with 3DES-encrypted credentials are left zero — and no login ever follows.
import { makeCapture, type Capture, type HostProbe } from '../probe.js';

export const DAHUA_SDK_PORTS = [37777, 35000] as const;
const HEADER_BYTES = 32;

/** `a0 01` (realm request), 22 zero bytes, then the trailer clients send: `05 02 01 01 00 00 a1 aa`. */
export function dvripRealmRequest(): Buffer {
  const request = Buffer.alloc(HEADER_BYTES);
  request.set([0xa0, 0x01], 0);
  request.set([0x05, 0x02, 0x01, 0x01, 0x00, 0x00, 0xa1, 0xaa], 24);
  return request;
}

/** Whether a whole reply has arrived: its header and the body length the header states. */
export function isCompleteReply(received: Buffer): boolean {
  return received.length >= HEADER_BYTES && received.length >= HEADER_BYTES + received.readUInt32LE(4);
}

export const dahuaRealmProbe: HostProbe = {
  name: 'dahua_sdk',
  ports: DAHUA_SDK_PORTS,
  async run(ctx) {
    const captures: Capture[] = [];
    for (const port of DAHUA_SDK_PORTS) {
      if (!ctx.openPorts.has(port)) continue;
      const answer = await ctx.net.exchange(ctx.ip, port, dvripRealmRequest(), { maxBytes: 4096, complete: isCompleteReply });
      if (answer && answer.data.length > 0) {
        captures.push(makeCapture({ probe: 'dahua_sdk', protocol: 'dvrip', transport: 'tcp', port, request: 'DVRIP realm request (a0 01)' }, answer.data, ctx.now()));
      }
    }
    return captures;
  },
};
