import type { Kysely, Migration } from 'kysely';

// Discovery: scan runs (live, from a bundle, or from an nmap file) with their parameters and
// figures; the hosts each run found, kept so an interrupted run resumes and two runs can be
// compared; the agents whose signed bundles the organisation accepts.
export const discovery: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('scan_runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
      .addColumn('origin', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('agent_id', 'text')
      .addColumn('params_json', 'text', (c) => c.notNull())
      .addColumn('stats_json', 'text', (c) => c.notNull())
      .addColumn('cursor', 'text')
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .execute();
    await db.schema.createIndex('scan_runs_org').on('scan_runs').columns(['org_id', 'started_at']).execute();

    await db.schema
      .createTable('scan_hosts')
      .addColumn('run_id', 'text', (c) => c.notNull().references('scan_runs.id').onDelete('cascade'))
      .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
      .addColumn('ip', 'text', (c) => c.notNull())
      .addColumn('device_id', 'text', (c) => c.references('devices.id').onDelete('set null'))
      .addColumn('result_json', 'text', (c) => c.notNull())
      .addColumn('found_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('scan_hosts_pk', ['run_id', 'ip'])
      .execute();

    await db.schema
      .createTable('agents')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('enrolled_at', 'text', (c) => c.notNull())
      .addColumn('enrolled_by', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .addUniqueConstraint('agents_org_fingerprint', ['org_id', 'fingerprint'])
      .execute();

    await db.schema.alterTable('observations').addColumn('scan_run_id', 'text').execute();
    await db.schema.createIndex('observations_scan').on('observations').columns(['scan_run_id']).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropIndex('observations_scan').execute();
    await db.schema.alterTable('observations').dropColumn('scan_run_id').execute();
    await db.schema.dropTable('agents').execute();
    await db.schema.dropTable('scan_hosts').execute();
    await db.schema.dropTable('scan_runs').execute();
  },
};
