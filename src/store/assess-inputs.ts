// Reads what the assessment needs from the register: every assessable device with its site, its
// network and the risk facts of its latest scan, mapped by core/assess/inputs.ts.
import type { Kysely } from 'kysely';
import { ASSESSABLE_STATUSES, latestScanFacts, toAssessDevice, type ScanObservation } from '../core/assess/inputs.js';
import type { AssessDevice } from '../core/assess/types.js';
import type { Connectivity, RemoteAccess, SiteCategory } from '../core/model.js';
import { deviceFromRow } from './rows.js';
import type { Database } from './schema.js';
import type { TenantScope } from './tenant.js';

/** Observation kinds a scan writes per device; the newest decides which scan is the latest. */
const SCAN_KINDS = ['capture', 'risk_fact'];
const PAGE = 5000;

async function scanObservations(db: Kysely<Database>, scope: TenantScope): Promise<ScanObservation[]> {
  // Only risk facts need their payload; captures can be large and only their run and time count.
  const rows = await db.selectFrom('observations as o')
    .select((eb) => [
      'o.device_id', 'o.scan_run_id', 'o.observed_at', 'o.kind',
      eb.case().when('o.kind', '=', 'risk_fact').then(eb.ref('o.payload_json')).else(null).end().as('payload_json'),
    ])
    .where('o.org_id', '=', scope.orgId).where('o.device_id', 'is not', null).where('o.kind', 'in', SCAN_KINDS)
    .execute();
  return rows.map((r) => {
    const payload = r.payload_json === null ? null : (JSON.parse(r.payload_json) as { fact?: unknown; detail?: unknown });
    const fact = payload && typeof payload.fact === 'string' ? { fact: payload.fact, detail: typeof payload.detail === 'string' ? payload.detail : '' } : undefined;
    return { deviceId: r.device_id!, scanRunId: r.scan_run_id, observedAt: r.observed_at, kind: r.kind, ...(fact ? { fact } : {}) };
  });
}

/** Every assessable device of the organisation, by id; pass a transaction for a consistent snapshot. */
export async function loadAssessDevices(db: Kysely<Database>, scope: TenantScope): Promise<AssessDevice[]> {
  const facts = latestScanFacts(await scanObservations(db, scope));
  const devices: AssessDevice[] = [];
  let cursor = '';
  for (;;) {
    const rows = await db
      .selectFrom('devices as d')
      .leftJoin('sites as s', (j) => j.onRef('s.id', '=', 'd.site_id').on('s.org_id', '=', scope.orgId))
      .leftJoin('networks as n', (j) => j.onRef('n.id', '=', 'd.network_id').on('n.org_id', '=', scope.orgId))
      .selectAll('d')
      .select(['s.name as site_name', 's.category as site_category', 'n.name as network_name', 'n.connectivity as connectivity', 'n.remote_access as remote_access'])
      .where('d.org_id', '=', scope.orgId).where('d.status', 'in', ASSESSABLE_STATUSES).where('d.id', '>', cursor)
      .orderBy('d.id').limit(PAGE)
      .execute();
    for (const r of rows) {
      const site = r.site_id !== null && r.site_name !== null ? { id: r.site_id, name: r.site_name, category: r.site_category as SiteCategory } : null;
      const network = r.network_id !== null && r.network_name !== null
        ? { id: r.network_id, name: r.network_name, connectivity: r.connectivity as Connectivity, remoteAccess: r.remote_access as RemoteAccess }
        : null;
      devices.push(toAssessDevice(deviceFromRow(r), site, network, facts.get(r.id) ?? []));
    }
    if (rows.length < PAGE) return devices;
    cursor = rows[rows.length - 1]!.id;
  }
}
