import type { Kysely, Migration } from 'kysely';

// The interface theme an organisation chose for the web application (its house style, or high
// contrast). Null means the default theme, so existing organisations need no value written.
export const organisationTheme: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('organisations').addColumn('theme', 'text').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('organisations').dropColumn('theme').execute();
  },
};
