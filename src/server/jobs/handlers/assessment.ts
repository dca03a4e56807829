// What `assess` and `report` jobs both start from, as the CLI's assess and plan commands do: the
// organisation's policy (or the shipped default), an incremental assessment, waivers applied.
import { applyWaivers } from '../../../core/assess/waivers.js';
import { loadPolicy } from '../../../ingest/policy.js';
import { runAssessment } from '../../../store/assessments.js';
import { getOrganisationPolicy } from '../../../store/policies.js';
import { listWaivers } from '../../../store/waivers.js';
import type { JobContext } from '../types.js';

export async function assessForJob({ store, scope, knowledge }: JobContext, now: string) {
  const policy = await loadPolicy(undefined, await getOrganisationPolicy(store, scope));
  const kb = await knowledge();
  const result = await runAssessment(store, scope, kb, policy, now);
  const outcome = applyWaivers(result.findings, await listWaivers(store, scope), now);
  return { result, outcome, policy, kb };
}
