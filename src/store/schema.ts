// Row shapes as both engines store them: ids are text (UUIDs), times ISO-8601 text, lists and
// maps JSON text. Keeping one representation means one set of queries for SQLite and PostgreSQL.
import type { Generated } from 'kysely';

export interface OrganisationsTable {
  id: string;
  slug: string;
  name: string;
  cbs_code: string | null;
  country: string;
  area_json: string | null;
  publication_json: string;
  created_at: string;
  /** The web application's theme for the organisation; null is the default theme. */
  theme: string | null;
}

export interface SitesTable {
  id: string;
  org_id: string;
  name: string;
  /** Lower-cased, trimmed name: the key imports match sites on. */
  name_key: string;
  category: string;
  address: string | null;
  postcode: string | null;
  city: string | null;
  bag_id: string | null;
  lat: number | null;
  lon: number | null;
  orig_x: number | null;
  orig_y: number | null;
  orig_crs: string | null;
  created_at: string;
  updated_at: string;
}

export interface NetworksTable {
  id: string;
  org_id: string;
  name: string;
  name_key: string;
  cidrs_json: string;
  connectivity: string;
  remote_access: string;
  created_at: string;
  updated_at: string;
}

export interface DevicesTable {
  id: string;
  org_id: string;
  site_id: string | null;
  network_id: string | null;
  kind: string;
  brand: string | null;
  manufacturer: string | null;
  model: string | null;
  firmware: string | null;
  serial: string | null;
  mac: string | null;
  ip: string | null;
  lat: number | null;
  lon: number | null;
  orig_x: number | null;
  orig_y: number | null;
  orig_crs: string | null;
  analytics_json: string;
  status: string;
  purpose: string | null;
  legal_basis: string | null;
  retention_days: number | null;
  supplier: string | null;
  installer: string | null;
  install_date: string | null;
  external_ref: string | null;
  custom_json: string;
  publication_json: string;
  /** The import that last wrote this device, and its row: provenance, and in-file duplicate detection. */
  import_id: string | null;
  import_row: number | null;
  identity_json: string | null;
  created_at: string;
  updated_at: string;
}

/** An entry of an organisation's hash-chained audit trail (migration 0010; see decision 0008). */
export interface HistoryTable {
  id: Generated<number>;
  org_id: string;
  /** Position in the organisation's chain, from 1. */
  seq: number;
  entity_type: string;
  entity_id: string;
  action: string;
  actor: string;
  source: string;
  at: string;
  before_json: string | null;
  after_json: string | null;
  prev_hash: string;
  hash: string;
}

/** The server's own chain: accounts, sign-ins, organisations, knowledge-base updates. */
export type ServerHistoryTable = Omit<HistoryTable, 'org_id'>;

/** Length and last hash of each chain, kept apart so that removing the newest entries shows. */
export interface AuditHeadsTable {
  /** The organisation id, or `server`. */
  chain: string;
  org_id: string | null;
  entries: number;
  last_hash: string;
}

export interface ObservationsTable {
  id: string;
  org_id: string;
  device_id: string | null;
  source: string;
  observed_at: string;
  kind: string;
  payload_json: string;
  scan_run_id: string | null;
}

export interface ScanRunsTable {
  id: string;
  org_id: string;
  /** `live`, `bundle` or `nmap`. */
  origin: string;
  /** `running`, `interrupted`, `done`. */
  status: string;
  actor: string;
  agent_id: string | null;
  params_json: string;
  stats_json: string;
  /** The last address the sweep finished, for resuming. */
  cursor: string | null;
  started_at: string;
  finished_at: string | null;
}

export interface ScanHostsTable {
  run_id: string;
  org_id: string;
  ip: string;
  device_id: string | null;
  result_json: string;
  found_at: string;
}

export interface AgentsTable {
  id: string;
  org_id: string;
  name: string;
  /** Ed25519 public key, SPKI PEM. */
  public_key: string;
  /** SHA-256 of the DER public key, hex: how bundles name their signer. */
  fingerprint: string;
  enrolled_at: string;
  enrolled_by: string;
  revoked_at: string | null;
  /** JSON list of the scopes (CIDRs, ranges, network:NAME) an online agent may scan. */
  scopes_json: string | null;
}

