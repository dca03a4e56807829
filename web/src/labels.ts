// Words for the register's and assessment's fixed values, in both languages. Pages translate a
// value with `label(lang, 'kind', device.kind)`; an unknown value is shown as it is.
import type { Lang } from './i18n';

const LABELS = {
  kind: {
    nl: { camera: 'Camera', recorder: 'Recorder (NVR/DVR)', encoder: 'Encoder', intercom: 'Intercom', other: 'Overig' },
    en: { camera: 'Camera', recorder: 'Recorder (NVR/DVR)', encoder: 'Encoder', intercom: 'Intercom', other: 'Other' },
  },
  status: {
    nl: { discovered: 'Ontdekt', active: 'In gebruik', isolated: 'Geïsoleerd', scheduled: 'Gepland', replaced: 'Vervangen', decommissioned: 'Buiten gebruik', disposed: 'Afgevoerd' },
    en: { discovered: 'Discovered', active: 'Active', isolated: 'Isolated', scheduled: 'Scheduled', replaced: 'Replaced', decommissioned: 'Decommissioned', disposed: 'Disposed' },
  },
  category: {
    nl: { public_space: 'Openbare ruimte', parking_garage: 'Parkeergarage', sports_facility: 'Sportaccommodatie', office: 'Kantoor', school: 'School', depot: 'Werf/depot', other: 'Overig' },
    en: { public_space: 'Public space', parking_garage: 'Parking garage', sports_facility: 'Sports facility', office: 'Office', school: 'School', depot: 'Depot', other: 'Other' },
  },
  connectivity: {
    nl: { isolated: 'Gesloten netwerk', internal: 'Gemeentelijk netwerk', internet_exposed: 'Bereikbaar vanaf internet', unknown: 'Onbekend' },
    en: { isolated: 'Closed network', internal: 'Municipal network', internet_exposed: 'Reachable from the internet', unknown: 'Unknown' },
  },
  remoteAccess: {
    nl: { none: 'Geen', vpn: 'VPN', vendor_cloud: 'Cloud van de leverancier' },
    en: { none: 'None', vpn: 'VPN', vendor_cloud: 'Vendor cloud' },
  },
  severity: {
    nl: { critical: 'Kritiek', high: 'Hoog', medium: 'Middel', low: 'Laag', info: 'Informatief' },
    en: { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low', info: 'Information' },
  },
  action: {
    nl: { disable_vendor_cloud: 'Leverancierscloud uitzetten', isolate_network: 'Netwerk afschermen', update_firmware: 'Firmware bijwerken', close_port: 'Poort sluiten', activate_device: 'Apparaat activeren', replace: 'Vervangen', decommission: 'Buiten gebruik stellen', dispose: 'Afvoeren' },
    en: { disable_vendor_cloud: 'Disable vendor cloud', isolate_network: 'Isolate network', update_firmware: 'Update firmware', close_port: 'Close port', activate_device: 'Activate device', replace: 'Replace', decommission: 'Decommission', dispose: 'Dispose' },
  },
  planStatus: {
    nl: { planned: 'Gepland', in_progress: 'Bezig', done: 'Gereed' },
    en: { planned: 'Planned', in_progress: 'In progress', done: 'Done' },
  },
  role: {
    nl: { admin: 'Beheerder', editor: 'Bewerker', viewer: 'Lezer', auditor: 'Auditor', coordinator: 'Coördinator', publisher: 'Publicist' },
    en: { admin: 'Administrator', editor: 'Editor', viewer: 'Viewer', auditor: 'Auditor', coordinator: 'Coordinator', publisher: 'Publisher' },
  },
} as const;

export type LabelGroup = keyof typeof LABELS;

export function label(lang: Lang, group: LabelGroup, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const table = LABELS[group][lang] as Record<string, string>;
  return table[value] ?? value;
}

/** The values of a group in their defined order, for filters and selects. */
export function labelValues(group: LabelGroup): string[] {
  return Object.keys(LABELS[group].en);
}
