// One error family for the whole product. A code says what kind of failure it is (and decides
// the CLI exit code and HTTP status at the edges); the location says where, for people.

export type ErrorCode =
  | 'usage' // bad flags or arguments
  | 'not_found' // an entity or file that does not exist
  | 'invalid_input' // a file or value that cannot be used as given
  | 'hostile_input' // input refused for safety (XML entities, size, binary)
  | 'import_rejected' // an import with row errors, nothing written
  | 'conflict' // a write that clashes with existing data
  | 'database' // the store cannot be opened or migrated
  | 'unsupported' // a request this engine or build cannot serve
  | 'unauthenticated' // no valid sign-in, session or token
  | 'forbidden' // signed in, but the role does not allow it
  | 'too_many' // rate limit or account lockout
  | 'unavailable'; // a service the request depends on (an identity provider) did not answer

export interface ErrorLocation {
  file?: string;
  row?: number;
  column?: string;
  address?: string;
}

export class CamauditError extends Error {
  readonly code: ErrorCode;
  readonly location: ErrorLocation | undefined;

  constructor(code: ErrorCode, message: string, location?: ErrorLocation, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CamauditError';
    this.code = code;
    this.location = location;
  }
}

/** `file:row:column` in the order people read them, leaving out what is unknown. */
export function formatLocation(loc: ErrorLocation | undefined): string {
  if (!loc) return '';
  const parts: string[] = [];
  if (loc.file) parts.push(loc.file);
  if (loc.row !== undefined) parts.push(`row ${loc.row}`);
  if (loc.column) parts.push(`column "${loc.column}"`);
  if (loc.address) parts.push(loc.address);
  return parts.join(', ');
}
