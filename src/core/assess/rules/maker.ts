// Rules about who made the device: a maker named in a restriction measure the organisation adopts,
// and a maker whose human-rights involvement the adopted measures document. Both read the true
// maker (identification's verdict), so a Hikvision sold as LTS or HiWatch is judged as Hikvision,
// and both say which label it was sold under, with the KB brand record as evidence. A label the
// KB does not link to the maker is reported as such, never as a brand of the maker; and a maker
// identified with less confidence than the policy asks for is marked for checking.
import { brandFromText, vendorFromText } from '../../../kb/query.js';
import type { Brand, LegalGround, Restriction } from '../../../kb/schema.js';
import { nameKey } from '../../../kb/text-index.js';
import { ruleSeverity } from '../policy.js';
import type { AssessDevice, FindingEvidence } from '../types.js';
import type { CompiledKnowledge, MakerFacts } from './knowledge.js';
import { Noun, brandEvidence, draft, measureDoubt, measureLabel, recordDoubt, sourceRefs, uncertainty, type Rule, type Text } from './text.js';

/** The label the device was sold under, when it is not the maker's own name. */
interface Label {
  text: string;
  /** The KB record linking the label to the maker; null when the KB has none. */
  record: Brand | null;
  /** When no record links the label to the maker: the KB's record for the label, whoever it names. */
  unlinked: Brand | null;
}

function soldAs(device: AssessDevice, maker: MakerFacts, k: CompiledKnowledge): Label | null {
  const brand = device.brand;
  if (!brand) return null;
  return k.memo('shared', ['label', maker.id, brand], () => {
    if (nameKey(brand) === nameKey(maker.name)) return null;
    const record = k.brand(brand, maker.id);
    // The maker's own name spelt otherwise ("Hangzhou Hikvision Digital Technology"): no other label.
    if (record) return nameKey(record.brand) === nameKey(maker.name) ? null : { text: brand, record, unlinked: null };
    if (vendorFromText(k.kb, brand) === maker.id) return null;
    return { text: brand, record: null, unlinked: brandFromText(k.kb, brand)[0] ?? null };
  });
}

function labelEvidence(device: AssessDevice, label: Label | null): FindingEvidence[] {
  const out: FindingEvidence[] = [];
  if (device.brand) out.push({ ref: 'device.brand', value: device.brand });
  const b = label?.record ?? label?.unlinked;
  if (b) out.push(brandEvidence(b));
  return out;
}

/** Identification's confidence in percent when it is below the policy's minimum; null otherwise. */
function weakIdentity(device: AssessDevice, k: CompiledKnowledge): number | null {
  const c = device.identityConfidence;
  return c !== null && c < k.policy.thresholds.min_identity_confidence ? Math.round(c * 100) : null;
}

function identityEvidence(weak: number | null): FindingEvidence[] {
  return weak === null ? [] : [{ ref: 'device.identityConfidence', value: String(weak / 100) }];
}

function identityDoubt(maker: MakerFacts, weak: number | null, k: CompiledKnowledge): string | null {
  const min = Math.round(k.policy.thresholds.min_identity_confidence * 100);
  return weak === null ? null : `identification gives ${maker.id} with ${weak}% confidence, below the ${min}% the policy requires; verify the manufacturer before acting on this finding`;
}

/**
 * "…is gemaakt door Hikvision (verkocht onder het merk LTS)." A label the KB does not link to the
 * maker is named as what it is; a weak identification is called probable, with its confidence.
 */
function madeBy(device: AssessDevice, maker: MakerFacts, label: Label | null, weak: number | null, k: CompiledKnowledge): Text {
  const n = Noun(device.kind);
  const min = Math.round(k.policy.thresholds.min_identity_confidence * 100);
  const who = weak === null
    ? { nl: `${n.nl} is gemaakt door ${maker.name}`, en: `${n.en} was made by ${maker.name}` }
    : { nl: `${n.nl} is waarschijnlijk gemaakt door ${maker.name} (vastgesteld met een zekerheid van ${weak}%, onder de ${min}% die het beleid vraagt)`, en: `${n.en} was probably made by ${maker.name} (identified with ${weak}% confidence, below the ${min}% the policy requires)` };
  if (!label) return { nl: `${who.nl}.`, en: `${who.en}.` };
  if (label.record) return { nl: `${who.nl} (verkocht onder het merk ${label.text}).`, en: `${who.en} (sold under the brand ${label.text}).` };
  return {
    nl: `${who.nl}. Op het label staat ${label.text}; de kennisbank legt geen verband tussen ${label.text} en ${maker.name}.`,
    en: `${who.en}. The label says ${label.text}, which the knowledge base does not link to ${maker.name}.`,
  };
}

function measureEvidence(measures: readonly Restriction[], maker: MakerFacts): FindingEvidence[] {
  const ids = new Set([maker.id, ...maker.parents.map((p) => p.id)]);
  return measures.map((r) => ({ ref: `kb:restriction:${r.id}`, value: `names ${r.vendors.filter((v) => ids.has(v)).join(', ')}; ${r.scope.join(', ')}; ${r.status}` }));
}

/** The parent a measure names instead of the maker itself, if any. */
function viaParent(measures: readonly Restriction[], maker: MakerFacts): Text | null {
  if (measures.every((r) => r.vendors.includes(maker.id))) return null;
  const parent = maker.parents.find((p) => measures.some((r) => r.vendors.includes(p.id)));
  return parent ? { nl: ` ${maker.name} hoort bij ${parent.name}.`, en: ` ${maker.name} belongs to ${parent.name}.` } : null;
}

