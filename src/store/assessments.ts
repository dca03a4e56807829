// Running the assessment against the register and keeping its findings. Incremental: each
// device's findings are stored with a hash of everything they were computed from (the device as
// the rules see it, the knowledge the rules read, the policy, and the calendar facts rules
// compare against), and a run recomputes only the devices whose hash changed. A KB update or a
// new policy changes every hash, so it re-assesses everything; a firmware edit re-assesses one
// device. Each finding also keeps the day its rule first fired on the device, which its due date
// counts from.
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { assessDevice, compileKnowledge, type CompiledKnowledge } from '../core/assess/assess.js';
import { clockInputs } from '../core/assess/inputs.js';
import { dueDate, type Policy } from '../core/assess/policy.js';
import { RULES, type Action, type AssessDevice, type Finding, type Level, type RuleId, type Severity } from '../core/assess/types.js';
import type { KnowledgeBase } from '../kb/schema.js';
import { loadAssessDevices } from './assess-inputs.js';
import { insertChunked } from './batch.js';
import type { Store } from './database.js';
import { newId } from './ids.js';
import type { Database, FindingsTable } from './schema.js';
import type { TenantScope } from './tenant.js';

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
 * A finding that was already there keeps the day it was first seen, and its due date counts from
 * that day under the current policy: re-assessing a device because someone corrected its site
 * must not move the deadline of its replacement a month on, while a stricter policy shortens it.
 */
function sinceFirstSeen(fresh: readonly Finding[], before: readonly StoredFinding[] | undefined, policy: Policy, now: string): StoredFinding[] {
  const earlier = new Map((before ?? []).map((s) => [s.finding.rule, s.firstSeen]));
  return fresh.map((f) => {
    const firstSeen = earlier.get(f.rule);
    return firstSeen === undefined
      ? { finding: canonical(f), firstSeen: now }
      : { finding: canonical({ ...f, dueDate: dueDate(policy, f.severity, firstSeen) }), firstSeen };
  });
}

async function deleteForDevices(trx: Transaction<Database>, table: 'findings' | 'assessment_inputs', orgId: string, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 1000) {
    await trx.deleteFrom(table).where('org_id', '=', orgId).where('device_id', 'in', ids.slice(i, i + 1000)).execute();
  }
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

/** Assesses the organisation's devices against the KB and policy, recomputing only what changed; one transaction. */
export async function runAssessment(store: Store, scope: TenantScope, kb: KnowledgeBase, policy: Policy, now: string): Promise<AssessmentResult> {
  const contextHash = sha256(`${knowledgeHash(kb)}\n${JSON.stringify(policy)}`);
  return store.db.transaction().execute(async (trx) => {
    const devices = await loadAssessDevices(trx, scope);
    const stored = new Map((await trx.selectFrom('assessment_inputs').select(['device_id', 'input_hash'])
      .where('org_id', '=', scope.orgId).execute()).map((r) => [r.device_id, r.input_hash]));
    const compiled = compileKnowledge(kb, policy);
    const hashes = new Map(devices.map((d) => [d.id, inputHash(d, contextHash, compiled, now)]));
    const changed = devices.filter((d) => stored.get(d.id) !== hashes.get(d.id));
    const present = new Set(devices.map((d) => d.id));
    const removed = [...stored.keys()].filter((id) => !present.has(id));
    const before = await storedFindings(trx, scope.orgId);
    // Findings can exist without an input row only if written outside this function; drop those too.
    for (const id of before.keys()) if (!present.has(id) && !stored.has(id)) removed.push(id);

    const fresh = new Map<string, StoredFinding[]>();
    for (const d of changed) fresh.set(d.id, sinceFirstSeen(assessDevice(d, compiled, policy, now), before.get(d.id), policy, now));

    const rewrite = [...changed.map((d) => d.id), ...removed];
    await deleteForDevices(trx, 'findings', scope.orgId, rewrite);
    await deleteForDevices(trx, 'assessment_inputs', scope.orgId, rewrite);
    await insertChunked(trx, 'findings', [...fresh.values()].flat().map((f) => findingToRow(scope.orgId, f, policy.name, now)), store.engine);
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
