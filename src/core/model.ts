// The domain vocabulary of camaudit. Plain data only: every pipeline step takes and returns
// these shapes, so a record can be followed from its source to the council report.

export const SITE_CATEGORIES = [
  'public_space',
  'parking_garage',
  'sports_facility',
  'office',
  'school',
  'depot',
  'other',
] as const;
export type SiteCategory = (typeof SITE_CATEGORIES)[number];

export const CONNECTIVITY = ['isolated', 'internal', 'internet_exposed', 'unknown'] as const;
export type Connectivity = (typeof CONNECTIVITY)[number];

export const REMOTE_ACCESS = ['none', 'vpn', 'vendor_cloud'] as const;
export type RemoteAccess = (typeof REMOTE_ACCESS)[number];

export const DEVICE_KINDS = ['camera', 'recorder', 'encoder', 'intercom', 'other'] as const;
export type DeviceKind = (typeof DEVICE_KINDS)[number];

export const ANALYTICS = ['face_recognition', 'anpr'] as const;
export type Analytic = (typeof ANALYTICS)[number];

export const DEVICE_STATUSES = [
  // Found by a scan, not yet placed at a site by a person.
  'discovered',
  'active',
  'isolated',
  'scheduled',
  'replaced',
  'decommissioned',
  'disposed',
] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];

/** Coordinate reference systems accepted on input; positions are stored in WGS84. */
export const CRS = ['EPSG:4326', 'EPSG:28992'] as const;
export type Crs = (typeof CRS)[number];

/**
 * Who may see a group of fields. Cities keep exact camera positions confidential while counts
 * and areas are public, so visibility is decided per field group, not per record.
 */
export const PUBLICATION_LEVELS = ['public', 'organisation', 'coordinator_aggregate', 'secret'] as const;
export type PublicationLevel = (typeof PUBLICATION_LEVELS)[number];

export const FIELD_GROUPS = ['identity', 'location_area', 'location_exact', 'network', 'serial', 'governance'] as const;
export type FieldGroup = (typeof FIELD_GROUPS)[number];
export type PublicationPolicy = Record<FieldGroup, PublicationLevel>;

/** Bounding box in WGS84: [minLon, minLat, maxLon, maxLat]. */
export type BBox = readonly [number, number, number, number];

export interface Position {
  lat: number;
  lon: number;
  /** The coordinates as the source gave them, before conversion to WGS84. */
  original: { x: number; y: number; crs: Crs };
}

export interface Organisation {
  id: string;
  slug: string;
  name: string;
  /** CBS municipality code such as GM0344; absent for bodies that are not municipalities. */
  cbsCode: string | null;
  country: string;
  /** The area positions must fall in; used to validate and repair imported coordinates. */
  area: BBox | null;
  publication: PublicationPolicy;
  createdAt: string;
}

export interface Site {
  id: string;
  orgId: string;
  name: string;
  category: SiteCategory;
  address: string | null;
  postcode: string | null;
  city: string | null;
  bagId: string | null;
  position: Position | null;
  createdAt: string;
  updatedAt: string;
}

export interface Network {
  id: string;
  orgId: string;
  name: string;
  cidrs: string[];
  connectivity: Connectivity;
  remoteAccess: RemoteAccess;
  createdAt: string;
  updatedAt: string;
}

/** The fields of a device that people and sources write; ids and timestamps are the store's. */
export interface DeviceFields {
  kind: DeviceKind;
  /** The brand on the label. */
  brand: string | null;
  /** The true maker; identification fills this from the knowledge base's OEM map. */
  manufacturer: string | null;
  model: string | null;
  firmware: string | null;
  serial: string | null;
  mac: string | null;
  ip: string | null;
  siteId: string | null;
  networkId: string | null;
  /** The device's own position; when absent, the site's position stands in. */
  position: Position | null;
  analytics: Analytic[];
  status: DeviceStatus;
  purpose: string | null;
  legalBasis: string | null;
  retentionDays: number | null;
  supplier: string | null;
  installer: string | null;
  installDate: string | null;
  externalRef: string | null;
  custom: Record<string, string>;
  /** Per-device overrides of the organisation's publication policy. */
  publication: Partial<PublicationPolicy>;
  /** Identification's verdict on the true maker and what it rests on; null until identified. */
  identity: IdentitySummary | null;
}

/** A stored digest of an identification: enough to show "why" and to re-check after a KB update. */
export interface IdentitySummary {
  manufacturer: string | null;
  /** The maker as a person or file stated it, kept so that re-identification reads it again. */
  statedManufacturer: string | null;
  confidence: number;
  kbVersion: string;
  evidence: { rule: string; protocol: string; field: string; value: string; weight: string; origin: string; note?: string }[];
  conflicts: { manufacturer: string; score: number }[];
  checks: string[];
}

export interface Device extends DeviceFields {
  id: string;
  orgId: string;
  createdAt: string;
  updatedAt: string;
}

/** One dated piece of evidence from one source. Never edited. */
export interface Observation {
  id: string;
  orgId: string;
  deviceId: string | null;
  /** Where it came from: `import:<file>`, `scan:<probe>`, `manual`. */
  source: string;
  observedAt: string;
  kind: string;
  payload: unknown;
}

export type EntityType = 'device' | 'site' | 'network';

/** A change to a device, site or network, as the store records it. */
export interface HistoryEvent {
  id: number;
  orgId: string;
  entityType: EntityType;
  entityId: string;
  action: 'create' | 'update' | 'delete';
  actor: string;
  source: string;
  at: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export const DEFAULT_PUBLICATION: PublicationPolicy = Object.freeze({
  identity: 'public',
  location_area: 'public',
  location_exact: 'organisation',
  network: 'secret',
  serial: 'organisation',
  governance: 'public',
});

/** The Netherlands, European part: the area used when an organisation has none of its own. */
export const NETHERLANDS_BBOX: BBox = [3.2, 50.7, 7.3, 53.7];
