// Applies import records to the register inside one transaction, batch by batch: sites and
// networks first, then devices matched on their stable key (id > MAC > serial > reference >
// site + IP). Unchanged records are not written at all, so re-importing a file changes nothing.
import { newId } from './ids.js';
import { sql, type Transaction } from 'kysely';
import type { ImportRecord, RowError } from '../core/import/record.js';
import {
  applyDevicePatch, applyNetworkPatch, applySitePatch, conflictingFields, diff, historyValue, NEW_DEVICE, siteKey,
  type NetworkFields, type SiteFields,
} from '../core/register/merge.js';
import type { DeviceFields, EntityType } from '../core/model.js';
import type { EngineFlags } from './engine.js';
import { deviceFromRow, deviceToRow, networkFromRow, positionToRow, siteFromRow } from './rows.js';
import type { Database, DevicesTable } from './schema.js';
import type { TenantScope } from './tenant.js';
import { insertChunked } from './batch.js';
import { appendAudit, type AuditEntry } from './audit.js';

type Trx = Transaction<Database>;

interface Known<F, P> {
  id: string;
  fields: F;
  /** The first patch this import gave, and its row: later rows must agree with it. */
  first?: { patch: P; row: number };
}

export interface WriteCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export type Enrich = (fields: DeviceFields) => DeviceFields;

export class ImportWriter {
  private readonly sites = new Map<string, Known<SiteFields, NonNullable<ImportRecord['site']>>>();
  private readonly networks = new Map<string, Known<NetworkFields, NonNullable<ImportRecord['network']>>>();
  /** Devices this import matched but did not need to write (written ones carry import_id). */
  private readonly untouched = new Map<string, number>();
  readonly counts: WriteCounts = { created: 0, updated: 0, unchanged: 0 };
  /** Devices created when statistics are next refreshed: 1,000, then each doubling. */
  private nextRefresh = 1000;

  constructor(
    private readonly trx: Trx,
    private readonly engine: EngineFlags,
    private readonly scope: TenantScope,
    private readonly importId: string,
    private readonly now: string,
    /** Derives fields from the merged record (identification of the true maker). */
    private readonly enrich: Enrich = (fields) => fields,
  ) {}

  /** Writes one batch; returns the records it refused (conflicts and duplicates). */
  async write(records: readonly ImportRecord[]): Promise<RowError[]> {
    const errors: RowError[] = [];
    const history: AuditEntry[] = [];
    const valid: { record: ImportRecord; siteId: string | null; networkId: string | null }[] = [];
    await this.loadSites(records);
    await this.loadNetworks(records);
    for (const record of records) {
      const siteId = record.site ? this.resolveSite(record, errors, history) : null;
      const networkId = record.network ? this.resolveNetwork(record, errors, history) : null;
      if (siteId === undefined || networkId === undefined) continue;
      valid.push({ record, siteId, networkId });
    }
    await this.flushSitesAndNetworks();
    await this.writeDevices(valid, errors, history);
    await appendAudit(this.trx, this.engine, this.scope, history, this.now);
    await this.refreshStatistics();
    return errors;
  }

  private async refreshStatistics(): Promise<void> {
    if (!this.engine.refreshStatisticsSql || this.counts.created < this.nextRefresh) return;
    await sql.raw(this.engine.refreshStatisticsSql).execute(this.trx);
    this.nextRefresh = this.counts.created * 2;
  }

  private pendingSites: { id: string; fields: SiteFields; isNew: boolean }[] = [];
  private pendingNetworks: { id: string; fields: NetworkFields; isNew: boolean }[] = [];

  private async loadSites(records: readonly ImportRecord[]): Promise<void> {
    const keys = [...new Set(records.flatMap((r) => (r.site ? [siteKey(r.site.name)] : [])))].filter(
      (k) => !this.sites.has(k),
    );
    if (keys.length === 0) return;
    const rows = await this.trx.selectFrom('sites').selectAll()
      .where('org_id', '=', this.scope.orgId).where('name_key', 'in', keys).execute();
    for (const row of rows) {
      const { id, orgId: _o, createdAt: _c, updatedAt: _u, ...fields } = siteFromRow(row);
      this.sites.set(row.name_key, { id, fields });
    }
  }

  private async loadNetworks(records: readonly ImportRecord[]): Promise<void> {
    const keys = [...new Set(records.flatMap((r) => (r.network ? [siteKey(r.network.name)] : [])))].filter(
      (k) => !this.networks.has(k),
    );
    if (keys.length === 0) return;
    const rows = await this.trx.selectFrom('networks').selectAll()
      .where('org_id', '=', this.scope.orgId).where('name_key', 'in', keys).execute();
    for (const row of rows) {
      const { id, orgId: _o, createdAt: _c, updatedAt: _u, ...fields } = networkFromRow(row);
      this.networks.set(row.name_key, { id, fields });
    }
  }

