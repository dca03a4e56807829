// Reading scan runs back: the list, one run with its hosts, and what resuming needs.
import { CamauditError } from '../core/errors.js';
import type { FoundDevice } from '../discover/found.js';
import type { HostResult } from '../discover/result.js';
import type { Store } from './database.js';
import type { TenantScope } from './tenant.js';

export interface ScanRun {
  id: string;
  origin: string;
  status: string;
  actor: string;
  agentId: string | null;
  params: Record<string, unknown>;
  stats: Record<string, unknown>;
  cursor: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export interface ScanHost {
  ip: string;
  deviceId: string | null;
  found: FoundDevice;
  host: HostResult;
}

export async function listRuns(store: Store, scope: TenantScope): Promise<ScanRun[]> {
  const rows = await store.db.selectFrom('scan_runs').selectAll().where('org_id', '=', scope.orgId)
    .orderBy('started_at', 'desc').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id, origin: r.origin, status: r.status, actor: r.actor, agentId: r.agent_id,
    params: JSON.parse(r.params_json) as Record<string, unknown>, stats: JSON.parse(r.stats_json) as Record<string, unknown>,
    cursor: r.cursor, startedAt: r.started_at, finishedAt: r.finished_at,
  }));
}

/** A run by id or unambiguous id prefix (people copy the first characters). */
export async function getRun(store: Store, scope: TenantScope, idOrPrefix: string): Promise<ScanRun> {
  const runs = (await listRuns(store, scope)).filter((r) => r.id.startsWith(idOrPrefix));
  if (runs.length === 0) throw new CamauditError('not_found', `no scan run "${idOrPrefix}"; see camaudit scans list`);
  if (runs.length > 1) throw new CamauditError('usage', `"${idOrPrefix}" names ${runs.length} scan runs; give more characters`);
  return runs[0]!;
}

export async function runHosts(store: Store, scope: TenantScope, runId: string): Promise<ScanHost[]> {
  const rows = await store.db.selectFrom('scan_hosts').selectAll().where('org_id', '=', scope.orgId)
    .where('run_id', '=', runId).orderBy('ip').execute();
  return rows.map((r) => {
    const { found, host } = JSON.parse(r.result_json) as { found: FoundDevice; host: HostResult };
    return { ip: r.ip, deviceId: r.device_id, found, host };
  });
}
