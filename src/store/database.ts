// Opening a store: an embedded SQLite file (the default) or a PostgreSQL server, behind one
// Kysely<Database>. This is the only file that knows which driver is underneath.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDriver from 'better-sqlite3';
import { Kysely, Migrator, NO_MIGRATIONS, PostgresDialect, SqliteDialect, type MigrationResult } from 'kysely';
import pg from 'pg';
import { CamauditError } from '../core/errors.js';
import { POSTGRES, SQLITE, type EngineFlags } from './engine.js';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';

export interface Store {
  db: Kysely<Database>;
  engine: EngineFlags;
  /** File path or URL with any password masked, for messages. */
  location: string;
  /** The SQLite handle, for online backup; absent on PostgreSQL. */
  sqlite?: SqliteDriver.Database;
  close(): Promise<void>;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

export function maskUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

// int8 (counts, bigserial ids) arrives as a string by default; our ids and counts fit a double.
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

export async function openStore(location: string): Promise<Store> {
  if (isPostgresUrl(location)) {
    const pool = new pg.Pool({ connectionString: location, max: 10, types: pgTypes });
    // An idle connection the server ends (a restart, a failover, an administrator) is reported on
    // the pool; without a listener that report would end the process. The pool drops the
    // connection and opens a new one on the next query, so there is nothing else to do.
    pool.on('error', () => undefined);
    try {
      const client = await pool.connect();
      client.release();
    } catch (cause) {
      await pool.end();
      throw new CamauditError('database', `cannot connect to PostgreSQL at ${maskUrl(location)}: ${(cause as Error).message}`, undefined, { cause });
    }
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, engine: POSTGRES, location: maskUrl(location), close: () => db.destroy() };
  }
  const file = location === ':memory:' ? location : resolve(location);
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  let sqlite: SqliteDriver.Database;
  try {
    sqlite = new SqliteDriver(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // WAL with synchronous=NORMAL is durable across process crashes; only power loss can drop
    // the last transactions, never corrupt the file.
    sqlite.pragma('synchronous = NORMAL');
    // The default 2 MB page cache thrashes once a bulk import's indexes outgrow it; 32 MB keeps
    // a 100,000-row import's indexes hot without dominating the process's memory.
    sqlite.pragma('cache_size = -32768');
    sqlite.pragma('temp_store = MEMORY');
  } catch (cause) {
    throw new CamauditError('database', `cannot open SQLite database ${file}: ${(cause as Error).message}`, undefined, { cause });
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, engine: SQLITE, location: file, sqlite, close: () => db.destroy() };
}

function migrator(store: Store): Migrator {
  return new Migrator({ db: store.db, provider: migrationProvider(store.engine) });
}

function check(results: { error?: unknown; results?: MigrationResult[] }): MigrationResult[] {
  if (results.error) {
    const failed = results.results?.find((r) => r.status === 'Error');
    throw new CamauditError(
      'database',
      `migration ${failed?.migrationName ?? ''} failed: ${(results.error as Error).message ?? String(results.error)}`,
      undefined,
      { cause: results.error },
    );
  }
  return results.results ?? [];
}

export async function migrateToLatest(store: Store): Promise<MigrationResult[]> {
  return check(await migrator(store).migrateToLatest());
}

/** Migrate up or down to the named migration (`'0'` for none: an empty schema). */
export async function migrateTo(store: Store, name: string): Promise<MigrationResult[]> {
  return check(await migrator(store).migrateTo(name === '0' ? NO_MIGRATIONS : name));
}
