// Device field values as people type them (`camaudit devices edit --set field=value`, the API's
// device PATCH and POST), read exactly as an import reads a spreadsheet cell, so that every way
// into the register accepts and refuses the same values.
import { CamauditError } from '../core/errors.js';
import { fieldForHeader, isImportField, normaliseHeader, type ImportField } from '../core/import/fields.js';
import { detectMapping } from '../core/import/mapping.js';
import { toRecords } from '../core/import/record.js';
import { NETHERLANDS_BBOX, type DeviceFields, type Organisation } from '../core/model.js';
import { applyDevicePatch, siteKey } from '../core/register/merge.js';
import type { Store } from './database.js';
import type { TenantScope } from './tenant.js';

/** Fields a person may set on a device; `site` names a site, `siteId`/`networkId` link by id. */
export const EDITABLE_FIELDS = [
  'kind', 'brand', 'manufacturer', 'model', 'firmware', 'serial', 'mac', 'ip', 'status', 'purpose', 'legalBasis',
  'retentionDays', 'supplier', 'installer', 'installDate', 'externalRef', 'analytics', 'lat', 'lon', 'x', 'y',
] as const satisfies readonly ImportField[];
const EDITABLE: ReadonlySet<string> = new Set(EDITABLE_FIELDS);

const CLEARABLE: Partial<Record<ImportField, keyof DeviceFields>> = {
  brand: 'brand', manufacturer: 'manufacturer', model: 'model', firmware: 'firmware', serial: 'serial', mac: 'mac',
  ip: 'ip', purpose: 'purpose', legalBasis: 'legalBasis', retentionDays: 'retentionDays', supplier: 'supplier',
  installer: 'installer', installDate: 'installDate', externalRef: 'externalRef',
};

/** A value to set, or null (or empty text) to clear the field. */
export type EditValue = string | null;

async function siteByName(store: Store, scope: TenantScope, name: string): Promise<string> {
  const site = await store.db.selectFrom('sites').select('id').where('org_id', '=', scope.orgId)
    .where('name_key', '=', siteKey(name)).executeTakeFirst();
  if (!site) throw new CamauditError('not_found', `site: no site named "${name}"`);
  return site.id;
}

async function linked(store: Store, scope: TenantScope, table: 'sites' | 'networks', id: string): Promise<string> {
  const row = await store.db.selectFrom(table).select('id').where('org_id', '=', scope.orgId).where('id', '=', id).executeTakeFirst();
  if (!row) throw new CamauditError('not_found', `no ${table === 'sites' ? 'site' : 'network'} ${id} in this organisation`);
  return row.id;
}

/**
 * Field values → the change they make to a device. Names are import field names or any header
 * an import understands ("merk", "serienummer"). Values are checked before anything is written;
 * the first problem is thrown.
 */
export async function readDeviceEdit(
  store: Store,
  scope: TenantScope,
  org: Organisation,
  values: readonly (readonly [string, EditValue])[],
): Promise<(current: DeviceFields) => DeviceFields> {
  // A key column makes the row a complete import record; its value is never used.
  const headers: string[] = ['camaudit_id'];
  const cells: string[] = ['edit'];
  const clears: (keyof DeviceFields)[] = [];
  const links: { siteId?: string | null; networkId?: string | null } = {};
  for (const [name, raw] of values) {
    const value = raw === null ? '' : raw.trim();
    if (name === 'siteId' || name === 'networkId') {
      links[name] = value === '' ? null : await linked(store, scope, name === 'siteId' ? 'sites' : 'networks', value);
      continue;
    }
    const field = isImportField(name) ? name : fieldForHeader(name);
    if (field === 'site') {
      links.siteId = value === '' ? null : await siteByName(store, scope, value);
      continue;
    }
    if (!field || !EDITABLE.has(field)) throw new CamauditError('usage', `"${name}" is not an editable field (editable: ${EDITABLE_FIELDS.join(', ')}, site)`);
    if (headers.includes(field) || clears.includes(field as keyof DeviceFields)) throw new CamauditError('usage', `${field} is given twice`);
    if (value === '') {
      const key = CLEARABLE[field];
      if (!key) throw new CamauditError('usage', `${field} cannot be cleared`);
      clears.push(key);
      continue;
    }
    headers.push(field);
    cells.push(value);
  }
  const overrides = new Map(headers.map((h) => [normaliseHeader(h), (h === 'camaudit_id' ? 'id' : h) as ImportField]));
  const mapping = detectMapping(headers, overrides);
  const { records, errors } = toRecords({ row: 1, cells }, { headers, mapping, area: org.area ?? NETHERLANDS_BBOX, repairs: new Map() });
  if (errors.length > 0) throw new CamauditError('invalid_input', errors.map((e) => `${e.column}: ${e.message}`).join('; '));
  const patch = records[0]!.device;
  return (current) => {
    const next = applyDevicePatch(current, patch, links);
    for (const k of clears) (next as unknown as Record<string, unknown>)[k] = null;
    if (links.siteId === null) next.siteId = null;
    if (links.networkId === null) next.networkId = null;
    return next;
  };
}
