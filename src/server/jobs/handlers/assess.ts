// `assess` jobs: the organisation re-assessed as `camaudit assess` does it; the result counts
// the active findings by severity, with what the run recomputed.
import { SEVERITIES, type Severity } from '../../../core/assess/types.js';
import { JobCancelled, type JobHandler } from '../types.js';
import { assessForJob } from './assessment.js';

export const assessJob: JobHandler = async (ctx) => {
  if (ctx.signal.aborted) throw new JobCancelled();
  const { result, outcome, policy, kb } = await assessForJob(ctx, ctx.now());
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of outcome.active) bySeverity[f.severity]++;
  return {
    policy: policy.name, kbVersion: kb.meta.version, runId: result.runId,
    devices: result.devices.length, assessed: result.assessed, unchanged: result.unchanged, removed: result.removed,
    findings: outcome.active.length, waived: outcome.waived.length, bySeverity,
  };
};
