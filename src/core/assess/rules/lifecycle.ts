// Rules about what is known of the device itself: its age against the policy's support period,
// and whether its maker is known with enough confidence for the other rules to mean anything.
import { ruleSeverity, type Policy } from '../policy.js';
import type { AssessDevice } from '../types.js';
import type { CompiledKnowledge } from './knowledge.js';
import { Noun, draft, noun, type Rule } from './text.js';

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

/**
 * manufacturer_unidentified. Likelihood and impact medium: the risk is not known to be there, but
 * without a maker the restriction and vulnerability rules cannot clear the device either. A maker
 * recorded without a confidence was stated by a person and is taken as known.
 */
export const manufacturerUnidentified: Rule = (device, k) => {
  const min = k.policy.thresholds.min_identity_confidence;
  const confidence = device.identityConfidence;
  if (device.manufacturer && (confidence === null || confidence >= min)) return null;
  const pct = confidence === null ? null : Math.round(confidence * 100);
  return k.memo('manufacturer_unidentified', [device.kind, device.manufacturer, pct, device.brand], () => {
    const n = noun(device.kind);
    const N = Noun(device.kind);
    const label = device.brand ? { nl: ` Op het label staat ${device.brand}.`, en: ` The label says ${device.brand}.` } : { nl: '', en: '' };
    const why = device.manufacturer
      ? {
          nl: `De fabrikant van ${n.nl} (${device.manufacturer}) is vastgesteld met een zekerheid van ${pct}%, onder de ${Math.round(min * 100)}% die het beleid vraagt.${label.nl} Controleer de fabrikant, bijvoorbeeld met een netwerkscan.`,
          en: `The manufacturer of ${n.en} (${device.manufacturer}) was identified with ${pct}% confidence, below the ${Math.round(min * 100)}% the policy requires.${label.en} Check the manufacturer, for example with a network scan.`,
        }
      : {
          nl: `${N.nl}: de fabrikant is onbekend.${label.nl} Zonder fabrikant is niet na te gaan of beperkende maatregelen of bekende lekken gelden. Stel de fabrikant vast, bijvoorbeeld met een netwerkscan.`,
          en: `${N.en}: the manufacturer is unknown.${label.en} Without it, restriction measures and known vulnerabilities cannot be checked. Identify the manufacturer, for example with a network scan.`,
        };
    return draft({
      severity: ruleSeverity(k.policy, 'manufacturer_unidentified', 'low'),
      likelihood: 'medium',
      impact: 'medium',
      why,
      evidence: [
        { ref: 'device.manufacturer', value: device.manufacturer ?? '(none)' },
        ...(pct !== null ? [{ ref: 'device.identityConfidence', value: String(pct / 100) }] : []),
        ...(device.brand ? [{ ref: 'device.brand', value: device.brand }] : []),
        { ref: 'policy.thresholds.min_identity_confidence', value: String(min) },
      ],
      sources: [],
      action: 'identify',
    });
  });
};
