// Rules about known vulnerabilities: one CISA KEV-listed (actively exploited) in the device's model
// family and firmware range, other known CVEs, and a firmware version that is not recorded (or
// only as a placeholder such as `onbekend`) for a maker with known vulnerabilities. A model in an
// affected family whose firmware is unknown is not accused of a vulnerability; firmware_unknown
// names the family instead.
import type { Vulnerability } from '../../../kb/schema.js';
import { matchFamily, normaliseModel, parseFirmware, rangeContains, type AffectedFamily, type AffectedRange, type Firmware } from '../firmware.js';
import { ruleSeverity } from '../policy.js';
import type { AssessDevice, FindingEvidence, Level, Severity } from '../types.js';
import type { CompiledKnowledge } from './knowledge.js';
import { pastSupport } from './lifecycle.js';
import { Noun, draft, list, noun, sourceRefs, uncertainty, type Rule, type Text } from './text.js';

interface VulnMatch {
  record: Vulnerability;
  family: AffectedFamily;
  /** affected: in the range; unchecked: family matches, firmware not placeable; no_firmware: none recorded. */
  verdict: 'affected' | 'unchecked' | 'no_firmware';
  doubt: string | null;
}

/**
 * The device's firmware as read; null when none is recorded or the text is a placeholder such as
 * `onbekend` or `n/a`, which says no more than an empty field (firmware_unknown covers both).
 */
function readFirmware(device: AssessDevice, k: CompiledKnowledge): Firmware | null {
  const text = device.firmware;
  return text === null ? null : k.memo('shared', ['firmware', text], () => parseFirmware(text));
}

/** What to check on the device when its firmware cannot be placed in a range. */
function toCheck(range: AffectedRange, fw: Firmware): string {
  return range.kind === 'built_before' ? 'build date' : fw.numbers.length === 0 ? 'version' : 'build';
}

/** The maker's vulnerabilities whose families include the device's model, with the firmware verdict. */
function matches(device: AssessDevice, k: CompiledKnowledge): readonly VulnMatch[] {
  const { manufacturer, model, firmware } = device;
  if (!manufacturer || !model) return [];
  return k.memo('shared', ['vulns', manufacturer, model, firmware], () => {
    const normalised = normaliseModel(model);
    const fw = readFirmware(device, k);
    const out: VulnMatch[] = [];
    for (const { record, affected } of k.maker(manufacturer).vulnerabilities) {
      const family = matchFamily(affected, normalised);
      if (!family) continue;
      if (!fw) {
        out.push({ record, family, verdict: 'no_firmware', doubt: null });
        continue;
      }
      const inRange = family.range ? rangeContains(family.range, fw) : null;
      if (inRange === false) continue;
      const doubt = inRange === true ? null
        : !family.range ? `${record.id}: the record gives no firmware range that can be checked ("${record.affected.as_given}"); only the model family ${family.family} was matched`
        : `${record.id}: firmware "${firmware}" cannot be placed in "${family.range.text}"; check the device's ${toCheck(family.range, fw)}`;
      out.push({ record, family, verdict: inRange === true ? 'affected' : 'unchecked', doubt: uncertainty([doubt, family.note]) ?? null });
    }
    return out.sort((a, b) => (a.record.id < b.record.id ? -1 : a.record.id > b.record.id ? 1 : 0));
  });
}

function modelAndFirmware(device: AssessDevice): Text {
  const n = Noun(device.kind);
  return { nl: `${n.nl} (${device.model}, firmware ${device.firmware})`, en: `${n.en} (${device.model}, firmware ${device.firmware})` };
}

function rangeSentence(found: readonly VulnMatch[]): Text {
  if (found.every((m) => m.verdict === 'affected')) {
    const ranges = found.map((m) => `${m.record.id}: ${m.family.range!.text}`).join('; ');
    return { nl: ` De firmware valt in het getroffen bereik (${ranges}).`, en: ` The firmware is in the affected range (${ranges}).` };
  }
  return { nl: ' Of de firmware in het getroffen bereik valt, is niet zeker (zie de onzekerheden): controleer het.', en: ' Whether the firmware is in the affected range is not certain (see the uncertainties): check it.' };
}

