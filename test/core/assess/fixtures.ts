// Shared by the assessment tests: the shipped KB and default policy (the rules are about that
// data, so they are tested against it), a device builder with harmless defaults, and helpers to
// run one rule.
import { readFileSync } from 'node:fs';
import { assess } from '../../../src/core/assess/assess.js';
import { parsePolicy, type Policy } from '../../../src/core/assess/policy.js';
import type { AssessDevice, Finding, RuleId } from '../../../src/core/assess/types.js';
import { loadKnowledgeBase } from '../../../src/kb/load.js';

export const kb = await loadKnowledgeBase();
export const POLICY_TEXT = readFileSync(new URL('../../../policies/default.yaml', import.meta.url), 'utf8');
export const policy = parsePolicy(POLICY_TEXT, 'policies/default.yaml');
export const NOW = '2026-06-01';

/** The default policy with changes, as an organisation's override file would give it. */
export function policyWith(override: string): Policy {
  return parsePolicy(`extends: default\n${override}`, 'test-policy.yaml', policy);
}

/**
 * A recent Axis camera on an internal network at a depot, with every register field filled in:
 * no rule fires on it, so a test changes only the fields its rule reads.
 */
export function device(patch: Partial<AssessDevice> = {}): AssessDevice {
  return {
    id: 'dev-1',
    kind: 'camera',
    status: 'active',
    manufacturer: 'axis',
    brand: 'Axis',
    model: 'P3245-LVE',
    firmware: '10.12.165',
    identityConfidence: 0.9,
    installDate: '2024-03-01',
    analytics: [],
    legalBasis: 'AVG art. 6 lid 1 sub e',
    retentionDays: 28,
    custom: { dpia: 'DPIA-2024-01' },
    site: { id: 'site-1', name: 'Gemeentewerf', category: 'depot' },
    network: { id: 'net-1', name: 'Gemeentelijk LAN', connectivity: 'internal', remoteAccess: 'none' },
    facts: [],
    ...patch,
  };
}

export const HIK_KEV = { manufacturer: 'hikvision', brand: 'Hikvision', model: 'DS-2CD2132F-IS', firmware: 'V5.3.0 build 150513', installDate: '2022-05-01' } as const;

/** The findings for one device under the policy. */
export function findings(d: AssessDevice, p: Policy = policy, now = NOW): Finding[] {
  return assess([d], kb, p, now);
}

/** The device's finding for one rule, or undefined. */
export function finding(d: AssessDevice, rule: RuleId, p: Policy = policy, now = NOW): Finding | undefined {
  return findings(d, p, now).find((f) => f.rule === rule);
}
