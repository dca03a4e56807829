// The open-data and supply-chain exports of one organisation, read from the store once and
// rendered as text: what `camaudit export geojson|cyclonedx|cib` writes and the API answers.
import { makerGrouping } from '../core/aggregate/maker-groups.js';
import type { Organisation } from '../core/model.js';
import type { Audience } from '../core/register/publication.js';
import { loadPolicy } from '../ingest/policy.js';
import type { KnowledgeBase } from '../kb/schema.js';
import type { Store } from '../store/database.js';
import { allDevices, type DeviceView } from '../store/devices.js';
import { getOrganisationPolicy } from '../store/policies.js';
import { listSites } from '../store/sites.js';
import type { TenantScope } from '../store/tenant.js';
import { cibCsv, cibRows } from './cib-export.js';
import { siteCollection } from './geojson-export.js';
import { buildHbom, inHbom } from './hbom.js';

export const OPEN_FORMATS = {
  geojson: { type: 'application/geo+json; charset=utf-8', file: 'sites.geojson' },
  cyclonedx: { type: 'application/vnd.cyclonedx+json; version=1.6; charset=utf-8', file: 'devices.cdx.json' },
  cib: { type: 'text/csv; charset=utf-8', file: 'camera-in-beeld.csv' },
} as const;
export type OpenFormat = keyof typeof OPEN_FORMATS;

export interface OpenExport {
  text: string;
  /** Sites (GeoJSON features, CIB rows) or devices (HBOM components) written. */
  count: number;
}

/**
 * `seesSecret`: whether the reader may see secret positions exactly (people who maintain the
 * register, and the command line's operator); otherwise sites go out as the site routes show them.
 */
export async function renderOpenExport(
  store: Store, scope: TenantScope, org: Organisation, kb: KnowledgeBase, format: OpenFormat, audience: Audience, now: string, seesSecret = true,
): Promise<OpenExport> {
  const devices: DeviceView[] = [];
  for await (const d of allDevices(store, scope)) devices.push(d);
  if (format === 'cyclonedx') return { text: JSON.stringify(buildHbom({ org, audience, kb, now }, devices), null, 2), count: devices.filter(inHbom).length };
  const sites = await listSites(store, scope);
  if (format === 'cib') {
    const rows = cibRows(org, audience, sites, devices, seesSecret);
    return { text: cibCsv(rows), count: rows.length };
  }
  const policy = await loadPolicy(undefined, await getOrganisationPolicy(store, scope));
  const collection = siteCollection(org, audience, sites, devices, makerGrouping(kb, policy), now, seesSecret);
  return { text: JSON.stringify(collection), count: collection.features.length };
}
