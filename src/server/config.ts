// The server's configuration: flags > environment (CAMAUDIT_*) > camaudit.yaml > defaults,
// resolved once at start, validated, and printed with secrets masked.
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { CamauditError } from '../core/errors.js';
import { maskUrl } from '../store/database.js';
import { ROLES } from './auth/roles.js';

const Smtp = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(587),
  secure: z.boolean().default(false),
  user: z.string().optional(),
  pass: z.string().optional(),
  from: z.string().min(3),
}).strict();

const RoleMapping = z.object({
  /** A value of the groups claim (Entra ID: the group's object id). */
  group: z.string().min(1),
  /** The organisation's slug. */
  org: z.string().min(1),
  role: z.enum(ROLES),
}).strict();

const Oidc = z.object({
  issuer: z.string().url(),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  /** Where the provider sends people back; defaults to publicUrl + /api/v1/auth/oidc/callback. */
  redirectUri: z.string().url().optional(),
  scopes: z.string().default('openid email profile'),
  groupsClaim: z.string().default('groups'),
  roleMapping: z.array(RoleMapping).min(1),
  /** Plain http to the provider; only for a provider on this machine (tests, development). */
  allowInsecure: z.boolean().default(false),
}).strict();

/** PDOK's BRT background map, the Dutch government's own, as web-mercator tiles. */
export const PDOK_BRT_TILES = 'https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png';

export const ServerConfigSchema = z.object({
  db: z.string().min(1).default('camaudit.db'),
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(8080),
  /** The address people use (https://camaudit.example.nl); decides Secure cookies and OIDC callbacks. */
  publicUrl: z.string().url().optional(),
  /** Honour X-Forwarded-* from a reverse proxy in front of the server. */
  trustProxy: z.boolean().default(false),
  sessions: z.object({
    absoluteMinutes: z.number().int().min(5).max(7 * 24 * 60).default(12 * 60),
    idleMinutes: z.number().int().min(5).max(24 * 60).default(60),
  }).strict().default({ absoluteMinutes: 12 * 60, idleMinutes: 60 }),
  login: z.object({
    maxAttempts: z.number().int().min(3).max(100).default(5),
    lockoutMinutes: z.number().int().min(1).max(24 * 60).default(15),
    /** Sign-in attempts per client address per minute. */
    perMinute: z.number().int().min(1).max(1000).default(10),
  }).strict().default({ maxAttempts: 5, lockoutMinutes: 15, perMinute: 10 }),
  federation: z.object({
    suppressBelow: z.number().int().min(2).max(100).default(5),
    /** Publish to a coordinator at a loopback, private or link-local address (an intranet coordinator, tests). */
    allowPrivateTargets: z.boolean().default(false),
  }).strict().default({ suppressBelow: 5, allowPrivateTargets: false }),
  scans: z.object({
    /** Server scans of loopback and link-local ranges (the lab, tests); they reach the server itself. */
    allowLoopback: z.boolean().default(false),
  }).strict().default({ allowLoopback: false }),
  jobs: z.object({
    concurrency: z.number().int().min(1).max(16).default(2),
    leaseSeconds: z.number().int().min(5).max(3600).default(60),
  }).strict().default({ concurrency: 2, leaseSeconds: 60 }),
  notifications: z.object({
    sweepMinutes: z.number().int().min(1).max(24 * 60).default(5),
    allowHttpWebhooks: z.boolean().default(false),
    /** Webhooks to loopback, private, link-local and other non-public addresses (a relay inside the network, tests). */
    allowPrivateTargets: z.boolean().default(false),
    smtp: Smtp.optional(),
  }).strict().default({ sweepMinutes: 5, allowHttpWebhooks: false, allowPrivateTargets: false }),
  oidc: Oidc.optional(),
  web: z.object({
    /** The built web application; defaults to dist/web of this installation. */
    root: z.string().min(1).optional(),
    /** Map background tiles ({z}/{x}/{y}); null shows the map without a background. */
    tileUrl: z.string().url().nullable().default(PDOK_BRT_TILES),
    tileAttribution: z.string().max(300).default('Kaartgegevens © Kadaster (PDOK BRT Achtergrondkaart)'),
  }).strict().default({ tileUrl: PDOK_BRT_TILES, tileAttribution: 'Kaartgegevens © Kadaster (PDOK BRT Achtergrondkaart)' }),
}).strict();

