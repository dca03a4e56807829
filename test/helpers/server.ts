// A server on a fresh database with two organisations holding a few devices each, and API
// tokens for every role in each: what the route and authorisation tests start from.
import type { FastifyInstance } from 'fastify';
import type { Organisation } from '../../src/core/model.js';
import { agentAuthenticator } from '../../src/server/agents/auth.js';
import { buildApp, type AppOptions } from '../../src/server/app.js';
import { ROLES, type Role } from '../../src/server/auth/roles.js';
import { ServerConfigSchema, type ServerConfig } from '../../src/server/config.js';
import { knowledgeLoader, organisationCache, type ServerContext } from '../../src/server/context.js';
import { jobHandlers } from '../../src/server/jobs/handlers/index.js';
import { createJobRunner, type JobRunner } from '../../src/server/jobs/runner.js';
import { createApiToken } from '../../src/store/api-tokens.js';
import { applyRecords } from '../../src/store/apply-records.js';
import type { Store } from '../../src/store/database.js';
import { createOrganisation } from '../../src/store/organisations.js';
import { freshStore, type EngineFixture } from './engines.js';

export interface TestClock {
  now(): string;
  advance(ms: number): void;
}

export function testClock(start = '2026-11-29T09:00:00.000Z'): TestClock {
  let t = Date.parse(start);
  return { now: () => new Date(t).toISOString(), advance: (ms) => { t += ms; } };
}

export interface TestServer {
  store: Store;
  ctx: ServerContext;
  app: FastifyInstance;
  clock: TestClock;
  orgs: { a: Organisation; b: Organisation };
  /** Bearer tokens per organisation and role. */
  tokens: Record<'a' | 'b', Record<Role, string>>;
  /** The job runner; started only when the test asked for it (`runJobs`). */
  runner: JobRunner;
  close(): Promise<void>;
}

export async function seedOrganisation(store: Store, slug: string, cbsCode: string, now: string): Promise<Organisation> {
  const org = await createOrganisation(store, { slug, name: `Gemeente ${slug}`, cbsCode }, now);
  const scope = { orgId: org.id, actor: 'test', source: 'test' };
  await applyRecords(store, scope, [
    { row: 1, device: { externalRef: `${slug}-1`, kind: 'camera', brand: 'Hikvision', model: 'DS-2CD2143G0-I', ip: '10.0.0.11' }, site: { name: `${slug} garage`, category: 'parking_garage' }, network: null },
    { row: 2, device: { externalRef: `${slug}-2`, kind: 'camera', brand: 'Axis', model: 'P3245-LVE', ip: '10.0.0.12' }, site: { name: `${slug} sporthal`, category: 'sports_facility' }, network: null },
    { row: 3, device: { externalRef: `${slug}-3`, kind: 'recorder', brand: 'Dahua', model: 'NVR4108HS-4KS2', ip: '10.0.0.13' }, site: { name: `${slug} garage`, category: 'parking_garage' }, network: null },
  ], now);
  return org;
}

export function testConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return { ...ServerConfigSchema.parse({}), ...overrides };
}

export interface TestServerOptions {
  config?: Partial<ServerConfig>;
  app?: AppOptions;
  context?: Partial<ServerContext>;
  /** Start the job runner, so submitted jobs run. */
  runJobs?: boolean;
}

export async function startTestServer(engine: EngineFixture, options: TestServerOptions = {}): Promise<TestServer> {
  const store = await freshStore(engine);
  const clock = testClock();
  const now = clock.now();
  const orgs = { a: await seedOrganisation(store, 'alpha', 'GM0001', now), b: await seedOrganisation(store, 'beta', 'GM0002', now) };
  const tokens = { a: {}, b: {} } as TestServer['tokens'];
  for (const key of ['a', 'b'] as const) {
    for (const role of ROLES) {
      const scope = { orgId: orgs[key].id, actor: 'test', source: 'test' };
      tokens[key][role] = (await createApiToken(store, scope, { name: `${role} token`, role, expiresAt: '2027-06-01T00:00:00.000Z' }, now)).token;
    }
  }
  const config = testConfig(options.config);
  const knowledge = knowledgeLoader(store);
  const runner = createJobRunner(store, {
    instanceId: 'test', handlers: jobHandlers(), concurrency: config.jobs.concurrency, leaseMs: config.jobs.leaseSeconds * 1000,
    now: clock.now, knowledge, pollMs: 50,
  });
  const ctx: ServerContext = {
    store, config, now: clock.now, instanceId: 'test', knowledge, organisation: organisationCache(store), jobs: runner, authenticateAgent: agentAuthenticator(store, clock.now), ...options.context,
  };
  const app = await buildApp(ctx, options.app);
  if (options.runJobs) await runner.start();
  return {
    store, ctx, app, clock, orgs, tokens, runner,
    async close() {
      await app.close();
      if (options.runJobs) await runner.stop();
      await store.close();
    },
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
