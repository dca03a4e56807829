import type { Kysely, Migration } from 'kysely';

// Sign-ins through OpenID Connect in progress: between sending a person to the provider and the
// provider sending them back, the state, nonce and PKCE verifier are kept here rather than in the
// process, so whichever server instance receives the callback can finish the sign-in.
export const oidcLogins: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('oidc_logins')
      .addColumn('state_hash', 'text', (c) => c.primaryKey())
      .addColumn('code_verifier', 'text', (c) => c.notNull())
      .addColumn('nonce', 'text', (c) => c.notNull())
      .addColumn('return_to', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('oidc_logins_expiry').on('oidc_logins').columns(['expires_at']).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('oidc_logins').execute();
  },
};
