// What a runner does on each look round besides taking work: end the jobs nobody else will end —
// server jobs whose runner died for good, and agent jobs whose agent went silent (expired, or
// cancelled by a person while the agent had them).
import { endOverdueAgentJobs } from '../../store/agent-jobs.js';
import type { Store } from '../../store/database.js';
import { endAbandonedJobs } from '../../store/jobs.js';
import type { RunnerSettings } from './runner.js';

/** `own`: the jobs this runner is executing, alive whatever their lease says. */
export async function sweepJobs(store: Store, s: RunnerSettings, own: readonly string[]): Promise<void> {
  await endAbandonedJobs(store, s.now(), s.maxAttempts, own);
  await endOverdueAgentJobs(store, s.now());
}
