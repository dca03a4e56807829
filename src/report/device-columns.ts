// The columns of a device export. Headers are the import's own names, so an export re-imports
// without a mapping and changes nothing.
import type { FieldGroup } from '../core/model.js';
import type { DeviceView } from '../store/devices.js';

export interface DeviceColumn {
  header: string;
  group: FieldGroup;
  value: (d: DeviceView) => string | number | null;
}

export const DEVICE_COLUMNS: readonly DeviceColumn[] = [
  { header: 'camaudit_id', group: 'serial', value: (d) => d.id },
  { header: 'reference', group: 'serial', value: (d) => d.externalRef },
  { header: 'kind', group: 'identity', value: (d) => d.kind },
  { header: 'brand', group: 'identity', value: (d) => d.brand },
  { header: 'manufacturer', group: 'identity', value: (d) => d.manufacturer },
  { header: 'model', group: 'identity', value: (d) => d.model },
  { header: 'firmware', group: 'identity', value: (d) => d.firmware },
  { header: 'serial', group: 'serial', value: (d) => d.serial },
  { header: 'mac', group: 'network', value: (d) => d.mac },
  { header: 'ip', group: 'network', value: (d) => d.ip },
  { header: 'site', group: 'location_area', value: (d) => d.siteName },
  { header: 'site_category', group: 'location_area', value: (d) => d.siteCategory },
  { header: 'network', group: 'network', value: (d) => d.networkName },
  { header: 'connectivity', group: 'network', value: (d) => d.connectivity },
  { header: 'remote_access', group: 'network', value: (d) => d.remoteAccess },
  // The device's own position only: the site's stands in on screens, but must not be written
  // back onto the device when the export is re-imported.
  { header: 'latitude', group: 'location_exact', value: (d) => d.position?.lat ?? null },
  { header: 'longitude', group: 'location_exact', value: (d) => d.position?.lon ?? null },
  { header: 'analytics', group: 'governance', value: (d) => d.analytics.join(';') || 'none' },
  { header: 'status', group: 'identity', value: (d) => d.status },
  { header: 'purpose', group: 'governance', value: (d) => d.purpose },
  { header: 'legal_basis', group: 'governance', value: (d) => d.legalBasis },
  { header: 'retention_days', group: 'governance', value: (d) => d.retentionDays },
  { header: 'supplier', group: 'identity', value: (d) => d.supplier },
  { header: 'installer', group: 'identity', value: (d) => d.installer },
  { header: 'install_date', group: 'identity', value: (d) => d.installDate },
];
