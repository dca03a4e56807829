import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { latestScanFacts, toAssessDevice, type ScanObservation } from '../../src/core/assess/inputs.js';
import { parsePolicy, type Policy } from '../../src/core/assess/policy.js';
import type { Finding } from '../../src/core/assess/types.js';
import { ASSESSMENT_VERSION } from '../../src/core/assess/version.js';
import { applyWaivers, checkWaiverRequest, dayOf, waiverInForce, type Waiver } from '../../src/core/assess/waivers.js';
import type { ImportRecord } from '../../src/core/import/record.js';
import type { Device } from '../../src/core/model.js';
import { DEFAULT_COST_MODEL } from '../../src/core/plan/costs.js';
import { buildScenario } from '../../src/core/plan/plan.js';
import type { Scenario } from '../../src/core/plan/types.js';
import { identifierFor } from '../../src/kb/knowledge.js';
import { loadKnowledgeBase } from '../../src/kb/load.js';
import type { KnowledgeBase } from '../../src/kb/schema.js';
import { applyRecords } from '../../src/store/apply-records.js';
import { LAPSE_GRACE_DAYS, listAssessmentRuns, listFindings, runAssessment } from '../../src/store/assessments.js';
import { migrateTo, migrateToLatest, openStore, type Store } from '../../src/store/database.js';
import { expandDeviceId, getDevice, updateDevice } from '../../src/store/devices.js';
import { listHistory } from '../../src/store/history.js';
import { insertObservations } from '../../src/store/observations.js';
import { createOrganisation } from '../../src/store/organisations.js';
import { advancePlanItem, listDisposals, listPlanItems, recordDisposal, savePlan } from '../../src/store/plan-items.js';
import type { TenantScope } from '../../src/store/tenant.js';
import { createWaiver, listWaivers, revokeWaiver } from '../../src/store/waivers.js';
import { ENGINES, freshStore } from '../helpers/engines.js';

const POLICY_TEXT = readFileSync(join(import.meta.dirname, '..', '..', 'policies', 'default.yaml'), 'utf8');
const T1 = '2026-06-01T09:00:00.000Z';
const T2 = '2026-07-01T09:00:00.000Z';

let kb: KnowledgeBase;
let policy: Policy;
beforeAll(async () => {
  kb = await loadKnowledgeBase();
  policy = parsePolicy(POLICY_TEXT, 'policies/default.yaml');
});

afterAll(async () => {
  for (const e of ENGINES) await e.cleanup();
});

const garage = { name: 'Parkeergarage Centrum', category: 'parking_garage' as const };
const closed = { name: 'Garage-net', connectivity: 'isolated' as const, remoteAccess: 'none' as const };
const cloud = { name: 'Zwembad-net', connectivity: 'isolated' as const, remoteAccess: 'vendor_cloud' as const };

/** Four devices: a KEV-affected Hikvision, an OEM-labelled (HiWatch) Hikvision, an Axis, a Dahua recorder on vendor cloud. */
function records(): ImportRecord[] {
  return [
    { row: 1, device: { externalRef: 'CAM-1', kind: 'camera', brand: 'Hikvision', manufacturer: 'Hikvision', model: 'DS-2CD2132F-IS', firmware: 'V5.3.0 build 150513', mac: '44:19:b6:00:00:01', installDate: '2016-03-01', legalBasis: 'AVG art. 6 lid 1 sub e', retentionDays: 28 }, site: garage, network: closed },
    { row: 2, device: { externalRef: 'CAM-2', kind: 'camera', brand: 'HiWatch', model: 'HWI-B121H', firmware: 'V5.5.82 build 190909', mac: '44:19:b6:00:00:02', installDate: '2019-06-10', legalBasis: 'AVG art. 6 lid 1 sub e', retentionDays: 28 }, site: garage, network: closed },
    { row: 3, device: { externalRef: 'CAM-3', kind: 'camera', brand: 'Axis', manufacturer: 'Axis', model: 'P3245-LVE', firmware: '10.12.165', mac: 'ac:cc:8e:00:00:03', legalBasis: 'AVG art. 6 lid 1 sub e', retentionDays: 28 }, site: garage, network: closed },
    { row: 4, device: { externalRef: 'REC-1', kind: 'recorder', brand: 'Dahua', manufacturer: 'Dahua', model: 'DHI-NVR4108HS-8P-4KS2', firmware: 'V4.002.0000000.1.R', mac: '3c:ef:8c:00:00:04', installDate: '2021-05-01', legalBasis: 'AVG art. 6 lid 1 sub e', retentionDays: 28 }, site: { name: 'Zwembad', category: 'sports_facility' }, network: cloud },
  ];
}

