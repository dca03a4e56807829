// Running the assessment against the register and keeping its findings. Incremental: each
// device's findings are stored with a hash of everything they were computed from (the device as
// the rules see it, the knowledge the rules read, the policy, and the calendar facts rules
// compare against, and the version of the rules themselves), and a run recomputes only the
// devices whose hash changed. A KB update, a new policy or a release with changed rules changes
// every hash, so it re-assesses everything; a firmware edit re-assesses one device. Each finding
// also keeps the day its rule first fired on the device, which its due date counts from; a
// finding that stops firing keeps that day for a grace period (LAPSE_GRACE_DAYS), so a scan that
// missed one reply does not postpone the deadline when the finding returns.
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { assessDevice, compileKnowledge, type CompiledKnowledge } from '../core/assess/assess.js';
import { clockInputs } from '../core/assess/inputs.js';
import { ASSESSMENT_VERSION } from '../core/assess/version.js';
import { dueDate, type Policy } from '../core/assess/policy.js';
import { RULES, type Action, type AssessDevice, type Finding, type Level, type RuleId, type Severity } from '../core/assess/types.js';
import type { KnowledgeBase } from '../kb/schema.js';
import { loadAssessDevices } from './assess-inputs.js';
import { appendAuditEntry, lockChainHead } from './audit.js';
import { insertChunked } from './batch.js';
import type { Store } from './database.js';
import { newId } from './ids.js';
import type { Database, FindingsTable, LapsedFindingsTable } from './schema.js';
import type { TenantScope } from './tenant.js';
import { dayOf } from '../core/assess/waivers.js';

export interface AssessmentResult {
  /** Every current finding of the organisation (waivers not applied), by device, then in the order of RULES. */
  findings: Finding[];
  /** The assessable devices, by id. */
  devices: AssessDevice[];
  runId: string;
  /** Devices whose findings were computed in this run. */
  assessed: number;
  /** Devices whose stored findings still hold. */
  unchanged: number;
  /** Devices no longer assessable (replaced, disposed, deleted) whose findings were dropped. */
  removed: number;
}

const RULE_ORDER = new Map<string, number>(RULES.map((r, i) => [r, i]));

/** By device, then the rule's place in the catalogue: the order assess() gives, kept for stored findings. */
function compareFindings(a: Finding, b: Finding): number {
  return (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0) || RULE_ORDER.get(a.rule)! - RULE_ORDER.get(b.rule)!;
}

/**
 * What the assessment reads from the KB. Hashing the content rather than trusting the version
 * catches an organisation overlay, which adds brands and makers without changing the version.
 */
