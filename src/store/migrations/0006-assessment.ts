import type { Kysely, Migration } from 'kysely';

// Judgement and action: the findings of the latest assessment with the input hash each device was
// assessed on (so a re-run recomputes only what changed), a record of every assessment run,
// accepted risks (waivers) with who approved them until when, the plan items of the adopted
// phase-out scenario with their status workflow, and the disposal records that close a device's
// life with a certified storage wipe or destruction.
export const assessment: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('findings')
      .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
      .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id').onDelete('cascade'))
      .addColumn('rule', 'text', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('likelihood', 'text', (c) => c.notNull())
      .addColumn('impact', 'text', (c) => c.notNull())
      .addColumn('why_json', 'text', (c) => c.notNull())
      .addColumn('evidence_json', 'text', (c) => c.notNull())
      .addColumn('sources_json', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('due_date', 'text')
      .addColumn('uncertain', 'text')
      .addColumn('assessed_at', 'text', (c) => c.notNull())
      // When this rule first fired on this device: due dates count from here, not from the latest run.
      .addColumn('first_seen', 'text', (c) => c.notNull())
      .addColumn('policy_name', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('findings_pk', ['org_id', 'device_id', 'rule'])
      .execute();

    await db.schema
      .createTable('assessment_inputs')
      .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
      .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id').onDelete('cascade'))
      // SHA-256 of the device as the rules see it, the knowledge the rules read, and the policy.
      .addColumn('input_hash', 'text', (c) => c.notNull())
      .addColumn('assessed_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('assessment_inputs_pk', ['org_id', 'device_id'])
      .execute();

    await db.schema
      .createTable('assessment_runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('kb_version', 'text', (c) => c.notNull())
      .addColumn('policy_name', 'text', (c) => c.notNull())
      .addColumn('assessed', 'integer', (c) => c.notNull())
      .addColumn('unchanged', 'integer', (c) => c.notNull())
      .addColumn('removed', 'integer', (c) => c.notNull())
      .addColumn('findings', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('assessment_runs_org').on('assessment_runs').columns(['org_id', 'at']).execute();

    await db.schema
      .createTable('waivers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
      .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id').onDelete('cascade'))
      .addColumn('rule', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('approver', 'text', (c) => c.notNull())
      // ISO date: the last day the accepted risk stands.
      .addColumn('until', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .addColumn('revoked_by', 'text')
      .execute();
    await db.schema.createIndex('waivers_org').on('waivers').columns(['org_id', 'device_id']).execute();

    await db.schema
      .createTable('plan_items')
      // `<deviceId>:<action>`: stable across plan runs, so a saved status survives re-planning.
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
      .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id').onDelete('cascade'))
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('scenario', 'text', (c) => c.notNull())
      .addColumn('year', 'integer', (c) => c.notNull())
      .addColumn('due_date', 'text', (c) => c.notNull())
      // Whole euros, excluding VAT.
      .addColumn('cost', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('status_at', 'text', (c) => c.notNull())
      .addColumn('status_by', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .execute();
    await db.schema.createIndex('plan_items_org').on('plan_items').columns(['org_id', 'due_date']).execute();

    await db.schema
      .createTable('disposals')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
      // No foreign key: the record of how a device's storage was destroyed outlives the device.
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('plan_item', 'text')
      // How the storage was made unreadable: `certified_wipe`, `shred`, `degauss`, …
      .addColumn('method', 'text', (c) => c.notNull())
      // The certificate of destruction (number or document reference) the contractor issued.
      .addColumn('certificate', 'text', (c) => c.notNull())
      .addColumn('disposed_at', 'text', (c) => c.notNull())
      .addColumn('recorded_by', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('disposals_org').on('disposals').columns(['org_id', 'device_id']).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('disposals').execute();
    await db.schema.dropTable('plan_items').execute();
    await db.schema.dropTable('waivers').execute();
    await db.schema.dropTable('assessment_runs').execute();
    await db.schema.dropTable('assessment_inputs').execute();
    await db.schema.dropTable('findings').execute();
  },
};
