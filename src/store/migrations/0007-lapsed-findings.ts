import type { Kysely, Migration } from 'kysely';

// Findings that stopped firing, remembered for a grace period with the day their rule first fired
// on the device. One scan that misses a reply, or an edit undone the next day, must not restart
// the deadline of a finding that comes back: it counts from the day it was first seen.
export const lapsedFindings: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('lapsed_findings')
      .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
      .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id').onDelete('cascade'))
      .addColumn('rule', 'text', (c) => c.notNull())
      // When the rule first fired on the device, carried over from the finding.
      .addColumn('first_seen', 'text', (c) => c.notNull())
      // The assessment that no longer found it; the grace period counts from here.
      .addColumn('lapsed_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('lapsed_findings_pk', ['org_id', 'device_id', 'rule'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('lapsed_findings').execute();
  },
};
