import type { Command } from 'commander';
import { CamauditError } from '../../core/errors.js';
import { fieldForHeader, isImportField, type ImportField } from '../../core/import/fields.js';
import { detectMapping } from '../../core/import/mapping.js';
import { toRecords } from '../../core/import/record.js';
import { NETHERLANDS_BBOX, type DeviceFields, type Organisation } from '../../core/model.js';
import { applyDevicePatch } from '../../core/register/merge.js';
import { siteKey } from '../../core/register/merge.js';
import { t, type Lang } from '../../i18n/messages.js';
import type { Store } from '../../store/database.js';
import { expandDeviceId, getDevice, listDevices, updateDevice, type DeviceView } from '../../store/devices.js';
import { listHistory } from '../../store/history.js';
import { identifierFor, resolveOrganisation, scopeFor, withStore } from '../context.js';
import { printJson, printTable, type CommandContext } from '../program.js';

/** The fields `devices list --json` promises, in this order. */
export function deviceSummary(d: DeviceView) {
  return {
    id: d.id, site: d.siteName, kind: d.kind, brand: d.brand, manufacturer: d.manufacturer, model: d.model,
    firmware: d.firmware, serial: d.serial, mac: d.mac, ip: d.ip, lat: d.lat, lon: d.lon, status: d.status,
    connectivity: d.connectivity, remoteAccess: d.remoteAccess, externalRef: d.externalRef,
  };
}

interface ListFlags {
  kind?: string; status?: string; brand?: string; manufacturer?: string; site?: string; connectivity?: string;
  q?: string; limit: string; cursor?: string;
}

const EDITABLE = new Set<ImportField>([
  'kind', 'brand', 'manufacturer', 'model', 'firmware', 'serial', 'mac', 'ip', 'status', 'purpose', 'legalBasis',
  'retentionDays', 'supplier', 'installer', 'installDate', 'externalRef', 'analytics', 'lat', 'lon', 'x', 'y',
]);
const CLEARABLE: Partial<Record<ImportField, keyof DeviceFields>> = {
  brand: 'brand', manufacturer: 'manufacturer', model: 'model', firmware: 'firmware', serial: 'serial', mac: 'mac',
  ip: 'ip', purpose: 'purpose', legalBasis: 'legalBasis', retentionDays: 'retentionDays', supplier: 'supplier',
  installer: 'installer', installDate: 'installDate', externalRef: 'externalRef',
};

/** `--set field=value` pairs → a change function; values are parsed exactly as an import would. */
async function editFromSets(store: Store, org: Organisation, orgScope: { orgId: string }, id: string, sets: string[]) {
  const headers: string[] = ['camaudit_id'];
  const cells: string[] = [id];
  const clears: (keyof DeviceFields)[] = [];
  let siteId: string | undefined;
  for (const spec of sets) {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new CamauditError('usage', `--set "${spec}": expected field=value`);
    const name = spec.slice(0, eq).trim();
    const value = spec.slice(eq + 1).trim();
    const field = isImportField(name) ? name : fieldForHeader(name);
    if (field === 'site') {
      const site = await store.db.selectFrom('sites').select('id').where('org_id', '=', orgScope.orgId)
        .where('name_key', '=', siteKey(value)).executeTakeFirst();
      if (!site) throw new CamauditError('not_found', `--set site: no site named "${value}"; see camaudit sites list`);
      siteId = site.id;
      continue;
    }
    if (!field || !EDITABLE.has(field)) throw new CamauditError('usage', `--set "${spec}": "${name}" is not an editable field`);
    if (value === '') {
      const key = CLEARABLE[field];
      if (!key) throw new CamauditError('usage', `--set "${spec}": ${field} cannot be cleared`);
      clears.push(key);
      continue;
    }
    headers.push(field);
    cells.push(value);
  }
  const overrides = new Map(headers.map((h) => [h.toLowerCase().replace(/_/g, ' '), (h === 'camaudit_id' ? 'id' : h) as ImportField]));
  const mapping = detectMapping(headers, overrides);
  const { records, errors } = toRecords({ row: 1, cells }, { headers, mapping, area: org.area ?? NETHERLANDS_BBOX, repairs: new Map() });
  if (errors.length > 0) {
    throw new CamauditError('invalid_input', errors.map((e) => `${e.column}: ${e.message}`).join('; '));
  }
  const patch = records[0]!.device;
  // A key that already names another device would make two devices one for every later import.
  const keys = [['mac', patch.mac], ['serial', patch.serial], ['external_ref', patch.externalRef]] as const;
  for (const [column, value] of keys) {
    if (!value) continue;
    const other = await store.db.selectFrom('devices').select('id').where('org_id', '=', orgScope.orgId)
      .where(column, '=', value).where('id', '!=', id).executeTakeFirst();
    if (other) throw new CamauditError('conflict', `${column.replace('_', ' ')} ${value} already belongs to device ${other.id}`);
  }
  return (current: DeviceFields): DeviceFields => {
    const next = applyDevicePatch(current, patch, { siteId });
    for (const k of clears) (next as unknown as Record<string, unknown>)[k] = null;
    return next;
  };
}

