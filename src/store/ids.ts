import { randomUUID } from 'node:crypto';

/**
 * A new id for a stored entity. Random (v4) rather than time-ordered: people abbreviate ids to
 * their first characters, which must differ between devices created in the same import.
 */
export function newId(): string {
  return randomUUID();
}
