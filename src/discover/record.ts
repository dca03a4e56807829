// Storing what a scan found: the run with its parameters and figures, each host's captures and
// risk facts as observations, and reconciliation into the register — a device already known (by
// MAC, serial, or address) gets its firmware and address updated with history; a new camera or
// recorder appears as "discovered", not yet placed at a site.
import type { Kysely, Transaction } from 'kysely';
import { CamauditError } from '../core/errors.js';
import { deviceSignals, summarise } from '../core/identify/device.js';
import { identify } from '../core/identify/identify.js';
import type { DeviceFields } from '../core/model.js';
import { NEW_DEVICE, historyValue } from '../core/register/merge.js';
import type { Identifier } from '../kb/knowledge.js';
import type { Store } from '../store/database.js';
import { appendAuditEntry } from '../store/audit.js';
import { writeDeviceChange } from '../store/device-change.js';
import { newId } from '../store/ids.js';
import { inTransaction } from '../store/in-transaction.js';
import { insertObservations, type NewObservation } from '../store/observations.js';
import { deviceFromRow, deviceToRow } from '../store/rows.js';
import type { Database, DevicesTable } from '../store/schema.js';
import type { TenantScope } from '../store/tenant.js';
import { analyseHost, captureSource, type FoundDevice } from './found.js';
import type { HostResult } from './result.js';

export type ScanOrigin = 'live' | 'bundle' | 'nmap';

export interface RunStart {
  origin: ScanOrigin;
  actor: string;
  agentId: string | null;
  params: Record<string, unknown>;
  startedAt: string;
}

export interface RecordScanInput extends RunStart {
  stats: Record<string, unknown>;
  finishedAt: string;
  hosts: HostResult[];
}

export interface RecordCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export interface RecordedRun extends RecordCounts {
  runId: string;
  devices: FoundDevice[];
}

type Db = Kysely<Database> | Transaction<Database>;

// Answers only cameras and recorders give; a printer's WS-Discovery reply is not among them.
const CAMERA_PROTOCOLS = new Set(['sadp', 'isapi', 'dhip', 'dvrip', 'dahua_cgi', 'rtsp']);
const CAMERA_KINDS = new Set(['camera', 'recorder', 'encoder', 'intercom']);

/** Whether a found host belongs in the camera register (other hosts stay in the scan's records). */
export function isCameraLike(found: FoundDevice): boolean {
  return found.manufacturer !== null || (found.kind !== null && CAMERA_KINDS.has(found.kind))
    || found.protocols.some((p) => CAMERA_PROTOCOLS.has(p));
}

async function insertRun(db: Db, scope: TenantScope, start: RunStart): Promise<string> {
  const id = newId();
  await db.insertInto('scan_runs').values({
    id, org_id: scope.orgId, origin: start.origin, status: 'running', actor: start.actor, agent_id: start.agentId,
    params_json: JSON.stringify(start.params), stats_json: '{}', cursor: null, started_at: start.startedAt, finished_at: null,
  }).execute();
  return id;
}

async function updateRun(db: Db, scope: TenantScope, runId: string, status: 'done' | 'interrupted', stats: Record<string, unknown>, at: string): Promise<void> {
  await db.updateTable('scan_runs').set({ status, stats_json: JSON.stringify(stats), finished_at: status === 'done' ? at : null })
    .where('id', '=', runId).where('org_id', '=', scope.orgId).execute();
}

/** Starts a live run, with its audit entry. */
export async function startRun(db: Kysely<Database>, scope: TenantScope, start: RunStart): Promise<string> {
  return inTransaction(db, async (trx) => {
    const id = await insertRun(trx, scope, start);
    await appendAuditEntry(trx, scope, {
      action: 'start', entityType: 'scan_run', entityId: id, after: { origin: start.origin, agentId: start.agentId, params: start.params },
    }, start.startedAt);
    return id;
  });
}

export async function checkpointRun(db: Db, scope: TenantScope, runId: string, cursor: string, stats: Record<string, unknown>): Promise<void> {
  await db.updateTable('scan_runs').set({ cursor, stats_json: JSON.stringify(stats) })
    .where('id', '=', runId).where('org_id', '=', scope.orgId).execute();
}

/** Ends a live run (finished, or interrupted and resumable), with its audit entry and figures. */
export async function finishRun(db: Kysely<Database>, scope: TenantScope, runId: string, status: 'done' | 'interrupted', stats: Record<string, unknown>, at: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    await updateRun(trx, scope, runId, status, stats, at);
    await appendAuditEntry(trx, scope, {
      action: status === 'done' ? 'finish' : 'interrupt', entityType: 'scan_run', entityId: runId, after: { status, stats },
    }, at);
  });
}

async function findExisting(trx: Db, scope: TenantScope, found: FoundDevice): Promise<DevicesTable | undefined> {
  const base = () => trx.selectFrom('devices').selectAll().where('org_id', '=', scope.orgId);
  if (found.mac) {
    const row = await base().where('mac', '=', found.mac).executeTakeFirst();
    if (row) return row;
  }
  if (found.serial) {
    const row = await base().where('serial', '=', found.serial).executeTakeFirst();
    if (row) return row;
  }
  // An address alone matches only a device that no stronger key contradicts.
  const rows = await base().where('ip', '=', found.ip).execute();
  return rows.find((r) => (!r.mac || !found.mac || r.mac === found.mac) && (!r.serial || !found.serial || r.serial === found.serial));
}

function fieldsOf(row: DevicesTable): DeviceFields {
  const { id: _i, orgId: _o, createdAt: _c, updatedAt: _u, ...fields } = deviceFromRow(row);
  return fields;
}

