import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { safeReturnPath } from '../../src/server/auth/oidc.js';
import { rolesForGroups } from '../../src/server/auth/oidc-roles.js';
import type { OidcConfig } from '../../src/server/config.js';
import { listAudit } from '../../src/store/audit.js';
import { hashPassword } from '../../src/server/auth/passwords.js';
import { createUser, findUserByEmail, grantRole, revokeRole } from '../../src/store/users.js';
import { ENGINES } from '../helpers/engines.js';
import { authorise, Browser, startTestIdp, type TestIdp } from '../helpers/oidc-provider.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const CALLBACK_PATH = '/api/v1/auth/oidc/callback';

const MAPPING: OidcConfig['roleMapping'] = [
  { group: 'grp-alpha-admins', org: 'alpha', role: 'admin' },
  { group: 'grp-alpha-editors', org: 'alpha', role: 'editor' },
  { group: 'grp-alpha-viewers', org: 'alpha', role: 'viewer' },
  { group: 'grp-beta-auditors', org: 'beta', role: 'auditor' },
  // An organisation this server does not have: ignored, never an error.
  { group: 'grp-gamma', org: 'gamma', role: 'admin' },
];

describe('group → role mapping', () => {
  it('gives the strongest mapped role per organisation and nothing for unmapped groups', () => {
    const roles = rolesForGroups(MAPPING, ['grp-alpha-viewers', 'grp-alpha-editors', 'grp-beta-auditors', 'grp-other']);
    expect(Object.fromEntries(roles)).toEqual({ alpha: 'editor', beta: 'auditor' });
    expect(rolesForGroups(MAPPING, ['grp-other']).size).toBe(0);
  });

  it('yields coordinator and publisher only from an explicit mapping, below any register role', () => {
    const mapping: OidcConfig['roleMapping'] = [
      { group: 'national', org: 'alpha', role: 'coordinator' },
      { group: 'readers', org: 'alpha', role: 'viewer' },
    ];
    expect(rolesForGroups(mapping, ['national']).get('alpha')).toBe('coordinator');
    expect(rolesForGroups(mapping, ['national', 'readers']).get('alpha')).toBe('viewer');
    expect(rolesForGroups(mapping, ['readers']).get('alpha')).toBe('viewer');
  });
});

describe('where people land after signing in', () => {
  it('keeps paths on this server and sends everything else to the start page', () => {
    expect(safeReturnPath('/devices?site=a#top')).toBe('/devices?site=a#top');
    expect(safeReturnPath(undefined)).toBe('/');
    for (const elsewhere of ['https://evil.example', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', 'devices', '/\tevil']) {
      expect(safeReturnPath(elsewhere), elsewhere).toBe('/');
    }
  });
});

describe('without single sign-on configured', () => {
  it('answers the login route with a 404 problem', async () => {
    const engine = ENGINES[0]!;
    const s = await startTestServer(engine);
    try {
      const res = await s.app.inject({ url: '/api/v1/auth/oidc/login' });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().detail).toMatch(/not configured/);
    } finally {
      await s.close();
      await engine.cleanup();
    }
  });
});

