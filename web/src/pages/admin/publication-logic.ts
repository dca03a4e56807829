// The publication levels' decisions that need no React: the groups and levels there are (as
// src/core/model.ts names them) and which groups a form changes. Kept free of imports so they
// are tested on their own.

export const FIELD_GROUPS = ['identity', 'location_area', 'location_exact', 'network', 'serial', 'governance'] as const;
export type FieldGroup = (typeof FIELD_GROUPS)[number];
export const PUBLICATION_LEVELS = ['public', 'organisation', 'coordinator_aggregate', 'secret'] as const;
export type PublicationLevel = (typeof PUBLICATION_LEVELS)[number];
export type PublicationPolicy = Record<FieldGroup, PublicationLevel>;

/**
 * Only the groups whose level differs from the one in force: the server records each change in
 * the audit trail, and sending only these keeps a level someone else changed meanwhile as it is.
 */
export function changedLevels(inForce: PublicationPolicy, chosen: PublicationPolicy): Partial<PublicationPolicy> {
  const out: Partial<PublicationPolicy> = {};
  for (const group of FIELD_GROUPS) if (chosen[group] !== inForce[group]) out[group] = chosen[group];
  return out;
}
