// A policy is data (policies/*.yaml): which restriction measures the organisation adopts, how
// serious each rule is, deadlines and thresholds. Validated strictly: an unknown key is an error,
// so a typo never silently weakens the policy.
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { CamauditError } from '../errors.js';
import { SITE_CATEGORIES } from '../model.js';
import { RULES, SEVERITIES, type RuleId, type Severity } from './types.js';

const Severity = z.enum(SEVERITIES);

// Upper bounds beyond any real use: a deadline or support period of a century. They keep a typo
// (an extra zero, a year given in days) from reaching date arithmetic as an impossible date.
export const MAX_POLICY_DAYS = 36_500;
export const MAX_SUPPORT_YEARS = 100;
const Days = z.number().int().min(0).max(MAX_POLICY_DAYS);
const RuleSetting = z.strictObject({ enabled: z.boolean().default(true), severity: Severity.optional() });

export const PolicySchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  /** Policies extend another by name (`default`): their settings replace the base's. */
  extends: z.string().optional(),
  measures: z.array(z.string().min(1)).default([]),
  human_rights_measures: z.array(z.string().min(1)).default([]),
  deadlines: z.strictObject(Object.fromEntries(SEVERITIES.map((s) => [s, Days.nullable()])) as Record<Severity, z.ZodNullable<typeof Days>>),
  thresholds: z.strictObject({
    cvss_high: z.number().min(0).max(10),
    cvss_critical: z.number().min(0).max(10),
    max_retention_days: Days,
    support_years: z.number().min(0).max(MAX_SUPPORT_YEARS),
    min_identity_confidence: z.number().min(0).max(1),
  }),
  sensitive_sites: z.array(z.enum(SITE_CATEGORIES)).default([]),
  rules: z.strictObject(Object.fromEntries(RULES.map((r) => [r, RuleSetting.optional()])) as Record<RuleId, z.ZodOptional<typeof RuleSetting>>),
});
export type Policy = z.output<typeof PolicySchema>;

/** Reads a policy document; errors name the file and the setting. */
export function parsePolicy(text: string, file: string, base?: Policy): Policy {
  let data: unknown;
  try {
    data = parseYaml(text, { maxAliasCount: 0 });
  } catch (err) {
    throw new CamauditError('invalid_input', `${file}: not valid YAML: ${(err as Error).message}`, { file });
  }
  if (base && data && typeof data === 'object' && (data as { extends?: unknown }).extends !== undefined) {
    data = mergePolicy(base, data as Record<string, unknown>);
  }
  const parsed = PolicySchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length > 0 ? `"${issue.path.join('.')}"` : 'the policy';
    throw new CamauditError('invalid_input', `${file}: ${where}: ${issue.message}`, { file, column: issue.path.join('.') || undefined });
  }
  if (parsed.data.thresholds.cvss_critical < parsed.data.thresholds.cvss_high) {
    throw new CamauditError('invalid_input', `${file}: "thresholds.cvss_critical" must not be below "thresholds.cvss_high"`, { file });
  }
  return parsed.data;
}

/** An override on top of a base policy: objects merge key by key, lists and values replace. */
function mergePolicy(base: Policy, override: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = out[key];
    out[key] = value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object' && !Array.isArray(current)
      ? { ...(current as Record<string, unknown>), ...(value as Record<string, unknown>) }
      : value;
  }
  return out;
}

export function ruleEnabled(policy: Policy, rule: RuleId): boolean {
  return policy.rules[rule]?.enabled ?? true;
}

/** The rule's severity under the policy, or the rule's own default. */
export function ruleSeverity(policy: Policy, rule: RuleId, fallback: Severity): Severity {
  return policy.rules[rule]?.severity ?? fallback;
}

/** assessment date + the policy's deadline for `severity`, as an ISO date; null when none. */
export function dueDate(policy: Policy, severity: Severity, now: string): string | null {
  const days = policy.deadlines[severity];
  if (days === null) return null;
  const d = new Date(now);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
