// People abbreviate ids to their first characters (like git). The abbreviation becomes a LIKE
// pattern, so wildcards are stripped from it; what is left must still name something, or `%`
// would quietly select whichever row came first.
import { CamauditError } from '../core/errors.js';

/** A LIKE pattern for ids starting with `ref`; `what` names the kind of id in the error. */
export function idPrefixPattern(ref: string, what: string): string {
  const prefix = ref.replace(/[\\%_]/g, '');
  if (prefix === '') throw new CamauditError('usage', `${what} "${ref}" holds no characters of an id; give the id or its first characters`);
  return `${prefix}%`;
}
