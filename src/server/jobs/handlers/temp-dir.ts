// The import readers and the workbook writer work on files; a job's files live in the database.
// They meet in a private temporary directory that is removed whatever happens.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'camaudit-job-'));
  try {
    return await fn(dir);
  } catch (err) {
    // Messages name the file as the person uploaded it, not where the server put it.
    if (err instanceof Error) err.message = err.message.replaceAll(`${dir}/`, '');
    throw err;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
