// The answer of a route that started a job: 202 Accepted with the job as stored, and where to
// follow it. The work itself happens in the job runner; the client watches the events link.
import type { FastifyReply } from 'fastify';
import type { Organisation } from '../../core/model.js';
import type { Job } from '../../store/jobs.js';

export interface AcceptedJob {
  job: Job;
  /** `download` when the job produces a file: it can be fetched there once the job has succeeded. */
  links: { self: string; events: string; download?: string };
}

export function acceptedJob(reply: FastifyReply, org: Organisation, job: Job, produces?: string): AcceptedJob {
  const self = `/api/v1/organisations/${encodeURIComponent(org.slug)}/jobs/${job.id}`;
  void reply.code(202).header('location', self);
  return { job, links: { self, events: `${self}/events`, ...(produces ? { download: `${self}/files/${encodeURIComponent(produces)}` } : {}) } };
}
