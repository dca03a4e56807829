// Conversion between stored rows and domain records. JSON columns are parsed here and nowhere else.
import type {
  Analytic, BBox, Connectivity, Crs, Device, DeviceKind, DeviceStatus, IdentitySummary, Network, Organisation, Position,
  PublicationPolicy, RemoteAccess, Site, SiteCategory,
} from '../core/model.js';
import type { DevicesTable, NetworksTable, OrganisationsTable, SitesTable } from './schema.js';

type Located = { lat: number | null; lon: number | null; orig_x: number | null; orig_y: number | null; orig_crs: string | null };

export function positionFromRow(r: Located): Position | null {
  if (r.lat === null || r.lon === null) return null;
  return {
    lat: r.lat,
    lon: r.lon,
    original: { x: r.orig_x ?? r.lon, y: r.orig_y ?? r.lat, crs: (r.orig_crs ?? 'EPSG:4326') as Crs },
  };
}

export function positionToRow(p: Position | null | undefined): Located {
  if (!p) return { lat: null, lon: null, orig_x: null, orig_y: null, orig_crs: null };
  return { lat: p.lat, lon: p.lon, orig_x: p.original.x, orig_y: p.original.y, orig_crs: p.original.crs };
}

export function organisationFromRow(r: OrganisationsTable): Organisation {
  return {
    id: r.id,
    slug: r.slug,
    name: r.name,
    cbsCode: r.cbs_code,
    country: r.country,
    area: r.area_json ? (JSON.parse(r.area_json) as BBox) : null,
    publication: JSON.parse(r.publication_json) as PublicationPolicy,
    createdAt: r.created_at,
  };
}

export function siteFromRow(r: SitesTable): Site {
  return {
    id: r.id,
    orgId: r.org_id,
    name: r.name,
    category: r.category as SiteCategory,
    address: r.address,
    postcode: r.postcode,
    city: r.city,
    bagId: r.bag_id,
    position: positionFromRow(r),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function networkFromRow(r: NetworksTable): Network {
  return {
    id: r.id,
    orgId: r.org_id,
    name: r.name,
    cidrs: JSON.parse(r.cidrs_json) as string[],
    connectivity: r.connectivity as Connectivity,
    remoteAccess: r.remote_access as RemoteAccess,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function deviceFromRow(r: DevicesTable): Device {
  return {
    id: r.id,
    orgId: r.org_id,
    kind: r.kind as DeviceKind,
    brand: r.brand,
    manufacturer: r.manufacturer,
    model: r.model,
    firmware: r.firmware,
    serial: r.serial,
    mac: r.mac,
    ip: r.ip,
    siteId: r.site_id,
    networkId: r.network_id,
    position: positionFromRow(r),
    analytics: JSON.parse(r.analytics_json) as Analytic[],
    status: r.status as DeviceStatus,
    purpose: r.purpose,
    legalBasis: r.legal_basis,
    retentionDays: r.retention_days,
    supplier: r.supplier,
    installer: r.installer,
    installDate: r.install_date,
    externalRef: r.external_ref,
    custom: JSON.parse(r.custom_json) as Record<string, string>,
    publication: JSON.parse(r.publication_json) as Partial<PublicationPolicy>,
    identity: r.identity_json ? (JSON.parse(r.identity_json) as IdentitySummary) : null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The writable columns of a device. */
export function deviceToRow(d: Omit<Device, 'id' | 'orgId' | 'createdAt' | 'updatedAt'>) {
  return {
    site_id: d.siteId,
    network_id: d.networkId,
    kind: d.kind,
    brand: d.brand,
    manufacturer: d.manufacturer,
    model: d.model,
    firmware: d.firmware,
    serial: d.serial,
    mac: d.mac,
    ip: d.ip,
    ...positionToRow(d.position),
    analytics_json: JSON.stringify(d.analytics),
    status: d.status,
    purpose: d.purpose,
    legal_basis: d.legalBasis,
    retention_days: d.retentionDays,
    supplier: d.supplier,
    installer: d.installer,
    install_date: d.installDate,
    external_ref: d.externalRef,
    custom_json: JSON.stringify(d.custom),
    publication_json: JSON.stringify(d.publication),
    identity_json: d.identity ? JSON.stringify(d.identity) : null,
  };
}
