// Dahua DVRIP discovery (UDP 5050): the older search of Dahua's tools, still answered by recorders
// and cameras that predate DHIP. The question is a fixed 32-byte frame; the answer (0xb3) carries
// MAC, device type, serial and host name (discovery-protocols.md §2.5). It is broadcast on the
// local segment and sent to each address for routed or closed networks. Read-only.
import { isDvripReply } from '../../core/identify/parse/dvrip.js';
import type { Datagram } from '../net.js';
import { makeCapture, type Capture, type GroupProbe, type HostProbe } from '../probe.js';
import { askGroup, askHost } from './dhip.js';

export const DVRIP_DISCOVERY_PORT = 5050;
const BROADCAST = '255.255.255.255';

/** `a3 01 00 01`, zeros, protocol version 2 at byte 16 (UniversalScanner Dahua1, DahuaConsole). */
export function dvripDiscoveryRequest(): Buffer {
  const request = Buffer.alloc(32);
  request.set([0xa3, 0x01, 0x00, 0x01], 0);
  request.writeUInt32LE(2, 16);
  return request;
}

// Only discovery replies count: the same port also sees other scanners' requests.
const isDiscoveryReply = (d: Datagram) => d.data[0] === 0xb3 && isDvripReply(d.data);

/** `multicast` stands for any question to a group, the limited broadcast included. */
function capture(transport: Capture['transport'], data: Buffer, at: string): Capture {
  return makeCapture({ probe: 'dvrip', protocol: 'dvrip', transport, port: DVRIP_DISCOVERY_PORT, request: 'DVRIP discovery (a3 01)' }, data, at);
}

export const dvripGroupProbe: GroupProbe = {
  name: 'dvrip',
  async run(ctx) {
    // Bound to the interface address, the limited broadcast leaves through that interface only.
    const answers = await askGroup(ctx, { address: BROADCAST, port: DVRIP_DISCOVERY_PORT }, dvripDiscoveryRequest(), isDiscoveryReply);
    const at = ctx.now();
    return [...answers].map(([ip, data]) => ({ ip, capture: capture('multicast', data, at) }));
  },
};

export const dvripUnicastProbe: HostProbe = {
  name: 'dvrip',
  ports: [],
  async run(ctx) {
    const data = await askHost(ctx.net, ctx.ip, DVRIP_DISCOVERY_PORT, dvripDiscoveryRequest(), isDiscoveryReply);
    return data ? [capture('udp', data, ctx.now())] : [];
  },
};