  private resolveSite(record: ImportRecord, errors: RowError[], history: AuditEntry[]): string | undefined {
    return this.resolve('site', record, record.site!, this.sites, applySitePatch, this.pendingSites, errors, history);
  }

  private resolveNetwork(record: ImportRecord, errors: RowError[], history: AuditEntry[]): string | undefined {
    return this.resolve('network', record, record.network!, this.networks, applyNetworkPatch, this.pendingNetworks, errors, history);
  }

  /**
   * The id of the site or network a record names, creating or updating it on its first mention
   * in this import; undefined when the record contradicts that first mention.
   */
  private resolve<F extends object, P extends { name: string }>(
    entity: 'site' | 'network',
    record: ImportRecord,
    patch: P,
    cache: Map<string, Known<F, P>>,
    apply: (base: F | null, patch: P) => F,
    pending: { id: string; fields: F; isNew: boolean }[],
    errors: RowError[],
    history: AuditEntry[],
  ): string | undefined {
    const key = siteKey(patch.name);
    const known = cache.get(key);
    if (known?.first) {
      const clash = conflictingFields(known.first.patch, patch);
      if (clash.length === 0) return known.id;
      errors.push(conflict(record, `${entity} "${patch.name}"`, clash, known.first.row));
      return undefined;
    }
    const next = apply(known?.fields ?? null, patch);
    const id = known?.id ?? newId();
    cache.set(key, { id, fields: next, first: { patch, row: record.row } });
    if (!known) {
      pending.push({ id, fields: next, isNew: true });
      history.push(this.event(entity, id, 'create', null, { ...next } as Record<string, unknown>));
      return id;
    }
    const change = diff(known.fields, next);
    if (change) {
      pending.push({ id, fields: next, isNew: false });
      history.push(this.event(entity, id, 'update', change.before, change.after));
    }
    return id;
  }

  private async flushSitesAndNetworks(): Promise<void> {
    const { orgId } = this.scope;
    const siteRow = (s: { id: string; fields: SiteFields }) => ({
      name: s.fields.name, name_key: siteKey(s.fields.name), category: s.fields.category, address: s.fields.address,
      postcode: s.fields.postcode, city: s.fields.city, bag_id: s.fields.bagId, ...positionToRow(s.fields.position),
      updated_at: this.now,
    });
    await insertChunked(this.trx, 'sites',
      this.pendingSites.filter((s) => s.isNew).map((s) => ({ id: s.id, org_id: orgId, created_at: this.now, ...siteRow(s) })),
      this.engine);
    for (const s of this.pendingSites.filter((p) => !p.isNew)) {
      await this.trx.updateTable('sites').set(siteRow(s)).where('id', '=', s.id).where('org_id', '=', orgId).execute();
    }
    const networkRow = (n: { id: string; fields: NetworkFields }) => ({
      name: n.fields.name, name_key: siteKey(n.fields.name), cidrs_json: JSON.stringify(n.fields.cidrs),
      connectivity: n.fields.connectivity, remote_access: n.fields.remoteAccess, updated_at: this.now,
    });
    await insertChunked(this.trx, 'networks',
      this.pendingNetworks.filter((n) => n.isNew).map((n) => ({ id: n.id, org_id: orgId, created_at: this.now, ...networkRow(n) })),
      this.engine);
    for (const n of this.pendingNetworks.filter((p) => !p.isNew)) {
      await this.trx.updateTable('networks').set(networkRow(n)).where('id', '=', n.id).where('org_id', '=', orgId).execute();
    }
    this.pendingSites = [];
    this.pendingNetworks = [];
  }

  private async writeDevices(
    items: readonly { record: ImportRecord; siteId: string | null; networkId: string | null }[],
    errors: RowError[],
    history: AuditEntry[],
  ): Promise<void> {
    const index = await this.lookupDevices(items);
    const inserts: DevicesTable[] = [];
    const updates: { id: string; row: Partial<DevicesTable> }[] = [];
    for (const { record, siteId, networkId } of items) {
      const keys = deviceKeys(record, siteId);
      const matches = new Map<string, { row: DevicesTable; on: string }>();
      for (const [name, value] of keys) {
        const row = index.get(`${name}\u0000${value}`);
        if (row && !matches.has(row.id)) matches.set(row.id, { row, on: `${name} ${value}` });
      }
      // An id from another database (an export moved elsewhere) names no device here; the row's
      // other keys decide, so a register can be carried to another store through its export.
      if (matches.size > 1) {
        const [a, b] = [...matches.values()];
        errors.push({
          row: record.row, column: '', value: '',
          message: `matches two different devices: ${a!.on} and ${b!.on}; fix the keys so they name one device`,
        });
        continue;
      }
      const match = [...matches.values()][0]?.row;
      if (match) {
        const earlier = match.import_id === this.importId ? match.import_row : this.untouched.get(match.id);
        if (earlier !== undefined && earlier !== null) {
          errors.push({
            row: record.row, column: '', value: '',
            message: `describes the same device as row ${earlier} (${[...matches.values()][0]!.on}); each device may appear once per file`,
          });
          continue;
        }
      }
      const base: DeviceFields = match ? stripDevice(match) : NEW_DEVICE;
      const next = this.enrich(applyDevicePatch(base, record.device, { siteId, networkId }));
      const stamp = { import_id: this.importId, import_row: record.row, updated_at: this.now };
      if (!match) {
        const id = newId();
        const row: DevicesTable = { id, org_id: this.scope.orgId, ...deviceToRow(next), ...stamp, created_at: this.now };
        inserts.push(row);
        index.add(row);
        history.push(this.event('device', id, 'create', null, { ...next }));
        this.counts.created++;
        continue;
      }
      const change = diff(base, next);
      if (!change) {
        this.untouched.set(match.id, record.row);
        this.counts.unchanged++;
        continue;
      }
      const changes = { ...deviceToRow(next), ...stamp };
      updates.push({ id: match.id, row: changes });
      index.add({ ...match, ...changes });
      history.push(this.event('device', match.id, 'update', change.before, change.after));
      this.counts.updated++;
    }
    await insertChunked(this.trx, 'devices', inserts, this.engine);
    for (const u of updates) {
      await this.trx.updateTable('devices').set(u.row)
        .where('id', '=', u.id).where('org_id', '=', this.scope.orgId).execute();
    }
  }