function knowledgeHash(kb: KnowledgeBase): string {
  const { meta, vendors, brands, restrictions, vulnerabilities, legal } = kb;
  return sha256(JSON.stringify({ version: meta.version, vendors, brands, restrictions, vulnerabilities, legal }));
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The device's input hash under the given knowledge and policy (`contextHash`) on the day `now`. */
function inputHash(device: AssessDevice, contextHash: string, compiled: CompiledKnowledge, now: string): string {
  return sha256(`${contextHash}\n${JSON.stringify(device)}\n${JSON.stringify(clockInputs(device, compiled, now))}`);
}

/** A finding as stored: with when its rule first fired on the device. */
interface StoredFinding {
  finding: Finding;
  firstSeen: string;
}

function findingToRow(orgId: string, { finding: f, firstSeen }: StoredFinding, policyName: string, assessedAt: string): FindingsTable {
  return {
    org_id: orgId, device_id: f.deviceId, rule: f.rule, severity: f.severity, likelihood: f.likelihood, impact: f.impact,
    why_json: JSON.stringify(f.why), evidence_json: JSON.stringify(f.evidence), sources_json: JSON.stringify(f.sources),
    action: f.action, due_date: f.dueDate, uncertain: f.uncertain ?? null, assessed_at: assessedAt, first_seen: firstSeen, policy_name: policyName,
  };
}

function findingFromRow(r: FindingsTable): Finding {
  return canonical({
    deviceId: r.device_id, rule: r.rule as RuleId, severity: r.severity as Severity, likelihood: r.likelihood as Level,
    impact: r.impact as Level, why: JSON.parse(r.why_json) as Finding['why'], evidence: JSON.parse(r.evidence_json) as Finding['evidence'],
    sources: JSON.parse(r.sources_json) as Finding['sources'], action: r.action as Action, dueDate: r.due_date,
    ...(r.uncertain !== null ? { uncertain: r.uncertain } : {}),
  });
}

function canonical(f: Finding): Finding {
  return {
    deviceId: f.deviceId, rule: f.rule, severity: f.severity, likelihood: f.likelihood, impact: f.impact, why: f.why,
    evidence: f.evidence, sources: f.sources, action: f.action, dueDate: f.dueDate, ...(f.uncertain !== undefined ? { uncertain: f.uncertain } : {}),
  };
}

/**
 * How long a finding that stopped firing keeps the day it was first seen. A device that misses a
 * scan reply, or an edit undone a week later, is the same risk with the same deadline; a finding
 * gone for a whole quarter was really dealt with, and its return is a new finding.
 */
export const LAPSE_GRACE_DAYS = 90;

/** A finding no longer firing: when its rule first fired on the device, and when it stopped. */
interface Lapsed {
  firstSeen: string;
  lapsedAt: string;
}

/**
 * A finding that was already there, or lapsed within the grace period, keeps the day it was
 * first seen, and its due date counts from that day under the current policy: re-assessing a
 * device because someone corrected its site must not move the deadline of its replacement a
 * month on, while a stricter policy shortens it. `earlier`: rule → first-seen day.
 */
function sinceFirstSeen(fresh: readonly Finding[], earlier: ReadonlyMap<string, string>, policy: Policy, now: string): StoredFinding[] {
  return fresh.map((f) => {
    const firstSeen = earlier.get(f.rule);
    return firstSeen === undefined
      ? { finding: canonical(f), firstSeen: now }
      : { finding: canonical({ ...f, dueDate: dueDate(policy, f.severity, firstSeen) }), firstSeen };
  });
}

/** The first-seen days a device's findings count from: current findings, else ones lapsed within the grace period. */
function firstSeenDays(current: readonly StoredFinding[] | undefined, lapsed: ReadonlyMap<string, Lapsed> | undefined): Map<string, string> {
  const days = new Map<string, string>();
  for (const [rule, l] of lapsed ?? []) days.set(rule, l.firstSeen);
  for (const s of current ?? []) days.set(s.finding.rule, s.firstSeen);
  return days;
}

/**
 * What the device remembers after this run: findings that stopped firing now lapse today, earlier
 * lapses within the grace period stay as they were, and a finding firing again is no longer lapsed.
 */
function lapsedRows(orgId: string, deviceId: string, current: readonly StoredFinding[] | undefined, lapsed: ReadonlyMap<string, Lapsed> | undefined,
  fresh: readonly StoredFinding[] | undefined, now: string): LapsedFindingsTable[] {
  const firing = new Set<string>((fresh ?? []).map((s) => s.finding.rule));
  const rows = new Map<string, LapsedFindingsTable>();
  for (const [rule, l] of lapsed ?? []) {
    if (!firing.has(rule)) rows.set(rule, { org_id: orgId, device_id: deviceId, rule, first_seen: l.firstSeen, lapsed_at: l.lapsedAt });
  }
  for (const { finding: { rule }, firstSeen } of current ?? []) {
    if (!firing.has(rule)) rows.set(rule, { org_id: orgId, device_id: deviceId, rule, first_seen: firstSeen, lapsed_at: now });
  }
  return [...rows.values()];
}

async function deleteForDevices(trx: Transaction<Database>, table: 'findings' | 'assessment_inputs' | 'lapsed_findings', orgId: string, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 1000) {
    await trx.deleteFrom(table).where('org_id', '=', orgId).where('device_id', 'in', ids.slice(i, i + 1000)).execute();
  }
}

