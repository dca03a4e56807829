// Federation in the store, on every engine: what an aggregate counts comes from the register in
// one grouped query and agrees with the assessment read device by device; received aggregates are
// kept per source and period, replaced, audited, and read back without their cells.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAggregate, type AggregateInput } from '../../src/core/aggregate/build.js';
import { makerGrouping } from '../../src/core/aggregate/maker-groups.js';
import { MAKER_GROUPS, RESTRICTED_GROUPS } from '../../src/core/aggregate/dimensions.js';
import type { AggregatePayload } from '../../src/core/aggregate/payload.js';
import { parsePolicy, type Policy } from '../../src/core/assess/policy.js';
import { SEVERITY_RANK, type Severity } from '../../src/core/assess/types.js';
import { applyWaivers } from '../../src/core/assess/waivers.js';
import type { ImportRecord } from '../../src/core/import/record.js';
import { identifierFor } from '../../src/kb/knowledge.js';
import { loadKnowledgeBase } from '../../src/kb/load.js';
import type { KnowledgeBase } from '../../src/kb/schema.js';
import { applyRecords } from '../../src/store/apply-records.js';
import { listFindings, runAssessment } from '../../src/store/assessments.js';
import { listAudit } from '../../src/store/audit.js';
import type { Store } from '../../src/store/database.js';
import { HEAD_CHARS, listAggregates, loadAggregateHeads, loadAggregateInputs, storeAggregate } from '../../src/store/federation.js';
import { createOrganisation } from '../../src/store/organisations.js';
import type { TenantScope } from '../../src/store/tenant.js';
import { createWaiver, listWaivers } from '../../src/store/waivers.js';
import { ENGINES, freshStore } from '../helpers/engines.js';

const T1 = '2026-06-01T09:00:00.000Z';
const T2 = '2026-06-02T09:00:00.000Z';
let kb: KnowledgeBase;
let policy: Policy;
beforeAll(async () => {
  kb = await loadKnowledgeBase();
  policy = parsePolicy(readFileSync(join(import.meta.dirname, '..', '..', 'policies', 'default.yaml'), 'utf8'), 'policies/default.yaml');
});
afterAll(async () => {
  for (const e of ENGINES) await e.cleanup();
});

// Every free-text field a register row has, holding things that must never leave the organisation.
const SECRETS = ['Kerkstraat 12', '3511 AB', '192.168.77.14', 'SN-FED-0042', 'ac:cc:8e:12:34:56', 'Zwembad De Geheime Plek', 'Cameranet Noord', 'V5.4.41 build 170312', 'DS-2CD2T47G2-L', 'BAG-0344010000123456'];

function records(): ImportRecord[] {
  const out: ImportRecord[] = [];
  const garage = { name: 'Parkeergarage Centrum', category: 'parking_garage' as const, address: 'Kerkstraat 12', postcode: '3511 AB', city: 'Utrecht', bagId: 'BAG-0344010000123456' };
  const closed = { name: 'Garage-net', connectivity: 'isolated' as const, remoteAccess: 'none' as const };
  for (let i = 1; i <= 12; i++) {
    out.push({ row: i, device: { externalRef: `HIK-${i}`, kind: 'camera', brand: 'Hikvision', manufacturer: 'Hikvision', model: 'DS-2CD2T47G2-L', firmware: 'V5.4.41 build 170312', serial: `SN-FED-00${40 + i}`, mac: `44:19:b6:00:01:${String(i).padStart(2, '0')}`, ip: `192.168.77.${i + 10}`, legalBasis: 'AVG art. 6 lid 1 sub e', retentionDays: 28 }, site: garage, network: closed });
  }
  for (let i = 1; i <= 8; i++) {
    out.push({ row: 20 + i, device: { externalRef: `AX-${i}`, kind: 'camera', brand: 'Axis', manufacturer: 'Axis', model: 'P3245-LVE', firmware: '10.12.165', mac: `ac:cc:8e:12:34:${String(50 + i)}`, legalBasis: 'AVG art. 6 lid 1 sub e', retentionDays: 28 }, site: { name: 'Zwembad De Geheime Plek', category: 'sports_facility' }, network: { name: 'Cameranet Noord', connectivity: 'internal', remoteAccess: 'vpn' } });
  }
  // Two devices nobody has placed yet: no site, no network.
  out.push({ row: 40, device: { externalRef: 'LOOSE-1', kind: 'recorder', brand: 'Dahua', manufacturer: 'Dahua', status: 'discovered' }, site: null, network: null });
  out.push({ row: 41, device: { externalRef: 'LOOSE-2', kind: 'camera', status: 'discovered' }, site: null, network: null });
  return out;
}

