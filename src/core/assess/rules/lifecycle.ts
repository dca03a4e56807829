// Rules about what is known of the device itself: its age against the policy's support period,
// and whether its maker is known with enough confidence for the other rules to mean anything.
import { brandFromText } from '../../../kb/query.js';
import type { Brand } from '../../../kb/schema.js';
import { ruleSeverity, type Policy } from '../policy.js';
import type { AssessDevice, Level } from '../types.js';
import type { CompiledKnowledge, MakerFacts } from './knowledge.js';
import { Noun, brandEvidence, draft, list, noun, OR, raised, recordDoubt, sourceRefs, uncertainty, type Rule, type Text } from './text.js';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

interface Cutoff {
  day: string;
  time: number;
}

/** The assessment date minus the support period: devices installed before it are past support. */
function supportCutoff(policy: Policy, now: string): Cutoff {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - Math.round(policy.thresholds.support_years * 12));
  return { day: d.toISOString().slice(0, 10), time: d.getTime() };
}

function installedBefore(installed: string | null, cutoff: Cutoff): boolean | null {
  if (!installed) return null;
  // A plain date compares as text; anything else is parsed.
  if (ISO_DAY.test(installed)) return installed < cutoff.day;
  const time = Date.parse(installed);
  return Number.isNaN(time) ? null : time < cutoff.time;
}

/**
 * Whether the device is older than the policy's support period; null when its install date is
 * unknown or unreadable. A period of 7.5 years counts as 90 months. The cut-off is computed once
 * per assessment date, not once per device.
 */
export function pastSupport(device: AssessDevice, k: CompiledKnowledge, now: string): boolean | null {
  return installedBefore(device.installDate, k.memo('shared', ['support-cutoff', now], () => supportCutoff(k.policy, now)));
}

/**
 * end_of_support. Likelihood medium: past this age makers stop shipping security updates, so new
 * flaws stay open. Impact medium: the age alone says nothing of what an attacker could reach.
 */
export const endOfSupport: Rule = (device, k, now) => {
  if (pastSupport(device, k, now) !== true) return null;
  const installed = device.installDate!.slice(0, 10);
  return k.memo('end_of_support', [device.kind, installed], () => {
    const years = k.policy.thresholds.support_years;
    const n = Noun(device.kind);
    return draft({
      severity: ruleSeverity(k.policy, 'end_of_support', 'medium'),
      likelihood: 'medium',
      impact: 'medium',
      why: {
        nl: `${n.nl} is geplaatst op ${installed} en is daarmee ouder dan ${years} jaar, de termijn die het beleid voor ondersteuning aanhoudt. Apparaten van die leeftijd krijgen meestal geen beveiligingsupdates meer. Plan vervanging.`,
        en: `${n.en} was installed on ${installed} and is older than ${years} years, the support period the policy assumes. Devices of that age usually no longer get security updates. Plan its replacement.`,
      },
      evidence: [
        { ref: 'device.installDate', value: installed },
        { ref: 'policy.thresholds.support_years', value: String(years) },
      ],
      sources: [],
      action: 'replace',
    });
  });
};

/** What the KB says of a label: the makers its brand record names, and those the policy restricts. */
interface BrandHint {
  record: Brand;
  makers: readonly MakerFacts[];
  restricted: readonly MakerFacts[];
}

function brandHint(brand: string, k: CompiledKnowledge): BrandHint | null {
  const record = brandFromText(k.kb, brand)[0];
  if (!record) return null;
  const makers = [record.vendor, ...(record.vendor_alternatives ?? [])].map((id) => k.maker(id));
  return { record, makers, restricted: makers.filter((m) => m.measures.length > 0) };
}

const CONFIDENCE_NL: Readonly<Record<Level, string>> = { high: 'hoog', medium: 'middel', low: 'laag' };

function hintText(brand: string, hint: BrandHint): Text {
  const or = list(hint.makers.map((m) => m.name), OR);
  const text: Text = {
    nl: ` De kennisbank koppelt het merk ${brand} aan ${or.nl} (zekerheid: ${CONFIDENCE_NL[hint.record.confidence]}).`,
    en: ` The knowledge base links the brand ${brand} to ${or.en} (${hint.record.confidence} confidence).`,
  };
  if (hint.restricted.length === 0) return text;
  const names = list(hint.restricted.map((m) => m.name));
  const one = hint.restricted.length === 1;
  return {
    nl: `${text.nl} ${names.nl} ${one ? 'valt' : 'vallen'} onder een maatregel die de gemeente volgt; daarom weegt deze bevinding zwaarder.`,
    en: `${text.en} ${names.en} ${one ? 'is' : 'are'} named in a measure the municipality adopts, so this finding weighs more.`,
  };
}

