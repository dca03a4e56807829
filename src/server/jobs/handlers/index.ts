// The job kinds this server runs, by name.
import type { JobHandler, JobHandlers } from '../types.js';
import { assessJob } from './assess.js';
import { importJob } from './import.js';
import { reportJob } from './report.js';
import { scanJob } from './scan.js';

export const JOB_KINDS = ['import', 'scan', 'assess', 'report'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export function jobHandlers(): JobHandlers {
  return Object.freeze({ import: importJob, scan: scanJob, assess: assessJob, report: reportJob } satisfies Record<JobKind, JobHandler>);
}
