import type { Kysely, Migration } from 'kysely';

// The register: organisations (tenants), their sites, networks and devices.
export const register: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('organisations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('slug', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('cbs_code', 'text')
      .addColumn('country', 'text', (c) => c.notNull())
      .addColumn('area_json', 'text')
      .addColumn('publication_json', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('sites')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('name_key', 'text', (c) => c.notNull())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('address', 'text')
      .addColumn('postcode', 'text')
      .addColumn('city', 'text')
      .addColumn('bag_id', 'text')
      .addColumn('lat', 'double precision')
      .addColumn('lon', 'double precision')
      .addColumn('orig_x', 'double precision')
      .addColumn('orig_y', 'double precision')
      .addColumn('orig_crs', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('sites_org_name_key', ['org_id', 'name_key'])
      .execute();

    await db.schema
      .createTable('networks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('name_key', 'text', (c) => c.notNull())
      .addColumn('cidrs_json', 'text', (c) => c.notNull())
      .addColumn('connectivity', 'text', (c) => c.notNull())
      .addColumn('remote_access', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('networks_org_name_key', ['org_id', 'name_key'])
      .execute();

    await db.schema
      .createTable('devices')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
      .addColumn('site_id', 'text', (c) => c.references('sites.id').onDelete('set null'))
      .addColumn('network_id', 'text', (c) => c.references('networks.id').onDelete('set null'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('brand', 'text')
      .addColumn('manufacturer', 'text')
      .addColumn('model', 'text')
      .addColumn('firmware', 'text')
      .addColumn('serial', 'text')
      .addColumn('mac', 'text')
      .addColumn('ip', 'text')
      .addColumn('lat', 'double precision')
      .addColumn('lon', 'double precision')
      .addColumn('orig_x', 'double precision')
      .addColumn('orig_y', 'double precision')
      .addColumn('orig_crs', 'text')
      .addColumn('analytics_json', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('purpose', 'text')
      .addColumn('legal_basis', 'text')
      .addColumn('retention_days', 'integer')
      .addColumn('supplier', 'text')
      .addColumn('installer', 'text')
      .addColumn('install_date', 'text')
      .addColumn('external_ref', 'text')
      .addColumn('custom_json', 'text', (c) => c.notNull())
      .addColumn('publication_json', 'text', (c) => c.notNull())
      .addColumn('import_id', 'text')
      .addColumn('import_row', 'integer')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    // The stable keys an import matches on, in order: MAC > serial > reference > site + IP.
    await db.schema.createIndex('devices_org_mac').on('devices').columns(['org_id', 'mac']).execute();
    await db.schema.createIndex('devices_org_serial').on('devices').columns(['org_id', 'serial']).execute();
    await db.schema.createIndex('devices_org_ref').on('devices').columns(['org_id', 'external_ref']).execute();
    await db.schema.createIndex('devices_org_ip').on('devices').columns(['org_id', 'ip']).execute();
  },

  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('devices').execute();
    await db.schema.dropTable('networks').execute();
    await db.schema.dropTable('sites').execute();
    await db.schema.dropTable('organisations').execute();
  },
};