function matchEvidence(device: AssessDevice, found: readonly VulnMatch[], describe: (m: VulnMatch) => string): FindingEvidence[] {
  return [
    { ref: 'device.model', value: device.model ?? '' },
    { ref: 'device.firmware', value: device.firmware ?? '(none)' },
    ...found.map((m) => ({ ref: `kb:vulnerability:${m.record.id}`, value: `${describe(m)}; ${m.family.family}: ${m.family.range?.text ?? 'no firmware range given'}` })),
  ];
}

// The KB says a fix will not come when a record's text says so; no shipped record does today,
// but an organisation's own KB may.
const NO_FIX = /\b(?:no (?:fix|patch)|end[- ]of[- ](?:life|support)|will not be (?:fixed|patched))\b/i;

function noFix(r: Vulnerability): boolean {
  return [r.title, r.affected.as_given, r.exploitation.detail, r.dispute ?? ''].some((t) => NO_FIX.test(t));
}

/**
 * known_exploited_vulnerability. Likelihood high: CISA lists it because attackers use it. Impact
 * high: these flaws give control of the device (and with it the video and a network foothold).
 * Action: update the firmware, or replace when no fix exists or the device is past its support age.
 */
export const knownExploitedVulnerability: Rule = (device, k, now) => {
  const found = matches(device, k).filter((m) => m.record.kev.listed && m.verdict !== 'no_firmware');
  if (found.length === 0) return null;
  const unfixable = found.some((m) => noFix(m.record));
  const old = pastSupport(device, k, now) === true;
  return k.memo('known_exploited_vulnerability', [device.kind, device.manufacturer, device.model, device.firmware, unfixable, old ? device.installDate : null], () => {
    const subject = modelAndFirmware(device);
    const ids = list(found.map((m) => m.record.id));
    const one = found.length === 1;
    const bypass = found.some((m) => m.record.auth_bypass === 'yes')
      ? { nl: ' Een aanvaller kan daarmee zonder wachtwoord binnenkomen.', en: ' An attacker can use it to get in without a password.' }
      : { nl: '', en: '' };
    const years = k.policy.thresholds.support_years;
    const todo = unfixable
      ? { nl: ' Volgens de kennisbank komt er geen oplossing: vervang het apparaat.', en: ' According to the knowledge base no fix will come: replace the device.' }
      : old
        ? { nl: ` Het apparaat is ouder dan ${years} jaar en krijgt waarschijnlijk geen updates meer: vervang het.`, en: ` The device is older than ${years} years and is unlikely to get updates: replace it.` }
        : { nl: ' Werk de firmware bij naar een versie met de oplossing.', en: ' Update the firmware to a version with the fix.' };
    const range = rangeSentence(found);
    return draft({
      severity: ruleSeverity(k.policy, 'known_exploited_vulnerability', 'critical'),
      likelihood: 'high',
      impact: 'high',
      why: {
        nl: `${subject.nl} heeft ${one ? 'een lek dat' : 'lekken die'} volgens de Amerikaanse cyberveiligheidsdienst CISA actief ${one ? 'wordt' : 'worden'} misbruikt: ${ids.nl}.${bypass.nl}${range.nl}${todo.nl}`,
        en: `${subject.en} has ${one ? 'a vulnerability' : 'vulnerabilities'} that the US cyber-security agency CISA lists as actively exploited: ${ids.en}.${bypass.en}${range.en}${todo.en}`,
      },
      evidence: [
        ...matchEvidence(device, found, (m) => `CISA KEV${m.record.kev.date_added ? ` since ${m.record.kev.date_added}` : ''}`),
        ...(old && !unfixable ? [{ ref: 'device.installDate', value: device.installDate ?? '' }] : []),
      ],
      sources: sourceRefs(...found.map((m) => m.record.sources)),
      action: unfixable || old ? 'replace' : 'update_firmware',
      uncertain: uncertainty(found.map((m) => m.doubt)),
    });
  });
};

