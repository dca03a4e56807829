// The assessment: every enabled rule of the policy on every device in use, giving findings with
// their severity, reasons, evidence, sources, action and due date. Pure: the KB, the policy and
// the assessment date come in, findings go out, in a fixed order (device id, then the order of
// RULES), so the same input always gives byte-identical output.
import { CamauditError } from '../errors.js';
import type { DeviceStatus } from '../model.js';
import { dueDate, ruleEnabled, type Policy } from './policy.js';
import { endOfSupport, manufacturerUnidentified } from './rules/lifecycle.js';
import { compileKnowledge, policyWarnings, type CompiledKnowledge, type PolicyWarning } from './rules/knowledge.js';
import { humanRights, restrictedManufacturer } from './rules/maker.js';
import { internetExposed, notActivated, telnetOpen, vendorCloud } from './rules/exposure.js';
import { sensitivePlacement } from './rules/placement.js';
import { noLegalBasis, retentionAboveLimit, sensitiveAnalytics } from './rules/privacy.js';
import type { Draft, Rule } from './rules/text.js';
import { firmwareUnknown, knownExploitedVulnerability, vulnerability } from './rules/vulnerabilities.js';
import { RULES, type AssessDevice, type Finding, type FindingEvidence, type RuleId, type SourceRef } from './types.js';
import type { KnowledgeBase } from '../../kb/schema.js';

export { compileKnowledge, policyWarnings, type CompiledKnowledge, type PolicyWarning };

/**
 * Whether a waiver in force sets the device's finding for the rule aside. The assessment itself
 * still returns waived findings (waivers are applied to its output, waivers.ts); it only keeps
 * them out of sensitive_placement, which would otherwise go on citing an accepted risk.
 */
export type Waived = (deviceId: string, rule: RuleId) => boolean;

// sensitive_placement is left out: it reads the device's other findings (rules/placement.ts).
const DEVICE_RULES: Readonly<Record<Exclude<RuleId, 'sensitive_placement'>, Rule>> = {
  restricted_manufacturer: restrictedManufacturer,
  human_rights: humanRights,
  known_exploited_vulnerability: knownExploitedVulnerability,
  vulnerability,
  firmware_unknown: firmwareUnknown,
  internet_exposed: internetExposed,
  vendor_cloud: vendorCloud,
  not_activated: notActivated,
  telnet_open: telnetOpen,
  sensitive_analytics: sensitiveAnalytics,
  end_of_support: endOfSupport,
  manufacturer_unidentified: manufacturerUnidentified,
  no_legal_basis: noLegalBasis,
  retention_above_limit: retentionAboveLimit,
};

/** Devices out of use are not assessed: their risk is the disposal's, which the plan tracks. */
const OUT_OF_USE: ReadonlySet<DeviceStatus> = new Set<DeviceStatus>(['decommissioned', 'disposed', 'replaced']);

export function isAssessed(device: Pick<AssessDevice, 'status'>): boolean {
  return !OUT_OF_USE.has(device.status);
}

function checkNow(now: string): void {
  if (Number.isNaN(Date.parse(now))) throw new CamauditError('invalid_input', `assessment date "${now}" is not an ISO date`);
}

/**
 * The findings for one device, in RULES order; [] for a device out of use. `compiled` must come
 * from compileKnowledge(kb, policy) with this same policy object: its lookups and shared texts
 * depend on the policy. Used directly to re-assess a changed device without the rest.
 */
export function assessDevice(device: AssessDevice, compiled: CompiledKnowledge, policy: Policy, now: string, waived?: Waived): Finding[] {
  if (policy !== compiled.policy) throw new CamauditError('usage', `assessDevice: policy "${policy.name}" is not the policy the knowledge was compiled with; call compileKnowledge(kb, policy) again`);
  checkNow(now);
  const out: Finding[] = [];
  assessInto(device, compiled, now, waived, out);
  return out;
}

const PLACEMENT_AT = RULES.indexOf('sensitive_placement');

/** The policy's enabled rules in RULES order, and whether sensitive_placement runs. */
function enabledRules(compiled: CompiledKnowledge): { rules: readonly { id: RuleId; at: number; run: Rule }[]; placement: boolean } {
  return compiled.memo('shared', ['enabled-rules'], () => ({
    rules: RULES.flatMap((id, at) => (id !== 'sensitive_placement' && ruleEnabled(compiled.policy, id) ? [{ id, at, run: DEVICE_RULES[id] }] : [])),
    placement: ruleEnabled(compiled.policy, 'sensitive_placement'),
  }));
}

function assessInto(device: AssessDevice, compiled: CompiledKnowledge, now: string, waived: Waived | undefined, out: Finding[]): void {
  if (!isAssessed(device)) return;
  const { rules, placement } = enabledRules(compiled);
  const drafts: { rule: RuleId; at: number; draft: Draft }[] = [];
  for (const rule of rules) {
    const draft = rule.run(device, compiled, now);
    if (draft) drafts.push({ rule: rule.id, at: rule.at, draft });
  }
  const aggravating = placement ? sensitivePlacement(device, compiled, waived ? drafts.filter((d) => !waived(device.id, d.rule)) : drafts) : null;
  let placed = aggravating === null;
  for (const { rule, at, draft } of drafts) {
    if (!placed && at > PLACEMENT_AT) {
      out.push(toFinding(device.id, 'sensitive_placement', aggravating!, compiled, now));
      placed = true;
    }
    out.push(toFinding(device.id, rule, draft, compiled, now));
  }
  if (!placed) out.push(toFinding(device.id, 'sensitive_placement', aggravating!, compiled, now));
}

function toFinding(deviceId: string, rule: RuleId, d: Draft, compiled: CompiledKnowledge, now: string): Finding {
  const finding: Finding = {
    deviceId,
    rule,
    severity: d.severity,
    likelihood: d.likelihood,
    impact: d.impact,
    why: d.why,
    // Shared with other findings and frozen (rules/text.ts draft()): read-only at run time.
    evidence: d.evidence as FindingEvidence[],
    sources: d.sources as SourceRef[],
    action: d.action,
    dueDate: compiled.memo('shared', ['due', d.severity, now], () => dueDate(compiled.policy, d.severity, now)),
  };
  if (d.uncertain !== undefined) finding.uncertain = d.uncertain;
  return finding;
}

/** Devices by id; the order of the input does not matter, a repeated id is an error. */
function byId(devices: readonly AssessDevice[]): readonly AssessDevice[] {
  let sorted = true;
  for (let i = 1; i < devices.length && sorted; i++) sorted = devices[i - 1]!.id < devices[i]!.id;
  const out = sorted ? devices : [...devices].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (let i = 1; i < out.length; i++) {
    if (out[i - 1]!.id === out[i]!.id) throw new CamauditError('invalid_input', `device "${out[i]!.id}" appears more than once in the assessment input`);
  }
  return out;
}

/** Assesses every device under the policy; see the module comment for the order. */
export function assess(devices: readonly AssessDevice[], kb: KnowledgeBase, policy: Policy, now: string, waived?: Waived): Finding[] {
  checkNow(now);
  const compiled = compileKnowledge(kb, policy);
  const out: Finding[] = [];
  for (const device of byId(devices)) assessInto(device, compiled, now, waived, out);
  return out;
}