describe.each(ENGINES)('OpenID Connect sign-in on $name', (engine) => {
  let s: TestServer;
  let idp: TestIdp;
  let base: string;
  let callback: string;

  beforeAll(async () => {
    s = await startTestServer(engine);
    await s.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(s.app.server.address() as AddressInfo).port}`;
    callback = `${base}${CALLBACK_PATH}`;
    idp = await startTestIdp(callback);
    // The provider must know the callback address, which exists only once the server listens.
    s.ctx.config.oidc = {
      issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, redirectUri: callback,
      scopes: 'openid email profile', groupsClaim: 'groups', roleMapping: MAPPING, allowInsecure: true,
    };
  });
  afterAll(async () => {
    await idp.close();
    await s.close();
    await engine.cleanup();
  });

  const login = (returnTo = '/') => `${base}/api/v1/auth/oidc/login?returnTo=${encodeURIComponent(returnTo)}`;
  const host = () => new URL(base).host;

  /** Signs in through the whole redirect chain; answers the callback's response. */
  async function signIn(browser: Browser, account: string, returnTo = '/') {
    const back = await authorise(browser, login(returnTo), callback, { account });
    return browser.fetch(back);
  }

  async function sessionOf(browser: Browser) {
    const res = await browser.fetch(`${base}/api/v1/auth/session`);
    return { status: res.status, body: (await res.json()) as { user: { email: string; displayName: string }; organisations: { slug: string; role: string }[]; detail?: string } };
  }

  const roles = (orgs: { slug: string; role: string }[]) => Object.fromEntries(orgs.map((o) => [o.slug, o.role]));

  it('sends the browser to the provider with state, nonce and an S256 PKCE challenge, remembering only the state\'s hash', async () => {
    const res = await new Browser().fetch(login('/devices'));
    expect(res.status).toBe(302);
    const to = new URL(res.headers.get('location')!);
    expect(to.origin).toBe(idp.issuer);
    const q = to.searchParams;
    expect(q.get('client_id')).toBe(idp.clientId);
    expect(q.get('redirect_uri')).toBe(callback);
    expect(q.get('response_type')).toBe('code');
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(q.get('nonce')).toBeTruthy();
    const state = q.get('state')!;
    const row = await s.store.db.selectFrom('oidc_logins').selectAll()
      .where('state_hash', '=', createHash('sha256').update(state).digest('hex')).executeTakeFirstOrThrow();
    expect(row.return_to).toBe('/devices');
    expect(JSON.stringify(row)).not.toContain(state);
    // …while the browser keeps the state itself, for the callback only.
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('camaudit_oidc_state='))!;
    expect(cookie).toContain(`camaudit_oidc_state=${state};`);
    expect(cookie).toMatch(/Path=\/api\/v1\/auth\/oidc\/;.*HttpOnly.*SameSite=Lax/);
  });

  it('creates the account of a new person, with the strongest mapped role per organisation, and lands on returnTo', async () => {
    idp.accounts.set('anna', { email: 'Anna@Alpha.example', email_verified: true, name: 'Anna de Vries', groups: ['grp-alpha-viewers', 'grp-alpha-editors', 'grp-beta-auditors', 'grp-gamma', 'grp-other'] });
    const browser = new Browser();
    const res = await signIn(browser, 'anna', '/devices?site=garage');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/devices?site=garage');
    expect(res.headers.getSetCookie().find((c) => c.startsWith('camaudit_session='))).toMatch(/HttpOnly/);

    const { status, body } = await sessionOf(browser);
    expect(status).toBe(200);
    expect(body.user).toEqual({ email: 'anna@alpha.example', displayName: 'Anna de Vries' });
    expect(roles(body.organisations)).toEqual({ alpha: 'editor', beta: 'auditor' });

    const user = (await findUserByEmail(s.store, 'anna@alpha.example'))!;
    expect(user).toMatchObject({ hasPassword: false, oidcIssuer: idp.issuer, oidcSubject: 'anna' });
    const grants = await s.store.db.selectFrom('memberships').select('granted_by').where('user_id', '=', user.id).execute();
    expect(grants.map((g) => g.granted_by)).toEqual([`sso:${idp.issuer}`, `sso:${idp.issuer}`]);
    const sessionRow = await s.store.db.selectFrom('sessions').select('via').where('user_id', '=', user.id).executeTakeFirstOrThrow();
    expect(sessionRow.via).toBe('oidc');
    // The attempt is used up.
    expect(await s.store.db.selectFrom('oidc_logins').selectAll().execute()).not.toContainEqual(expect.objectContaining({ return_to: '/devices?site=garage' }));

    const serverTrail = (await listAudit(s.store, { orgId: null }, { entityId: user.id })).items;
    expect(serverTrail.map((e) => [e.action, e.actor, e.source])).toEqual([
      ['sign-in', `user:${user.id}`, 'oidc'],
      ['create', `sso:${idp.issuer}`, 'oidc'],
    ]);
    const alphaTrail = (await listAudit(s.store, { orgId: s.orgs.a.id }, { entityId: user.id })).items;
    expect(alphaTrail).toMatchObject([{ action: 'create', actor: `sso:${idp.issuer}`, after: { email: 'anna@alpha.example', role: 'editor' } }]);
  });

  it('lets another server instance finish a sign-in this one started', async () => {
    idp.accounts.set('bram', { email: 'bram@alpha.example', email_verified: true, name: 'Bram', groups: ['grp-alpha-viewers'] });
    const browser = new Browser();
    const back = await authorise(browser, login('/sites'), callback, { account: 'bram' });
    const other = await buildApp(s.ctx);
    try {
      const res = await other.inject({ url: `${back.pathname}${back.search}`, cookies: { camaudit_oidc_state: browser.cookie(host(), 'camaudit_oidc_state')! } });
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toBe('/sites');
      const cookie = res.cookies.find((c) => c.name === 'camaudit_session')!;
      const session = await s.app.inject({ url: '/api/v1/auth/session', cookies: { camaudit_session: cookie.value } });
      expect(roles(session.json().organisations)).toEqual({ alpha: 'viewer' });
    } finally {
      await other.close();
    }
  });

  it('refuses a person in no mapped group, and creates no account for them', async () => {
    idp.accounts.set('cees', { email: 'cees@elsewhere.example', email_verified: true, name: 'Cees', groups: ['grp-other', 'grp-gamma'] });
    const browser = new Browser();
    const res = await signIn(browser, 'cees');
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(((await res.json()) as { detail: string }).detail).toMatch(/no group that gives access/);
    expect(browser.cookie(host(), 'camaudit_session')).toBeUndefined();
    expect(await findUserByEmail(s.store, 'cees@elsewhere.example')).toBeNull();
  });

  it('follows group changes at the next sign-in, and leaves roles an administrator gave alone', async () => {
    idp.accounts.set('daan', { email: 'daan@alpha.example', email_verified: true, name: 'Daan', groups: ['grp-alpha-editors'] });
    const browser = new Browser();
    expect((await signIn(browser, 'daan')).status).toBe(302);
    expect(roles((await sessionOf(browser)).body.organisations)).toEqual({ alpha: 'editor' });
    const user = (await findUserByEmail(s.store, 'daan@alpha.example'))!;
    const admin = { orgId: s.orgs.b.id, actor: 'user:admin@beta.example', source: 'api' };
    await grantRole(s.store, admin, user.id, 'viewer', s.clock.now());

    // Promoted at the provider; beta's auditor group does not override the administrator's grant.
    idp.accounts.get('daan')!.groups = ['grp-alpha-admins', 'grp-beta-auditors'];
    expect((await signIn(browser, 'daan')).status).toBe(302);
    expect(roles((await sessionOf(browser)).body.organisations)).toEqual({ alpha: 'admin', beta: 'viewer' });

    // Out of every group: the SSO role goes, the administrator's stays (and still lets them in).
    idp.accounts.get('daan')!.groups = [];
    expect((await signIn(browser, 'daan')).status).toBe(302);
    expect(roles((await sessionOf(browser)).body.organisations)).toEqual({ beta: 'viewer' });
    const alphaTrail = (await listAudit(s.store, { orgId: s.orgs.a.id }, { entityId: user.id })).items;
    expect(alphaTrail.map((e) => [e.action, e.before?.role ?? null, e.after?.role ?? null, e.actor])).toEqual([
      ['delete', 'admin', null, `sso:${idp.issuer}`],
      ['update', 'editor', 'admin', `sso:${idp.issuer}`],
      ['create', null, 'editor', `sso:${idp.issuer}`],
    ]);

    // With the administrator's role gone as well, nothing is left to sign in to.
    await revokeRole(s.store, admin, user.id, s.clock.now());
    const refused = await signIn(browser, 'daan');
    expect(refused.status).toBe(403);
  });

  it('links an existing account only when the provider confirms the e-mail address', async () => {
    const local = await createUser(s.store, { actor: 'test', source: 'test' }, { email: 'eva@alpha.example', displayName: 'Eva', passwordHash: await hashPassword('lange-zin-met-spaties 42') }, s.clock.now());
    await grantRole(s.store, { orgId: s.orgs.a.id, actor: 'user:admin@alpha.example', source: 'api' }, local.id, 'viewer', s.clock.now());

    idp.accounts.set('eva-unconfirmed', { email: 'eva@alpha.example', email_verified: false, name: 'Not Eva', groups: ['grp-alpha-admins'] });
    const impostor = await signIn(new Browser(), 'eva-unconfirmed');
    expect(impostor.status).toBe(409);
    expect(((await impostor.json()) as { detail: string }).detail).toMatch(/does not confirm/);
    expect((await findUserByEmail(s.store, 'eva@alpha.example'))!.oidcSubject).toBeNull();

    idp.accounts.set('eva', { email: 'eva@alpha.example', email_verified: true, name: 'Eva', groups: ['grp-alpha-editors'] });
    const browser = new Browser();
    expect((await signIn(browser, 'eva')).status).toBe(302);
    const linked = (await findUserByEmail(s.store, 'eva@alpha.example'))!;
    expect(linked).toMatchObject({ id: local.id, hasPassword: true, oidcIssuer: idp.issuer, oidcSubject: 'eva' });
    expect(roles((await sessionOf(browser)).body.organisations)).toEqual({ alpha: 'viewer' });
  });

  it('does not give a new account an address the provider does not confirm', async () => {
    idp.accounts.set('zoe-unconfirmed', { email: 'zoe@alpha.example', email_verified: false, name: 'Zoe', groups: ['grp-alpha-viewers'] });
    const browser = new Browser();
    expect((await signIn(browser, 'zoe-unconfirmed')).status).toBe(302);
    const session = (await sessionOf(browser)).body as { user: { email: string; displayName: string } };
    expect(session.user.email).toMatch(/^sso-[0-9a-f]{24}@sso\.invalid$/);
    expect(session.user.displayName).toContain('zoe@alpha.example');
    // The claimed address stays free: an administrator giving it a role later gives it to its real owner.
    expect(await findUserByEmail(s.store, 'zoe@alpha.example')).toBeNull();
  });

  it('refuses a replayed callback, a forged state and a missing one', async () => {
    idp.accounts.set('fien', { email: 'fien@alpha.example', email_verified: true, name: 'Fien', groups: ['grp-alpha-viewers'] });
    const browser = new Browser();
    const back = await authorise(browser, login(), callback, { account: 'fien' });
    const state = back.searchParams.get('state')!;
    expect((await browser.fetch(back)).status).toBe(302);
    // The browser dropped the state; a replay that still sends it finds the attempt used up.
    expect(browser.cookie(host(), 'camaudit_oidc_state')).toBeUndefined();
    const withState = (value: string) => ({ headers: { cookie: `camaudit_oidc_state=${value}` } });
    const replay = await new Browser().fetch(back, withState(state));
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { detail: string }).detail).toMatch(/unknown, already used or expired/);

    const forged = new URL(back);
    forged.searchParams.set('state', 'a-state-this-server-never-issued');
    const forgedRes = await new Browser().fetch(forged, withState('a-state-this-server-never-issued'));
    expect(forgedRes.status).toBe(401);
    expect(((await forgedRes.json()) as { detail: string }).detail).toMatch(/unknown, already used or expired/);
    const stateless = new URL(back);
    stateless.searchParams.delete('state');
    expect((await new Browser().fetch(stateless)).status).toBe(401);
  });

  it('refuses a callback opened in a browser that did not start the sign-in', async () => {
    idp.accounts.set('mallory', { email: 'mallory@alpha.example', email_verified: true, name: 'Mallory', groups: ['grp-alpha-viewers'] });
    const attacker = new Browser();
    const trap = await authorise(attacker, login(), callback, { account: 'mallory' });
    const victim = new Browser();
    await (await victim.fetch(login())).body?.cancel();
    const res = await victim.fetch(trap);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/not started in this browser/);
    expect(victim.cookie(host(), 'camaudit_session')).toBeUndefined();
    // The attempt is still the attacker's own, not used up by the refusal.
    expect((await attacker.fetch(trap)).status).toBe(302);
  });

  it('refuses a code obtained for another sign-in attempt', async () => {
    idp.accounts.set('gijs', { email: 'gijs@alpha.example', email_verified: true, name: 'Gijs', groups: ['grp-alpha-admins'] });
    const browser = new Browser();
    const first = await authorise(browser, login(), callback, { account: 'gijs' });
    const second = await authorise(browser, login(), callback, { account: 'gijs' });
    const swapped = new URL(second);
    swapped.searchParams.set('code', first.searchParams.get('code')!);
    const res = await browser.fetch(swapped);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/invalid_grant/);
    expect(browser.cookie(host(), 'camaudit_session')).toBeUndefined();
  });

  it('refuses an ID token whose nonce is not the one of the attempt', async () => {
    idp.accounts.set('hans', { email: 'hans@alpha.example', email_verified: true, name: 'Hans', groups: ['grp-alpha-viewers'] });
    const browser = new Browser();
    const back = await authorise(browser, login(), callback, { account: 'hans' });
    const stateHash = createHash('sha256').update(back.searchParams.get('state')!).digest('hex');
    await s.store.db.updateTable('oidc_logins').set({ nonce: 'another-attempts-nonce' }).where('state_hash', '=', stateHash).execute();
    const res = await browser.fetch(back);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/nonce/);
    expect(await findUserByEmail(s.store, 'hans@alpha.example')).toBeNull();
  });

  it('refuses an ID token altered on its way from the provider', async () => {
    idp.accounts.set('ilse', { email: 'ilse@alpha.example', email_verified: true, name: 'Ilse', groups: ['grp-alpha-viewers'] });
    idp.tamperIdTokens = true;
    try {
      const res = await signIn(new Browser(), 'ilse');
      expect(res.status).toBe(401);
      expect(((await res.json()) as { detail: string }).detail).toMatch(/signature verification failed/);
    } finally {
      idp.tamperIdTokens = false;
    }
    expect(await findUserByEmail(s.store, 'ilse@alpha.example')).toBeNull();
  });

  it('refuses an attempt older than ten minutes', async () => {
    idp.accounts.set('joop', { email: 'joop@alpha.example', email_verified: true, name: 'Joop', groups: ['grp-alpha-viewers'] });
    const browser = new Browser();
    const back = await authorise(browser, login(), callback, { account: 'joop' });
    s.clock.advance(11 * 60_000);
    expect((await browser.fetch(back)).status).toBe(401);
  });

  it('reports a sign-in the person cancelled at the provider', async () => {
    const browser = new Browser();
    const back = await authorise(browser, login(), callback, { account: 'nobody', abort: true });
    const res = await browser.fetch(back);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/access_denied/);
  });

  it('lands on the start page when returnTo points at another site', async () => {
    const res = await signIn(new Browser(), 'anna', 'https://evil.example/steal');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/');
  });

  it('limits callbacks per client address', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 31; i++) {
      codes.push((await s.app.inject({ url: `${CALLBACK_PATH}?code=x&state=guess-${i}`, remoteAddress: '127.0.7.7' })).statusCode);
    }
    expect(codes.slice(0, 30).every((c) => c === 401)).toBe(true);
    expect(codes[30]).toBe(429);
  });
});