async function setup(store: Store, slug = 'lindeveld'): Promise<{ scope: TenantScope; ids: Map<string, string> }> {
  const org = await createOrganisation(store, { slug, name: `Gemeente ${slug}` }, T1);
  const scope: TenantScope = { orgId: org.id, actor: `user:${slug}`, source: 'test' };
  await applyRecords(store, scope, records(), T1, identifierFor(kb).enrich);
  const rows = await store.db.selectFrom('devices').select(['id', 'external_ref']).where('org_id', '=', org.id).execute();
  return { scope, ids: new Map(rows.map((r) => [r.external_ref!, r.id])) };
}

const rulesOf = (findings: readonly Finding[], deviceId: string) => findings.filter((f) => f.deviceId === deviceId).map((f) => f.rule);

describe.each(ENGINES)('assessment store on $name', (engine) => {
  it('migrates 0006 down and up again with findings, waivers and plan items in place', async () => {
    const store = await openStore(await engine.create());
    try {
      await migrateToLatest(store);
      const { scope, ids } = await setup(store);
      await runAssessment(store, scope, kb, policy, T1);
      await createWaiver(store, scope, ids.get('CAM-3')!, { rule: 'vendor_cloud', reason: 'test', until: '2026-12-31', approver: 'A' }, T1);
      await migrateTo(store, '0005-discovery');
      await expect(store.db.selectFrom('findings').selectAll().execute()).rejects.toThrow();
      await expect(store.db.selectFrom('waivers').selectAll().execute()).rejects.toThrow();
      expect((await store.db.selectFrom('devices').select('id').execute()).length).toBe(4);
      await migrateToLatest(store);
      expect(await store.db.selectFrom('findings').selectAll().execute()).toEqual([]);
      const again = await runAssessment(store, scope, kb, policy, T1);
      expect(again.assessed).toBe(4);
    } finally {
      await store.close();
    }
  });

  it('assesses every device once, then only what changed; same input, identical findings', async () => {
    const store = await freshStore(engine);
    try {
      const { scope, ids } = await setup(store);
      const first = await runAssessment(store, scope, kb, policy, T1);
      expect(first).toMatchObject({ assessed: 4, unchanged: 0, removed: 0 });
      const cam1 = ids.get('CAM-1')!;
      expect(rulesOf(first.findings, cam1)).toContain('restricted_manufacturer');
      expect(first.findings.find((f) => f.deviceId === cam1 && f.rule === 'known_exploited_vulnerability')?.severity).toBe('critical');
      expect(rulesOf(first.findings, ids.get('CAM-2')!)).toContain('restricted_manufacturer');
      expect(rulesOf(first.findings, ids.get('CAM-3')!)).not.toContain('restricted_manufacturer');
      expect(rulesOf(first.findings, ids.get('REC-1')!)).toContain('vendor_cloud');

      const second = await runAssessment(store, scope, kb, policy, T1);
      expect(second).toMatchObject({ assessed: 0, unchanged: 4, removed: 0 });
      expect(JSON.stringify(second.findings)).toBe(JSON.stringify(first.findings));
      expect(JSON.stringify(await listFindings(store, scope))).toBe(JSON.stringify(first.findings));

      // A firmware outside the CVE-2017-7921 range: only that camera is assessed again.
      await updateDevice(store, scope, cam1, (d) => ({ ...d, firmware: 'V5.5.0 build 170725' }), T1);
      const third = await runAssessment(store, scope, kb, policy, T1);
      expect(third).toMatchObject({ assessed: 1, unchanged: 3 });
      expect(rulesOf(third.findings, cam1)).not.toContain('known_exploited_vulnerability');
      expect(rulesOf(third.findings, cam1)).toContain('restricted_manufacturer');

      const runs = await listAssessmentRuns(store, scope);
      expect(runs.map((r) => [r.assessed, r.unchanged])).toEqual(expect.arrayContaining([[4, 0], [0, 4], [1, 3]]));
      expect(runs[0]).toMatchObject({ actor: 'user:lindeveld', policyName: 'default', kbVersion: kb.meta.version });
    } finally {
      await store.close();
    }
  });

  it('re-assesses everything under a changed policy and drops devices taken out of service', async () => {
    const store = await freshStore(engine);
    try {
      const { scope, ids } = await setup(store);
      await runAssessment(store, scope, kb, policy, T1);
      const quiet = parsePolicy('name: no-cloud\nextends: default\nrules:\n  vendor_cloud: { enabled: false }\n', 'no-cloud.yaml', policy);
      const run = await runAssessment(store, scope, kb, quiet, T1);
      expect(run).toMatchObject({ assessed: 4, unchanged: 0 });
      expect(run.findings.filter((f) => f.rule === 'vendor_cloud')).toEqual([]);

      await updateDevice(store, scope, ids.get('REC-1')!, (d) => ({ ...d, status: 'replaced' }), T1);
      const after = await runAssessment(store, scope, kb, quiet, T1);
      expect(after).toMatchObject({ assessed: 0, unchanged: 3, removed: 1 });
      expect(after.devices.map((d) => d.id)).not.toContain(ids.get('REC-1'));
      expect(rulesOf(await listFindings(store, scope), ids.get('REC-1')!)).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('re-assesses a device on the day its support ends; due dates count from the day a finding was first seen', async () => {
    const store = await freshStore(engine);
    try {
      const { scope, ids } = await setup(store);
      const cam2 = ids.get('CAM-2')!;
      const first = await runAssessment(store, scope, kb, policy, T1);
      // Installed 2019-06-10 with 7 years of support: not yet past support on 1 June 2026 …
      expect(rulesOf(first.findings, cam2)).not.toContain('end_of_support');
      const due = first.findings.find((f) => f.deviceId === cam2 && f.rule === 'restricted_manufacturer')!.dueDate;
      // … and past it on 1 July: only this device is assessed again, nothing else changed.
      const later = await runAssessment(store, scope, kb, policy, T2);
      expect(later).toMatchObject({ assessed: 1, unchanged: 3 });
      expect(rulesOf(later.findings, cam2)).toContain('end_of_support');
      // The restriction finding is the same finding: its deadline does not move a month on.
      expect(later.findings.find((f) => f.deviceId === cam2 && f.rule === 'restricted_manufacturer')!.dueDate).toBe(due);
      expect(later.findings.find((f) => f.deviceId === cam2 && f.rule === 'end_of_support')!.dueDate).toBe('2027-07-01');
      // A stricter policy counts its shorter deadline from the day the finding was first seen.
      const strict = parsePolicy('name: strict\nextends: default\ndeadlines: { high: 90 }\n', 'strict.yaml', policy);
      const stricter = await runAssessment(store, scope, kb, strict, T2);
      expect(stricter.findings.find((f) => f.deviceId === cam2 && f.rule === 'restricted_manufacturer')!.dueDate).toBe('2026-08-30');
    } finally {
      await store.close();
    }
  });

  it('reads risk facts from each device\'s latest scan only', async () => {
    const store = await freshStore(engine);
    try {
      const { scope, ids } = await setup(store);
      const cam1 = ids.get('CAM-1')!;
      const fact = (run: string, at: string, f: string, detail: string) => ({
        deviceId: cam1, source: 'scan:sadp', observedAt: at, kind: 'risk_fact', payload: { fact: f, detail, source: 'scan:sadp', ip: '10.0.0.1' }, scanRunId: run,
      });
      await insertObservations(store.db, scope, [fact('run-a', '2026-05-01T10:00:00.000Z', 'not_activated', 'sadp.activated=false')]);
      const first = await runAssessment(store, scope, kb, policy, T1);
      expect(first.findings.find((f) => f.deviceId === cam1 && f.rule === 'not_activated')?.evidence).toEqual(
        expect.arrayContaining([expect.objectContaining({ value: expect.stringContaining('sadp.activated=false') })]),
      );
      // A later scan saw the camera again without the fact (activated since).
      await insertObservations(store.db, scope, [{ deviceId: cam1, source: 'scan:sadp', observedAt: '2026-05-20T10:00:00.000Z', kind: 'capture', payload: {}, scanRunId: 'run-b' }]);
      const second = await runAssessment(store, scope, kb, policy, T1);
      expect(second.assessed).toBe(1);
      expect(rulesOf(second.findings, cam1)).not.toContain('not_activated');
    } finally {
      await store.close();
    }
  });

  it('assesses every device again when the rules change version, even with the same KB and policy', async () => {
    const store = await freshStore(engine);
    try {
      const { scope } = await setup(store);
      await runAssessment(store, scope, kb, policy, T1);
      expect(await runAssessment(store, scope, kb, policy, T1)).toMatchObject({ assessed: 0, unchanged: 4 });
      // The same store code as shipped by a release whose rules judge differently.
      vi.resetModules();
      vi.doMock('../../src/core/assess/version.js', () => ({ ASSESSMENT_VERSION: ASSESSMENT_VERSION + 1 }));
      try {
        const upgraded = await import('../../src/store/assessments.js');
        expect(await upgraded.runAssessment(store, scope, kb, policy, T1)).toMatchObject({ assessed: 4, unchanged: 0 });
        expect(await upgraded.runAssessment(store, scope, kb, policy, T1)).toMatchObject({ assessed: 0, unchanged: 4 });
      } finally {
        vi.doUnmock('../../src/core/assess/version.js');
        vi.resetModules();
      }
    } finally {
      await store.close();
    }
  });

  it('keeps the first-seen day of a finding that lapses briefly, and forgets it after the grace period', async () => {
    const store = await freshStore(engine);
    try {
      const { scope, ids } = await setup(store);
      const cam1 = ids.get('CAM-1')!;
      const scan = (run: string, at: string, activated: boolean) => insertObservations(store.db, scope, [activated
        ? { deviceId: cam1, source: 'scan:sadp', observedAt: at, kind: 'capture', payload: {}, scanRunId: run }
        : { deviceId: cam1, source: 'scan:sadp', observedAt: at, kind: 'risk_fact', payload: { fact: 'not_activated', detail: 'sadp.activated=false', source: 'scan:sadp', ip: '10.0.0.1' }, scanRunId: run }]);
      const due = async (now: string) => (await runAssessment(store, scope, kb, policy, now)).findings.find((f) => f.deviceId === cam1 && f.rule === 'not_activated')?.dueDate;

      await scan('run-a', '2026-05-01T10:00:00.000Z', false);
      expect(await due(T1)).toBe('2026-11-28'); // high: 180 days from 1 June
      // One scan misses the SADP reply: the finding lapses …
      await scan('run-b', '2026-06-10T10:00:00.000Z', true);
      expect(await due(T2)).toBeUndefined();
      // … and when it returns a month later, its deadline still counts from 1 June.
      await scan('run-c', '2026-07-10T10:00:00.000Z', false);
      expect(await due('2026-08-01T09:00:00.000Z')).toBe('2026-11-28');

      // Gone for longer than the grace period: its return is a new finding with a new deadline.
      await scan('run-d', '2026-08-05T10:00:00.000Z', true);
      expect(await due('2026-08-10T09:00:00.000Z')).toBeUndefined();
      expect(LAPSE_GRACE_DAYS).toBe(90);
      await scan('run-e', '2026-11-30T10:00:00.000Z', false);
      expect(await due('2026-12-01T09:00:00.000Z')).toBe('2027-05-30');
      // Lapses older than the grace period are not kept.
      await scan('run-f', '2026-12-02T10:00:00.000Z', true);
      await runAssessment(store, scope, kb, policy, '2026-12-02T09:00:00.000Z');
      await runAssessment(store, scope, kb, policy, '2027-06-01T09:00:00.000Z');
      expect(await store.db.selectFrom('lapsed_findings').selectAll().where('org_id', '=', scope.orgId).execute()).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('stores waivers with their approver, lists and revokes them, and refuses what is not a waiver', async () => {
    const store = await freshStore(engine);
    try {
      const { scope, ids } = await setup(store);
      const rec = ids.get('REC-1')!;
      const w = await createWaiver(store, scope, rec, { rule: 'vendor_cloud', reason: ' Remote support contract ', until: '2026-12-31', approver: 'J. de Vries' }, T1);
      expect(w).toMatchObject({ deviceId: rec, rule: 'vendor_cloud', reason: 'Remote support contract', approver: 'J. de Vries', createdBy: 'user:lindeveld', revokedAt: null });
      expect(await listWaivers(store, scope)).toEqual([w]);

      const { findings } = await runAssessment(store, scope, kb, policy, T1);
      const outcome = applyWaivers(findings, await listWaivers(store, scope), T1);
      expect(outcome.waived.map((x) => [x.finding.deviceId, x.finding.rule])).toEqual([[rec, 'vendor_cloud']]);

      await expect(createWaiver(store, scope, rec, { rule: 'cloud', reason: 'x', until: '2026-12-31', approver: 'A' }, T1)).rejects.toMatchObject({ code: 'usage' });
      await expect(createWaiver(store, scope, rec, { rule: 'vendor_cloud', reason: 'x', until: '2026-05-31', approver: 'A' }, T1)).rejects.toThrow(/in the past/);
      await expect(createWaiver(store, scope, 'no-such-device', { rule: 'vendor_cloud', reason: 'x', until: '2026-12-31', approver: 'A' }, T1)).rejects.toMatchObject({ code: 'not_found' });

      const revoked = await revokeWaiver(store, scope, w.id.slice(0, 8), T2);
      expect(revoked).toMatchObject({ revokedAt: T2, revokedBy: 'user:lindeveld' });
      expect(await listWaivers(store, scope)).toEqual([]);
      expect(await listWaivers(store, scope, { includeRevoked: true })).toEqual([revoked]);
      await expect(revokeWaiver(store, scope, w.id, T2)).rejects.toMatchObject({ code: 'conflict' });
    } finally {
      await store.close();
    }
  });

  it('refuses a reference made only of wildcards instead of taking the first waiver, device or plan item', async () => {
    const store = await freshStore(engine);
    try {
      const { scope, ids } = await setup(store);
      const w = await createWaiver(store, scope, ids.get('REC-1')!, { rule: 'vendor_cloud', reason: 'r', until: '2026-12-31', approver: 'A' }, T1);
      for (const ref of ['%', '_', '%%', '\\']) {
        await expect(revokeWaiver(store, scope, ref, T1)).rejects.toMatchObject({ code: 'usage', message: `waiver "${ref}" holds no characters of an id; give the id or its first characters` });
        await expect(expandDeviceId(store, scope, ref)).rejects.toThrow(/^device ".*" holds no characters of an id/);
        await expect(advancePlanItem(store, scope, `${ref}:replace`, 'in_progress', T1)).rejects.toThrow(/^plan item ".*" holds no characters of an id/);
      }
      expect(await listWaivers(store, scope)).toEqual([w]);
      expect(await expandDeviceId(store, scope, ids.get('REC-1')!.slice(0, 8))).toBe(ids.get('REC-1'));
    } finally {
      await store.close();
    }
  });

  it('saves a scenario as plan items, keeps their status when re-planned, and walks the workflow', async () => {
    const store = await freshStore(engine);
    try {
      const { scope, ids } = await setup(store);
      const { findings, devices } = await runAssessment(store, scope, kb, policy, T1);
      const plan = (name: 'replace_now' | 'risk_based', budget: number | null) => buildScenario({
        devices, findings, cost: DEFAULT_COST_MODEL, budgetPerYear: budget, capacityPerYear: null, startYear: 2026, years: 5, now: T1,
      }, name);
      const now = plan('replace_now', null);
      expect(now.actions.length).toBeGreaterThan(0);
      expect(await savePlan(store, scope, now, T1)).toEqual({ created: now.actions.length, updated: 0, unchanged: 0, removed: 0, kept: 0 });
      const items = await listPlanItems(store, scope);
      expect(items.map((i) => i.id).sort()).toEqual(now.actions.map((a) => a.id).sort());
      expect(items.every((i) => i.status === 'planned' && i.statusBy === 'user:lindeveld' && i.scenario === 'replace_now')).toBe(true);

      const replace = `${ids.get('CAM-1')!}:replace`;
      const cloudOff = `${ids.get('REC-1')!.slice(0, 8)}:disable_vendor_cloud`;
      await expect(advancePlanItem(store, scope, replace, 'done', T1)).rejects.toMatchObject({ code: 'conflict' });
      expect((await advancePlanItem(store, scope, replace, 'in_progress', T1, 'ordered')).from).toBe('planned');
      const done = await advancePlanItem(store, { ...scope, actor: 'user:installer' }, replace, 'done', T2);
      expect(done.item).toMatchObject({ status: 'done', statusAt: T2, statusBy: 'user:installer', note: 'ordered' });
      await expect(advancePlanItem(store, scope, replace, 'done', T2)).rejects.toMatchObject({ code: 'conflict' });
      await advancePlanItem(store, scope, cloudOff, 'in_progress', T1);

      // Re-planning with a scenario that leaves items out: started and finished ones stay, untouched planned ones go.
      const without: Scenario = { ...now, name: 'risk_based', actions: now.actions.filter((a) => a.id !== replace && !a.id.endsWith(':disable_vendor_cloud')).slice(1) };
      const dropped = now.actions.filter((a) => a.id !== replace && !a.id.endsWith(':disable_vendor_cloud'))[0]!;
      const counts = await savePlan(store, scope, without, T2);
      expect(counts).toMatchObject({ created: 0, removed: 1, kept: 2 });
      const after = new Map((await listPlanItems(store, scope)).map((i) => [i.id, i]));
      expect(after.has(dropped.id)).toBe(false);
      expect(after.get(replace)?.status).toBe('done');
      expect([...after.values()].find((i) => i.action === 'disable_vendor_cloud')?.status).toBe('in_progress');
      expect([...after.values()].filter((i) => i.status === 'planned').every((i) => i.scenario === 'risk_based')).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('records a disposal with its certificate and sets the device disposed through its history', async () => {
    const store = await freshStore(engine);
    try {
      const { scope, ids } = await setup(store);
      const { findings, devices } = await runAssessment(store, scope, kb, policy, T1);
      await savePlan(store, scope, buildScenario({ devices, findings, cost: DEFAULT_COST_MODEL, budgetPerYear: null, capacityPerYear: null, startYear: 2026, years: 5, now: T1 }, 'replace_now'), T1);
      const cam1 = ids.get('CAM-1')!;
      const disposal = await recordDisposal(store, scope, { deviceId: cam1, method: 'shred', certificate: 'VD-2026-118' }, T2);
      expect(disposal).toMatchObject({ deviceId: cam1, planItem: `${cam1}:dispose`, method: 'shred', certificate: 'VD-2026-118', recordedBy: 'user:lindeveld' });
      expect(await listDisposals(store, scope)).toEqual([disposal]);
      const history = await listHistory(store, scope, cam1);
      expect(history.at(-1)).toMatchObject({ action: 'update', actor: 'user:lindeveld', at: T2, after: { status: 'disposed' } });
      expect((await listPlanItems(store, scope, { deviceId: cam1 })).find((i) => i.action === 'dispose')?.status).toBe('done');
      await expect(recordDisposal(store, scope, { deviceId: cam1, method: 'shred', certificate: 'again' }, T2)).rejects.toMatchObject({ code: 'conflict' });
      await expect(recordDisposal(store, scope, { deviceId: cam1, method: ' ', certificate: 'x' }, T2)).rejects.toMatchObject({ code: 'usage' });
      expect((await runAssessment(store, scope, kb, policy, T2)).removed).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('takes the device out of service when its replacement or decommissioning is done, through its history', async () => {
    const store = await freshStore(engine);
    try {
      const { scope, ids } = await setup(store);
      const { findings, devices } = await runAssessment(store, scope, kb, policy, T1);
      const plan = (input: { devices: typeof devices; findings: typeof findings }, now: string) => buildScenario({
        ...input, cost: DEFAULT_COST_MODEL, budgetPerYear: null, capacityPerYear: null, startYear: 2026, years: 5, now,
      }, 'replace_now');
      await savePlan(store, scope, plan({ devices, findings }, T1), T1);
      const cam1 = ids.get('CAM-1')!;
      const installer = { ...scope, actor: 'user:installer' };

      expect((await advancePlanItem(store, scope, `${cam1}:replace`, 'in_progress', T1)).deviceStatus).toBeNull();
      expect((await getDevice(store, scope, cam1)).status).toBe('active');
      const done = await advancePlanItem(store, installer, `${cam1}:replace`, 'done', T2);
      expect(done.deviceStatus).toBe('replaced');
      expect((await getDevice(store, scope, cam1)).status).toBe('replaced');
      expect((await listHistory(store, scope, cam1)).at(-1)).toMatchObject({ action: 'update', actor: 'user:installer', at: T2, before: { status: 'active' }, after: { status: 'replaced' } });

      // The next assessment drops the device, and the next plan schedules nothing for it.
      const next = await runAssessment(store, scope, kb, policy, T2);
      expect(next.removed).toBe(1);
      expect(plan(next, T2).actions.filter((a) => a.deviceId === cam1)).toEqual([]);

      await advancePlanItem(store, scope, `${cam1}:decommission`, 'in_progress', T2);
      expect((await advancePlanItem(store, scope, `${cam1}:decommission`, 'done', T2)).deviceStatus).toBe('decommissioned');
      expect((await getDevice(store, scope, cam1)).status).toBe('decommissioned');

      // Finishing an item never moves a device back: one already disposed of stays disposed.
      const cam2 = ids.get('CAM-2')!;
      await recordDisposal(store, scope, { deviceId: cam2, method: 'shred', certificate: 'VD-1' }, T2);
      const events = (await listHistory(store, scope, cam2)).length;
      await advancePlanItem(store, scope, `${cam2}:replace`, 'in_progress', T2);
      expect((await advancePlanItem(store, scope, `${cam2}:replace`, 'done', T2)).deviceStatus).toBeNull();
      expect((await getDevice(store, scope, cam2)).status).toBe('disposed');
      expect(await listHistory(store, scope, cam2)).toHaveLength(events);
    } finally {
      await store.close();
    }
  });

  it('never returns another organisation\'s findings, waivers or plan items', async () => {
    const store = await freshStore(engine);
    try {
      const a = await setup(store, 'a');
      const b = await setup(store, 'b');
      const runA = await runAssessment(store, a.scope, kb, policy, T1);
      const idsA = new Set(a.ids.values());
      const idsB = new Set(b.ids.values());
      expect(runA.findings.every((f) => idsA.has(f.deviceId))).toBe(true);
      expect(await listFindings(store, b.scope)).toEqual([]);
      const runB = await runAssessment(store, b.scope, kb, policy, T1);
      expect(runB.assessed).toBe(4);
      expect(runB.findings.every((f) => idsB.has(f.deviceId))).toBe(true);
      expect((await runAssessment(store, a.scope, kb, policy, T1)).assessed).toBe(0);

      const w = await createWaiver(store, a.scope, a.ids.get('REC-1')!, { rule: 'vendor_cloud', reason: 'x', until: '2026-12-31', approver: 'A' }, T1);
      expect(await listWaivers(store, b.scope, { includeRevoked: true })).toEqual([]);
      await expect(createWaiver(store, b.scope, a.ids.get('REC-1')!, { rule: 'vendor_cloud', reason: 'x', until: '2026-12-31', approver: 'B' }, T1)).rejects.toMatchObject({ code: 'not_found' });
      await expect(revokeWaiver(store, b.scope, w.id, T1)).rejects.toMatchObject({ code: 'not_found' });

      await savePlan(store, a.scope, buildScenario({ devices: runA.devices, findings: runA.findings, cost: DEFAULT_COST_MODEL, budgetPerYear: null, capacityPerYear: null, startYear: 2026, years: 5, now: T1 }, 'replace_now'), T1);
      expect(await listPlanItems(store, b.scope)).toEqual([]);
      await expect(advancePlanItem(store, b.scope, `${a.ids.get('CAM-1')!}:replace`, 'in_progress', T1)).rejects.toMatchObject({ code: 'not_found' });
      await expect(recordDisposal(store, b.scope, { deviceId: a.ids.get('CAM-1')!, method: 'shred', certificate: 'x' }, T1)).rejects.toMatchObject({ code: 'not_found' });
      expect(await listDisposals(store, b.scope)).toEqual([]);
    } finally {
      await store.close();
    }
  });
});

describe('applyWaivers', () => {
  const finding = (deviceId: string, rule: Finding['rule']): Finding => ({
    deviceId, rule, severity: 'high', likelihood: 'high', impact: 'high', why: { nl: 'x', en: 'x' }, evidence: [], sources: [], action: 'replace', dueDate: null,
  });
  const waiver = (id: string, deviceId: string, rule: Waiver['rule'], until: string, extra: Partial<Waiver> = {}): Waiver => ({
    id, deviceId, rule, reason: 'accepted', approver: 'A', until, createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'u', revokedAt: null, revokedBy: null, ...extra,
  });
  const findings = [finding('d1', 'vendor_cloud'), finding('d1', 'restricted_manufacturer'), finding('d2', 'vendor_cloud')];

  it('sets aside exactly the device and rule a waiver names, through its last day', () => {
    const w = waiver('w1', 'd1', 'vendor_cloud', '2026-06-30');
    // 23:59 in Amsterdam (summer time, UTC+2).
    const out = applyWaivers(findings, [w], '2026-06-30T21:59:00.000Z');
    expect(out.active).toEqual([findings[1], findings[2]]);
    expect(out.waived).toEqual([{ finding: findings[0], waiver: w }]);
    expect(out.unusedWaivers).toEqual([]);
  });

  it('dates waivers by the day in Amsterdam, not the UTC day', () => {
    const w = waiver('w1', 'd1', 'vendor_cloud', '2026-06-30');
    // 00:30 on 1 July in Amsterdam, still 30 June in UTC: the waiver has expired.
    expect(dayOf('2026-06-30T22:30:00.000Z')).toBe('2026-07-01');
    expect(waiverInForce(w, '2026-06-30T22:30:00.000Z')).toBe(false);
    expect(applyWaivers(findings, [w], '2026-06-30T22:30:00.000Z').active).toEqual(findings);
    // Winter time (UTC+1): 31 December 23:30 UTC is already New Year's Day.
    expect(dayOf('2026-12-31T23:30:00.000Z')).toBe('2027-01-01');
    expect(dayOf('2026-12-31T22:59:59.000Z')).toBe('2026-12-31');
    // After midnight in Amsterdam, yesterday is the past for a new waiver too.
    expect(() => checkWaiverRequest({ rule: 'vendor_cloud', reason: 'r', until: '2026-05-31', approver: 'B' }, '2026-05-31T22:30:00.000Z')).toThrow(/in the past/);
  });

  it('revives the finding the day after the waiver expires, and ignores revoked waivers', () => {
    expect(applyWaivers(findings, [waiver('w1', 'd1', 'vendor_cloud', '2026-06-30')], '2026-07-01T00:00:00.000Z').active).toEqual(findings);
    expect(applyWaivers(findings, [waiver('w1', 'd1', 'vendor_cloud', '2026-12-31', { revokedAt: '2026-02-01T00:00:00.000Z' })], '2026-06-01T00:00:00.000Z').active).toEqual(findings);
  });

  it('reports waivers in force that match no finding as unused, not expired ones', () => {
    const unused = waiver('w2', 'd2', 'telnet_open', '2026-12-31');
    const expired = waiver('w3', 'd3', 'vendor_cloud', '2026-01-31');
    expect(applyWaivers(findings, [unused, expired], '2026-06-01T00:00:00.000Z').unusedWaivers).toEqual([unused]);
  });

  it('names the longest-lasting waiver when two cover the same finding', () => {
    const short = waiver('w1', 'd2', 'vendor_cloud', '2026-07-31');
    const long = waiver('w2', 'd2', 'vendor_cloud', '2026-12-31');
    const out = applyWaivers(findings, [short, long], '2026-06-01T00:00:00.000Z');
    expect(out.waived).toEqual([{ finding: findings[2], waiver: long }]);
    expect(out.unusedWaivers).toEqual([]);
  });

  it('checks a new waiver: known rule, a reason, a real date not in the past, an approver', () => {
    const now = '2026-06-01T12:00:00.000Z';
    expect(checkWaiverRequest({ rule: 'vendor_cloud', reason: ' r ', until: '2026-06-01', approver: ' B ' }, now)).toEqual({ rule: 'vendor_cloud', reason: 'r', until: '2026-06-01', approver: 'B' });
    expect(() => checkWaiverRequest({ rule: 'cloud', reason: 'r', until: '2026-07-01', approver: 'B' }, now)).toThrow(/rules: restricted_manufacturer, /);
    expect(() => checkWaiverRequest({ rule: 'vendor_cloud', reason: undefined, until: '2026-07-01', approver: 'B' }, now)).toThrow(/--reason/);
    expect(() => checkWaiverRequest({ rule: 'vendor_cloud', reason: 'r', until: '2026-02-30', approver: 'B' }, now)).toThrow(/YYYY-MM-DD/);
    expect(() => checkWaiverRequest({ rule: 'vendor_cloud', reason: 'r', until: '2026-05-31', approver: 'B' }, now)).toThrow(/in the past/);
    expect(() => checkWaiverRequest({ rule: 'vendor_cloud', reason: 'r', until: '2026-07-01', approver: ' ' }, now)).toThrow(/--approver/);
  });
});

describe('assessment inputs', () => {
  it('takes the facts of the latest scan of each device, whatever the order of observations', () => {
    const obs: ScanObservation[] = [
      { deviceId: 'd1', scanRunId: 'r2', observedAt: '2026-05-02T00:00:00Z', kind: 'capture' },
      { deviceId: 'd1', scanRunId: 'r1', observedAt: '2026-05-01T00:00:00Z', kind: 'risk_fact', fact: { fact: 'telnet_open', detail: 'port 23 open' } },
      { deviceId: 'd1', scanRunId: 'r2', observedAt: '2026-05-02T00:00:00Z', kind: 'risk_fact', fact: { fact: 'vendor_cloud', detail: 'sadp.cloud=true' } },
      { deviceId: 'd2', scanRunId: 'r1', observedAt: '2026-05-01T00:00:00Z', kind: 'risk_fact', fact: { fact: 'telnet_open', detail: 'port 23 open' } },
    ];
    const expected = new Map([
      ['d1', [{ fact: 'vendor_cloud', detail: 'sadp.cloud=true', observedAt: '2026-05-02T00:00:00Z' }]],
      ['d2', [{ fact: 'telnet_open', detail: 'port 23 open', observedAt: '2026-05-01T00:00:00Z' }]],
    ]);
    expect(latestScanFacts(obs)).toEqual(expected);
    expect(latestScanFacts([...obs].reverse())).toEqual(expected);
  });

  it('maps a register device to what the rules read, with identification\'s maker and a stable key order', () => {
    const device = {
      id: 'd1', orgId: 'o', kind: 'camera', brand: 'LTS', manufacturer: 'hikvision', model: 'CMIP3C42W-28', firmware: 'V5.5.3', serial: null, mac: null,
      ip: null, siteId: 's', networkId: 'n', position: null, analytics: ['face_recognition', 'anpr'], status: 'active', purpose: null, legalBasis: null,
      retentionDays: 30, supplier: null, installer: null, installDate: '2018-01-01', externalRef: null, custom: { zeta: '1', dpia: 'D-1' }, publication: {},
      identity: { manufacturer: 'hikvision', statedManufacturer: null, confidence: 0.45, kbVersion: 'x', evidence: [], conflicts: [], checks: [] },
      createdAt: T1, updatedAt: T1,
    } satisfies Device;
    const mapped = toAssessDevice(device, { id: 's', name: 'Garage', category: 'parking_garage' }, { id: 'n', name: 'Net', connectivity: 'isolated', remoteAccess: 'none' }, []);
    expect(mapped).toMatchObject({ manufacturer: 'hikvision', identityConfidence: 0.45, analytics: ['anpr', 'face_recognition'], site: { category: 'parking_garage' } });
    expect(Object.keys(mapped.custom)).toEqual(['dpia', 'zeta']);
    expect(toAssessDevice({ ...device, identity: { ...device.identity, manufacturer: null } }, null, null, []).manufacturer).toBeNull();
  });
});
