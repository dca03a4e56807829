// Tender screening: each offered item is identified through the KB (OEM brands included) and
// judged by the same rules as the register — restricted makers under the policy's adopted
// measures, human-rights measures, CISA KEV vulnerabilities in the model's family and firmware
// range — plus what the supplier still has to supply before anyone can judge it. Pure: the KB,
// the policy and the screening date come in; the result goes out in the order of the lines.
import { assessDevice, compileKnowledge } from '../assess/assess.js';
import { matchFamily, normaliseModel, parseFirmware, rangeContains } from '../assess/firmware.js';
import type { CompiledKnowledge } from '../assess/rules/knowledge.js';
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

/**
 * A brand cell holding brand and type together ("HiWatch HWI-B121H", a combined "Merk/Type"
 * column) split into the brand the KB knows and the rest as the type; other lines as they are.
 */
function separateBrand(line: BidLine, knowledge: IdentifyKnowledge): BidLine {
  if (line.brand === null) return line;
  const split = splitBrand(line.brand, knowledge);
  if (split === null || split.model === null) return line;
  return { ...line, brand: split.brand, model: line.model === null || line.model === line.brand ? split.model : line.model };
}

function splitBrand(text: string, knowledge: IdentifyKnowledge): { brand: string; model: string | null } | null {
  const hit = knowledge.brandsFromText(text).find((h) => text.toLowerCase().includes(h.brand.toLowerCase()));
  if (hit === undefined) return null;
  const at = text.toLowerCase().indexOf(hit.brand.toLowerCase());
  const rest = `${text.slice(0, at)} ${text.slice(at + hit.brand.length)}`.trim();
  return { brand: hit.brand, model: rest === '' ? null : rest };
}

const PART_SEPARATOR = /[,;+/]/;

/** The parts a line names besides its main item ("camera + Hikvision DS-7608NI-K2 recorder"). */
function partsOf(line: BidLine): string[] {
  return [line.components, line.description].flatMap((t) => (t ?? '').split(PART_SEPARATOR)).map((p) => p.trim()).filter((p) => p !== '');
}

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

/** KEV records whose affected range the firmware is confirmed to be in (not merely not excluded from). */
function confirmedKev(device: AssessDevice, compiled: CompiledKnowledge): Set<string> {
  const fw = device.firmware === null ? null : parseFirmware(device.firmware);
  if (device.manufacturer === null || device.model === null || fw === null) return new Set();
  const model = normaliseModel(device.model);
  return new Set(compiled.maker(device.manufacturer).vulnerabilities
    .filter(({ record, affected }) => {
      const family = record.kev.listed ? matchFamily(affected, model) : null;
      return family?.range !== undefined && family.range !== null && rangeContains(family.range, fw) === true;
    })
    .map(({ record }) => record.id));
}

/**
 * A KEV finding accuses the offer only when the firmware is confirmed in an affected range; one
 * that cannot be placed (a version without the build date a range is defined by) asks for it.
 */
function kevReason(f: Finding, device: AssessDevice, compiled: CompiledKnowledge): Reason {
  const ids = f.evidence.filter((e) => e.ref.startsWith('kb:vulnerability:')).map((e) => e.ref.slice('kb:vulnerability:'.length));
  const confirmed = confirmedKev(device, compiled);
  if (ids.some((id) => confirmed.has(id))) return fromFinding(f, 'flagged');
  const named = ids.join(', ');
  return {
    kind: 'firmware_build_date',
    verdict: 'incomplete',
    severity: null,
    why: {
      nl: `Firmware "${device.firmware}" is niet in het getroffen bereik te plaatsen van ${named}, die CISA als actief misbruikt noemt. Vraag de leverancier de builddatum (of exacte build) van de firmware.`,
      en: `Firmware "${device.firmware}" cannot be placed in the affected range of ${named}, which CISA lists as actively exploited. Ask the supplier for the firmware's build date (or exact build).`,
    },
    evidence: f.evidence,
    sources: f.sources,
    ...(f.uncertain !== undefined ? { uncertain: f.uncertain } : {}),
  };
}

