import type { Kysely, Migration } from 'kysely';

// Identification's verdict on each device, with the evidence summary it rests on and the KB
// version that produced it (so a KB update can tell which devices to look at again).
export const identity: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('devices').addColumn('identity_json', 'text').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('devices').dropColumn('identity_json').execute();
  },
};
