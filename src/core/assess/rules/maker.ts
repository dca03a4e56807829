// Rules about who made the device: a maker named in a restriction measure the organisation adopts,
// and a maker whose human-rights involvement the adopted measures document. Both read the true
// maker (identification's verdict), so a Hikvision sold as LTS or HiWatch is judged as Hikvision,
// and both say which label it was sold under, with the KB brand record as evidence.
import type { Brand, LegalGround, Restriction } from '../../../kb/schema.js';
import { nameKey } from '../../../kb/text-index.js';
import { ruleSeverity } from '../policy.js';
import type { AssessDevice, FindingEvidence } from '../types.js';
import type { CompiledKnowledge, MakerFacts } from './knowledge.js';
import { Noun, draft, measureLabel, recordDoubt, sourceRefs, uncertainty, type Rule, type Text } from './text.js';

/** The label the device was sold under, when it is not the maker's own name. */
interface Label {
  text: string;
  record: Brand | null;
}

function soldAs(device: AssessDevice, maker: MakerFacts, k: CompiledKnowledge): Label | null {
  const brand = device.brand;
  if (!brand) return null;
  return k.memo('shared', ['label', maker.id, brand], () => (nameKey(brand) === nameKey(maker.name) ? null : { text: brand, record: k.brand(brand, maker.id) }));
}

function labelEvidence(device: AssessDevice, label: Label | null): FindingEvidence[] {
  const out: FindingEvidence[] = [];
  if (device.brand) out.push({ ref: 'device.brand', value: device.brand });
  const b = label?.record;
  if (b) out.push({ ref: `kb:brand:${b.id}`, value: `${b.brand} → ${[b.vendor, ...(b.vendor_alternatives ?? [])].join(' / ')} (${b.relationship}, ${b.confidence})` });
  return out;
}

function measureEvidence(measures: readonly Restriction[], maker: MakerFacts): FindingEvidence[] {
  const ids = new Set([maker.id, ...maker.parents.map((p) => p.id)]);
  return measures.map((r) => ({ ref: `kb:restriction:${r.id}`, value: `names ${r.vendors.filter((v) => ids.has(v)).join(', ')}; ${r.scope.join(', ')}; ${r.status}` }));
}

/** "…is gemaakt door Hikvision (verkocht onder het merk LTS)." */
function madeBy(device: AssessDevice, maker: MakerFacts, label: Label | null): Text {
  const n = Noun(device.kind);
  return {
    nl: `${n.nl} is gemaakt door ${maker.name}${label ? ` (verkocht onder het merk ${label.text})` : ''}.`,
    en: `${n.en} was made by ${maker.name}${label ? ` (sold under the brand ${label.text})` : ''}.`,
  };
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
  return k.memo('restricted_manufacturer', [device.kind, maker.id, device.brand], () => {
    const { measures } = maker;
    const made = madeBy(device, maker, label);
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
        ...labelEvidence(device, label),
        ...(parent ? [{ ref: `kb:vendor:${maker.id}`, value: `parent: ${maker.parents.map((p) => p.id).join(' → ')}` }] : []),
        ...measureEvidence(measures, maker),
        { ref: 'policy.measures', value: measures.map((r) => r.id).join(', ') },
      ],
      sources: sourceRefs(...measures.map((r) => r.sources), label?.record?.sources ?? []),
      action: 'replace',
      uncertain: uncertainty([...measures.map((r) => recordDoubt('restriction', r.id, r)), label?.record ? recordDoubt('brand', label.record.id, label.record) : null]),
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
  return k.memo('human_rights', [device.kind, maker.id, device.brand], () => {
    const { humanRights: measures, xinjiang } = maker;
    const made = madeBy(device, maker, label);
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
        ...labelEvidence(device, label),
        ...measureEvidence(measures, maker),
        { ref: 'policy.human_rights_measures', value: measures.map((r) => r.id).join(', ') },
        ...xinjiang.map((l) => ({ ref: `kb:legal:${l.id}`, value: l.title })),
      ],
      sources: sourceRefs(...measures.map((r) => r.sources), ...xinjiang.map((l) => l.sources), label?.record?.sources ?? []),
      action: 'review',
      uncertain: uncertainty([
        ...measures.map((r) => recordDoubt('restriction', r.id, r)),
        ...xinjiang.map(legalDoubt),
        label?.record ? recordDoubt('brand', label.record.id, label.record) : null,
      ]),
    });
  });
};
