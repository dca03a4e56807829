// An organisation's interface theme: stored per organisation, handed to the web application with
// the session and the organisation list, changed only by the organisation's administrators, on
// its audit trail; and the settings view of single sign-on, which never shows the secret.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PUBLICATION, PUBLICATION_LEVELS } from '../../src/core/model.js';
import { hashPassword } from '../../src/server/auth/passwords.js';
import { migrateTo, migrateToLatest } from '../../src/store/database.js';
import { createOrganisation, getOrganisationTheme, ORGANISATION_THEMES } from '../../src/store/organisations.js';
import { createUser, grantRole } from '../../src/store/users.js';
import { ENGINES, freshStore } from '../helpers/engines.js';
import { bearer, startTestServer, type TestServer } from '../helpers/server.js';

const PASSWORD = 'thema-kleur-contrast 2026';
const SETTINGS = '/api/v1/organisations/alpha/settings';

interface OrgEntry { slug: string; role: string; theme: string }
interface AuditItem { actor: string; action: string; entityType: string; entityId: string; before: Record<string, unknown> | null; after: Record<string, unknown> | null }

describe.each(ENGINES)('organisation themes on $name', (engine) => {
  let s: TestServer;
  let cookie: { cookie: string };

  beforeAll(async () => {
    s = await startTestServer(engine, {
      config: {
        oidc: {
          issuer: 'https://login.example.nl', clientId: 'camaudit-web', clientSecret: 'never-show-this-secret-1234', scopes: 'openid email profile',
          groupsClaim: 'roles', allowInsecure: false,
          roleMapping: [
            { group: 'cam-alpha-admins', org: 'alpha', role: 'admin' },
            { group: 'cam-alpha-readers', org: 'alpha', role: 'viewer' },
            { group: 'cam-beta-secret-group', org: 'beta', role: 'editor' },
          ],
        },
      },
    });
    const now = s.clock.now();
    const user = await createUser(s.store, { actor: 'test', source: 'test' }, { email: 'kijker@alpha.example', displayName: 'Kijker', passwordHash: await hashPassword(PASSWORD) }, now);
    await grantRole(s.store, { orgId: s.orgs.a.id, actor: 'test', source: 'test' }, user.id, 'viewer', now);
    await grantRole(s.store, { orgId: s.orgs.b.id, actor: 'test', source: 'test' }, user.id, 'viewer', now);
    const login = await s.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'kijker@alpha.example', password: PASSWORD } });
    expect(login.statusCode, login.body).toBe(200);
    const session = login.cookies.find((c) => c.name === 'camaudit_session')!;
    cookie = { cookie: `camaudit_session=${session.value}` };
    expect((login.json() as { organisations: OrgEntry[] }).organisations.map((o) => o.theme)).toEqual(['camaudit', 'camaudit']);
  });
  afterAll(async () => {
    await s.close();
    await engine.cleanup();
  });

  const sessionThemes = async () => {
    const res = await s.app.inject({ url: '/api/v1/auth/session', headers: cookie });
    expect(res.statusCode).toBe(200);
    return Object.fromEntries((res.json() as { organisations: OrgEntry[] }).organisations.map((o) => [o.slug, o.theme]));
  };

  it('starts every organisation on the default theme', async () => {
    expect(await sessionThemes()).toEqual({ alpha: 'camaudit', beta: 'camaudit' });
    const settings = await s.app.inject({ url: SETTINGS, headers: bearer(s.tokens.a.admin) });
    expect(settings.statusCode).toBe(200);
    expect(settings.json()).toMatchObject({ theme: 'camaudit', themes: [...ORGANISATION_THEMES] });
  });

  it('lets an administrator change it, for everyone in that organisation only, on the audit trail', async () => {
    const put = await s.app.inject({ method: 'PUT', url: SETTINGS, headers: bearer(s.tokens.a.admin), payload: { theme: 'contrast' } });
    expect(put.statusCode, put.body).toBe(200);
    expect((put.json() as { theme: string }).theme).toBe('contrast');
    expect(await sessionThemes()).toEqual({ alpha: 'contrast', beta: 'camaudit' });
    const list = await s.app.inject({ url: '/api/v1/organisations', headers: cookie });
    expect((list.json() as { items: OrgEntry[] }).items.map((o) => [o.slug, o.theme])).toEqual([['alpha', 'contrast'], ['beta', 'camaudit']]);
    expect(await getOrganisationTheme(s.store, { orgId: s.orgs.b.id, actor: 'test', source: 'test' })).toBe('camaudit');

    const audit = await s.app.inject({ url: '/api/v1/organisations/alpha/audit/entries?limit=1', headers: bearer(s.tokens.a.auditor) });
    const [entry] = (audit.json() as { items: AuditItem[] }).items;
    expect(entry).toMatchObject({
      actor: 'token:admin token', action: 'update', entityType: 'organisation', entityId: s.orgs.a.id,
      before: { theme: 'camaudit' }, after: { theme: 'contrast' },
    });
    const verified = await s.app.inject({ url: '/api/v1/organisations/alpha/audit/verification', headers: bearer(s.tokens.a.auditor) });
    expect((verified.json() as { intact: boolean }).intact).toBe(true);
  });

  it('records nothing when the theme chosen is the one in force', async () => {
    const count = async () => Number((await sql<{ n: number }>`select count(*) as n from history where org_id = ${s.orgs.a.id}`.execute(s.store.db)).rows[0]!.n);
    const before = await count();
    const put = await s.app.inject({ method: 'PUT', url: SETTINGS, headers: bearer(s.tokens.a.admin), payload: { theme: 'contrast' } });
    expect(put.statusCode).toBe(200);
    expect(await count()).toBe(before);
  });

  it('refuses other roles, unknown themes and extra settings', async () => {
    for (const role of ['editor', 'viewer', 'auditor'] as const) {
      const res = await s.app.inject({ method: 'PUT', url: SETTINGS, headers: bearer(s.tokens.a[role]), payload: { theme: 'voorbeeld' } });
      expect(res.statusCode, role).toBe(403);
    }
    const unknown = await s.app.inject({ method: 'PUT', url: SETTINGS, headers: bearer(s.tokens.a.admin), payload: { theme: 'roze' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('theme');
    const extra = await s.app.inject({ method: 'PUT', url: SETTINGS, headers: bearer(s.tokens.a.admin), payload: { theme: 'voorbeeld', name: 'Anders' } });
    expect(extra.statusCode).toBe(400);
    expect(await sessionThemes()).toEqual({ alpha: 'contrast', beta: 'camaudit' });
  });

  it('shows single sign-on as it applies to this organisation, without the secret or other organisations\' groups', async () => {
    const res = await s.app.inject({ url: SETTINGS, headers: bearer(s.tokens.a.admin) });
    expect(res.json()).toMatchObject({
      sso: {
        issuer: 'https://login.example.nl', clientId: 'camaudit-web', groupsClaim: 'roles',
        roleMapping: [{ group: 'cam-alpha-admins', role: 'admin' }, { group: 'cam-alpha-readers', role: 'viewer' }],
      },
    });
    expect(res.body).not.toContain('never-show-this-secret');
    expect(res.body).not.toContain('cam-beta-secret-group');
  });

  it('answers sso: null when single sign-on is not configured', async () => {
    const plain = await startTestServer(engine);
    try {
      const res = await plain.app.inject({ url: SETTINGS, headers: bearer(plain.tokens.a.admin) });
      expect(res.json()).toEqual({
        theme: 'camaudit', themes: [...ORGANISATION_THEMES], publication: DEFAULT_PUBLICATION, publicationLevels: [...PUBLICATION_LEVELS], sso: null,
      });
    } finally {
      await plain.close();
    }
  });
});

describe.each(ENGINES)('the theme migration on $name', (engine) => {
  afterAll(async () => {
    await engine.cleanup();
  });

  it('adds the column to existing organisations (default theme) and takes it away again', async () => {
    const store = await freshStore(engine);
    try {
      await migrateTo(store, '0011-oidc-logins');
      const columns = async () => (await store.db.introspection.getTables()).find((t) => t.name === 'organisations')!.columns.map((c) => c.name);
      expect(await columns()).not.toContain('theme');
      // Written as a database from before the theme existed would hold it.
      await sql`insert into organisations (id, slug, name, cbs_code, country, area_json, publication_json, created_at)
        values ('o-old', 'oud', 'Gemeente Oud', null, 'NL', null, '{}', '2026-01-01T00:00:00.000Z')`.execute(store.db);
      await migrateToLatest(store);
      expect(await columns()).toContain('theme');
      expect(await getOrganisationTheme(store, { orgId: 'o-old', actor: 'test', source: 'test' })).toBe('camaudit');
      const fresh = await createOrganisation(store, { slug: 'nieuw', name: 'Gemeente Nieuw' }, '2026-01-02T00:00:00.000Z');
      expect(await getOrganisationTheme(store, { orgId: fresh.id, actor: 'test', source: 'test' })).toBe('camaudit');
      await migrateTo(store, '0011-oidc-logins');
      expect(await columns()).not.toContain('theme');
      expect((await store.db.selectFrom('organisations').select('slug').orderBy('slug').execute()).map((r) => r.slug)).toEqual(['nieuw', 'oud']);
    } finally {
      await store.close();
    }
  });
});
