// The exit codes of every command, decided here and nowhere else (documented in the README).
import { CamauditError, type ErrorCode } from '../core/errors.js';

export const EXIT = {
  ok: 0,
  /** An import with row errors: nothing was written. */
  rejected: 1,
  /** `assess --fail-on`: a finding at or above the given severity (for CI and scripts). */
  findingsAtOrAbove: 1,
  /** `audit verify` found an edited, missing or moved entry. */
  auditProblems: 1,
  /** `screen`: a line of the bid offers equipment of a restricted maker. */
  screenRestricted: 1,
  usage: 2,
  notFound: 3,
  invalidInput: 4,
  hostileInput: 5,
  database: 6,
  conflict: 7,
  unsupported: 8,
  /** A server refused the credentials or the role (commands that talk to a camaudit server). */
  denied: 9,
  /** A service the command depends on (a camaudit server, an identity provider) did not answer. */
  unavailable: 10,
  internal: 70,
  /** A scan stopped by Ctrl-C or SIGTERM; what it found so far is stored and it can resume. */
  interrupted: 130,
} as const;

const BY_CODE: Record<ErrorCode, number> = {
  usage: EXIT.usage,
  not_found: EXIT.notFound,
  invalid_input: EXIT.invalidInput,
  hostile_input: EXIT.hostileInput,
  import_rejected: EXIT.rejected,
  conflict: EXIT.conflict,
  database: EXIT.database,
  unsupported: EXIT.unsupported,
  unauthenticated: EXIT.denied,
  forbidden: EXIT.denied,
  too_many: EXIT.denied,
  unavailable: EXIT.unavailable,
};

export function exitCodeFor(err: unknown): number {
  return err instanceof CamauditError ? BY_CODE[err.code] : EXIT.internal;
}
