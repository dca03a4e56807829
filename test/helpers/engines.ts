// The store suite runs on every engine: SQLite always, PostgreSQL when it is reachable. In CI
// (CI=true) PostgreSQL is mandatory: a missing server fails the run instead of skipping.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrateToLatest, openStore, type Store } from '../../src/store/database.js';

export const PG_ADMIN_URL = process.env.CAMAUDIT_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface EngineFixture {
  name: 'sqlite' | 'postgres';
  /** A fresh, empty database location. */
  create(): Promise<string>;
  cleanup(): Promise<void>;
}

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

export const PG_AVAILABLE = await postgresReachable();
if (!PG_AVAILABLE) {
  if (process.env.CI === 'true') throw new Error(`PostgreSQL is required in CI but ${PG_ADMIN_URL} is unreachable`);
  console.warn(`PostgreSQL tests skipped: ${PG_ADMIN_URL} unreachable (start PostgreSQL or set CAMAUDIT_TEST_PG)`);
}

function sqliteFixture(): EngineFixture {
  const dirs: string[] = [];
  return {
    name: 'sqlite',
    async create() {
      const dir = mkdtempSync(join(tmpdir(), 'camaudit-test-'));
      dirs.push(dir);
      return join(dir, 'test.db');
    },
    async cleanup() {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}

function postgresFixture(): EngineFixture {
  const dbs: string[] = [];
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: PG_ADMIN_URL });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  return {
    name: 'postgres',
    async create() {
      const name = `camaudit_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
      await admin(`CREATE DATABASE ${name}`);
      dbs.push(name);
      const url = new URL(PG_ADMIN_URL);
      url.pathname = `/${name}`;
      return url.toString();
    },
    async cleanup() {
      for (const name of dbs) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

export const ENGINES: EngineFixture[] = [sqliteFixture(), ...(PG_AVAILABLE ? [postgresFixture()] : [])];

export async function freshStore(engine: EngineFixture): Promise<Store> {
  const store = await openStore(await engine.create());
  await migrateToLatest(store);
  return store;
}
