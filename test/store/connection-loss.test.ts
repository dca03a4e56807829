// A PostgreSQL server that ends idle connections (a restart, a failover, an administrator) must not
// end the camaudit process: the pool drops those connections and the next query opens a new one.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openStore } from '../../src/store/database.js';
import { ENGINES, PG_ADMIN_URL } from '../helpers/engines.js';

const postgres = ENGINES.find((e) => e.name === 'postgres');

describe.runIf(postgres)('PostgreSQL connections ended by the server', () => {
  afterAll(() => postgres!.cleanup());

  it('keeps the process and answers the next query on a new connection', async () => {
    const url = await postgres!.create();
    const store = await openStore(url);
    try {
      await migrateToLatest(store);
      expect((await store.db.selectFrom('organisations').select('id').execute()).length).toBe(0);
      const database = new URL(url).pathname.slice(1);
      const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
      await admin.connect();
      const ended = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
      await admin.end();
      expect(ended.rowCount).toBeGreaterThan(0);
      // Give the pool time to hear of it; an unhandled 'error' event would fail the run here.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await store.db.selectFrom('organisations').select('id').execute()).length).toBe(0);
    } finally {
      await store.close();
    }
  });
});
