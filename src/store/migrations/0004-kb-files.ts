import type { Kysely, Migration } from 'kysely';

// Knowledge-base files installed with `camaudit kb update`: newer facts without a software
// upgrade, shared by every organisation in the database and by every server using it.
export const kbFiles: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('kb_files')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('content', 'text', (c) => c.notNull())
      .addColumn('kb_version', 'text', (c) => c.notNull())
      .addColumn('installed_at', 'text', (c) => c.notNull())
      .addColumn('installed_by', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('kb_files').execute();
  },
};
