// Which services a device runs: every protocol family contributes what applies to the device's
// `protocols` (an Axis camera gets ONVIF and a web front, a Lorex recorder the Dahua family's
// discovery and APIs). Family routes come before the generic web front, so an API path is
// answered by its family and everything else by the device's pages.
import { dahuaServices } from './dahua.js';
import { hikvisionServices } from './hikvision.js';
import { onvifServices } from './onvif.js';
import type { HttpRoute, LabDevice, LabServices, TcpService, UdpService } from './types.js';
import { webServices } from './web.js';

const FAMILIES: readonly ((device: LabDevice) => LabServices)[] = [hikvisionServices, dahuaServices, onvifServices, webServices];

export interface DeviceServices {
  http: HttpRoute[];
  udp: UdpService[];
  tcp: TcpService[];
}

export function servicesFor(device: LabDevice): DeviceServices {
  const all = FAMILIES.map((family) => family(device));
  return {
    http: all.flatMap((s) => s.http ?? []),
    udp: all.flatMap((s) => s.udp ?? []),
    tcp: all.flatMap((s) => s.tcp ?? []),
  };
}
