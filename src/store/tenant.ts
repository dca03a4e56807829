/**
 * Every repository function takes one of these: there is no query without an organisation.
 * `actor` is who acts (for the history), `source` through what (cli, import:<file>, api, demo).
 */
export interface TenantScope {
  readonly orgId: string;
  readonly actor: string;
  readonly source: string;
}
