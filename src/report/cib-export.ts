// A list in the spirit of the police's "Camera in Beeld" register: per site with cameras, who
// owns them, where they are, how many there are, what they film and how long images are kept.
// Safe to open in a spreadsheet: cells that would run as formulas are neutralised.
import { csvCell } from './device-export.js';
import { sitePrecision } from '../core/map/site-positions.js';
import type { FieldGroup, Organisation } from '../core/model.js';
import { canSee, type Audience } from '../core/register/publication.js';
import type { DeviceView } from '../store/devices.js';
import type { SiteView } from '../store/sites.js';
import { devicesBySite, inService } from './geojson-export.js';

export const CIB_HEADERS = ['owner', 'site', 'address', 'postcode', 'city', 'cameras', 'purpose', 'retention_days'] as const;

export type CibRow = (string | number | null)[];

/**
 * One row per site with cameras in service, in site-name order; withheld cells are empty. A reader
 * who may not see secret positions (`seesSecret` false) gets no address or postcode where the
 * exact position is secret, as the site routes show it (src/core/map/site-positions.ts).
 */
export function cibRows(org: Organisation, audience: Audience, sites: readonly SiteView[], devices: Iterable<DeviceView>, seesSecret = true): CibRow[] {
  const atSite = devicesBySite(devices);
  const rows: CibRow[] = [];
  for (const site of [...sites].sort((a, b) => a.name.localeCompare(b.name))) {
    const all = atSite.get(site.id) ?? [];
    const here = all.filter((d) => d.kind === 'camera' && inService(d));
    if (here.length === 0) continue;
    const sees = (group: FieldGroup, d?: DeviceView) => audience === 'organisation' || canSee(audience, group, org.publication, d?.publication);
    // A site's cell is shown only when the policy opens it for every device there, in service or
    // not, as in the GeoJSON export: a retired device's override still protects the place.
    const siteSees = (group: FieldGroup) => sees(group) && all.every((d) => sees(group, d));
    const governed = here.filter((d) => sees('governance', d));
    const purposes = [...new Set(governed.map((d) => d.purpose).filter((p) => p !== null))].sort();
    const retention = [...new Set(governed.map((d) => d.retentionDays).filter((r) => r !== null))].sort((a, b) => a - b);
    const exact = siteSees('location_exact') && sitePrecision(org.publication, all.map((d) => d.publication), seesSecret) === 'exact';
    rows.push([
      org.name,
      siteSees('location_area') ? site.name : null,
      exact ? site.address : null,
      exact ? site.postcode : null,
      siteSees('location_area') ? site.city : null,
      here.length,
      purposes.join('; ') || null,
      retention.join('; ') || null,
    ]);
  }
  return rows;
}

/** The rows as CSV; a BOM makes spreadsheets read it as UTF-8. */
export function cibCsv(rows: readonly CibRow[]): string {
  return '\uFEFF' + [CIB_HEADERS as readonly string[], ...rows].map((r) => r.map(csvCell).join(',') + '\r\n').join('');
}
