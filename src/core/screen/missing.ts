// What a supplier must still supply for a bid line to be judged: a model (type number) to check
// vulnerabilities against, a firmware version to place in affected ranges, and — when the maker is
// unknown or linked to the label only weakly — the manufacturer's declaration naming who makes it.
import { parseFirmware } from '../assess/firmware.js';
import type { Policy } from '../assess/policy.js';
import type { Finding, FindingEvidence, SourceRef } from '../assess/types.js';
import type { BrandHit, IdentifyKnowledge } from '../identify/identify.js';
import type { Identity } from '../identify/identity.js';
import type { KnowledgeBase } from '../../kb/schema.js';
import { makerName } from '../../kb/query.js';
import type { BidLine } from './columns.js';
import type { Reason } from './types.js';

export interface MissingContext {
  knowledge: IdentifyKnowledge;
  kb: KnowledgeBase;
  policy: Policy;
}

function incomplete(kind: Reason['kind'], why: Reason['why'], evidence: FindingEvidence[], sources: SourceRef[] = [], uncertain?: string): Reason {
  return { kind, verdict: 'incomplete', severity: null, why, evidence, sources, ...(uncertain ? { uncertain } : {}) };
}

function label(line: BidLine): string {
  return line.brand ?? line.manufacturer ?? '';
}

export function missingInformation(line: BidLine, identity: Identity, findings: readonly Finding[], ctx: MissingContext): Reason[] {
  const out: Reason[] = [];
  if (line.model === null) {
    out.push(incomplete('missing_model', {
      nl: 'Het type (modelnummer) ontbreekt. Zonder type is niet na te gaan of bekende of actief misbruikte lekken gelden: vraag de leverancier het exacte typenummer.',
      en: 'The model (type number) is missing. Without it, known and actively exploited vulnerabilities cannot be checked: ask the supplier for the exact model number.',
    }, [{ ref: 'bid.model', value: '(none)' }]));
  }
  if (line.firmware === null || parseFirmware(line.firmware) === null) {
    // The assessment's firmware_unknown names the maker's vulnerable families: its sources back the request.
    const unknown = findings.find((f) => f.rule === 'firmware_unknown');
    out.push(incomplete('missing_firmware', {
      nl: `De firmwareversie ontbreekt${line.firmware ? ` ("${line.firmware}" is geen versie)` : ''}. Vraag de leverancier welke firmware wordt geleverd en hoe lang die updates krijgt.${unknown ? ` ${unknown.why.nl}` : ''}`,
      en: `The firmware version is missing${line.firmware ? ` ("${line.firmware}" is not a version)` : ''}. Ask the supplier which firmware is delivered and for how long it gets updates.${unknown ? ` ${unknown.why.en}` : ''}`,
    }, [{ ref: 'bid.firmware', value: line.firmware ?? '(none)' }, ...(unknown?.evidence ?? [])], unknown?.sources ?? []));
  }
  if (identity.manufacturer === null) {
    // A label the KB ties to a maker only with low confidence identifies nobody, but it says whom to ask about.
    const possible = line.brand ? ctx.knowledge.brandsFromText(line.brand).filter((b) => b.confidence === 'low') : [];
    if (possible.length > 0) {
      out.push(declaration(possible, {
        nl: `De kennisbank koppelt het merk ${possible[0]!.brand} met lage zekerheid aan ${makerName(ctx.kb, possible[0]!.vendor)} (${possible[0]!.relationship}); dat is te zwak om de fabrikant vast te stellen. Vraag de verklaring van de fabrikant: wie maakt het apparaat en de firmware.`,
        en: `The knowledge base links the brand ${possible[0]!.brand} to ${makerName(ctx.kb, possible[0]!.vendor)} with low confidence (${possible[0]!.relationship}), too weak to identify the manufacturer. Ask for the manufacturer's declaration: who makes the device and its firmware.`,
      }, []));
      return out;
    }
    const named = label(line);
    if (identity.checks.length > 0) {
      out.push(declaration([], warned(identity.checks), identity.checks.map((c) => ({ ref: 'identify.check', value: c }))));
      return out;
    }
    out.push(incomplete('unknown_maker', {
      nl: `${named ? `De kennisbank kent de fabrikant achter "${named}" niet` : 'Merk en fabrikant ontbreken'}. Vraag de verklaring van de fabrikant: wie maakt het apparaat en de firmware.`,
      en: `${named ? `The knowledge base does not know the manufacturer behind "${named}"` : 'Brand and manufacturer are missing'}. Ask for the manufacturer's declaration: who makes the device and its firmware.`,
    }, [{ ref: 'bid.brand', value: named || '(none)' }, ...identity.checks.map((c) => ({ ref: 'identify.check', value: c }))]));
    return out;
  }
  const weak = weakLink(line, identity, ctx);
  if (weak) out.push(weak);
  // Any warning of the identification (another maker behind some of the brand's products, a link
  // that ended) leaves who makes this item open: only the supplier's declaration settles it.
  else if (identity.checks.length > 0) out.push(declaration([], warned(identity.checks), identity.checks.map((c) => ({ ref: 'identify.check', value: c }))));
  return out;
}

