import type { Kysely, Migration } from 'kysely';
import type { EngineFlags } from '../engine.js';

// Evidence and accountability: the change history, immutable observations, and import runs.
export function history(engine: EngineFlags): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('history')
        .addColumn('id', engine.serialPrimaryKey === 'bigserial' ? 'bigserial' : 'integer', (c) =>
          engine.serialPrimaryKey === 'bigserial' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('entity_type', 'text', (c) => c.notNull())
        .addColumn('entity_id', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('before_json', 'text')
        .addColumn('after_json', 'text')
        .execute();
      await db.schema.createIndex('history_entity').on('history').columns(['org_id', 'entity_id']).execute();

      await db.schema
        .createTable('observations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('device_id', 'text', (c) => c.references('devices.id').onDelete('set null'))
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('observed_at', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('payload_json', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('observations_device').on('observations').columns(['org_id', 'device_id']).execute();

      await db.schema
        .createTable('imports')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('file', 'text', (c) => c.notNull())
        .addColumn('format', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text', (c) => c.notNull())
        .addColumn('created', 'integer', (c) => c.notNull())
        .addColumn('updated', 'integer', (c) => c.notNull())
        .addColumn('unchanged', 'integer', (c) => c.notNull())
        .addColumn('rejected', 'integer', (c) => c.notNull())
        .execute();
    },

    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('imports').execute();
      await db.schema.dropTable('observations').execute();
      await db.schema.dropTable('history').execute();
    },
  };
}