function highestScore(r: Vulnerability): number | null {
  return r.cvss.length === 0 ? null : Math.max(...r.cvss.map((c) => c.base_score));
}

const EXPLOITATION_LIKELIHOOD: Readonly<Record<Vulnerability['exploitation']['status'], Level>> = { active: 'high', poc: 'medium', none_reported: 'low', unknown: 'low' };
const LEVEL_ORDER: readonly Level[] = ['low', 'medium', 'high'];

/**
 * vulnerability. Severity from the highest CVSS base score (policy thresholds; 4.0 is CVSS's own
 * medium boundary) unless the policy fixes one; medium when no score is recorded. Likelihood from
 * the most serious exploitation status the KB records (public exploit code: medium, active: high).
 * Impact from the highest score, the way CVSS itself rates consequences.
 */
export const vulnerability: Rule = (device, k) => {
  const found = matches(device, k).filter((m) => !m.record.kev.listed && m.verdict !== 'no_firmware');
  if (found.length === 0) return null;
  return k.memo('vulnerability', [device.kind, device.manufacturer, device.model, device.firmware], () => {
    const { cvss_critical, cvss_high } = k.policy.thresholds;
    const scores = found.map((m) => highestScore(m.record)).filter((s): s is number => s !== null);
    const max = scores.length > 0 ? Math.max(...scores) : null;
    const bySeverity: Severity = max === null ? 'medium' : max >= cvss_critical ? 'critical' : max >= cvss_high ? 'high' : max >= 4 ? 'medium' : 'low';
    const impact: Level = max === null ? 'medium' : max >= cvss_high ? 'high' : max >= 4 ? 'medium' : 'low';
    const likelihood = found.map((m) => EXPLOITATION_LIKELIHOOD[m.record.exploitation.status]).reduce((a, b) => (LEVEL_ORDER.indexOf(b) > LEVEL_ORDER.indexOf(a) ? b : a));
    const items = found.map((m) => {
      const s = highestScore(m.record);
      return { nl: `${m.record.id} (${s === null ? 'geen CVSS-score bekend' : `CVSS ${s}`})`, en: `${m.record.id} (${s === null ? 'no CVSS score known' : `CVSS ${s}`})` };
    });
    const one = found.length === 1;
    const worst = max === null ? { nl: '', en: '' }
      : one ? { nl: ` De CVSS-score is ${max} van 10.`, en: ` Its CVSS score is ${max} out of 10.` }
      : { nl: ` Het ernstigste heeft CVSS-score ${max} van 10.`, en: ` The most serious has a CVSS score of ${max} out of 10.` };
    const subject = modelAndFirmware(device);
    const range = rangeSentence(found);
    return draft({
      severity: k.policy.rules.vulnerability?.severity ?? bySeverity,
      likelihood,
      impact,
      why: {
        nl: `${subject.nl} heeft ${one ? 'een bekend lek' : `${found.length} bekende lekken`}: ${list(items.map((i) => i.nl)).nl}.${worst.nl}${range.nl} Werk de firmware bij.`,
        en: `${subject.en} has ${one ? 'a known vulnerability' : `${found.length} known vulnerabilities`}: ${list(items.map((i) => i.en)).en}.${worst.en}${range.en} Update the firmware.`,
      },
      evidence: matchEvidence(device, found, (m) => `CVSS ${highestScore(m.record) ?? 'not recorded'}`),
      sources: sourceRefs(...found.map((m) => m.record.sources)),
      action: 'update_firmware',
      uncertain: uncertainty([...found.map((m) => m.doubt), max === null ? `no CVSS score is recorded for ${found.map((m) => m.record.id).join(', ')}; severity set to medium` : null]),
    });
  });
};

/**
 * firmware_unknown. Likelihood and impact medium: with known flaws at this maker, an unrecorded
 * version may well be an unpatched one. Both high when the model is in an actively exploited
 * family, because then the unknown version may be the exploited one.
 */