export type ServerConfig = z.infer<typeof ServerConfigSchema>;
export type OidcConfig = z.infer<typeof Oidc>;

export interface ConfigSources {
  /** A camaudit.yaml path; when absent, ./camaudit.yaml is read if it exists. */
  file?: string;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  flags: { db?: string; host?: string; port?: number };
}

function fromEnv(env: ConfigSources['env']): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (env.CAMAUDIT_DB) out.db = env.CAMAUDIT_DB;
  if (env.CAMAUDIT_HOST) out.host = env.CAMAUDIT_HOST;
  if (env.CAMAUDIT_PORT) out.port = Number(env.CAMAUDIT_PORT);
  if (env.CAMAUDIT_PUBLIC_URL) out.publicUrl = env.CAMAUDIT_PUBLIC_URL;
  return out;
}

function readFileConfig(sources: ConfigSources): { name: string | null; value: Record<string, unknown> } {
  const name = sources.file ?? (existsSync(`${sources.cwd}/camaudit.yaml`) ? `${sources.cwd}/camaudit.yaml` : null);
  if (!name) return { name: null, value: {} };
  let text: string;
  try {
    text = readFileSync(name, 'utf8');
  } catch (cause) {
    throw new CamauditError('not_found', `cannot read configuration ${name}: ${(cause as Error).message}`, { file: name }, { cause });
  }
  let value: unknown;
  try {
    value = parseYaml(text, { maxAliasCount: 50 }) ?? {};
  } catch (cause) {
    throw new CamauditError('invalid_input', `${name}: not valid YAML: ${(cause as Error).message}`, { file: name }, { cause });
  }
  if (typeof value !== 'object' || Array.isArray(value)) throw new CamauditError('invalid_input', `${name}: the configuration must be a mapping of settings`, { file: name });
  return { name, value: value as Record<string, unknown> };
}

/** Secrets from the environment win over the file, so the file can be committed without them. */
function secretsFromEnv(merged: Record<string, unknown>, env: ConfigSources['env']): void {
  const oidc = merged.oidc as Record<string, unknown> | undefined;
  if (oidc && env.CAMAUDIT_OIDC_CLIENT_SECRET) oidc.clientSecret = env.CAMAUDIT_OIDC_CLIENT_SECRET;
  const smtp = (merged.notifications as Record<string, unknown> | undefined)?.smtp as Record<string, unknown> | undefined;
  if (smtp && env.CAMAUDIT_SMTP_PASS) smtp.pass = env.CAMAUDIT_SMTP_PASS;
}

export function loadServerConfig(sources: ConfigSources): ServerConfig {
  const file = readFileConfig(sources);
  const flags = Object.fromEntries(Object.entries(sources.flags).filter(([, v]) => v !== undefined));
  const merged: Record<string, unknown> = { ...file.value, ...fromEnv(sources.env), ...flags };
  secretsFromEnv(merged, sources.env);
  const parsed = ServerConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const where = file.name ?? 'configuration';
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ');
    throw new CamauditError('invalid_input', `${where}: ${problems}`, file.name ? { file: file.name } : undefined);
  }
  return parsed.data;
}

const MASK = '***';

/** The configuration as it may be printed or logged: passwords, secrets and URL passwords masked. */
export function maskedConfig(config: ServerConfig): Record<string, unknown> {
  const copy = structuredClone(config) as Record<string, unknown> & ServerConfig;
  copy.db = maskUrl(copy.db);
  if (copy.oidc) copy.oidc.clientSecret = MASK;
  if (copy.notifications.smtp?.pass) copy.notifications.smtp.pass = MASK;
  return copy;
}
