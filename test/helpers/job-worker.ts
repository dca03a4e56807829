// A server process as far as jobs go, for tests that kill it or run two of them:
//   node --import tsx test/helpers/job-worker.ts <database> <instance id> <lease ms>
// Prints "ready" once its runner has started. Reads commands on stdin:
//   submit <kind> <count> [params JSON]  → stores and enqueues jobs, prints "submitted <ids…>"
//   stop                                 → stops gracefully, prints "stopped", exits
import { createInterface } from 'node:readline';
import { createJobRunner } from '../../src/server/jobs/runner.js';
import { openStore } from '../../src/store/database.js';
import { createJob } from '../../src/store/jobs.js';
import { TEST_HANDLERS } from './job-handlers.js';

const [location, instanceId, leaseMs] = process.argv.slice(2);
if (!location || !instanceId || !leaseMs) throw new Error('usage: job-worker.ts <database> <instance id> <lease ms>');
const store = await openStore(location);
const now = () => new Date().toISOString();
const runner = createJobRunner(store, {
  instanceId, handlers: TEST_HANDLERS, concurrency: 2, leaseMs: Number(leaseMs), now, pollMs: 200,
  knowledge: () => Promise.reject(new Error('test jobs need no knowledge base')),
  onError: (err) => process.stderr.write(`runner error: ${(err as Error).stack ?? String(err)}\n`),
});
await runner.start();
process.stdout.write('ready\n');

const orgId = (await store.db.selectFrom('organisations').select('id').orderBy('slug').executeTakeFirstOrThrow()).id;
for await (const line of createInterface({ input: process.stdin })) {
  const [command, kind, count, params] = line.trim().split(' ');
  if (command === 'submit' && kind) {
    const ids: string[] = [];
    for (let i = 0; i < Number(count ?? 1); i++) {
      const job = await createJob(store, { orgId, actor: `test:${instanceId}`, source: 'test' }, { kind, params: params ? JSON.parse(params) as Record<string, unknown> : {} }, now());
      await runner.enqueue(job.id);
      ids.push(job.id);
    }
    process.stdout.write(`submitted ${ids.join(' ')}\n`);
  } else if (command === 'stop') {
    await runner.stop();
    await store.close();
    process.stdout.write('stopped\n');
    process.exit(0);
  }
}
