// Compiles the fingerprint rules of kb/data/fingerprints.yaml into matchers and applies them to
// one signal field at a time. Pure: no I/O; the caller loads and validates the YAML.
import type { DeviceKind } from '../core/model.js';
import { SIGNAL_FIELDS, type Protocol } from '../core/identify/signals.js';
import type { Fingerprint } from './fingerprint-schema.js';

/** What a matching rule says about the device. Templates are already filled in. */
export interface FingerprintClaims {
  manufacturer?: string;
  kind?: DeviceKind;
  model?: string;
  firmware?: string;
  serial?: string;
}

export interface Match {
  fingerprint: Fingerprint;
  claims: FingerprintClaims;
}

/** The claims whose values are templates (`{1}` = first capture group). */
const TEMPLATE_CLAIMS = ['model', 'firmware', 'serial'] as const;
type TemplateClaim = (typeof TEMPLATE_CLAIMS)[number];
const CLAIM_KEYS: ReadonlySet<string> = new Set(['manufacturer', 'kind', ...TEMPLATE_CLAIMS]);

/** A template split once into literal text and group numbers, so filling it is a join. */
type TemplatePart = string | number;

export interface CompiledRule {
  readonly fingerprint: Fingerprint;
  readonly regex: RegExp;
  /** Claims that do not depend on the value (manufacturer, kind). */
  readonly fixed: Readonly<FingerprintClaims>;
  readonly templates: ReadonlyArray<readonly [TemplateClaim, readonly TemplatePart[]]>;
}

export interface CompiledFingerprints {
  /** protocol → field → rules, in file order. Nested maps avoid building a key per lookup. */
  readonly byField: ReadonlyMap<string, ReadonlyMap<string, readonly CompiledRule[]>>;
  readonly size: number;
}

/** A rule that cannot be compiled: the message names the rule id. */
export class FingerprintError extends Error {
  constructor(
    readonly fingerprintId: string,
    detail: string,
  ) {
    super(`fingerprint "${fingerprintId}": ${detail}`);
    this.name = 'FingerprintError';
  }
}

function parseTemplate(id: string, claim: string, template: string, groups: number): TemplatePart[] {
  const parts: TemplatePart[] = [];
  const re = /\{(\d+)\}/g;
  let last = 0;
  for (let m = re.exec(template); m !== null; m = re.exec(template)) {
    const group = Number(m[1]);
    if (group < 1 || group > groups) {
      throw new FingerprintError(id, `claim ${claim} uses {${group}} but the pattern has ${groups} capture group(s)`);
    }
    if (m.index > last) parts.push(template.slice(last, m.index));
    parts.push(group);
    last = m.index + m[0].length;
  }
  if (last < template.length) parts.push(template.slice(last));
  return parts;
}

function compileRule(fp: Fingerprint): CompiledRule {
  let regex: RegExp;
  try {
    // No `g` or `y` (the schema forbids them): the regex stays stateless and can be shared.
    regex = new RegExp(fp.pattern, fp.flags);
  } catch (err) {
    throw new FingerprintError(fp.id, `invalid pattern /${fp.pattern}/${fp.flags}: ${(err as Error).message}`);
  }
  // Alternation with the empty pattern always matches '' and reports every group.
  const groups = (new RegExp(`${fp.pattern}|`, fp.flags).exec('')?.length ?? 1) - 1;
  const fixed: FingerprintClaims = {};
  if (fp.claims.manufacturer !== undefined) fixed.manufacturer = fp.claims.manufacturer;
  if (fp.claims.kind !== undefined) fixed.kind = fp.claims.kind;
  const templates: Array<readonly [TemplateClaim, TemplatePart[]]> = [];
  for (const claim of TEMPLATE_CLAIMS) {
    const template = fp.claims[claim];
    if (template !== undefined) templates.push([claim, parseTemplate(fp.id, claim, template, groups)]);
  }
  return { fingerprint: fp, regex, fixed, templates };
}