/**
 * manufacturer_unidentified. Likelihood and impact medium: the risk is not known to be there, but
 * without a maker the restriction and vulnerability rules cannot clear the device either. A maker
 * recorded without a confidence was stated by a person and is taken as known. When the KB links
 * the label to a maker (an OEM brand such as Swann or LTS), the finding names that maker as a lead
 * to check, not as a verdict; and when the policy restricts that maker, the finding is one step
 * more serious than the policy's severity, because the device may well be restricted.
 */
export const manufacturerUnidentified: Rule = (device, k) => {
  const min = k.policy.thresholds.min_identity_confidence;
  const confidence = device.identityConfidence;
  if (device.manufacturer && (confidence === null || confidence >= min)) return null;
  const pct = confidence === null ? null : Math.round(confidence * 100);
  return k.memo('manufacturer_unidentified', [device.kind, device.manufacturer, pct, device.brand], () => {
    const n = noun(device.kind);
    const N = Noun(device.kind);
    const hint = device.brand ? brandHint(device.brand, k) : null;
    const lead = hint && device.brand ? hintText(device.brand, hint) : { nl: '', en: '' };
    const label = device.brand ? { nl: ` Op het label staat ${device.brand}.${lead.nl}`, en: ` The label says ${device.brand}.${lead.en}` } : { nl: '', en: '' };
    const why = device.manufacturer
      ? {
          nl: `De fabrikant van ${n.nl} (${device.manufacturer}) is vastgesteld met een zekerheid van ${pct}%, onder de ${Math.round(min * 100)}% die het beleid vraagt.${label.nl} Controleer de fabrikant, bijvoorbeeld met een netwerkscan.`,
          en: `The manufacturer of ${n.en} (${device.manufacturer}) was identified with ${pct}% confidence, below the ${Math.round(min * 100)}% the policy requires.${label.en} Check the manufacturer, for example with a network scan.`,
        }
      : {
          nl: `${N.nl}: de fabrikant is onbekend.${label.nl} Zonder fabrikant is niet na te gaan of beperkende maatregelen of bekende lekken gelden. Stel de fabrikant vast, bijvoorbeeld met een netwerkscan.`,
          en: `${N.en}: the manufacturer is unknown.${label.en} Without a known manufacturer, restriction measures and known vulnerabilities cannot be checked. Identify the manufacturer, for example with a network scan.`,
        };
    const severity = ruleSeverity(k.policy, 'manufacturer_unidentified', 'low');
    const restricted = hint?.restricted ?? [];
    return draft({
      severity: restricted.length > 0 ? raised(severity) : severity,
      likelihood: 'medium',
      impact: 'medium',
      why,
      evidence: [
        { ref: 'device.manufacturer', value: device.manufacturer ?? '(none)' },
        ...(pct !== null ? [{ ref: 'device.identityConfidence', value: String(pct / 100) }] : []),
        ...(device.brand ? [{ ref: 'device.brand', value: device.brand }] : []),
        ...(hint ? [brandEvidence(hint.record)] : []),
        ...restricted.map((m) => ({ ref: `kb:vendor:${m.id}`, value: `named in adopted measures: ${m.measures.map((r) => r.id).join(', ')}` })),
        { ref: 'policy.thresholds.min_identity_confidence', value: String(min) },
      ],
      sources: hint ? sourceRefs(hint.record.sources, ...restricted.flatMap((m) => m.measures.map((r) => r.sources))) : [],
      action: 'identify',
      uncertain: hint
        ? uncertainty([
            `the label ${device.brand} points to ${hint.makers.map((m) => m.id).join(' or ')} (kb:brand:${hint.record.id}: ${hint.record.relationship}, ${hint.record.confidence} confidence); a label alone does not prove the maker, so verify it on the device`,
            recordDoubt('brand', hint.record.id, hint.record),
          ])
        : undefined,
    });
  });
};
