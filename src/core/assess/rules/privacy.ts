// Rules about what the camera does with people's data: biometric and number-plate analytics, a
// public-space camera without a recorded legal basis or DPIA, and images kept longer than the
// policy allows. They cite the legal grounds in the KB's legal.yaml where it holds them.
import type { LegalGround } from '../../../kb/schema.js';
import { ruleSeverity } from '../policy.js';
import type { CompiledKnowledge } from './knowledge.js';
import { Noun, draft, noun, raised, sourceRefs, uncertainty, type Rule } from './text.js';

function grounds(k: CompiledKnowledge, ids: readonly string[]): LegalGround[] {
  return ids.map((id) => k.legal(id)).filter((l): l is LegalGround => l !== null);
}

function groundDoubt(l: LegalGround): string | null {
  return l.verify ? `legal ${l.id}: rests on a secondary source or a text not re-read; verify before quoting` : null;
}

/**
 * sensitive_analytics. The policy's severity applies to number-plate recognition; face
 * recognition is one step more serious (biometric data). Likelihood high: the processing happens
 * whenever the camera runs. Impact high for faces, medium for number plates.
 */
export const sensitiveAnalytics: Rule = (device, k) => {
  const face = device.analytics.includes('face_recognition');
  const anpr = device.analytics.includes('anpr');
  if (!face && !anpr) return null;
  return k.memo('sensitive_analytics', [device.kind, face, anpr], () => {
    const base = ruleSeverity(k.policy, 'sensitive_analytics', 'medium');
    const n = Noun(device.kind);
    const cited = grounds(k, ['eu-edpb-guidelines-3-2019', 'nl-ap-dpia-list-2019']);
    const why = face
      ? {
          nl: `${n.nl} gebruikt gezichtsherkenning${anpr ? ' en kentekenherkenning (ANPR)' : ''}. Gezichten herkennen is verwerken van biometrische gegevens, wat de AVG alleen in uitzonderlijke gevallen toestaat. Toets of er een wettelijke grondslag en een DPIA zijn, of zet de functie uit.`,
          en: `${n.en} uses face recognition${anpr ? ' and number-plate recognition (ANPR)' : ''}. Recognising faces is processing biometric data, which the GDPR allows only in exceptional cases. Check that there is a legal basis and a DPIA, or switch the function off.`,
        }
      : {
          nl: `${n.nl} leest kentekens (ANPR). Kentekens zijn persoonsgegevens: leg doel, grondslag en bewaartermijn vast en toets dit in een DPIA.`,
          en: `${n.en} reads number plates (ANPR). Number plates are personal data: record the purpose, legal basis and retention, and assess them in a DPIA.`,
        };
    return draft({
      severity: face ? raised(base) : base,
      likelihood: 'high',
      impact: face ? 'high' : 'medium',
      why,
      evidence: [
        { ref: 'device.analytics', value: [...device.analytics].sort().join(', ') },
        ...cited.map((l) => ({ ref: `kb:legal:${l.id}`, value: l.title })),
      ],
      sources: sourceRefs(...cited.map((l) => l.sources)),
      action: 'review',
    });
  });
};

/**
 * no_legal_basis. Likelihood medium: the gap may be in the register rather than in the decision.
 * Impact medium: processing without a basis or DPIA is unlawful and has drawn fines.
 */
export const noLegalBasis: Rule = (device, k) => {
  if (device.site?.category !== 'public_space') return null;
  const basis = (device.legalBasis ?? '').trim() !== '';
  const dpia = (device.custom.dpia ?? '').trim() !== '';
  if (basis && dpia) return null;
  return k.memo('no_legal_basis', [device.kind, basis ? device.legalBasis : null, dpia ? device.custom.dpia! : null], () => {
    const n = Noun(device.kind);
    const cited = grounds(k, [...(basis ? [] : ['nl-gemeentewet-151c']), ...(dpia ? [] : ['eu-gdpr-art-35-dpia', 'nl-ap-dpia-list-2019'])]);
    const missing = !basis && !dpia
      ? { nl: 'er zijn geen wettelijke grondslag en geen DPIA vastgelegd', en: 'no legal basis and no DPIA are recorded', what: { nl: 'beide', en: 'both' } }
      : !basis
        ? { nl: 'er is geen wettelijke grondslag vastgelegd', en: 'no legal basis is recorded', what: { nl: 'de grondslag', en: 'the legal basis' } }
        : { nl: 'er is geen DPIA vastgelegd', en: 'no DPIA is recorded', what: { nl: 'de DPIA', en: 'the DPIA' } };
    return draft({
      severity: ruleSeverity(k.policy, 'no_legal_basis', 'medium'),
      likelihood: 'medium',
      impact: 'medium',
      why: {
        nl: `${n.nl} filmt de openbare ruimte, maar ${missing.nl}. Cameratoezicht door de burgemeester in de openbare ruimte vraagt een besluit op grond van Gemeentewet art. 151c, en stelselmatig volgen van een openbare ruimte vraagt vooraf een gegevensbeschermingseffectbeoordeling (DPIA). Leg ${missing.what.nl} vast.`,
        en: `${n.en} films public space, but ${missing.en}. Camera surveillance of public space by the mayor needs a decision under Gemeentewet art. 151c, and systematic monitoring of a public area needs a data protection impact assessment (DPIA) first. Record ${missing.what.en}.`,
      },
      evidence: [
        { ref: 'site.category', value: 'public_space' },
        { ref: 'device.legalBasis', value: basis ? device.legalBasis! : '(none)' },
        { ref: 'device.custom.dpia', value: dpia ? device.custom.dpia! : '(none)' },
        ...cited.map((l) => ({ ref: `kb:legal:${l.id}`, value: l.title })),
      ],
      sources: sourceRefs(...cited.map((l) => l.sources)),
      action: 'record_legal_basis',
      uncertain: uncertainty(cited.map(groundDoubt)),
    });
  });
};

/**
 * retention_above_limit. Likelihood high: the images are being kept too long now. Impact medium:
 * more personal data than needed, and more to lose in a breach.
 */
export const retentionAboveLimit: Rule = (device, k) => {
  const days = device.retentionDays;
  const max = k.policy.thresholds.max_retention_days;
  if (days === null || days <= max) return null;
  const publicSpace = device.site?.category === 'public_space';
  return k.memo('retention_above_limit', [device.kind, days, publicSpace], () => {
    const n = noun(device.kind);
    const cited = grounds(k, ['nl-ap-beleidsregels-cameratoezicht-2016', ...(publicSpace ? ['nl-gemeentewet-151c'] : [])]);
    return draft({
      severity: ruleSeverity(k.policy, 'retention_above_limit', 'medium'),
      likelihood: 'high',
      impact: 'medium',
      why: {
        nl: `Beelden van ${n.nl} worden ${days} dagen bewaard; het beleid staat hoogstens ${max} dagen toe. Verkort de bewaartermijn, of leg vast waarom langer bewaren nodig is.`,
        en: `Images from ${n.en} are kept for ${days} days; the policy allows at most ${max} days. Shorten the retention, or record why keeping them longer is needed.`,
      },
      evidence: [
        { ref: 'device.retentionDays', value: String(days) },
        { ref: 'policy.thresholds.max_retention_days', value: String(max) },
        ...cited.map((l) => ({ ref: `kb:legal:${l.id}`, value: l.title })),
      ],
      sources: sourceRefs(...cited.map((l) => l.sources)),
      action: 'reduce_retention',
      uncertain: uncertainty(cited.map(groundDoubt)),
    });
  });
};
