// The map endpoint's answers (src/server/routes/map.ts).

export type Precision = 'exact' | 'approximate' | 'withheld';

export interface MapSite {
  id: string;
  name: string;
  category: string;
  city: string | null;
  position: { lat: number; lon: number } | null;
  /** null when the site has no recorded position. */
  precision: Precision | null;
  devices: number;
  inService: number;
  highestSeverity: string | null;
  openFindings: number;
  restricted: number;
}

export interface MapAnswer {
  sites: MapSite[];
  exactPositions: boolean;
  assessment: { at: string } | null;
}

export interface SiteDevice {
  id: string;
  externalRef: string | null;
  kind: string;
  brand: string | null;
  manufacturer: string | null;
  model: string | null;
  status: string;
  highestSeverity: string | null;
  restricted: boolean;
}

export interface SiteDevices {
  site: { id: string; name: string };
  items: SiteDevice[];
}
