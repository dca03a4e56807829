// Several server processes share one database: a session made on one works on the other, jobs
// submitted to either run exactly once, and a process killed while writing leaves a database
// whose audit chain still verifies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import SqliteDriver from 'better-sqlite3';
import { cli } from '../helpers/cli.js';
import { ENGINES, PG_AVAILABLE, type EngineFixture } from '../helpers/engines.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

const PASSWORD = 'twee servers een database';
const postgres = ENGINES.find((e) => e.name === 'postgres');
const sqlite = ENGINES.find((e) => e.name === 'sqlite')!;

async function prepare(db: string): Promise<string> {
  expect((await cli(['--db', db, 'init', '--name', 'Gemeente Twee', '--cbs', 'GM0002'])).code).toBe(0);
  expect((await cli(['--db', db, 'demo'])).code).toBe(0);
  expect((await cli(['--db', db, '--org', 'gemeente-twee', 'users', 'add', 'ciso@twee.example', '--role', 'admin', '--password-env', 'PW'], { PW: PASSWORD })).code).toBe(0);
  expect((await cli(['--db', db, '--org', 'demo', 'users', 'add', 'ciso@twee.example', '--role', 'editor'])).code).toBe(0);
  return db;
}

async function signIn(base: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'ciso@twee.example', password: PASSWORD }) });
  expect(res.status).toBe(200);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith('camaudit_session='))!;
  return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

describe.skipIf(!PG_AVAILABLE)('two server processes on one PostgreSQL database', () => {
  const engine = postgres as EngineFixture;
  let db: string;
  let one: ServerProcess;
  let two: ServerProcess;

  beforeAll(async () => {
    db = await prepare(await engine.create());
    [one, two] = await Promise.all([startServerProcess(db), startServerProcess(db)]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([one?.stop(), two?.stop()]);
    await engine.cleanup();
  });

  it('accepts a session made on one instance on the other, and ends it on both', async () => {
    const { cookie, csrf } = await signIn(one.url);
    const there = await fetch(`${two.url}/api/v1/organisations/demo/devices?limit=5`, { headers: { cookie } });
    expect(there.status).toBe(200);
    expect(((await there.json()) as { items: unknown[] }).items).toHaveLength(5);
    const out = await fetch(`${two.url}/api/v1/auth/logout`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf } });
    expect(out.status).toBe(204);
    expect((await fetch(`${one.url}/api/v1/auth/session`, { headers: { cookie } })).status).toBe(401);
  });

  it('runs every job submitted to either instance exactly once', async () => {
    const { cookie, csrf } = await signIn(one.url);
    const headers = { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' };
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const base = i % 2 === 0 ? one.url : two.url;
      const res = await fetch(`${base}/api/v1/organisations/demo/assessments`, { method: 'POST', headers, body: '{}' });
      expect(res.status).toBe(202);
      ids.push(((await res.json()) as { job: { id: string } }).job.id);
    }
    const deadline = Date.now() + 90_000;
    let jobs: { id: string; status: string; attempts: number; error: string | null }[] = [];
    while (Date.now() < deadline) {
      const res = await fetch(`${two.url}/api/v1/organisations/demo/jobs?kind=assess&limit=100`, { headers: { cookie } });
      jobs = ((await res.json()) as { items: typeof jobs }).items.filter((j) => ids.includes(j.id));
      if (jobs.length === ids.length && jobs.every((j) => j.status === 'succeeded' || j.status === 'failed')) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(jobs.map((j) => [j.status, j.attempts, j.error])).toEqual(ids.map(() => ['succeeded', 1, null]));
    const runs = await cli(['--db', db, '--org', 'demo', '--json', 'audit', 'list', '--limit', '1000']);
    const ended = (JSON.parse(runs.out) as { entityType: string; entityId: string; action: string }[])
      .filter((e) => e.entityType === 'job' && ids.includes(e.entityId) && e.action !== 'create');
    // One end entry per job: a job run twice would have ended twice.
    expect(ended.map((e) => e.entityId).sort()).toEqual([...ids].sort());
  }, 120_000);
});

describe('a server told to stop', () => {
  it('finishes what it answers, closes the database and exits 0 on SIGTERM', async () => {
    const db = await prepare(await sqlite.create());
    const server = await startServerProcess(db);
    expect((await fetch(`${server.url}/api/v1/health`)).status).toBe(200);
    expect(await server.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    // Nothing is left half-written.
    const check = new SqliteDriver(db);
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
  }, 60_000);
});

describe('a server killed while it writes', () => {
  it('leaves a consistent database whose audit chain verifies', async () => {
    const db = await prepare(await sqlite.create());
    const token = JSON.parse((await cli(['--db', db, '--org', 'demo', '--json', 'tokens', 'create', 'writer', '--role', 'editor'])).out) as { token: string };
    const server = await startServerProcess(db);
    const headers = { authorization: `Bearer ${token.token}`, 'content-type': 'application/json' };
    const page = (await (await fetch(`${server.url}/api/v1/organisations/demo/devices?limit=200`, { headers })).json()) as { items: { id: string }[] };
    let written = 0;
    const writers = page.items.slice(0, 8).map(async (d, w) => {
      for (let i = 0; ; i++) {
        try {
          const res = await fetch(`${server.url}/api/v1/organisations/demo/devices/${d.id}`, { method: 'PATCH', headers, body: JSON.stringify({ purpose: `writer ${w} edit ${i}` }) });
          if (res.ok) written++;
        } catch {
          return;
        }
      }
    });
    while (written < 40) await new Promise((r) => setTimeout(r, 20));
    const { signal } = await server.stop('SIGKILL');
    await Promise.all(writers);
    expect(signal).toBe('SIGKILL');

    const check = new SqliteDriver(db);
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
    const verify = await cli(['--db', db, '--org', 'demo', 'audit', 'verify']);
    expect(verify.code, verify.out + verify.err).toBe(0);
    const history = await cli(['--db', db, '--org', 'demo', '--json', 'audit', 'list', '--limit', '10000']);
    const edits = (JSON.parse(history.out) as { entityType: string; action: string; after: { purpose?: string } | null }[])
      .filter((e) => e.entityType === 'device' && e.action === 'update' && e.after?.purpose?.startsWith('writer'));
    // Every edit the server confirmed is in the chain (and perhaps some it could not confirm).
    expect(edits.length).toBeGreaterThanOrEqual(written);
    await sqlite.cleanup();
  }, 120_000);
});
