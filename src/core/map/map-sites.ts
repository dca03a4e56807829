// The register's sites as the map shows them: where each is (as precisely as the caller may
// know), how many devices it holds, the most serious finding still standing there, and how many
// of its devices come from a restricted maker. Pure: the route reads the store and feeds this.
import { SEVERITY_RANK, type Severity } from '../assess/types.js';
import type { DeviceStatus, PublicationPolicy, SiteCategory } from '../model.js';
import { generalise, sitePrecision, type PositionPrecision } from './site-positions.js';

export interface MapSiteInput {
  id: string;
  name: string;
  category: SiteCategory;
  city: string | null;
  position: { lat: number; lon: number } | null;
}

export interface MapDeviceInput {
  id: string;
  siteId: string | null;
  status: DeviceStatus;
  /** The true maker (identification's verdict). */
  manufacturer: string | null;
  publication: Partial<PublicationPolicy>;
}

/** A finding of the latest assessment; a waived one no longer counts as standing. */
export interface MapFindingInput {
  deviceId: string;
  severity: Severity;
  status: 'open' | 'waived' | 'lapsed';
}

export interface MapSite {
  id: string;
  name: string;
  category: SiteCategory;
  city: string | null;
  /** Null when the site has no recorded position or the caller may not see it. */
  position: { lat: number; lon: number } | null;
  /** How `position` was given: exact, approximate (~1 km), withheld; null when none is recorded. */
  precision: PositionPrecision | null;
  /** Every device placed at the site, whatever its status. */
  devices: number;
  /** Devices in service (the ones assessed). */
  inService: number;
  /** The most serious open or lapsed finding on a device here; null when none stands. */
  highestSeverity: Severity | null;
  /** Open or lapsed findings on devices here. */
  openFindings: number;
  /** Devices in service whose true maker a restriction adopted by the organisation names. */
  restricted: number;
}

export interface MapInputs {
  sites: readonly MapSiteInput[];
  devices: readonly MapDeviceInput[];
  findings: readonly MapFindingInput[];
  policy: PublicationPolicy;
  /** Statuses that count as in service. */
  inService: readonly DeviceStatus[];
  isRestricted(manufacturer: string | null): boolean;
  /** Whether the caller sees exact positions even where they are secret. */
  seesSecret: boolean;
}

export function mapSites(input: MapInputs): MapSite[] {
  const bySite = new Map<string, MapDeviceInput[]>();
  const siteOf = new Map<string, string>();
  for (const d of input.devices) {
    if (d.siteId === null) continue;
    const list = bySite.get(d.siteId) ?? [];
    list.push(d);
    bySite.set(d.siteId, list);
    siteOf.set(d.id, d.siteId);
  }
  const worst = new Map<string, Severity>();
  const open = new Map<string, number>();
  for (const f of input.findings) {
    if (f.status === 'waived') continue;
    const site = siteOf.get(f.deviceId);
    if (site === undefined) continue;
    open.set(site, (open.get(site) ?? 0) + 1);
    const current = worst.get(site);
    if (current === undefined || SEVERITY_RANK[f.severity] > SEVERITY_RANK[current]) worst.set(site, f.severity);
  }
  return input.sites.map((site) => {
    const here = bySite.get(site.id) ?? [];
    const serving = here.filter((d) => input.inService.includes(d.status));
    const precision = site.position === null ? null : sitePrecision(input.policy, here.map((d) => d.publication), input.seesSecret);
    const position = site.position === null || precision === 'withheld' ? null
      : precision === 'approximate' ? generalise(site.position) : { lat: site.position.lat, lon: site.position.lon };
    return {
      id: site.id, name: site.name, category: site.category, city: site.city, position, precision,
      devices: here.length, inService: serving.length,
      highestSeverity: worst.get(site.id) ?? null, openFindings: open.get(site.id) ?? 0,
      restricted: serving.filter((d) => input.isRestricted(d.manufacturer)).length,
    };
  });
}
