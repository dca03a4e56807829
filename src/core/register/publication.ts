// Who may see which field group of a device. Cities keep exact positions confidential while
// counts and areas are public; the decision is made here, once, for every export and screen.
import type { FieldGroup, PublicationLevel, PublicationPolicy } from '../model.js';

export type Audience = 'public' | 'coordinator' | 'organisation';

const LEVELS_SEEN: Record<Audience, readonly PublicationLevel[]> = {
  public: ['public'],
  coordinator: ['public', 'coordinator_aggregate'],
  // The organisation's own people see all of its register, secret groups included: "secret"
  // means it never leaves the organisation, not even as an aggregate.
  organisation: ['public', 'coordinator_aggregate', 'organisation', 'secret'],
};

/** Whether `audience` may see a field group, given the organisation's policy and a device's overrides. */
export function canSee(
  audience: Audience,
  group: FieldGroup,
  policy: PublicationPolicy,
  overrides: Partial<PublicationPolicy> = {},
): boolean {
  const level = overrides[group] ?? policy[group];
  return LEVELS_SEEN[audience].includes(level);
}
