// Starting and stopping a server process: open and migrate the database, start the job runner,
// listen, and on shutdown stop taking requests, let running requests and jobs finish, and close.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { migrateToLatest, openStore, type Store } from '../store/database.js';
import { agentAuthenticator } from './agents/auth.js';
import { buildApp } from './app.js';
import type { ServerConfig } from './config.js';
import { knowledgeLoader, organisationCache, type ServerContext } from './context.js';
import { jobHandlers } from './jobs/handlers/index.js';
import { createJobRunner } from './jobs/runner.js';
import { notificationDeps } from './notify/deps.js';
import { runNotificationSweep } from './notify/sweep.js';

export interface RunningServer {
  url: string;
  ctx: ServerContext;
  close(): Promise<void>;
}

export interface RunOptions {
  now: () => string;
  warn: (text: string) => void;
  /** Runs after migration, before listening (the demo loads its organisation here). */
  prepare?: (store: Store) => Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export async function runServer(config: ServerConfig, options: RunOptions): Promise<RunningServer> {
  const store = await openStore(config.db);
  try {
    await migrateToLatest(store);
    if (options.prepare) await options.prepare(store);
  } catch (err) {
    await store.close();
    throw err;
  }
  const instanceId = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  const knowledge = knowledgeLoader(store);
  const runner = createJobRunner(store, {
    instanceId, handlers: jobHandlers(), concurrency: config.jobs.concurrency, leaseMs: config.jobs.leaseSeconds * 1000, now: options.now, knowledge,
  });
  const ctx: ServerContext = {
    store, config, now: options.now, instanceId, knowledge, organisation: organisationCache(store), jobs: runner, authenticateAgent: agentAuthenticator(store, options.now),
  };
  const app = await buildApp(ctx);
  await runner.start();
  if (!LOOPBACK.has(config.host) && !config.publicUrl?.startsWith('https:')) {
    options.warn(`warning: serving on ${config.host} without TLS; put a TLS proxy in front and set publicUrl to its https:// address, or session cookies travel unprotected`);
  }
  if ((await store.db.selectFrom('users').select('id').limit(1).execute()).length === 0) {
    options.warn('no accounts yet: create the first administrator with `camaudit users add EMAIL --org SLUG --role admin`');
  }
  await app.listen({ port: config.port, host: config.host });
  const sweeps = notificationSweeps(ctx, options.warn);
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const shown = LOOPBACK.has(config.host) || config.host === '0.0.0.0' ? 'localhost' : config.host;
  let closing: Promise<void> | null = null;
  return {
    url: config.publicUrl ?? `http://${shown}:${port}`,
    ctx,
    close: () => (closing ??= (async () => {
      await sweeps.stop();
      await app.close();
      await runner.stop();
      await store.close();
    })()),
  };
}

/**
 * Looks for events to notify every `sweepMinutes`. Every instance sweeps; a delivery is claimed
 * in the database before it is sent, so several instances never send one event twice.
 */
function notificationSweeps(ctx: ServerContext, warn: (text: string) => void): { stop(): Promise<void> } {
  const deps = notificationDeps(ctx.store, ctx.config.notifications, ctx.knowledge);
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    // A sweep slower than the interval is not joined by a second one.
    running ??= runNotificationSweep(ctx.store, deps, ctx.now())
      .catch((err: Error) => warn(`notification sweep failed: ${err.message}`))
      .finally(() => { running = null; });
  }, ctx.config.notifications.sweepMinutes * 60_000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