export interface ImportsTable {
  id: string;
  org_id: string;
  file: string;
  format: string;
  actor: string;
  started_at: string;
  finished_at: string;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export interface KbFilesTable {
  name: string;
  content: string;
  kb_version: string;
  installed_at: string;
  installed_by: string;
}

export interface FindingsTable {
  org_id: string;
  device_id: string;
  rule: string;
  severity: string;
  likelihood: string;
  impact: string;
  why_json: string;
  evidence_json: string;
  sources_json: string;
  action: string;
  due_date: string | null;
  uncertain: string | null;
  assessed_at: string;
  first_seen: string;
  policy_name: string;
}

export interface LapsedFindingsTable {
  org_id: string;
  device_id: string;
  rule: string;
  first_seen: string;
  lapsed_at: string;
}

export interface AssessmentInputsTable {
  org_id: string;
  device_id: string;
  input_hash: string;
  assessed_at: string;
}

export interface AssessmentRunsTable {
  id: string;
  org_id: string;
  actor: string;
  source: string;
  at: string;
  kb_version: string;
  policy_name: string;
  assessed: number;
  unchanged: number;
  removed: number;
  findings: number;
}

export interface WaiversTable {
  id: string;
  org_id: string;
  device_id: string;
  rule: string;
  reason: string;
  approver: string;
  until: string;
  created_at: string;
  created_by: string;
  revoked_at: string | null;
  revoked_by: string | null;
}

export interface PlanItemsTable {
  id: string;
  org_id: string;
  device_id: string;
  action: string;
  scenario: string;
  year: number;
  due_date: string;
  cost: number;
  /** `planned`, `in_progress`, `done`. */
  status: string;
  status_at: string;
  status_by: string;
  note: string | null;
}

export interface DisposalsTable {
  id: string;
  org_id: string;
  device_id: string;
  plan_item: string | null;
  method: string;
  certificate: string;
  disposed_at: string;
  recorded_by: string;
}

export interface Database {
  organisations: OrganisationsTable;
  sites: SitesTable;
  networks: NetworksTable;
  devices: DevicesTable;
  history: HistoryTable;
  server_history: ServerHistoryTable;
  audit_heads: AuditHeadsTable;
  observations: ObservationsTable;
  imports: ImportsTable;
  kb_files: KbFilesTable;
  scan_runs: ScanRunsTable;
  scan_hosts: ScanHostsTable;
  agents: AgentsTable;
  findings: FindingsTable;
  assessment_inputs: AssessmentInputsTable;
  lapsed_findings: LapsedFindingsTable;
  organisation_policies: OrganisationPoliciesTable;
  assessment_runs: AssessmentRunsTable;
  waivers: WaiversTable;
  plan_items: PlanItemsTable;
  disposals: DisposalsTable;
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  jobs: JobsTable;
  job_files: JobFilesTable;
  agent_enrolments: AgentEnrolmentsTable;
  agent_nonces: AgentNoncesTable;
  federation_aggregates: FederationAggregatesTable;
  notification_subscriptions: NotificationSubscriptionsTable;
  notification_deliveries: NotificationDeliveriesTable;
  oidc_logins: OidcLoginsTable;
}

export interface UsersTable {
  id: string;
  /** Lower-cased; the sign-in name. */
  email: string;
  display_name: string;
  /** argon2id PHC string; null for accounts that only sign in through OpenID Connect. */
  password_hash: string | null;
  oidc_issuer: string | null;
  oidc_subject: string | null;
  failed_logins: Generated<number>;
  locked_until: string | null;
  disabled: Generated<number>;
  created_at: string;
}

export interface MembershipsTable {
  user_id: string;
  org_id: string;
  /** admin, editor, viewer, auditor or coordinator. */
  role: string;
  granted_at: string;
  granted_by: string;
}

/** An OpenID Connect sign-in between the redirect to the provider and its callback. */
export interface OidcLoginsTable {
  /** SHA-256 of the state parameter. */
  state_hash: string;
  code_verifier: string;
  nonce: string;
  /** A path on this server to land on after signing in. */
  return_to: string;
  created_at: string;
  expires_at: string;
}

export interface SessionsTable {
  /** SHA-256 of the cookie value: a database leak yields no usable session. */
  id_hash: string;
  user_id: string;
  csrf_token: string;
  /** password or oidc. */
  via: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface ApiTokensTable {
  id: string;
  org_id: string;
  role: string;
  name: string;
  /** SHA-256 of the secret part; the token itself is shown once. */
  token_hash: string;
  created_by: string;
  created_at: string;
  expires_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface JobsTable {
  id: string;
  org_id: string;
  kind: string;
  params_json: string;
  /** queued, running, cancelling (asked to stop while running), succeeded, failed or cancelled. */
  status: string;
  progress_json: string | null;
  result_json: string | null;
  error: string | null;
  attempts: Generated<number>;
  created_by: string;
  created_at: string;
  /** When the current attempt began. */
  started_at: string | null;
  finished_at: string | null;
  /** The instance working on the job and until when its claim holds; a lapsed claim is retried. */
  lease_owner: string | null;
  lease_until: string | null;
  /** Set for scan jobs handed to an agent in a closed network. */
  agent_id: string | null;
}

export interface JobFilesTable {
  job_id: string;
  /** in/<file name> for what the job reads, out/<file name> for what it produced. */
  name: string;
  content: Buffer;
}

export interface AgentEnrolmentsTable {
  token_hash: string;
  org_id: string;
  name: string;
  scopes_json: string;
  created_by: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  agent_id: string | null;
}

export interface AgentNoncesTable {
  agent_id: string;
  nonce: string;
  seen_at: string;
}

export interface FederationAggregatesTable {
  id: string;
  /** The coordinating organisation that received the aggregate. */
  coordinator_org_id: string;
  /** CBS code (GM0344) or the publisher's slug when it has none. */
  source_code: string;
  source_name: string;
  /** The date the figures describe (YYYY-MM-DD); one aggregate per source and period. */
  period: string;
  published_at: string;
  received_at: string;
  /** local, https or file. */
  received_via: string;
  payload_json: string;
}

export interface NotificationSubscriptionsTable {
  id: string;
  org_id: string;
  /** webhook or email. */
  channel: string;
  /** URL or e-mail address. */
  target: string;
  events_json: string;
  /** HMAC key for webhook signatures. */
  secret: string | null;
  created_by: string;
  created_at: string;
  disabled_at: string | null;
}

export interface NotificationDeliveriesTable {
  id: Generated<number>;
  org_id: string;
  subscription_id: string;
  event_kind: string;
  /** Identifies the event so it is delivered once per subscription. */
  event_key: string;
  payload_json: string;
  /** baseline, pending, sent or failed. */
  status: string;
  attempts: Generated<number>;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface OrganisationPoliciesTable {
  org_id: string;
  /** The policy document as the organisation wrote it (validated when set). */
  policy_yaml: string;
  /** The file it was set from, for people reading where it came from. */
  file_name: string;
  set_at: string;
  set_by: string;
}