function measuresName(measures: readonly Restriction[]): Text {
  const labels = measures.map((r) => `"${measureLabel(r)}"`);
  return measures.length === 1
    ? { nl: `De maatregel ${labels[0]} noemt deze fabrikant.`, en: `The measure ${labels[0]} names this manufacturer.` }
    : { nl: `${measures.length} maatregelen noemen deze fabrikant: ${labels.join('; ')}.`, en: `${measures.length} measures name this manufacturer: ${labels.join('; ')}.` };
}

/**
 * restricted_manufacturer. Likelihood medium: governments restrict these makers for the access
 * their legal duties and track record could give, not for a proven backdoor in this device.
 * Impact high: a compromised camera shows what it films and is a foothold in the network.
 */
export const restrictedManufacturer: Rule = (device, k) => {
  if (!device.manufacturer) return null;
  const maker = k.maker(device.manufacturer);
  if (maker.measures.length === 0) return null;
  const label = soldAs(device, maker, k);
  const weak = weakIdentity(device, k);
  return k.memo('restricted_manufacturer', [device.kind, maker.id, device.brand, weak], () => {
    const { measures } = maker;
    const made = madeBy(device, maker, label, weak, k);
    const parent = viaParent(measures, maker);
    const named = measuresName(measures);
    const one = measures.length === 1;
    return draft({
      severity: ruleSeverity(k.policy, 'restricted_manufacturer', 'high'),
      likelihood: 'medium',
      impact: 'high',
      why: {
        nl: `${made.nl}${parent?.nl ?? ''} ${named.nl} De gemeente volgt ${one ? 'deze maatregel' : 'deze maatregelen'} in haar beleid: vervang het apparaat.`,
        en: `${made.en}${parent?.en ?? ''} ${named.en} The municipality's policy adopts ${one ? 'this measure' : 'these measures'}: replace the device.`,
      },
      evidence: [
        { ref: 'device.manufacturer', value: maker.id },
        ...identityEvidence(weak),
        ...labelEvidence(device, label),
        ...(parent ? [{ ref: `kb:vendor:${maker.id}`, value: `parent: ${maker.parents.map((p) => p.id).join(' → ')}` }] : []),
        ...measureEvidence(measures, maker),
        { ref: 'policy.measures', value: measures.map((r) => r.id).join(', ') },
      ],
      sources: sourceRefs(...measures.map((r) => r.sources), label?.record?.sources ?? []),
      action: 'replace',
      uncertain: uncertainty([identityDoubt(maker, weak, k), ...measures.map(measureDoubt), label?.record ? recordDoubt('brand', label.record.id, label.record) : null]),
    });
  });
};

function legalDoubt(l: LegalGround): string | null {
  return l.verify ? `legal ${l.id}: rests on a secondary source or a text not re-read; verify before quoting` : null;
}

/**
 * human_rights. Likelihood high: the involvement is documented, not a possibility. Impact
 * medium: the harm is ethical and to the municipality's standing, not to its systems.
 */
export const humanRights: Rule = (device, k) => {
  if (!device.manufacturer) return null;
  const maker = k.maker(device.manufacturer);
  if (maker.humanRights.length === 0) return null;
  const label = soldAs(device, maker, k);
  const weak = weakIdentity(device, k);
  return k.memo('human_rights', [device.kind, maker.id, device.brand, weak], () => {
    const { humanRights: measures, xinjiang } = maker;
    const made = madeBy(device, maker, label, weak, k);
    const labels = measures.map((r) => `"${measureLabel(r)}"`).join('; ');
    const count = measures.length === 1 ? { nl: 'een maatregel', en: 'a measure' } : { nl: `${measures.length} maatregelen`, en: `${measures.length} measures` };
    const where = xinjiang.length > 0 ? { nl: ' in Xinjiang (China)', en: ' in Xinjiang (China)' } : { nl: '', en: '' };
    const documented = xinjiang.length > 0
      ? { nl: ` De kennisbank beschrijft die rol met ${xinjiang.length} gedocumenteerde ${xinjiang.length === 1 ? 'bron' : 'bronnen'}.`, en: ` The knowledge base describes that role in ${xinjiang.length} documented ${xinjiang.length === 1 ? 'record' : 'records'}.` }
      : { nl: '', en: '' };
    return draft({
      severity: ruleSeverity(k.policy, 'human_rights', 'medium'),
      likelihood: 'high',
      impact: 'medium',
      why: {
        nl: `${made.nl} Deze fabrikant wordt genoemd in ${count.nl} vanwege betrokkenheid bij mensenrechtenschendingen${where.nl}: ${labels}.${documented.nl} Beoordeel of de gemeente deze leverancier wil blijven gebruiken.`,
        en: `${made.en} This manufacturer is named in ${count.en} for involvement in human-rights abuses${where.en}: ${labels}.${documented.en} Review whether the municipality wants to keep using this supplier.`,
      },
      evidence: [
        { ref: 'device.manufacturer', value: maker.id },
        ...identityEvidence(weak),
        ...labelEvidence(device, label),
        ...measureEvidence(measures, maker),
        { ref: 'policy.human_rights_measures', value: measures.map((r) => r.id).join(', ') },
        ...xinjiang.map((l) => ({ ref: `kb:legal:${l.id}`, value: l.title })),
      ],
      sources: sourceRefs(...measures.map((r) => r.sources), ...xinjiang.map((l) => l.sources), label?.record?.sources ?? []),
      action: 'review',
      uncertain: uncertainty([
        identityDoubt(maker, weak, k),
        ...measures.map(measureDoubt),
        ...xinjiang.map(legalDoubt),
        label?.record ? recordDoubt('brand', label.record.id, label.record) : null,
      ]),
    });
  });
};
