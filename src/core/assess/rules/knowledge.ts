// What the rules need from the knowledge base and the policy, looked up once per assessment
// rather than once per device: a maker's adopted measures, its vulnerabilities with their parsed
// model families, a brand text's KB record. Answers are memoised by their inputs, which repeat
// across thousands of devices in a register, and so are the finding texts built from them.
import { brandFromText, vendorById, vendorFromText, vulnerabilitiesForVendor } from '../../../kb/query.js';
import type { Brand, KnowledgeBase, LegalGround, Restriction, Vendor, Vulnerability } from '../../../kb/schema.js';
import { CamauditError } from '../../errors.js';
import { parseAffected, type AffectedModels } from '../firmware.js';
import type { Policy } from '../policy.js';
import type { RuleId } from '../types.js';
import type { Text } from './text.js';

export interface MakerFacts {
  /** The KB vendor id; a maker the KB does not know keeps the text it was recorded as. */
  id: string;
  /** The vendor's display name, or its id when the KB does not know it. */
  name: string;
  /** The maker's parent companies, nearest first. */
  parents: readonly Vendor[];
  /** Adopted measures naming the maker or a parent, in the policy's order. */
  measures: readonly Restriction[];
  /** Adopted human-rights measures naming the maker or a parent, in the policy's order. */
  humanRights: readonly Restriction[];
  /** legal.yaml's records on the maker's documented role in Xinjiang (ids `xj-…`). */
  xinjiang: readonly LegalGround[];
  vulnerabilities: readonly { record: Vulnerability; affected: AffectedModels }[];
}

export interface CompiledKnowledge {
  readonly kb: KnowledgeBase;
  readonly policy: Policy;
  /** Facts about a maker, by KB vendor id or, before identification has run, by stated name. */
  maker(manufacturer: string): MakerFacts;
  /** The KB brand record for a label, when it belongs to (or may belong to) this maker. */
  brand(text: string, maker: string): Brand | null;
  legal(id: string): LegalGround | null;
  /**
   * A memo table per rule for drafts and texts that depend only on the key's parts. Parts are
   * looked up one by one in nested maps: device fields are reused strings whose hash is cached,
   * where a joined key would be a new string to hash for every device.
   */
  memo<T>(table: RuleId | 'shared', key: readonly MemoKey[], make: () => T): T;
}

export type MemoKey = string | number | boolean | null;

const VALUE = Symbol('value');

// legal.yaml files the documented Xinjiang roles under this id prefix (section 6 of the file).
const XINJIANG_PREFIX = 'xj-';

/**
 * Checks the policy against the KB (every measure id must be a restriction record) and prepares
 * the lookups. An unknown id is refused rather than ignored: a misspelt measure would otherwise
 * silently leave devices unaccused.
 */
export function compileKnowledge(kb: KnowledgeBase, policy: Policy): CompiledKnowledge {
  const restrictions = new Map(kb.restrictions.map((r) => [r.id, r]));
  const adopt = (ids: readonly string[], setting: string): Restriction[] =>
    ids.map((id) => {
      const r = restrictions.get(id);
      if (!r) throw new CamauditError('invalid_input', `policy "${policy.name}": "${setting}" names "${id}", which is not a restriction in the knowledge base (camaudit kb list restrictions)`, { column: setting });
      return r;
    });
  const measures = adopt(policy.measures, 'measures');
  const humanRights = adopt(policy.human_rights_measures, 'human_rights_measures');
  const legalById = new Map(kb.legal.map((l) => [l.id, l]));
  const affected = parseAffected(kb.vulnerabilities);

  type Node = Map<MemoKey | typeof VALUE, unknown>;
  const tables = new Map<string, Node>();
  const memo = <T>(table: string, key: readonly MemoKey[], make: () => T): T => {
    let node = tables.get(table);
    if (!node) tables.set(table, (node = new Map()));
    for (const part of key) {
      let next = node.get(part) as Node | undefined;
      if (!next) node.set(part, (next = new Map()));
      node = next;
    }
    if (node.has(VALUE)) return node.get(VALUE) as T;
    const value = make();
    node.set(VALUE, value);
    return value;
  };

  const parentsOf = (id: string): Vendor[] => {
    const out: Vendor[] = [];
    const seen = new Set([id]);
    for (let p = vendorById(kb, id)?.parent ?? null; p !== null && !seen.has(p); p = vendorById(kb, p)?.parent ?? null) {
      seen.add(p);
      const parent = vendorById(kb, p);
      if (parent) out.push(parent);
    }
    return out;
  };

  const maker = (manufacturer: string): MakerFacts =>
    memo('shared', ['maker', manufacturer], () => {
      const id = vendorById(kb, manufacturer) ? manufacturer : (vendorFromText(kb, manufacturer) ?? manufacturer);
      const parents = parentsOf(id);
      const ids = new Set([id, ...parents.map((p) => p.id)]);
      const naming = (list: readonly Restriction[]) => list.filter((r) => r.vendors.some((v) => ids.has(v)));
      return {
        id,
        name: vendorById(kb, id)?.name ?? id,
        parents,
        measures: naming(measures),
        humanRights: naming(humanRights),
        xinjiang: kb.legal.filter((l) => l.id.startsWith(XINJIANG_PREFIX) && l.vendors.some((v) => ids.has(v))),
        vulnerabilities: vulnerabilitiesForVendor(kb, id).map((record) => ({ record, affected: affected.get(record.id)! })),
      };
    });

  const brand = (text: string, makerId: string): Brand | null =>
    memo('shared', ['brand', makerId, text], () =>
      brandFromText(kb, text).find((b) => b.vendor === makerId || (b.vendor_alternatives ?? []).includes(makerId)) ?? null);

  return { kb, policy, maker, brand, legal: (id) => legalById.get(id) ?? null, memo };
}

/** An adopted measure that cannot produce a finding: the KB names no manufacturer for it. */
export interface PolicyWarning {
  setting: 'measures' | 'human_rights_measures';
  measure: string;
  why: Text;
}

/**
 * The policy's adopted measures that name no vendors in the KB, in the policy's order. Such a
 * measure is kept by criterion (say, "manufacturers based in untrustworthy states") rather than by
 * maker, so adopting it changes nothing; the organisation should know that rather than believe
 * it is covered. Ids the KB does not know are left to compileKnowledge, which refuses them.
 */
export function policyWarnings(kb: KnowledgeBase, policy: Policy): PolicyWarning[] {
  const restrictions = new Map(kb.restrictions.map((r) => [r.id, r]));
  const settings = [['measures', policy.measures], ['human_rights_measures', policy.human_rights_measures]] as const;
  return settings.flatMap(([setting, ids]) =>
    ids.filter((id) => restrictions.get(id)?.vendors.length === 0).map((measure) => ({
      setting,
      measure,
      why: {
        nl: `Het beleid "${policy.name}" volgt maatregel "${measure}" (${setting}), maar de kennisbank noemt daarbij geen fabrikanten: deze maatregel leidt tot geen enkele bevinding.`,
        en: `Policy "${policy.name}" adopts measure "${measure}" (${setting}), but the knowledge base names no manufacturers for it: this measure produces no findings.`,
      },
    })));
}
