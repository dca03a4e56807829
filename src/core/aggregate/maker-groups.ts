// A device's true maker, as one of the aggregate's maker groups. Hikvision and Dahua are their
// own groups, with any subsidiary the knowledge base links to them; other makers named by a
// restriction measure the organisation's policy adopts form one group, so the coordinator sees
// that an organisation runs restricted equipment without learning which niche brand at which site.
import { compileKnowledge } from '../assess/assess.js';
import type { Policy } from '../assess/policy.js';
import type { KnowledgeBase } from '../../kb/schema.js';
import { NAMED_MAKERS, type MakerGroup } from './dimensions.js';

/** The maker group of a manufacturer (a KB vendor id, or a maker's name as the register states it). */
export type MakerGrouping = (manufacturer: string | null) => MakerGroup;

export function makerGrouping(kb: KnowledgeBase, policy: Policy): MakerGrouping {
  const compiled = compileKnowledge(kb, policy);
  const groups = new Map<string, MakerGroup>();
  return (manufacturer) => {
    if (manufacturer === null || manufacturer.trim() === '') return 'unknown';
    let group = groups.get(manufacturer);
    if (group === undefined) {
      const maker = compiled.maker(manufacturer);
      const lineage = [maker.id, ...maker.parents.map((p) => p.id)];
      group = NAMED_MAKERS.find((named) => lineage.includes(named)) ?? (maker.measures.length > 0 ? 'other_restricted' : 'other');
      groups.set(manufacturer, group);
    }
    return group;
  };
}