function warned(checks: readonly string[]): Reason['why'] {
  const quoted = checks.map((c) => `"${c}"`).join('; ');
  return {
    nl: `De kennisbank waarschuwt: ${quoted}. Vraag de verklaring van de fabrikant: wie maakt het apparaat en de firmware.`,
    en: `The knowledge base warns: ${quoted}. Ask for the manufacturer's declaration: who makes the device and its firmware.`,
  };
}

/**
 * A label the KB links to its maker only with low confidence, or an identification below the
 * policy's minimum: the offer must say who makes it, because the label alone does not.
 */
function weakLink(line: BidLine, identity: Identity, ctx: MissingContext): Reason | null {
  const maker = identity.manufacturer!;
  const name = makerName(ctx.kb, maker);
  const weakBrands = line.brand ? ctx.knowledge.brandsFromText(line.brand).filter((b) => b.vendor === maker && b.confidence === 'low') : [];
  const min = ctx.policy.thresholds.min_identity_confidence;
  const weak = identity.confidence < min;
  if (weakBrands.length === 0 && !weak) return null;
  const pct = Math.round(identity.confidence * 100);
  const link = weakBrands[0];
  const why = link
    ? {
        nl: `De kennisbank koppelt het merk ${link.brand} met lage zekerheid aan ${name} (${link.relationship}). Vraag de verklaring van de fabrikant: wie maakt het apparaat en de firmware.`,
        en: `The knowledge base links the brand ${link.brand} to ${name} with low confidence (${link.relationship}). Ask for the manufacturer's declaration: who makes the device and its firmware.`,
      }
    : {
        nl: `De fabrikant (${name}) is vastgesteld met een zekerheid van ${pct}%, onder de ${Math.round(min * 100)}% die het beleid vraagt. Vraag de verklaring van de fabrikant: wie maakt het apparaat en de firmware.`,
        en: `The manufacturer (${name}) was identified with ${pct}% confidence, below the ${Math.round(min * 100)}% the policy requires. Ask for the manufacturer's declaration: who makes the device and its firmware.`,
      };
  return declaration(weakBrands, why, [
    { ref: 'identify.manufacturer', value: maker },
    { ref: 'identify.confidence', value: String(identity.confidence) },
  ]);
}

function declaration(brands: readonly BrandHit[], why: Reason['why'], evidence: FindingEvidence[]): Reason {
  return incomplete('manufacturer_declaration', why, [
    ...evidence,
    ...brands.map((b) => ({ ref: `kb:brand:${b.brand}`, value: `${b.vendor} (${b.relationship}, ${b.confidence} confidence)` })),
  ], brands.flatMap((b) => b.sources), brands.map((b) => b.uncertain).filter((u) => u !== undefined).join('; ') || undefined);
}