/** Findings lapsed on or after `since`, by device and rule; older ones are forgotten. */
async function lapsedSince(trx: Transaction<Database>, orgId: string, since: string): Promise<Map<string, Map<string, Lapsed>>> {
  const rows = await trx.selectFrom('lapsed_findings').selectAll().where('org_id', '=', orgId).where('lapsed_at', '>=', since).execute();
  const byDevice = new Map<string, Map<string, Lapsed>>();
  for (const r of rows) {
    const rules = byDevice.get(r.device_id) ?? new Map<string, Lapsed>();
    rules.set(r.rule, { firstSeen: r.first_seen, lapsedAt: r.lapsed_at });
    byDevice.set(r.device_id, rules);
  }
  return byDevice;
}

function daysBefore(now: string, days: number): string {
  const d = new Date(now);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString();
}

async function storedFindings(db: Kysely<Database>, orgId: string): Promise<Map<string, StoredFinding[]>> {
  const rows = await db.selectFrom('findings').selectAll().where('org_id', '=', orgId).execute();
  const byDevice = new Map<string, StoredFinding[]>();
  for (const r of rows) {
    const list = byDevice.get(r.device_id) ?? [];
    list.push({ finding: findingFromRow(r), firstSeen: r.first_seen });
    byDevice.set(r.device_id, list);
  }
  return byDevice;
}

function countBySeverity(findings: readonly Finding[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const f of findings) counts[f.severity] = (counts[f.severity] ?? 0) + 1;
  return counts;
}

/** Findings that started or stopped firing on the re-assessed devices. */
function findingChanges(devices: readonly string[], before: ReadonlyMap<string, StoredFinding[]>, fresh: ReadonlyMap<string, StoredFinding[]>) {
  let started = 0;
  let stopped = 0;
  for (const id of devices) {
    const was = new Set((before.get(id) ?? []).map((s) => s.finding.rule));
    const is = new Set((fresh.get(id) ?? []).map((s) => s.finding.rule));
    for (const rule of is) if (!was.has(rule)) started++;
    for (const rule of was) if (!is.has(rule)) stopped++;
  }
  return { started, stopped };
}

