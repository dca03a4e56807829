// What a job handler is given and how it reports back. Handlers are glue: they call the same
// functions the CLI commands call, with the job's parameters and files instead of flags and paths.
import type { Organisation } from '../../core/model.js';
import type { KnowledgeBase } from '../../kb/schema.js';
import type { Store } from '../../store/database.js';
import type { Job } from '../../store/jobs.js';
import type { TenantScope } from '../../store/tenant.js';

export interface JobContext {
  job: Job;
  org: Organisation;
  /** The job's organisation, acting as the person who submitted it, from source `job:<id>`. */
  scope: TenantScope;
  store: Store;
  /** The knowledge base in force, loaded when a handler needs it. */
  knowledge: () => Promise<KnowledgeBase>;
  now: () => string;
  /** Latest progress (any JSON); written to the job row a few times a second at most. */
  progress: (progress: unknown) => void;
  /** Aborts when the job is cancelled, its server stops, or its lease was lost. */
  signal: AbortSignal;
  /** `in/NAME` files the job was given. */
  readFile: (name: string) => Promise<Buffer>;
  /** Stores an `out/NAME` file for download. */
  writeFile: (name: string, content: Buffer) => Promise<void>;
}

/** Runs one job and returns its result (JSON). Throwing fails the job with the error's message. */
export type JobHandler = (ctx: JobContext) => Promise<unknown>;

export type JobHandlers = Readonly<Record<string, JobHandler>>;

/**
 * Thrown by a handler that stopped early because it was asked to (its signal aborted); the job
 * ends `cancelled`, with what was done so far as its result. A handler that finished its work
 * anyway just returns, and the job succeeds: the status says what really happened.
 */
export class JobCancelled extends Error {
  constructor(readonly result: unknown = null) {
    super('the job was cancelled');
    this.name = 'JobCancelled';
  }
}
