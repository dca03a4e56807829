// The register's sites as GeoJSON open data (RFC 7946: WGS84, longitude first). What a site
// shows follows the publication policy: a position is exact only where exact positions are
// public, rounded to about a kilometre where only areas are, and absent otherwise.
import type { MakerGrouping } from '../core/aggregate/maker-groups.js';
import { ASSESSABLE_STATUSES } from '../core/assess/inputs.js';
import { sitePrecision } from '../core/map/site-positions.js';
import { DEVICE_KINDS, type FieldGroup, type Organisation, type SiteCategory } from '../core/model.js';
import { canSee, type Audience } from '../core/register/publication.js';
import type { DeviceView } from '../store/devices.js';
import type { SiteView } from '../store/sites.js';

/** Decimals of a degree: 6 is about 0.1 m (RFC 7946 §11.2); 2 is about 1 km, an area, not a spot. */
export const EXACT_DECIMALS = 6;
export const AREA_DECIMALS = 2;
/** What a count is filed under when the publication policy closes the device's identity. */
export const UNDISCLOSED = 'undisclosed';

export interface SiteProperties {
  id?: string;
  name?: string;
  category?: SiteCategory;
  address?: string | null;
  /** How many decimals the coordinates carry; null when the position is withheld. */
  precision: number | null;
  devices: number;
  byKind: Record<string, number>;
  byMakerGroup: Record<string, number>;
  purposes: string[];
  retentionDays: number[];
}

export interface SiteFeature {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: [number, number] } | null;
  properties: SiteProperties;
}

export interface SiteCollection {
  type: 'FeatureCollection';
  /** A foreign member (RFC 7946 §6.1): who publishes, when, and for which audience. */
  metadata: { organisation: string; generatedAt: string; audience: Audience };
  features: SiteFeature[];
}

const round = (value: number, decimals: number) => Number(value.toFixed(decimals));

/** Devices that are in service: the ones a site really has today. */
export function inService(d: DeviceView): boolean {
  return ASSESSABLE_STATUSES.includes(d.status);
}

/** Every device at each site, whatever its status. */
export function devicesBySite(devices: Iterable<DeviceView>): Map<string, DeviceView[]> {
  const atSite = new Map<string, DeviceView[]>();
  for (const d of devices) {
    if (d.siteId === null) continue;
    const list = atSite.get(d.siteId) ?? [];
    list.push(d);
    atSite.set(d.siteId, list);
  }
  return atSite;
}

/**
 * One feature per site. A group is shown for a site only when the policy opens it for every
 * device there, in service or not: a decommissioned device's stricter override still keeps the
 * site's position closed, since publishing the place would reveal what the override protects.
 * A reader who may not see secret positions (`seesSecret` false) gets no more than the site
 * routes show them: about a kilometre without address where the exact position is secret,
 * nothing where the area is too (src/core/map/site-positions.ts).
 */
export function siteCollection(
  org: Organisation, audience: Audience, sites: readonly SiteView[], devices: Iterable<DeviceView>, makerGroup: MakerGrouping, now: string,
  seesSecret = true,
): SiteCollection {
  const atSite = devicesBySite(devices);
  const features = sites.map((site): SiteFeature => {
    const all = atSite.get(site.id) ?? [];
    const here = all.filter(inService);
    const sees = (group: FieldGroup, d?: DeviceView) => audience === 'organisation' || canSee(audience, group, org.publication, d?.publication);
    const siteSees = (group: FieldGroup) => sees(group) && all.every((d) => sees(group, d));
    const reader = sitePrecision(org.publication, all.map((d) => d.publication), seesSecret);
    const exact = siteSees('location_exact') && reader === 'exact';
    const precision = exact ? EXACT_DECIMALS : siteSees('location_area') && reader !== 'withheld' ? AREA_DECIMALS : null;
    const properties: SiteProperties = { precision, devices: here.length, byKind: {}, byMakerGroup: {}, purposes: [], retentionDays: [] };
    if (audience === 'organisation') properties.id = site.id;
    if (siteSees('location_area')) Object.assign(properties, { name: site.name, category: site.category });
    if (exact) properties.address = [site.address, site.postcode, site.city].filter(Boolean).join(', ') || null;
    const purposes = new Set<string>();
    const retention = new Set<number>();
    for (const kind of DEVICE_KINDS) properties.byKind[kind] = 0;
    for (const d of here) {
      // A device whose identity (kind and maker) is closed still counts as a device, under a
      // group that says so.
      const identity = sees('identity', d);
      const kind = identity ? d.kind : UNDISCLOSED;
      properties.byKind[kind] = (properties.byKind[kind] ?? 0) + 1;
      const group = identity ? makerGroup(d.manufacturer) : UNDISCLOSED;
      properties.byMakerGroup[group] = (properties.byMakerGroup[group] ?? 0) + 1;
      if (sees('governance', d)) {
        if (d.purpose !== null) purposes.add(d.purpose);
        if (d.retentionDays !== null) retention.add(d.retentionDays);
      }
    }
    properties.purposes = [...purposes].sort();
    properties.retentionDays = [...retention].sort((a, b) => a - b);
    const geometry = precision === null || site.position === null ? null
      : { type: 'Point' as const, coordinates: [round(site.position.lon, precision), round(site.position.lat, precision)] as [number, number] };
    if (geometry === null) properties.precision = null;
    return { type: 'Feature', geometry, properties };
  });
  return { type: 'FeatureCollection', metadata: { organisation: org.name, generatedAt: now, audience }, features };
}