export const firmwareUnknown: Rule = (device, k) => {
  if (readFirmware(device, k) || !device.manufacturer) return null;
  const maker = k.maker(device.manufacturer);
  if (maker.vulnerabilities.length === 0 && maker.measures.length === 0) return null;
  const recorded = device.firmware?.trim() || null;
  return k.memo('firmware_unknown', [device.kind, maker.id, device.model, recorded], () => {
    const family = matches(device, k);
    const kev = family.filter((m) => m.record.kev.listed);
    const other = family.filter((m) => !m.record.kev.listed);
    const n = noun(device.kind);
    const reason = maker.vulnerabilities.length > 0
      ? { nl: ` ${maker.name} heeft bekende lekken in de kennisbank; zonder versie is niet na te gaan of dit apparaat is bijgewerkt.`, en: ` ${maker.name} has known vulnerabilities in the knowledge base; without a version it cannot be checked whether this device was updated.` }
      : { nl: ` ${maker.name} valt onder een maatregel die de gemeente volgt; zonder versie is de staat van het apparaat niet na te gaan.`, en: ` ${maker.name} is named in a measure the municipality adopts; without a version the device's state cannot be checked.` };
    const kevIds = list(kev.map((m) => m.record.id));
    const kevPart = kev.length > 0
      ? { nl: ` Het model ${device.model} valt in een reeks met een lek dat actief wordt misbruikt (${kevIds.nl}).`, en: ` The model ${device.model} belongs to a series with an actively exploited vulnerability (${kevIds.en}).` }
      : { nl: '', en: '' };
    const otherIds = list(other.map((m) => m.record.id));
    const otherPart = other.length > 0 ? { nl: ` Andere bekende lekken voor dit model: ${otherIds.nl}.`, en: ` Other known vulnerabilities for this model: ${otherIds.en}.` } : { nl: '', en: '' };
    const cited = family.length > 0 ? family.map((m) => m.record.sources) : maker.vulnerabilities.length > 0 ? maker.vulnerabilities.map((v) => v.record.sources.slice(0, 1)) : maker.measures.map((r) => r.sources.slice(0, 1));
    return draft({
      severity: ruleSeverity(k.policy, 'firmware_unknown', 'low'),
      likelihood: kev.length > 0 ? 'high' : 'medium',
      impact: kev.length > 0 ? 'high' : 'medium',
      why: {
        nl: `${recorded ? `Van ${n.nl} is geen leesbare firmwareversie vastgelegd (in het register staat "${recorded}").` : `Van ${n.nl} is geen firmwareversie vastgelegd.`}${reason.nl}${kevPart.nl}${otherPart.nl} Lees de firmwareversie uit en werk de firmware zo nodig bij.`,
        en: `${recorded ? `No readable firmware version is recorded for ${n.en} (the register says "${recorded}").` : `No firmware version is recorded for ${n.en}.`}${reason.en}${kevPart.en}${otherPart.en} Read the firmware version and update the firmware where needed.`,
      },
      evidence: [
        { ref: 'device.firmware', value: recorded ?? '(none)' },
        { ref: 'device.manufacturer', value: maker.id },
        ...(device.model ? [{ ref: 'device.model', value: device.model }] : []),
        ...family.map((m) => ({ ref: `kb:vulnerability:${m.record.id}`, value: `${m.record.kev.listed ? 'CISA KEV; ' : ''}${m.family.family}: ${m.family.range?.text ?? 'no firmware range given'}` })),
        ...(family.length === 0 && maker.vulnerabilities.length > 0 ? [{ ref: `kb:vendor:${maker.id}`, value: `known vulnerabilities: ${maker.vulnerabilities.map((v) => v.record.id).join(', ')}` }] : []),
        ...(maker.vulnerabilities.length === 0 ? maker.measures.map((r) => ({ ref: `kb:restriction:${r.id}`, value: `names ${maker.id}` })) : []),
      ],
      sources: sourceRefs(...cited),
      action: 'update_firmware',
    });
  });
};
