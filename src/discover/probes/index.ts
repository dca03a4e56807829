// Every probe a scan runs, registered here and nowhere else: a probe that is not listed does not
// run, and reading this file tells what a scan may ask a device.
import type { GroupProbe, HostProbe } from '../probe.js';
import { dahuaCgiProbe } from './dahua-cgi.js';
import { dahuaRealmProbe } from './dahua-sdk.js';
import { dhipGroupProbe, dhipUnicastProbe } from './dhip.js';
import { dvripGroupProbe, dvripUnicastProbe } from './dvrip.js';
import { httpProbe } from './http.js';
import { isapiProbe } from './isapi.js';
import { onvifClockProbe, onvifDeviceInfoProbe } from './onvif.js';
import { rtspProbe } from './rtsp.js';
import { sadpGroupProbe, sadpUnicastProbe } from './sadp.js';
import { telnetProbe } from './telnet.js';
import { tlsProbe } from './tls.js';
import { wsDiscoveryGroupProbe, wsDiscoveryUnicastProbe } from './ws-discovery.js';

/** Multicast and broadcast discovery on the scanner's own segment. */
export const GROUP_PROBES: readonly GroupProbe[] = [wsDiscoveryGroupProbe, sadpGroupProbe, dhipGroupProbe, dvripGroupProbe];

/** Per-host probes: unauthenticated first, then those that use the owner's credentials. */
export const HOST_PROBES: readonly HostProbe[] = [
  wsDiscoveryUnicastProbe,
  sadpUnicastProbe,
  dhipUnicastProbe,
  dvripUnicastProbe,
  httpProbe,
  tlsProbe,
  rtspProbe,
  telnetProbe,
  dahuaRealmProbe,
  onvifClockProbe,
  onvifDeviceInfoProbe,
  isapiProbe,
  dahuaCgiProbe,
];