function judged(findings: readonly Finding[], device: AssessDevice, compiled: CompiledKnowledge): Reason[] {
  const out: Reason[] = [];
  for (const f of findings) {
    const verdict = SCREEN_RULES[f.rule];
    if (f.rule === 'known_exploited_vulnerability') out.push(kevReason(f, device, compiled));
    else if (verdict === 'restricted' || verdict === 'flagged') out.push(fromFinding(f, verdict));
  }
  return out;
}

/**
 * A part by another maker than the main item (a Hikvision recorder with an Axis camera) is judged
 * by the same rules; without its firmware only the maker rules can speak about it.
 */
function partReasons(line: BidLine, main: Identity, input: ScreenInput, compiled: CompiledKnowledge): Reason[] {
  const out: Reason[] = [];
  for (const part of partsOf(line)) {
    const split = splitBrand(part, input.knowledge);
    if (split === null) continue;
    const partLine: BidLine = { ...line, brand: split.brand, manufacturer: null, model: split.model, firmware: null, components: null, description: null };
    const identity = identifyLine(partLine, input.knowledge);
    if (identity.manufacturer === null || identity.manufacturer === main.manufacturer) continue;
    const device = asDevice(partLine, identity);
    for (const r of judged(assessDevice(device, compiled, input.policy, input.now), device, compiled)) {
      out.push({
        ...r,
        why: { nl: `Onderdeel "${part}": ${r.why.nl}`, en: `Part "${part}": ${r.why.en}` },
        evidence: [{ ref: 'bid.part', value: part }, ...r.evidence],
      });
    }
  }
  return out;
}

const CHINA = /^(?:cn|chn|china|prc|volksrepubliek china|people'?s republic of china|made in china)$/i;

/** Informational: an origin in China for a maker the policy does not restrict changes nothing, but a reader should see it. */
function originNotes(line: BidLine, verdictReasons: readonly Reason[]): ScreenedLine['notes'] {
  if (line.origin === null || !CHINA.test(line.origin.trim()) || verdictReasons.some((r) => r.kind === 'restricted_manufacturer')) return [];
  return [{
    nl: `Land van herkomst "${line.origin}": het beleid beperkt deze fabrikant niet; ter informatie, geen oordeel.`,
    en: `Country of origin "${line.origin}": the policy does not restrict this maker; for information only, not a verdict.`,
  }];
}

function worst(reasons: readonly Reason[]): Verdict {
  return VERDICTS.find((v) => reasons.some((r) => r.verdict === v)) ?? 'clear';
}

export function screenBid(lines: readonly BidLine[], input: ScreenInput): Screening {
  const { kb, knowledge, policy, now } = input;
  const compiled = compileKnowledge(kb, policy);
  const screened = lines.map((given): ScreenedLine => {
    const line = separateBrand(given, knowledge);
    const identity = identifyLine(line, knowledge);
    const device = asDevice(line, identity);
    const findings = assessDevice(device, compiled, policy, now);
    const reasons = [...judged(findings, device, compiled), ...partReasons(line, identity, input, compiled)];
    reasons.push(...missingInformation(line, identity, findings, { knowledge, kb, policy }));
    return { line, maker: makerOf(identity, kb), verdict: worst(reasons), reasons, notes: originNotes(line, reasons) };
  });
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, screened.filter((s) => s.verdict === v).length])) as Record<Verdict, number>;
  return { screenedAt: now, kbVersion: kb.meta.version, policy: policy.name, lines: screened, counts };
}

/** Whether any line offers equipment of a maker the policy's adopted measures restrict. */
export function anyRestricted(screening: Screening): boolean {
  return screening.counts.restricted > 0;
}

/** Identification warnings no reason already quotes as its evidence. */
export function unquotedChecks(l: ScreenedLine): string[] {
  const quoted = new Set(l.reasons.flatMap((r) => r.evidence.filter((e) => e.ref === 'identify.check').map((e) => e.value)));
  return (l.maker?.checks ?? []).filter((c) => !quoted.has(c));
}
