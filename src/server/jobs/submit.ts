// How routes start work: store the job (with its files and an audit entry), then tell the
// runners. Parameters are checked here, so a bad request is refused before it becomes a job.
import { z } from 'zod';
import { CamauditError } from '../../core/errors.js';
import { createJob, type Job, type JobFileInput } from '../../store/jobs.js';
import type { TenantScope } from '../../store/tenant.js';
import type { ServerContext } from '../context.js';
import { ImportJobParams } from './handlers/import.js';
import { JOB_KINDS, type JobKind } from './handlers/index.js';
import { ReportJobParams } from './handlers/report.js';
import { ScanJobParams } from './handlers/scan.js';

export const JOB_PARAMS: Readonly<Record<JobKind, z.ZodType>> = Object.freeze({
  import: ImportJobParams,
  scan: ScanJobParams,
  assess: z.strictObject({}),
  report: ReportJobParams,
});

export interface JobSpec {
  kind: JobKind;
  params: Record<string, unknown>;
  files?: readonly JobFileInput[];
  /** A scan for an agent to pull; no server runner takes it. */
  agentId?: string | null;
}

export async function submitJob(ctx: Pick<ServerContext, 'store' | 'now' | 'jobs'>, scope: TenantScope, spec: JobSpec): Promise<Job> {
  const schema = JOB_PARAMS[spec.kind];
  if (!schema || !(JOB_KINDS as readonly string[]).includes(spec.kind)) throw new CamauditError('invalid_input', `no job kind "${spec.kind}" (known: ${JOB_KINDS.join(', ')})`);
  const checked = schema.safeParse(spec.params);
  if (!checked.success) {
    throw new CamauditError('invalid_input', `${spec.kind} job: ${checked.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`).join('; ')}`);
  }
  const job = await createJob(ctx.store, scope, { ...spec, params: checked.data as Record<string, unknown> }, ctx.now());
  if (!job.agentId) await ctx.jobs.enqueue(job.id);
  return job;
}
