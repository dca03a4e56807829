import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const WEB_CONFIG = join(ROOT, 'web', 'vite.config.ts');

/** Where the test run's build of the web application is. */
export function webBuildDir(): string {
  return process.env.CAMAUDIT_WEB_OUT ?? join(ROOT, 'dist', 'web');
}