function fieldsOf(fp: Fingerprint): Array<[Protocol, string]> {
  return fp.on.map((name) => {
    const dot = name.indexOf('.');
    const protocol = name.slice(0, dot) as Protocol;
    const field = name.slice(dot + 1);
    if (!Object.hasOwn(SIGNAL_FIELDS, protocol) || !SIGNAL_FIELDS[protocol].includes(field)) {
      throw new FingerprintError(fp.id, `"${name}" is not a known signal field`);
    }
    return [protocol, field];
  });
}

/** Compiles every rule once and indexes it under each `protocol.field` it reads. */
export function compileFingerprints(list: readonly Fingerprint[]): CompiledFingerprints {
  const byField = new Map<string, Map<string, CompiledRule[]>>();
  const seen = new Set<string>();
  for (const fp of list) {
    if (seen.has(fp.id)) throw new FingerprintError(fp.id, 'duplicate id');
    seen.add(fp.id);
    const rule = compileRule(fp);
    for (const [protocol, field] of fieldsOf(fp)) {
      let fields = byField.get(protocol);
      if (fields === undefined) byField.set(protocol, (fields = new Map()));
      const rules = fields.get(field);
      if (rules === undefined) fields.set(field, [rule]);
      else rules.push(rule);
    }
  }
  return { byField, size: seen.size };
}

function fill(parts: readonly TemplatePart[], groups: RegExpExecArray): string | undefined {
  let out = '';
  for (const part of parts) out += typeof part === 'number' ? (groups[part] ?? '') : part;
  out = out.trim();
  return out === '' ? undefined : out;
}

function claimsOf(rule: CompiledRule, groups: RegExpExecArray | null): FingerprintClaims {
  const claims: FingerprintClaims = { ...rule.fixed };
  if (groups === null) return claims;
  for (const [claim, parts] of rule.templates) {
    const value = fill(parts, groups);
    if (value !== undefined) claims[claim] = value;
  }
  return claims;
}

/** Runs one rule; `null` when it does not match. */
function run(rule: CompiledRule, value: string): FingerprintClaims | null {
  // test() is cheaper than exec() when no capture group is needed.
  if (rule.templates.length === 0) return rule.regex.test(value) ? { ...rule.fixed } : null;
  const groups = rule.regex.exec(value);
  return groups === null ? null : claimsOf(rule, groups);
}

/** Every rule for `protocol.field` whose pattern matches `value`, with its filled-in claims. */
export function matchField(compiled: CompiledFingerprints, protocol: Protocol, field: string, value: string): Match[] {
  const rules = compiled.byField.get(protocol)?.get(field);
  if (rules === undefined || value === '') return [];
  const matches: Match[] = [];
  for (const rule of rules) {
    const claims = run(rule, value);
    if (claims !== null) matches.push({ fingerprint: rule.fingerprint, claims });
  }
  return matches;
}

export interface ExampleCheck {
  ok: boolean;
  message?: string;
}

/**
 * Checks one example of a rule (used by `kb verify` and the tests): the pattern must match the
 * value, and every claim in `expect` must come out exactly as written.
 */
export function checkExample(fp: Fingerprint, value: string, expect?: Readonly<Record<string, string>>): ExampleCheck {
  let rule: CompiledRule;
  try {
    rule = compileRule(fp);
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
  const claims = run(rule, value);
  if (claims === null) {
    return { ok: false, message: `fingerprint "${fp.id}": /${fp.pattern}/${fp.flags} does not match example ${JSON.stringify(value)}` };
  }
  for (const [key, want] of Object.entries(expect ?? {})) {
    if (!CLAIM_KEYS.has(key)) {
      return { ok: false, message: `fingerprint "${fp.id}": example expects unknown claim "${key}"` };
    }
    const got = claims[key as keyof FingerprintClaims];
    if (got !== want) {
      return {
        ok: false,
        message: `fingerprint "${fp.id}": example ${JSON.stringify(value)} gives ${key}=${JSON.stringify(got)}, expected ${JSON.stringify(want)}`,
      };
    }
  }
  return { ok: true };
}