export function registerDevices(program: Command, ctx: CommandContext): void {
  const devices = program.command('devices').description('list, show and edit devices');
  devices
    .command('list')
    .description('list devices (filter, page with --cursor)')
    .option('--kind <kind>').option('--status <status>').option('--brand <brand>').option('--manufacturer <name>')
    .option('--site <id>', 'site id').option('--connectivity <class>').option('--q <text>', 'search text')
    .option('--limit <n>', 'page size', '1000').option('--cursor <id>', 'continue after this device id')
    .action(async (opts: ListFlags) => {
      const g = ctx.globals();
      await withStore(g, async (store) => {
        const org = await resolveOrganisation(store, g, ctx.io.now());
        const page = await listDevices(store, scopeFor(org, g, 'cli'), {
          kind: opts.kind, status: opts.status, brand: opts.brand, manufacturer: opts.manufacturer, siteId: opts.site,
          connectivity: opts.connectivity, q: opts.q,
        }, { limit: Number(opts.limit), cursor: opts.cursor ?? null });
        if (g.json) return printJson(ctx.io, page.items.map(deviceSummary));
        if (page.items.length === 0) return ctx.io.out(t(g.lang, 'list.empty'));
        printTable(ctx.io, ['id', 'site', 'kind', 'brand', 'maker', 'model', 'firmware', 'ip', 'status', 'connectivity'],
          page.items.map((d) => [d.id.slice(0, 8), d.siteName, d.kind, d.brand, d.manufacturer, d.model, d.firmware, d.ip, d.status, d.connectivity]));
        if (page.nextCursor) ctx.io.out(t(g.lang, 'list.more', { cursor: page.nextCursor }));
      });
    });
  devices
    .command('show')
    .description('one device with its history')
    .argument('<id>', 'device id (or a unique prefix)')
    .action(async (id: string) => {
      const g = ctx.globals();
      await withStore(g, async (store) => {
        const org = await resolveOrganisation(store, g, ctx.io.now());
        const scope = scopeFor(org, g, 'cli');
        const device = await getDevice(store, scope, await expandDeviceId(store, scope, id));
        const history = await listHistory(store, scope, device.id);
        if (g.json) return printJson(ctx.io, { ...device, history });
        for (const [k, v] of Object.entries(deviceSummary(device))) ctx.io.out(`${k.padEnd(14)}${v ?? ''}`);
        for (const k of ['purpose', 'legalBasis', 'retentionDays', 'supplier', 'installer', 'installDate'] as const) {
          ctx.io.out(`${k.padEnd(14)}${device[k] ?? ''}`);
        }
        for (const [k, v] of Object.entries(device.custom)) ctx.io.out(`${k}: ${v}`);
        printIdentity(ctx, g.lang, device.identity);
        ctx.io.out('');
        for (const h of history) ctx.io.out(`${h.at}  ${h.action}  ${h.actor}  ${h.source}  ${JSON.stringify(h.after)}`);
      });
    });
  devices
    .command('edit')
    .description('change fields of a device; every change is recorded in its history')
    .argument('<id>', 'device id (or a unique prefix)')
    .option('--set <field=value>', 'field to set (repeatable); empty value clears', (v: string, acc: string[]) => [...acc, v], [])
    .action(async (id: string, opts: { set: string[] }) => {
      const g = ctx.globals();
      if (opts.set.length === 0) throw new CamauditError('usage', 'devices edit: give at least one --set field=value');
      await withStore(g, async (store) => {
        const org = await resolveOrganisation(store, g, ctx.io.now());
        const scope = scopeFor(org, g, 'cli');
        const fullId = await expandDeviceId(store, scope, id);
        const change = await editFromSets(store, org, scope, fullId, opts.set);
        const { enrich } = await identifierFor(store, g);
        const { device, changed } = await updateDevice(store, scope, fullId, (d) => enrich(change(d)), ctx.io.now());
        if (g.json) return printJson(ctx.io, { changed, device: deviceSummary(device) });
        ctx.io.out(t(g.lang, changed ? 'devices.updated' : 'devices.unchanged', { id: device.id }));
      });
    });
}

/** Why camaudit believes who made the device: the verdict, each piece of evidence, conflicts, checks. */
function printIdentity(ctx: CommandContext, lang: Lang, identity: DeviceView['identity']): void {
  if (!identity) return;
  ctx.io.out('');
  ctx.io.out(t(lang, 'identity.trueMaker', { maker: identity.manufacturer ?? t(lang, 'identify.unknown'), n: identity.confidence, version: identity.kbVersion }));
  if (identity.statedManufacturer) ctx.io.out(t(lang, 'identity.statedMaker', { maker: identity.statedManufacturer }));
  for (const e of identity.evidence) {
    const local = e.origin === 'overlay' ? ` (${t(lang, 'identify.localKnowledge')})` : '';
    ctx.io.out(`  ${t(lang, 'identity.evidence', { signal: `${e.protocol}.${e.field}`, value: e.value, rule: e.rule })}${local}${e.note ? ` — ${e.note}` : ''}`);
  }
  for (const c of identity.conflicts) ctx.io.out(`  ${t(lang, 'identify.conflict', { maker: c.manufacturer, score: c.score })}`);
  for (const c of identity.checks) ctx.io.out(`  ${t(lang, 'identify.check', { text: c })}`);
}

