// sensitive_placement: a place is not a fault, but a weakness at a sensitive place (public space,
// an office where officials work, a school) matters more than the same weakness in a depot. So
// the rule fires only where the device also has a security finding of at least medium severity,
// and names those findings. Legal and privacy findings do not count: they are about the place
// already, and counting them again would double their weight.
import { ruleSeverity } from '../policy.js';
import { SEVERITY_RANK, type AssessDevice, type Level, type RuleId } from '../types.js';
import type { CompiledKnowledge } from './knowledge.js';
import { Noun, SITE_CATEGORY_TEXT, draft, list, type Draft, type Text } from './text.js';

/** The security findings a sensitive place aggravates, with how the why text names them. */
const AGGRAVATED: ReadonlyMap<RuleId, Text> = new Map<RuleId, Text>([
  ['restricted_manufacturer', { nl: 'een fabrikant onder beperkende maatregelen', en: 'a manufacturer under restriction measures' }],
  ['known_exploited_vulnerability', { nl: 'een actief misbruikt lek', en: 'an actively exploited vulnerability' }],
  ['vulnerability', { nl: 'bekende lekken', en: 'known vulnerabilities' }],
  ['firmware_unknown', { nl: 'een onbekende firmwareversie', en: 'an unknown firmware version' }],
  ['internet_exposed', { nl: 'bereikbaarheid vanaf internet', en: 'reachability from the internet' }],
  ['vendor_cloud', { nl: 'een verbinding met de cloud van de fabrikant', en: 'a link to the manufacturer\'s cloud' }],
  ['not_activated', { nl: 'een niet-geactiveerd apparaat', en: 'a device that was never activated' }],
  ['telnet_open', { nl: 'een open telnetpoort', en: 'an open telnet port' }],
  ['end_of_support', { nl: 'een apparaat zonder ondersteuning', en: 'a device past its support period' }],
]);

const LEVELS: readonly Level[] = ['low', 'medium', 'high'];

/**
 * The text names the kind of place, not the site: the finding belongs to the device, whose site
 * every report shows, and one text per kind of place is shared by all devices there.
 * Likelihood: that of the most likely finding it aggravates (the place does not change how likely
 * an attack is). Impact high: what the device sees and reaches at such a place is the harm.
 */
export function sensitivePlacement(device: AssessDevice, k: CompiledKnowledge, others: readonly { rule: RuleId; draft: Draft }[]): Draft | null {
  const site = device.site;
  if (!site || !k.policy.sensitive_sites.includes(site.category)) return null;
  const serious = others.filter((o) => AGGRAVATED.has(o.rule) && SEVERITY_RANK[o.draft.severity] >= SEVERITY_RANK.medium);
  if (serious.length === 0) return null;
  const rules = serious.map((o) => o.rule);
  return k.memo('sensitive_placement', [device.kind, site.category, ...serious.flatMap((o) => [o.rule, o.draft.severity, o.draft.likelihood])], () => {
    const n = Noun(device.kind);
    const category = SITE_CATEGORY_TEXT[site.category];
    const named = { nl: list(rules.map((r) => AGGRAVATED.get(r)!.nl)).nl, en: list(rules.map((r) => AGGRAVATED.get(r)!.en)).en };
    const one = serious.length === 1;
    return draft({
      severity: ruleSeverity(k.policy, 'sensitive_placement', 'low'),
      likelihood: serious.map((o) => o.draft.likelihood).reduce((a, b) => (LEVELS.indexOf(b) > LEVELS.indexOf(a) ? b : a)),
      impact: 'high',
      why: {
        nl: `${n.nl} hangt op een plek die het beleid gevoelig noemt (${category.nl}). Daar weegt ${one ? 'deze bevinding' : 'elk van deze bevindingen'} zwaarder: ${named.nl}. Pak ${one ? 'die' : 'ze'} hier met voorrang aan.`,
        en: `${n.en} is at a place the policy calls sensitive (${category.en}). There ${one ? 'this finding weighs' : 'each of these findings weighs'} more: ${named.en}. Deal with ${one ? 'it' : 'them'} here first.`,
      },
      evidence: [
        { ref: 'site.category', value: site.category },
        { ref: 'policy.sensitive_sites', value: k.policy.sensitive_sites.join(', ') },
        ...serious.map((o) => ({ ref: `finding:${o.rule}`, value: o.draft.severity })),
      ],
      sources: [],
      action: 'review',
    });
  });
}