/** What the scan tells about a device: observed values replace, missing ones are filled. */
function merged(base: DeviceFields, found: FoundDevice): DeviceFields {
  return {
    ...base,
    ip: found.ip,
    mac: base.mac ?? found.mac,
    serial: base.serial ?? found.serial,
    model: base.model ?? found.model,
    brand: base.brand ?? found.brand,
    firmware: found.firmware ?? base.firmware,
    kind: base.kind === 'other' && found.kind ? found.kind : base.kind,
  };
}

/**
 * Records one host of a run inside `trx`: its row in the run, its captures and risk facts as
 * observations, and its device in the register.
 */
export async function recordHost(
  trx: Transaction<Database>,
  scope: TenantScope,
  identifier: Identifier,
  runId: string,
  host: HostResult,
  now: string,
  counts: RecordCounts,
): Promise<FoundDevice | null> {
  // A host the run already stored (probed again after an interrupted run resumed) is not stored twice.
  const stored = await trx.selectFrom('scan_hosts').select('result_json').where('run_id', '=', runId).where('ip', '=', host.ip).executeTakeFirst();
  if (stored) return (JSON.parse(stored.result_json) as { found: FoundDevice }).found;
  const analysis = analyseHost(host, identifier.knowledge);
  if (!analysis) return null;
  const { found, signals } = analysis;
  let deviceId: string | null = null;
  if (isCameraLike(found)) {
    const existing = await findExisting(trx, scope, found);
    const kbVersion = identifier.kb.meta.version;
    if (existing) {
      deviceId = existing.id;
      const base = fieldsOf(existing);
      // Evidence older than the register's last change (a bundle carried in late) adds
      // observations but does not roll back an address or firmware recorded since.
      const next = existing.updated_at > now ? { ...base } : merged(base, found);
      // The register's own words and the device's answers are one body of evidence.
      const derived = base.identity !== null && base.manufacturer === base.identity.manufacturer;
      const stated = derived ? base.identity!.statedManufacturer : base.manufacturer;
      const identity = identify([...deviceSignals(next, 'register'), ...signals], identifier.knowledge);
      const fresh = summarise(identity, stated, kbVersion);
      // A scan that saw less (no credentials this time) does not replace a stronger verdict on
      // the same maker; a different maker or more confidence does.
      const keep = base.identity !== null && base.identity.kbVersion === kbVersion
        && base.identity.manufacturer === fresh.manufacturer && fresh.confidence <= base.identity.confidence;
      next.identity = keep ? base.identity : fresh;
      next.manufacturer = next.identity!.manufacturer ?? stated;
      if (await writeDeviceChange(trx, scope, existing.id, base, next, now)) counts.updated++;
      else counts.unchanged++;
    } else {
      deviceId = newId();
      const fields: DeviceFields = {
        ...NEW_DEVICE,
        // A streaming device identification could not classify is most likely a camera; the
        // person who places it confirms.
        kind: found.kind ?? (found.ports.includes(554) || found.protocols.includes('rtsp') ? 'camera' : 'other'),
        status: 'discovered',
        brand: found.brand, manufacturer: found.manufacturer, model: found.model, firmware: found.firmware,
        serial: found.serial, mac: found.mac, ip: found.ip,
        identity: summarise(analysis.identity, null, kbVersion),
      };
      await trx.insertInto('devices').values({
        id: deviceId, org_id: scope.orgId, ...deviceToRow(fields), import_id: null, import_row: null, created_at: now, updated_at: now,
      }).execute();
      await appendAuditEntry(trx, scope, { action: 'create', entityType: 'device', entityId: deviceId, after: historyValue({ ...fields }, 'create') }, now);
      counts.created++;
    }
  }
  const observations: NewObservation[] = [
    ...host.captures.map((c) => ({ deviceId, source: captureSource(c, host.ip), observedAt: c.at, kind: 'capture', payload: c, scanRunId: runId })),
    ...found.facts.map((f) => ({ deviceId, source: f.source, observedAt: now, kind: 'risk_fact', payload: { ...f, ip: host.ip }, scanRunId: runId })),
  ];
  await insertObservations(trx, scope, observations);
  await trx.insertInto('scan_hosts').values({
    run_id: runId, org_id: scope.orgId, ip: host.ip, device_id: deviceId, found_at: now,
    result_json: JSON.stringify({ found, host }),
  }).onConflict((oc) => oc.columns(['run_id', 'ip']).doNothing()).execute();
  return found;
}

/**
 * A whole run at once (an nmap file or a bundle): one transaction, so a file either lands
 * completely or not at all.
 */
export async function recordScanRun(store: Store, scope: TenantScope, identifier: Identifier, input: RecordScanInput): Promise<RecordedRun> {
  const counts: RecordCounts = { created: 0, updated: 0, unchanged: 0 };
  const devices: FoundDevice[] = [];
  const seen = new Set<string>();
  for (const h of input.hosts) {
    if (seen.has(h.ip)) throw new CamauditError('invalid_input', `host ${h.ip} appears twice in the scan`, { address: h.ip });
    seen.add(h.ip);
  }
  const runId = await store.db.transaction().execute(async (trx) => {
    const id = await insertRun(trx, scope, input);
    for (const host of input.hosts) {
      const found = await recordHost(trx, scope, identifier, id, host, input.finishedAt, counts);
      if (found) devices.push(found);
    }
    const stats = { ...input.stats, ...counts, found: devices.length };
    await updateRun(trx, scope, id, 'done', stats, input.finishedAt);
    // One entry for the whole run carried in; the devices it created or changed have their own.
    await appendAuditEntry(trx, scope, {
      action: 'import', entityType: 'scan_run', entityId: id,
      after: { origin: input.origin, agentId: input.agentId, params: input.params, startedAt: input.startedAt, stats },
    }, input.finishedAt);
    return id;
  });
  return { runId, devices, ...counts };
}
