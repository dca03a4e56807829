// The cost model is data (policies/costs.yaml): prices per device kind and labour per action.
// Validated strictly, like a policy: an unknown key is an error, so a misspelt price never
// silently falls back to the default.
// eslint-disable-next-line no-restricted-imports -- the shipped default model is read once, next to the code like the KB; parsing stays pure
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { CamauditError } from '../errors.js';
import { DEVICE_KINDS, type DeviceKind } from '../model.js';
import type { CostModel } from './types.js';

// A price per device or per action above a million euros is a typo (cents given as euros, an extra
// zero), not a camera; refusing it keeps totals over 100,000 devices exact in a double.
export const MAX_EUROS = 1_000_000;
const Euros = z.number().int().min(0).max(MAX_EUROS);
const KindCosts = z.strictObject({ hardware: Euros, installation: Euros, disposal: Euros });

export const CostModelSchema = z.strictObject({
  currency: z.literal('EUR'),
  kinds: z.strictObject(Object.fromEntries(DEVICE_KINDS.map((k) => [k, KindCosts])) as Record<DeviceKind, typeof KindCosts>),
  actions: z.strictObject({
    disable_vendor_cloud: Euros, isolate_network: Euros, update_firmware: Euros, close_port: Euros, activate_device: Euros, decommission: Euros,
  }),
  lifetimeYears: z.number().int().min(1).max(50),
});

/** Reads a cost model document; errors name the file and the field. */
export function parseCostModel(text: string, file: string): CostModel {
  let data: unknown;
  try {
    data = parseYaml(text, { maxAliasCount: 0 });
  } catch (err) {
    throw new CamauditError('invalid_input', `${file}: not valid YAML: ${(err as Error).message}`, { file }, { cause: err });
  }
  const parsed = CostModelSchema.safeParse(data);
  if (!parsed.success) {
    // A misspelt key also leaves a required one missing; naming the misspelling says more.
    const issue = parsed.error.issues.find((i) => i.code === 'unrecognized_keys') ?? parsed.error.issues[0]!;
    const field = issue.path.join('.');
    const where = field === '' ? 'the cost model' : `"${field}"`;
    throw new CamauditError('invalid_input', `${file}: ${where}: ${issue.message}`, { file, column: field || undefined });
  }
  return parsed.data;
}

// Relative to this module, so it resolves to <package>/policies from src/core/plan (tsx) and from
// dist/core/plan (build output, rootDir src) alike, whatever the working directory.
export const DEFAULT_COST_MODEL_FILE = fileURLToPath(new URL('../../../policies/costs.yaml', import.meta.url));

/** The documented default (policies/costs.yaml): planning assumptions until contract prices replace them. */
export const DEFAULT_COST_MODEL: CostModel = deepFreeze(parseCostModel(readFileSync(DEFAULT_COST_MODEL_FILE, 'utf8'), 'policies/costs.yaml'));

/** New hardware and its installation, then taking the old device out and disposing of it. */
export function replacementCost(cost: CostModel, kind: DeviceKind): number {
  const k = cost.kinds[kind];
  return k.hardware + k.installation + cost.actions.decommission + k.disposal;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
