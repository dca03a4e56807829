// The knowledge base as identification needs it: lookups over precomputed indexes, with each
// answer's sources, and the register hook that identifies a device as it is written.
import { identifyDevice } from '../core/identify/device.js';
import type { BrandHit, IdentifyKnowledge, RuleMatch } from '../core/identify/identify.js';
import type { DeviceFields } from '../core/model.js';
import type { Protocol } from '../core/identify/signals.js';
import { compileFingerprints, matchField, type CompiledFingerprints } from './fingerprints.js';
import { loadKnowledgeBase } from './load.js';
import { hasCjk, nameKey } from './text-index.js';
import { brandFromText, lookupMac, vendorById, vendorFromText } from './query.js';
import type { KnowledgeBase } from './schema.js';

const OUI_SOURCE = { ref: 'kb/data/oui.tsv (IEEE MA-L/MA-M/MA-S registries, npm oui-data@2.1.9)' };

// Banners, models and labels repeat across a register and a network; serials and MACs do not.
// Rule matches are remembered per short value, up to a bound, and the memory starts afresh when
// it is full.
const MEMO_LIMIT = 20_000;
const MEMO_MAX_VALUE = 200;

export function identifyKnowledge(kb: KnowledgeBase, compiled: CompiledFingerprints = compileFingerprints(kb.fingerprints)): IdentifyKnowledge {
  const memo = new Map<string, RuleMatch[]>();
  const vendorMemo = new Map<string, ReturnType<IdentifyKnowledge['vendorFromText']>>();
  const brandMemo = new Map<string, BrandHit[]>();
  const match = (protocol: Protocol, field: string, value: string): RuleMatch[] =>
    matchField(compiled, protocol, field, value).map(({ fingerprint, claims }) => ({
        id: fingerprint.id,
        weight: fingerprint.weight,
        claims,
        sources: fingerprint.sources,
        ...(fingerprint.note ? { note: fingerprint.note } : {}),
      }));
  return {
    matchField(protocol, field, value): RuleMatch[] {
      if (value.length > MEMO_MAX_VALUE) return match(protocol, field, value);
      return remember(memo, `${protocol}\u0000${field}\u0000${value}`, () => match(protocol, field, value));
    },
    lookupMac(mac) {
      const hit = lookupMac(kb, mac);
      if (!hit) return null;
      return {
        prefix: hit.prefix,
        vendor: hit.vendor,
        orgName: hit.orgName ?? 'unknown registrant',
        relation: hit.relation ?? 'unknown relation',
        confidence: hit.confidence ?? 'unknown',
        origin: hit.origin,
        sources: [OUI_SOURCE],
      };
    },
    vendorFromText(text) {
      return remember(vendorMemo, text, () => readVendor(text));
    },
    brandsFromText(text): BrandHit[] {
      return remember(brandMemo, text, () => readBrands(text));
    },
  };

  function readVendor(text: string) {
    const id = vendorFromText(kb, text);
    const vendor = id ? vendorById(kb, id) : null;
    if (!vendor) return null;
    const exact = isExactName(text, [vendor.id, vendor.name, ...vendor.aliases, ...vendor.legal_names]);
    return { vendor: vendor.id, origin: vendor.origin, sources: vendor.sources, exact, ...(vendor.uncertain ? { uncertain: vendor.uncertain } : {}) };
  }

  function readBrands(text: string): BrandHit[] {
    return brandFromText(kb, text).map((b) => ({
      brand: b.brand,
      vendor: b.vendor,
      relationship: b.relationship,
      confidence: b.confidence,
      origin: b.origin,
      sources: b.sources,
      exact: isExactName(text, [b.brand, ...b.aliases, ...(b.label_as_given ? [b.label_as_given] : [])]),
      ...(b.valid_to ? { validTo: String(b.valid_to) } : {}),
      ...(b.uncertain ? { uncertain: b.uncertain } : {}),
    }));
  }
}

/** Labels repeat across a register: each distinct text is read once, up to a bound. */
function remember<T>(memo: Map<string, T>, key: string, read: () => T): T {
  let value = memo.get(key);
  if (value === undefined) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    value = read();
    memo.set(key, value);
  }
  return value;
}

/**
 * Whether the text is one of the names and nothing more (case, punctuation and legal-form words
 * aside). Names in Chinese script count as exact: registers write them alone.
 */
function isExactName(text: string, names: readonly string[]): boolean {
  if (hasCjk(text)) return true;
  const key = nameKey(text);
  return names.some((n) => nameKey(n) === key);
}

export interface Identifier {
  kb: KnowledgeBase;
  knowledge: IdentifyKnowledge;
  /** Identifies a register entry as it is written (see ImportWriter's enrich). */
  enrich: (fields: DeviceFields) => DeviceFields;
}

export function identifierFor(kb: KnowledgeBase): Identifier {
  const knowledge = identifyKnowledge(kb);
  return {
    kb,
    knowledge,
    enrich: (fields) => identifyDevice(fields, knowledge, kb.meta.version, 'register'),
  };
}

export async function loadIdentifier(options: { dir?: string; overlay?: string } = {}): Promise<Identifier> {
  return identifierFor(await loadKnowledgeBase(options.dir, options.overlay));
}