  /**
   * Existing devices that any record's keys name. One query per key, each on its own index: a
   * single query OR-ing the keys makes SQLite scan the table, which grows with every batch.
   */
  private async lookupDevices(items: readonly { record: ImportRecord; siteId: string | null }[]): Promise<DeviceIndex> {
    const index = new DeviceIndex();
    const { orgId } = this.scope;
    const byColumn = [
      ['id', uniq(items.map((i) => i.record.id))],
      ['mac', uniq(items.map((i) => i.record.device.mac))],
      ['serial', uniq(items.map((i) => i.record.device.serial))],
      ['external_ref', uniq(items.map((i) => i.record.device.externalRef))],
    ] as const;
    for (const [column, values] of byColumn) {
      if (values.length === 0) continue;
      const rows = await this.trx.selectFrom('devices').selectAll()
        .where('org_id', '=', orgId).where(column, 'in', values).execute();
      for (const row of rows) index.add(row);
    }
    // Site + IP: look up by address (indexed) and let the index below pair it with the site.
    // Combining site and address in SQL makes the planners probe every site × address pair.
    const ips = uniq(items.filter((i) => i.siteId).map((i) => i.record.device.ip));
    if (ips.length > 0) {
      const rows = await this.trx.selectFrom('devices').selectAll()
        .where('org_id', '=', orgId).where('ip', 'in', ips).where('site_id', 'is not', null).execute();
      for (const row of rows) index.add(row);
    }
    return index;
  }

  private event(
    entityType: EntityType,
    entityId: string,
    action: 'create' | 'update',
    before: Record<string, unknown> | null,
    after: Record<string, unknown>,
  ): AuditEntry {
    return { action, entityType, entityId, before: before ? historyValue(before, action) : null, after: historyValue(after, action) };
  }
}

/** Devices by each of their keys, so that a record finds its device whichever key it gives. */
class DeviceIndex extends Map<string, DevicesTable> {
  add(row: DevicesTable): void {
    for (const [name, value] of rowKeys(row)) this.set(`${name}\u0000${value}`, row);
  }
}

function deviceKeys(record: Pick<ImportRecord, 'id' | 'device'>, siteId: string | null): [string, string][] {
  const keys: [string, string][] = [];
  if (record.id) keys.push(['id', record.id]);
  if (record.device.mac) keys.push(['MAC', record.device.mac]);
  if (record.device.serial) keys.push(['serial', record.device.serial]);
  if (record.device.externalRef) keys.push(['reference', record.device.externalRef]);
  if (siteId && record.device.ip) keys.push(['site+IP', `${siteId} ${record.device.ip}`]);
  return keys;
}

function rowKeys(row: DevicesTable): [string, string][] {
  const keys: [string, string][] = [['id', row.id]];
  if (row.mac) keys.push(['MAC', row.mac]);
  if (row.serial) keys.push(['serial', row.serial]);
  if (row.external_ref) keys.push(['reference', row.external_ref]);
  if (row.site_id && row.ip) keys.push(['site+IP', `${row.site_id} ${row.ip}`]);
  return keys;
}

function stripDevice(row: DevicesTable): DeviceFields {
  const { id: _i, orgId: _o, createdAt: _c, updatedAt: _u, ...fields } = deviceFromRow(row);
  return fields;
}

function uniq(values: readonly (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== undefined && v !== ''))];
}

function conflict(record: ImportRecord, what: string, fields: string[], firstRow: number): RowError {
  return {
    row: record.row, column: fields.join(', '), value: '',
    message: `${what}: ${fields.join(', ')} differs from row ${firstRow}; one site or network cannot have two values`,
  };
}
