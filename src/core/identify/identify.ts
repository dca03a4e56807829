// Signals + knowledge → identity. Pure: the knowledge base arrives as lookups, so this file knows
// nothing of YAML, files or the KB's storage, and runs tens of thousands of times a second.
import type { DeviceKind } from '../model.js';
import {
  WEIGHTS, type Claims, type Conflict, type Evidence, type Identity, type SourceRef, type WeightClass,
} from './identity.js';
import type { Protocol, Signal } from './signals.js';

/** A fingerprint that matched a field value, with its claims filled in. */
export interface RuleMatch {
  id: string;
  weight: WeightClass;
  claims: Omit<Claims, 'brand' | 'mac'>;
  sources: SourceRef[];
  note?: string;
}

export interface MacHit {
  prefix: string;
  vendor: string | null;
  orgName: string;
  /** The KB's judgement of how the registrant relates to the vendor. */
  relation: string;
  confidence: string;
  origin: 'kb' | 'overlay';
  sources: SourceRef[];
}

export interface BrandHit {
  brand: string;
  vendor: string;
  relationship: string;
  confidence: 'high' | 'medium' | 'low';
  origin: 'kb' | 'overlay';
  sources: SourceRef[];
  uncertain?: string;
  /** The text is this brand's name and nothing else. */
  exact: boolean;
  /** The link ended on this date (a subsidiary sold, an OEM contract ended). */
  validTo?: string;
}

/** What identification needs from the knowledge base. */
export interface IdentifyKnowledge {
  matchField(protocol: Protocol, field: string, value: string): RuleMatch[];
  lookupMac(mac: string): MacHit | null;
  vendorFromText(text: string): { vendor: string; origin: 'kb' | 'overlay'; sources: SourceRef[]; exact: boolean; uncertain?: string } | null;
  brandsFromText(text: string): BrandHit[];
}

// Fields that carry an identity attribute as such, without any rule: the device says so.
const DIRECT: Partial<Record<Protocol, Partial<Record<keyof Claims, string>>>> = {
  isapi: { model: 'model', serial: 'serial', firmware: 'firmware', mac: 'mac', brand: 'manufacturer' },
  sadp: { model: 'device_type', serial: 'serial', firmware: 'firmware', mac: 'mac' },
  dhip: { model: 'device_type', serial: 'serial', firmware: 'version', mac: 'mac', brand: 'vendor' },
  dvrip: { model: 'device_type', serial: 'serial', firmware: 'version', mac: 'mac' },
  dahua_cgi: { model: 'device_type', serial: 'serial', firmware: 'version' },
  onvif: { model: 'model', serial: 'serial', firmware: 'firmware', mac: 'mac', brand: 'manufacturer' },
  mdns: { model: 'model' },
  mac: { mac: 'mac' },
  text: { model: 'model', firmware: 'firmware', brand: 'brand' },
};

const TEXT_MAKER_FIELDS: Partial<Record<Protocol, readonly string[]>> = {
  text: ['manufacturer', 'brand'],
  onvif: ['manufacturer'],
  mdns: ['manufacturer'],
  isapi: ['manufacturer'],
  dhip: ['vendor'],
};
const TEXT_WEIGHT: Partial<Record<Protocol, WeightClass>> = { onvif: 'onvif_name', mdns: 'onvif_name', isapi: 'native' };

// Makers' placeholder names: OEM firmware says "General" or "Private" instead of a maker.
const PLACEHOLDER = /^(general|private|oem|default|unknown|ipcam|ipc|none|n\/a|-)$/i;

export function identify(signals: readonly Signal[], kb: IdentifyKnowledge): Identity {
  const evidence: Evidence[] = [];
  const checks: string[] = [];
  for (const signal of signals) collect(signal, kb, evidence, checks);
  return decide(evidence, checks);
}

// Evidence objects are built as plain literals of one shape: spreads of optional parts make each
// object a different shape and cost more than the matching itself.
function collect(signal: Signal, kb: IdentifyKnowledge, evidence: Evidence[], checks: string[]): void {
  const { protocol, fields, source } = signal;
  for (const field in fields) {
    const value = fields[field]!.trim();
    if (value === '') continue;
    for (const m of kb.matchField(protocol, field, value)) {
      evidence.push({ source, protocol, field, value, rule: 'fingerprint:' + m.id, weight: m.weight, claims: m.claims, origin: 'kb', sources: m.sources, note: m.note });
    }
    if (field === 'mac') {
      const hit = kb.lookupMac(normaliseMac(value) ?? value);
      if (hit?.vendor && hit.confidence === 'low') {
        checks.push(`MAC ${value}: prefix registered to ${hit.orgName}, linked to ${hit.vendor} with low confidence (${hit.relation}) — check`);
      } else if (hit?.vendor) {
        evidence.push({
          source, protocol, field, value, rule: 'kb:mac:' + hit.prefix, weight: 'mac', claims: { manufacturer: hit.vendor },
          origin: hit.origin, sources: hit.sources,
          note: `registered to ${hit.orgName} (${hit.relation}; confidence ${hit.confidence}); a prefix names the registrant, not always the maker`,
        });
      }
    }
    if (TEXT_MAKER_FIELDS[protocol]?.includes(field) && !PLACEHOLDER.test(value)) {
      readMakerText(kb, { source, protocol, field, value }, TEXT_WEIGHT[protocol] ?? 'text', evidence, checks);
    }
  }
  const direct = DIRECT[protocol];
  if (!direct) return;
  for (const attr in direct) {
    const field = direct[attr as keyof Claims]!;
    const value = fields[field]?.trim();
    if (!value || (attr === 'brand' && PLACEHOLDER.test(value))) continue;
    const claims: Claims = {};
    claims[attr as keyof Claims] = value as never;
    evidence.push({ source, protocol, field, value, rule: 'field:' + protocol + '.' + field, weight: protocol === 'text' ? 'text' : 'native', claims, origin: 'signal', sources: [], note: undefined });
  }
}