/** Assesses the organisation's devices against the KB and policy, recomputing only what changed; one transaction. */
export async function runAssessment(store: Store, scope: TenantScope, kb: KnowledgeBase, policy: Policy, now: string): Promise<AssessmentResult> {
  const contextHash = sha256(`assessment ${ASSESSMENT_VERSION}\n${knowledgeHash(kb)}\n${JSON.stringify(policy)}`);
  return store.db.transaction().execute(async (trx) => {
    // Two assessments of one organisation at once (two server instances, a job and the CLI) would
    // both replace the same findings; holding the organisation's audit chain from the start makes
    // the second wait for the first and then see its results.
    await lockChainHead(trx, scope.orgId);
    const devices = await loadAssessDevices(trx, scope);
    const stored = new Map((await trx.selectFrom('assessment_inputs').select(['device_id', 'input_hash'])
      .where('org_id', '=', scope.orgId).execute()).map((r) => [r.device_id, r.input_hash]));
    const compiled = compileKnowledge(kb, policy);
    // Waived findings do not aggravate placement (see the rules), so a waiver given or expired
    // changes what the device is assessed from.
    const inForce = (await trx.selectFrom('waivers').select(['device_id', 'rule', 'until']).where('org_id', '=', scope.orgId)
      .where('revoked_at', 'is', null).where('until', '>=', dayOf(now)).execute())
      .map((w) => `${w.device_id}\u0000${w.rule}`).sort();
    const waivedKeys = new Set(inForce);
    const waived = (deviceId: string, rule: string) => waivedKeys.has(`${deviceId}\u0000${rule}`);
    const byDevice = new Map<string, string[]>();
    for (const k of inForce) {
      const id = k.slice(0, k.indexOf('\u0000'));
      byDevice.set(id, [...(byDevice.get(id) ?? []), k]);
    }
    const waivedOf = (id: string) => (byDevice.get(id) ?? []).join('\n');
    const hashes = new Map(devices.map((d) => [d.id, inputHash(d, `${contextHash}\n${waivedOf(d.id)}`, compiled, now)]));
    const changed = devices.filter((d) => stored.get(d.id) !== hashes.get(d.id));
    const present = new Set(devices.map((d) => d.id));
    const removed = [...stored.keys()].filter((id) => !present.has(id));
    const before = await storedFindings(trx, scope.orgId);
    // Findings can exist without an input row only if written outside this function; drop those too.
    for (const id of before.keys()) if (!present.has(id) && !stored.has(id)) removed.push(id);

    const graceStart = daysBefore(now, LAPSE_GRACE_DAYS);
    const lapsed = await lapsedSince(trx, scope.orgId, graceStart);

    const fresh = new Map<string, StoredFinding[]>();
    for (const d of changed) {
      fresh.set(d.id, sinceFirstSeen(assessDevice(d, compiled, policy, now, waived), firstSeenDays(before.get(d.id), lapsed.get(d.id)), policy, now));
    }

    const rewrite = [...changed.map((d) => d.id), ...removed];
    const lapsing = rewrite.flatMap((id) => lapsedRows(scope.orgId, id, before.get(id), lapsed.get(id), fresh.get(id), now));
    await deleteForDevices(trx, 'findings', scope.orgId, rewrite);
    await deleteForDevices(trx, 'assessment_inputs', scope.orgId, rewrite);
    await deleteForDevices(trx, 'lapsed_findings', scope.orgId, rewrite);
    await trx.deleteFrom('lapsed_findings').where('org_id', '=', scope.orgId).where('lapsed_at', '<', graceStart).execute();
    await insertChunked(trx, 'findings', [...fresh.values()].flat().map((f) => findingToRow(scope.orgId, f, policy.name, now)), store.engine);
    await insertChunked(trx, 'lapsed_findings', lapsing, store.engine);
    await insertChunked(trx, 'assessment_inputs', changed.map((d) => ({
      org_id: scope.orgId, device_id: d.id, input_hash: hashes.get(d.id)!, assessed_at: now,
    })), store.engine);

    const findings = devices.flatMap((d) => (fresh.get(d.id) ?? before.get(d.id) ?? []).map((s) => s.finding)).sort(compareFindings);
    const runId = newId();
    await trx.insertInto('assessment_runs').values({
      id: runId, org_id: scope.orgId, actor: scope.actor, source: scope.source, at: now, kb_version: kb.meta.version,
      policy_name: policy.name, assessed: changed.length, unchanged: devices.length - changed.length, removed: removed.length,
      findings: findings.length,
    }).execute();
    // One entry per run, with its figures: the findings themselves are derived, and re-derived by every run.
    await appendAuditEntry(trx, scope, {
      action: 'assess', entityType: 'assessment', entityId: runId,
      after: {
        kbVersion: kb.meta.version, policy: policy.name, assessed: changed.length, unchanged: devices.length - changed.length,
        removed: removed.length, findings: findings.length, bySeverity: countBySeverity(findings), ...findingChanges(rewrite, before, fresh),
      },
    }, now);
    return { findings, devices, runId, assessed: changed.length, unchanged: devices.length - changed.length, removed: removed.length };
  });
}

/** The findings of the latest assessment, without running one. */
export async function listFindings(store: Store, scope: TenantScope): Promise<Finding[]> {
  return [...(await storedFindings(store.db, scope.orgId)).values()].flat().map((s) => s.finding).sort(compareFindings);
}

export interface AssessmentRun {
  id: string;
  actor: string;
  source: string;
  at: string;
  kbVersion: string;
  policyName: string;
  assessed: number;
  unchanged: number;
  removed: number;
  findings: number;
}

/** Every recorded assessment run, newest first. */
export async function listAssessmentRuns(store: Store, scope: TenantScope): Promise<AssessmentRun[]> {
  const rows = await store.db.selectFrom('assessment_runs').selectAll().where('org_id', '=', scope.orgId)
    .orderBy('at', 'desc').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id, actor: r.actor, source: r.source, at: r.at, kbVersion: r.kb_version, policyName: r.policy_name,
    assessed: Number(r.assessed), unchanged: Number(r.unchanged), removed: Number(r.removed), findings: Number(r.findings),
  }));
}
