// Reading assessment policies: the shipped default, a policy file, or the organisation's stored
// policy on top of the default. Used by the CLI, the server's routes and its jobs alike.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { CamauditError } from '../core/errors.js';
import { parsePolicy, type Policy } from '../core/assess/policy.js';
import type { StoredPolicy } from '../store/policies.js';

// Relative to this module, so it resolves to <package>/policies from src/ingest (tsx) and
// from dist/ingest (build output) alike, whatever the working directory.
export const DEFAULT_POLICY_FILE = fileURLToPath(new URL('../../policies/default.yaml', import.meta.url));

export async function readPolicyFile(file: string): Promise<string> {
  return readFile(file, 'utf8').catch((cause: Error) => {
    throw new CamauditError('not_found', `cannot read policy ${file}: ${cause.message}`, { file });
  });
}

/** A policy document on top of the shipped default when it says `extends: default`. */
function policyFrom(text: string, source: string, base: Policy): Policy {
  const policy = parsePolicy(text, source, base);
  if (policy.extends !== undefined && policy.extends !== base.name) {
    throw new CamauditError('invalid_input', `${source}: "extends": only "${base.name}" can be extended, not "${policy.extends}"`, { file: source, column: 'extends' });
  }
  return policy;
}

export async function defaultPolicy(): Promise<Policy> {
  return parsePolicy(await readPolicyFile(DEFAULT_POLICY_FILE), 'policies/default.yaml');
}

/**
 * The policy in force: `file` when given, else the organisation's stored policy, else the shipped
 * default — a file or stored policy on top of the default when it says `extends: default`.
 */
export async function loadPolicy(file: string | undefined, stored: StoredPolicy | null = null): Promise<Policy> {
  const base = await defaultPolicy();
  if (file !== undefined) return policyFrom(await readPolicyFile(file), file, base);
  if (stored) return policyFrom(stored.text, `organisation policy (set from ${stored.fileName})`, base);
  return base;
}
