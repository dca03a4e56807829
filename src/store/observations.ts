// Observations: dated, never-edited evidence from one source (a probe's answer, a scan's risk
// fact, an isolation check). Written inside the caller's transaction so evidence and the register
// change it justifies land together.
import type { Kysely, Transaction } from 'kysely';
import type { Observation } from '../core/model.js';
import type { Database } from './schema.js';
import { newId } from './ids.js';
import type { TenantScope } from './tenant.js';

export interface NewObservation {
  deviceId: string | null;
  source: string;
  observedAt: string;
  kind: string;
  payload: unknown;
  scanRunId?: string | null;
}

/** Inserts the observations (in chunks: SQLite limits bound parameters) and returns their ids. */
export async function insertObservations(db: Kysely<Database> | Transaction<Database>, scope: TenantScope, rows: readonly NewObservation[]): Promise<string[]> {
  const ids = rows.map(() => newId());
  for (let i = 0; i < rows.length; i += 100) {
    await db.insertInto('observations').values(rows.slice(i, i + 100).map((r, j) => ({
      id: ids[i + j]!,
      org_id: scope.orgId,
      device_id: r.deviceId,
      source: r.source,
      observed_at: r.observedAt,
      kind: r.kind,
      payload_json: JSON.stringify(r.payload),
      scan_run_id: r.scanRunId ?? null,
    }))).execute();
  }
  return ids;
}

export interface ObservationFilter {
  deviceId?: string;
  kind?: string;
  scanRunId?: string;
}

/** Observations of the organisation, newest first. */
export async function listObservations(db: Kysely<Database>, scope: TenantScope, filter: ObservationFilter = {}, limit = 1000): Promise<Observation[]> {
  let q = db.selectFrom('observations').selectAll().where('org_id', '=', scope.orgId);
  if (filter.deviceId) q = q.where('device_id', '=', filter.deviceId);
  if (filter.kind) q = q.where('kind', '=', filter.kind);
  if (filter.scanRunId) q = q.where('scan_run_id', '=', filter.scanRunId);
  const rows = await q.orderBy('observed_at', 'desc').orderBy('id').limit(limit).execute();
  return rows.map((r) => ({
    id: r.id, orgId: r.org_id, deviceId: r.device_id, source: r.source, observedAt: r.observed_at, kind: r.kind,
    payload: JSON.parse(r.payload_json) as unknown,
  }));
}
