// Tender screening: each offered item is identified through the KB (OEM brands included) and
// judged by the same rules as the register — restricted makers under the policy's adopted
// measures, human-rights measures, CISA KEV vulnerabilities in the model's family and firmware
// range — plus what the supplier still has to supply before anyone can judge it. Pure: the KB,
// the policy and the screening date come in; the result goes out in the order of the lines.
import { assessDevice, compileKnowledge } from '../assess/assess.js';
import type { Policy } from '../assess/policy.js';
import type { AssessDevice, Finding, RuleId } from '../assess/types.js';
import { identify, type IdentifyKnowledge } from '../identify/identify.js';
import type { Identity } from '../identify/identity.js';
import { parseKind } from '../import/values.js';
import type { KnowledgeBase } from '../../kb/schema.js';
import { makerName } from '../../kb/query.js';
import type { BidLine } from './columns.js';
import { missingInformation } from './missing.js';
import { VERDICTS, type MakerIdentification, type Reason, type ReasonKind, type ScreenedLine, type Screening, type Verdict } from './types.js';

export interface ScreenInput {
  kb: KnowledgeBase;
  knowledge: IdentifyKnowledge;
  policy: Policy;
  now: string;
}

/** The assessment rules a bid line is screened by, with the verdict each gives. */
const SCREEN_RULES: Readonly<Partial<Record<RuleId, Verdict>>> = {
  restricted_manufacturer: 'restricted',
  human_rights: 'flagged',
  known_exploited_vulnerability: 'flagged',
};

function identifyLine(line: BidLine, knowledge: IdentifyKnowledge): Identity {
  const fields: Record<string, string> = {};
  if (line.brand) fields.brand = line.brand;
  if (line.manufacturer) fields.manufacturer = line.manufacturer;
  if (line.model) fields.model = line.model;
  if (line.firmware) fields.firmware = line.firmware;
  if (Object.keys(fields).length === 0) return identify([], knowledge);
  return identify([{ protocol: 'text', fields, source: `row ${line.row}` }], knowledge);
}

function makerOf(identity: Identity, kb: KnowledgeBase): MakerIdentification | null {
  if (identity.manufacturer === null) return null;
  return {
    id: identity.manufacturer,
    name: makerName(kb, identity.manufacturer),
    confidence: identity.confidence,
    evidence: identity.evidence
      .filter((e) => e.claims.manufacturer === identity.manufacturer)
      .map((e) => ({ rule: e.rule, field: e.field, value: e.value, ...(e.note ? { note: e.note } : {}), sources: e.sources })),
    checks: identity.checks,
  };
}

/** The line as the assessment rules see a device: in service, nowhere yet, on no network. */
function asDevice(line: BidLine, identity: Identity): AssessDevice {
  const kindText = [line.kind, line.description, line.components, line.model].filter((t) => t !== null).join(' ');
  const kind = parseKind(kindText);
  return {
    id: `row-${line.row}`,
    kind: kind.ok && kind.value !== 'other' ? kind.value : 'camera',
    status: 'active',
    manufacturer: identity.manufacturer,
    brand: line.brand ?? line.manufacturer,
    model: line.model,
    firmware: line.firmware,
    identityConfidence: identity.manufacturer === null ? null : identity.confidence,
    installDate: null,
    analytics: [],
    legalBasis: null,
    retentionDays: null,
    custom: {},
    site: null,
    network: null,
    facts: [],
  };
}

function fromFinding(f: Finding, verdict: Exclude<Verdict, 'clear'>): Reason {
  return {
    kind: f.rule as ReasonKind,
    verdict,
    severity: f.severity,
    why: f.why,
    evidence: f.evidence,
    sources: f.sources,
    ...(f.uncertain !== undefined ? { uncertain: f.uncertain } : {}),
  };
}

function worst(reasons: readonly Reason[]): Verdict {
  return VERDICTS.find((v) => reasons.some((r) => r.verdict === v)) ?? 'clear';
}

export function screenBid(lines: readonly BidLine[], input: ScreenInput): Screening {
  const { kb, knowledge, policy, now } = input;
  const compiled = compileKnowledge(kb, policy);
  const screened = lines.map((line): ScreenedLine => {
    const identity = identifyLine(line, knowledge);
    const findings = assessDevice(asDevice(line, identity), compiled, policy, now);
    const reasons: Reason[] = [];
    for (const f of findings) {
      const verdict = SCREEN_RULES[f.rule];
      if (verdict === 'restricted' || verdict === 'flagged') reasons.push(fromFinding(f, verdict));
    }
    reasons.push(...missingInformation(line, identity, findings, { knowledge, kb, policy }));
    return { line, maker: makerOf(identity, kb), verdict: worst(reasons), reasons };
  });
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, screened.filter((s) => s.verdict === v).length])) as Record<Verdict, number>;
  return { screenedAt: now, kbVersion: kb.meta.version, policy: policy.name, lines: screened, counts };
}

/** Whether any line offers equipment of a maker the policy's adopted measures restrict. */
export function anyRestricted(screening: Screening): boolean {
  return screening.counts.restricted > 0;
}