/** A maker or brand named in words: the vendor itself, or a brand the KB knows the maker of. */
function readMakerText(
  kb: IdentifyKnowledge,
  at: { source: string; protocol: Protocol; field: string; value: string },
  weight: WeightClass,
  evidence: Evidence[],
  checks: string[],
): void {
  const vendor = kb.vendorFromText(at.value);
  // A label is evidence only when it is a maker's or brand's name and nothing else: "Vivotek
  // (voorheen Hikvision)" or "niet Hikvision" mention a maker without naming the device's.
  if (vendor && !vendor.exact) {
    checks.push(`"${at.value}" mentions ${vendor.vendor} among other words; not taken as the maker — check the label`);
  } else if (vendor) {
    evidence.push({ ...at, rule: `kb:vendor:${vendor.vendor}`, weight, claims: { manufacturer: vendor.vendor }, origin: vendor.origin, sources: vendor.sources, note: vendor.uncertain });
  }
  for (const hit of kb.brandsFromText(at.value)) {
    // The maker's own name already counted; a brand that merely contains it ("Prama Hikvision")
    // is a record of its own and counts when the label is exactly that brand.
    if (vendor?.exact && hit.vendor === vendor.vendor) continue;
    // A weak, ended or partial link is a reason to look closer, never a verdict.
    const doubt = !hit.exact ? `"${at.value}" mentions the brand ${hit.brand} among other words`
      : hit.confidence === 'low' ? `some products are reported to be made by ${hit.vendor} (${hit.relationship}, low confidence)`
      : hit.relationship.startsWith('former') || hit.validTo ? `made by ${hit.vendor} only while linked (${hit.relationship}${hit.validTo ? `, until ${hit.validTo}` : ''})`
      : null;
    if (doubt) {
      checks.push(`${hit.brand}: ${doubt} — check the device's own protocols`);
      continue;
    }
    evidence.push({
      ...at, rule: `kb:brand:${hit.brand}`, weight, claims: { manufacturer: hit.vendor }, origin: hit.origin, sources: hit.sources,
      note: `${hit.brand} → ${hit.vendor} (${hit.relationship}, ${hit.confidence} confidence)${hit.uncertain ? `; ${hit.uncertain}` : ''}`,
    });
  }
}

function decide(evidence: Evidence[], checks: string[]): Identity {
  // Per maker, the strongest evidence of each weight class counts once: ten banners from one
  // device are one kind of evidence, not ten.
  const byMaker = new Map<string, Map<WeightClass, Evidence>>();
  for (const e of evidence) {
    const maker = e.claims.manufacturer;
    if (!maker) continue;
    const classes = byMaker.get(maker) ?? new Map<WeightClass, Evidence>();
    if (!classes.has(e.weight)) classes.set(e.weight, e);
    byMaker.set(maker, classes);
  }
  const scored = [...byMaker].map(([maker, classes]) => ({
    maker,
    score: 1 - [...classes.keys()].reduce((p, w) => p * (1 - WEIGHTS[w]), 1),
    top: Math.max(...[...classes.keys()].map((w) => WEIGHTS[w])),
  })).sort((a, b) => b.top - a.top || b.score - a.score || a.maker.localeCompare(b.maker));
  const winner = scored[0];
  // Contradicting evidence lowers confidence in proportion to its own strength and kind: a label
  // that disagrees with the device's own protocol costs little, an equal protocol a lot.
  const doubt = winner
    ? scored.slice(1).reduce((f, o) => f * (1 - 0.5 * o.score * (o.top / winner.top)), 1)
    : 0;
  const conflicts: Conflict[] = scored.slice(1).map((s) => ({
    manufacturer: s.maker, score: round(s.score), evidence: evidence.filter((e) => e.claims.manufacturer === s.maker),
  }));
  return {
    manufacturer: winner?.maker ?? null,
    brand: pick(evidence, 'brand'),
    model: pick(evidence, 'model'),
    firmware: pick(evidence, 'firmware'),
    serial: pick(evidence, 'serial'),
    mac: normaliseMac(pick(evidence, 'mac')),
    kind: pick(evidence, 'kind') as DeviceKind | null,
    confidence: winner ? round(winner.score * doubt) : 0,
    evidence,
    conflicts,
    checks: [...new Set(checks)],
  };
}

/** The value of an attribute from the strongest evidence that states it. */
function pick(evidence: readonly Evidence[], attr: keyof Claims): string | null {
  let best: Evidence | null = null;
  for (const e of evidence) {
    if (e.claims[attr] === undefined) continue;
    if (!best || WEIGHTS[e.weight] > WEIGHTS[best.weight]) best = e;
  }
  return best ? best.claims[attr]! : null;
}

function normaliseMac(mac: string | null): string | null {
  if (!mac) return null;
  const hex = mac.replace(/[^0-9a-f]/gi, '').toLowerCase();
  return hex.length === 12 ? hex.match(/../g)!.join(':') : mac;
}

const round = (n: number) => Math.round(n * 1000) / 1000;
