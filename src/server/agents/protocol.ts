// The messages between an online agent and the server, as zod schemas: the server documents its
// answers with them and the agent validates what it receives, so neither trusts the other's shape.
import { z } from 'zod';
import type { AgentJob } from '../../store/agent-jobs.js';

export const EnrolRequest = z.strictObject({
  token: z.string().min(10).max(200),
  /** SPKI PEM of the agent's Ed25519 key. */
  publicKey: z.string().min(40).max(4096),
});

export const EnrolAnswer = z.object({
  agentId: z.string(),
  fingerprint: z.string(),
  name: z.string(),
  organisation: z.string(),
  scopes: z.array(z.string()),
});
export type EnrolAnswer = z.infer<typeof EnrolAnswer>;

/** A scan job as the agent receives it (decision 0005, "Jobs"). */
export const PulledJob = z.object({
  jobId: z.string(),
  /** What the bundle's meta.runId must say. */
  runId: z.string(),
  organisation: z.string(),
  targets: z.array(z.string()),
  exclusions: z.array(z.string()),
  ports: z.array(z.number().int().min(1).max(65535)),
  politeness: z.record(z.string(), z.number()),
  notBefore: z.string(),
  expires: z.string(),
});
export type PulledJob = z.infer<typeof PulledJob>;

export const PulledJobs = z.object({ items: z.array(PulledJob) });

export const ResultAnswer = z.object({
  jobId: z.string(),
  runId: z.string(),
  /** The scan run the bundle became in the register. */
  scanRunId: z.string(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
});
export type ResultAnswer = z.infer<typeof ResultAnswer>;

export const Refusal = z.strictObject({ reason: z.string().min(1).max(1000) });

export function pulledJob(job: AgentJob, organisation: string): PulledJob {
  return {
    jobId: job.id, runId: job.id, organisation, targets: job.params.targets, exclusions: job.params.exclude,
    ports: job.params.ports, politeness: job.params.politeness, notBefore: job.createdAt, expires: job.params.expiresAt,
  };
}
