import type { Kysely, Migration } from 'kysely';

// An organisation's own assessment policy, stored so that every assessment (from the CLI, the
// server, or a job) uses the same one without a file being passed each time.
export const organisationPolicies: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('organisation_policies')
      .addColumn('org_id', 'text', (c) => c.primaryKey().references('organisations.id').onDelete('cascade'))
      .addColumn('policy_yaml', 'text', (c) => c.notNull())
      .addColumn('file_name', 'text', (c) => c.notNull())
      .addColumn('set_at', 'text', (c) => c.notNull())
      .addColumn('set_by', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('organisation_policies').execute();
  },
};
