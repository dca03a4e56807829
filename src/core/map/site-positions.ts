// How precisely a person inside the organisation sees where a site is. The publication policy
// says who outside the organisation may see a field group; inside it, "secret" positions are
// still a need-to-know matter: people who maintain the register (the `write` permission) see
// them exactly, people who only read it (viewers, auditors) see a position generalised to about
// a kilometre and marked approximate, and nothing at all where even the area is secret.
//
// A site is as secret as the most secret device at it, in service or not (the rule GeoJSON uses):
// showing the place would otherwise reveal what a device's stricter override protects.
import type { Crs, FieldGroup, PublicationPolicy } from '../model.js';

export const POSITION_PRECISIONS = ['exact', 'approximate', 'withheld'] as const;
export type PositionPrecision = (typeof POSITION_PRECISIONS)[number];

/** Two decimals of a degree: about 1.1 km north–south and 0.7 km east–west in the Netherlands. */
export const APPROXIMATE_DECIMALS = 2;

/** Whether a group is secret for a site: by the organisation's policy or any device's override. */
export function secretAtSite(group: FieldGroup, policy: PublicationPolicy, overrides: readonly Partial<PublicationPolicy>[]): boolean {
  return policy[group] === 'secret' || overrides.some((o) => o[group] === 'secret');
}

/**
 * The precision a caller gets for a site: exact unless the exact position is secret and the
 * caller may not maintain the register; approximate unless the area is secret too.
 */
export function sitePrecision(policy: PublicationPolicy, overrides: readonly Partial<PublicationPolicy>[], seesSecret: boolean): PositionPrecision {
  if (seesSecret || !secretAtSite('location_exact', policy, overrides)) return 'exact';
  return secretAtSite('location_area', policy, overrides) ? 'withheld' : 'approximate';
}

const round = (value: number, decimals: number) => Number(value.toFixed(decimals));

/** A point on the ~1 km grid: the site lies within about half a kilometre of it. */
export function generalise(point: { lat: number; lon: number }): { lat: number; lon: number } {
  return { lat: round(point.lat, APPROXIMATE_DECIMALS), lon: round(point.lon, APPROXIMATE_DECIMALS) };
}

interface PlacedSite {
  address: string | null;
  postcode: string | null;
  bagId: string | null;
  position: { lat: number; lon: number; original: { x: number; y: number; crs: Crs } } | null;
}

/**
 * A site as a caller may see it. Where the position is not exact, everything that pins the site
 * down closer than its area goes too: the street address, the six-character postcode, the BAG
 * building id and the coordinates as the source gave them. `positionPrecision` says which.
 */
export function siteForCaller<S extends PlacedSite>(site: S, precision: PositionPrecision): S & { positionPrecision: PositionPrecision | null } {
  if (precision === 'exact') return { ...site, positionPrecision: site.position === null ? null : 'exact' };
  // An address is as exact as coordinates: it goes even where no position is recorded.
  const hidden = { address: null, postcode: null, bagId: null };
  if (site.position === null) return { ...site, ...hidden, positionPrecision: null };
  if (precision === 'withheld') return { ...site, ...hidden, position: null, positionPrecision: 'withheld' };
  const point = generalise(site.position);
  return { ...site, ...hidden, position: { ...point, original: { x: point.lon, y: point.lat, crs: 'EPSG:4326' } }, positionPrecision: 'approximate' };
}