async function setup(store: Store, slug: string): Promise<TenantScope> {
  const org = await createOrganisation(store, { slug, name: `Gemeente ${slug}`, cbsCode: 'GM0344' }, T1);
  const scope: TenantScope = { orgId: org.id, actor: `user:${slug}`, source: 'test' };
  await applyRecords(store, scope, records(), T1, identifierFor(kb).enrich);
  await runAssessment(store, scope, kb, policy, T1);
  return scope;
}

/** The same inputs the slow way: every device, its findings, the waivers in force, in TypeScript. */
async function inputsDeviceByDevice(store: Store, scope: TenantScope, now: string): Promise<Map<string, number>> {
  const { active } = applyWaivers(await listFindings(store, scope), await listWaivers(store, scope), now);
  const worst = new Map<string, Severity>();
  for (const f of active) {
    const current = worst.get(f.deviceId);
    if (!current || SEVERITY_RANK[f.severity] > SEVERITY_RANK[current]) worst.set(f.deviceId, f.severity);
  }
  const rows = await store.db.selectFrom('devices as d').leftJoin('sites as s', 's.id', 'd.site_id').leftJoin('networks as n', 'n.id', 'd.network_id')
    .select(['d.id', 'd.manufacturer', 's.category', 'n.connectivity', 'd.status']).where('d.org_id', '=', scope.orgId).execute();
  const out = new Map<string, number>();
  for (const r of rows) {
    const k = JSON.stringify([r.manufacturer, r.category, r.connectivity, r.status, worst.get(r.id) ?? null]);
    out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

const keyed = (inputs: AggregateInput[]) =>
  new Map(inputs.map((i) => [JSON.stringify([i.manufacturer, i.siteCategory, i.connectivity, i.status, i.severity]), i.devices]));

function build(inputs: AggregateInput[], period = '2026-06-01', generatedAt = T1): AggregatePayload {
  return buildAggregate(inputs, { source: { code: 'GM0344', name: 'Gemeente Utrecht' }, period, generatedAt, threshold: 5, makerGroup: makerGrouping(kb, policy) });
}

describe.each(ENGINES)('federation store on $name', (engine) => {
  it('reads the aggregate inputs in one grouped query, agreeing with the findings read device by device', async () => {
    const store = await freshStore(engine);
    try {
      const scope = await setup(store, 'utrecht');
      const inputs = await loadAggregateInputs(store, scope, T1);
      expect(keyed(inputs)).toEqual(await inputsDeviceByDevice(store, scope, T1));
      expect(inputs.reduce((n, i) => n + i.devices, 0)).toBe(22);
      expect(inputs.find((i) => i.manufacturer === 'dahua')).toMatchObject({ siteCategory: null, connectivity: null, status: 'discovered' });

      // A waiver in force sets its finding aside: the Axis cameras' worst open finding drops.
      const axis = await store.db.selectFrom('devices').select('id').where('org_id', '=', scope.orgId).where('external_ref', 'like', 'AX-%').execute();
      const findings = (await listFindings(store, scope)).filter((f) => axis.some((a) => a.id === f.deviceId));
      for (const f of findings) await createWaiver(store, scope, f.deviceId, { rule: f.rule, reason: 'accepted', until: '2026-12-31', approver: 'CISO' }, T1);
      const waived = await loadAggregateInputs(store, scope, T2);
      expect(keyed(waived)).toEqual(await inputsDeviceByDevice(store, scope, T2));
      expect(waived.filter((i) => i.manufacturer === 'axis').map((i) => i.severity)).toEqual([null]);
      // After the waivers' last day the findings count again.
      expect(keyed(await loadAggregateInputs(store, scope, '2027-01-02T09:00:00.000Z'))).toEqual(keyed(inputs));
    } finally {
      await store.close();
    }
  });

  it('publishes nothing of the register\'s text: no address, IP address, serial, MAC, site or network name, model or firmware', async () => {
    const store = await freshStore(engine);
    try {
      const scope = await setup(store, 'utrecht');
      const text = JSON.stringify(build(await loadAggregateInputs(store, scope, T1)));
      for (const s of SECRETS) expect(text).not.toContain(s);
      expect(text).not.toMatch(/\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}/);
      expect(text).not.toMatch(/"(lat|lon|ip|serial|mac|address|name)":\s*"?[\d.]/);
    } finally {
      await store.close();
    }
  });

  it('stores received aggregates per source and period, replaces one, audits both, and reads them back without cells', async () => {
    const store = await freshStore(engine);
    try {
      const scope = await setup(store, 'utrecht');
      const coordinator = await createOrganisation(store, { slug: 'landelijk', name: 'Landelijk beeld' }, T1);
      const coord: TenantScope = { orgId: coordinator.id, actor: 'token:utrecht', source: 'api' };
      const other = await createOrganisation(store, { slug: 'elders', name: 'Elders' }, T1);
      const inputs = await loadAggregateInputs(store, scope, T1);

      const first = await storeAggregate(store, coord, build(inputs), 'https', T1);
      expect(first.replaced).toBe(false);
      const again = await storeAggregate(store, coord, build(inputs, '2026-06-01', T2), 'file', T2);
      expect(again).toEqual({ id: first.id, replaced: true });
      await storeAggregate(store, coord, build(inputs, '2026-07-01', T2), 'local', T2);

      const list = await listAggregates(store, coord);
      expect(list.map((a) => [a.sourceCode, a.period, a.receivedVia])).toEqual([['GM0344', '2026-07-01', 'local'], ['GM0344', '2026-06-01', 'file']]);
      expect(await listAggregates(store, { ...coord, orgId: other.id })).toEqual([]);

      const heads = await loadAggregateHeads(store, coord);
      const { cells: _cells, ...expected } = build(inputs, '2026-06-01', T2);
      expect(heads.find((h) => h.period === '2026-06-01')).toEqual(expected);
      expect(heads.every((h) => !('cells' in h))).toBe(true);

      const audit = await listAudit(store, coord, { entityId: first.id });
      expect(audit.items.map((e) => e.action)).toEqual(['replace', 'receive']);
      expect(audit.items[0]).toMatchObject({ actor: 'token:utrecht', entityType: 'federation_aggregate', after: { source: 'GM0344', period: '2026-06-01', via: 'file', threshold: 5 } });
    } finally {
      await store.close();
    }
  });
});

describe('the stored head of an aggregate', () => {
  it('fits in the characters the summary fetches, however large the counts and long the name', () => {
    const longest = 'Ŵ'.repeat(120);
    const big = (n: number) => n;
    const inputs: AggregateInput[] = MAKER_GROUPS.map((m) => ({ manufacturer: m, siteCategory: 'office', connectivity: 'internal', status: 'active', severity: 'low', devices: big(199_999_999) }));
    const payload = buildAggregate(inputs, { source: { code: 'a'.repeat(63), name: longest }, period: '2026-06-01', generatedAt: T1, threshold: 1000, makerGroup: (m) => m as never });
    // Every total as large as allowed, every presence flag at its longest.
    const head = JSON.stringify({ ...payload, cells: undefined, totals: JSON.parse(JSON.stringify(payload.totals).replace(/\d+|null/g, '1000000000')) });
    expect(RESTRICTED_GROUPS.every((g) => payload.presence[g] !== undefined)).toBe(true);
    expect(head.length).toBeLessThan(HEAD_CHARS);
  });
});
