import type { Kysely, Migration } from 'kysely';
import type { EngineFlags } from '../engine.js';

// The server: people and their roles per organisation, sessions and API tokens (both stored
// hashed), background jobs, agent enrolment, federation aggregates received by a coordinator,
// and notification subscriptions with a delivery log. Everything an instance needs to share with
// other instances lives here, so server processes hold no state of their own.
export function server(engine: EngineFlags): Migration {
  const serial = engine.serialPrimaryKey === 'bigserial' ? 'bigserial' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text')
        .addColumn('oidc_issuer', 'text')
        .addColumn('oidc_subject', 'text')
        .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('locked_until', 'text')
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('users_oidc', ['oidc_issuer', 'oidc_subject'])
        .execute();

      await db.schema
        .createTable('memberships')
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('granted_at', 'text', (c) => c.notNull())
        .addColumn('granted_by', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('memberships_pk', ['user_id', 'org_id'])
        .execute();
      await db.schema.createIndex('memberships_org').on('memberships').columns(['org_id']).execute();

      await db.schema
        .createTable('sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('via', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sessions_user').on('sessions').columns(['user_id']).execute();

      await db.schema
        .createTable('api_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema.createIndex('api_tokens_org').on('api_tokens').columns(['org_id']).execute();

      await db.schema
        .createTable('jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('params_json', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('progress_json', 'text')
        .addColumn('result_json', 'text')
        .addColumn('error', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text')
        .addColumn('finished_at', 'text')
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', 'text')
        .addColumn('agent_id', 'text', (c) => c.references('agents.id').onDelete('set null'))
        .execute();
      await db.schema.createIndex('jobs_org').on('jobs').columns(['org_id', 'created_at']).execute();
      await db.schema.createIndex('jobs_status').on('jobs').columns(['status', 'created_at']).execute();

      // What a job reads (an uploaded spreadsheet, a scan bundle) and writes (a report) is kept in
      // the database, so any instance can run the job or serve its output, and a restart loses neither.
      await db.schema
        .createTable('job_files')
        .addColumn('job_id', 'text', (c) => c.notNull().references('jobs.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('content', engine.name === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
        .addPrimaryKeyConstraint('job_files_pk', ['job_id', 'name'])
        .execute();

      await db.schema.alterTable('agents').addColumn('scopes_json', 'text').execute();
      await db.schema
        .createTable('agent_enrolments')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('scopes_json', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('used_at', 'text')
        .addColumn('agent_id', 'text')
        .execute();
      await db.schema
        .createTable('agent_nonces')
        .addColumn('agent_id', 'text', (c) => c.notNull().references('agents.id').onDelete('cascade'))
        .addColumn('nonce', 'text', (c) => c.notNull())
        .addColumn('seen_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('agent_nonces_pk', ['agent_id', 'nonce'])
        .execute();

      await db.schema
        .createTable('federation_aggregates')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('coordinator_org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('source_code', 'text', (c) => c.notNull())
        .addColumn('source_name', 'text', (c) => c.notNull())
        .addColumn('period', 'text', (c) => c.notNull())
        .addColumn('published_at', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('received_via', 'text', (c) => c.notNull())
        .addColumn('payload_json', 'text', (c) => c.notNull())
        .addUniqueConstraint('federation_aggregates_source_period', ['coordinator_org_id', 'source_code', 'period'])
        .execute();

      await db.schema
        .createTable('notification_subscriptions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('events_json', 'text', (c) => c.notNull())
        .addColumn('secret', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('disabled_at', 'text')
        .execute();
      await db.schema
        .createTable('notification_deliveries')
        .addColumn('id', serial, (c) => (serial === 'bigserial' ? c.primaryKey() : c.primaryKey().autoIncrement()))
        .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('subscription_id', 'text', (c) => c.notNull().references('notification_subscriptions.id').onDelete('cascade'))
        .addColumn('event_kind', 'text', (c) => c.notNull())
        .addColumn('event_key', 'text', (c) => c.notNull())
        .addColumn('payload_json', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text')
        .addUniqueConstraint('notification_deliveries_once', ['subscription_id', 'event_key'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('notification_deliveries').execute();
      await db.schema.dropTable('notification_subscriptions').execute();
      await db.schema.dropTable('federation_aggregates').execute();
      await db.schema.dropTable('agent_nonces').execute();
      await db.schema.dropTable('agent_enrolments').execute();
      await db.schema.alterTable('agents').dropColumn('scopes_json').execute();
      await db.schema.dropTable('job_files').execute();
      await db.schema.dropTable('jobs').execute();
      await db.schema.dropTable('api_tokens').execute();
      await db.schema.dropTable('sessions').execute();
      await db.schema.dropTable('memberships').execute();
      await db.schema.dropTable('users').execute();
    },
  };
}
