import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/server/auth/passwords.js';
import type { Role } from '../../src/server/auth/roles.js';
import { createUser, grantRole, revokeRole, setDisabled } from '../../src/store/users.js';
import { ENGINES } from '../helpers/engines.js';
import { bearer, startTestServer, type TestServer } from '../helpers/server.js';

const PASSWORD = 'lange-zin-met-spaties 42';
const engine = ENGINES[0]!;
let s: TestServer;

async function person(email: string, roles: Partial<Record<'a' | 'b', Role>>) {
  const user = await createUser(s.store, { actor: 'test', source: 'test' }, { email, displayName: email, passwordHash: await hashPassword(PASSWORD) }, s.clock.now());
  for (const [org, role] of Object.entries(roles)) {
    await grantRole(s.store, { orgId: s.orgs[org as 'a' | 'b'].id, actor: 'test', source: 'test' }, user.id, role, s.clock.now());
  }
  return user;
}

async function login(email: string, password = PASSWORD, ip = '127.0.0.1') {
  const res = await s.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress: ip });
  const cookie = res.cookies.find((c) => c.name === 'camaudit_session');
  return { res, cookie, headers: cookie ? { cookie: `camaudit_session=${cookie.value}` } : {}, csrf: res.statusCode === 200 ? (res.json() as { csrfToken: string }).csrfToken : '' };
}

beforeAll(async () => {
  s = await startTestServer(engine);
  await person('editor@alpha.example', { a: 'editor', b: 'viewer' });
  await person('viewer@alpha.example', { a: 'viewer' });
});
afterAll(async () => {
  await s.close();
  await engine.cleanup();
});

describe('sign-in with a local account', () => {
  it('stores passwords as argon2id', async () => {
    const row = await s.store.db.selectFrom('users').select('password_hash').where('email', '=', 'editor@alpha.example').executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('signs in, sets an httpOnly SameSite cookie, and lists each organisation with its own role', async () => {
    const { res, cookie } = await login('Editor@Alpha.example');
    expect(res.statusCode).toBe(200);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie!.secure).toBeFalsy();
    const body = res.json() as { organisations: { slug: string; role: string }[]; csrfToken: string };
    expect(body.organisations).toEqual([{ slug: 'alpha', name: 'Gemeente alpha', role: 'editor', theme: 'camaudit' }, { slug: 'beta', name: 'Gemeente beta', role: 'viewer', theme: 'camaudit' }]);
    expect(body.csrfToken.length).toBeGreaterThan(20);
    const stored = await s.store.db.selectFrom('sessions').select('id_hash').execute();
    expect(stored.map((r) => r.id_hash)).not.toContain(cookie!.value);
  });

  it('marks the cookie Secure when the server is reached over TLS', async () => {
    const tls = await startTestServer(engine, { config: { publicUrl: 'https://camaudit.example.nl' } });
    try {
      await createUser(tls.store, { actor: 'test', source: 'test' }, { email: 'x@alpha.example', displayName: 'x', passwordHash: await hashPassword(PASSWORD) }, tls.clock.now());
      const res = await tls.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'x@alpha.example', password: PASSWORD } });
      expect(res.cookies.find((c) => c.name === 'camaudit_session')?.secure).toBe(true);
      expect(res.headers['strict-transport-security']).toBeDefined();
    } finally {
      await tls.close();
    }
  });

  it('gives the same answer for an unknown account and a wrong password', async () => {
    const unknown = await login('nobody@alpha.example', PASSWORD, '127.0.0.2');
    const wrong = await login('viewer@alpha.example', 'not the password at all', '127.0.0.2');
    expect(unknown.res.statusCode).toBe(401);
    expect(wrong.res.statusCode).toBe(401);
    expect(unknown.res.json().detail).toBe(wrong.res.json().detail);
  });

  it('locks an account after five failures in a row, also for the right password, until the lockout ends', async () => {
    await person('target@alpha.example', { a: 'viewer' });
    const answers: number[] = [];
    for (let i = 0; i < 5; i++) answers.push((await login('target@alpha.example', `wrong guess ${i} xxxxxx`, `127.0.1.${i}`)).res.statusCode);
    expect(answers).toEqual([401, 401, 401, 401, 401]);
    const during = await login('target@alpha.example', PASSWORD, '127.0.1.9');
    expect(during.res.statusCode).toBe(401);
    // The same words as for an unknown account: a lockout does not tell that the account exists.
    expect(during.res.json().detail).toBe((await login('nobody-at-all@alpha.example', PASSWORD, '127.0.1.8')).res.json().detail);
    const row = await s.store.db.selectFrom('users').select('locked_until').where('email', '=', 'target@alpha.example').executeTakeFirstOrThrow();
    expect(row.locked_until! > s.clock.now()).toBe(true);
    s.clock.advance(16 * 60_000);
    expect((await login('target@alpha.example', PASSWORD, '127.0.1.9')).res.statusCode).toBe(200);
  });

  it('counts failures arriving at the same moment each once', async () => {
    const user = await person('parallel@alpha.example', { a: 'viewer' });
    await Promise.all(Array.from({ length: 4 }, (_, i) => login('parallel@alpha.example', `wrong guess ${i} yyyyyy`, `127.0.5.${i}`)));
    const row = await s.store.db.selectFrom('users').select(['failed_logins', 'locked_until']).where('id', '=', user.id).executeTakeFirstOrThrow();
    expect([row.failed_logins, row.locked_until]).toEqual([4, null]);
  });

  it('limits sign-in attempts per client address', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 11; i++) codes.push((await login(`guess${i}@alpha.example`, 'whatever whatever', '127.0.9.9')).res.statusCode);
    expect(codes.slice(0, 10).every((c) => c === 401)).toBe(true);
    expect(codes[10]).toBe(429);
  });
});

describe('the sign-in limit per address', () => {
  it('follows the login.perMinute setting', async () => {
    const strict = await startTestServer(engine, { config: { login: { maxAttempts: 5, lockoutMinutes: 15, perMinute: 3 } } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) {
        codes.push((await strict.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: `x${i}@alpha.example`, password: 'whatever whatever' } })).statusCode);
      }
      expect(codes).toEqual([401, 401, 401, 429]);
    } finally {
      await strict.close();
    }
  });
});

describe('sessions', () => {
  it('reads with the cookie; writes need the CSRF token as well', async () => {
    const { headers, csrf } = await login('editor@alpha.example', PASSWORD, '127.0.2.1');
    expect((await s.app.inject({ url: '/api/v1/organisations/alpha/devices', headers })).statusCode).toBe(200);
    const withoutCsrf = await s.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers });
    expect(withoutCsrf.statusCode).toBe(403);
    const wrongCsrf = await s.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { ...headers, 'x-csrf-token': 'x'.repeat(csrf.length) } });
    expect(wrongCsrf.statusCode).toBe(403);
    const out = await s.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { ...headers, 'x-csrf-token': csrf } });
    expect(out.statusCode).toBe(204);
    expect((await s.app.inject({ url: '/api/v1/organisations/alpha/devices', headers })).statusCode).toBe(401);
  });

  it('sees only the organisations the person holds a role in', async () => {
    const { headers } = await login('viewer@alpha.example', PASSWORD, '127.0.2.2');
    const orgs = (await s.app.inject({ url: '/api/v1/organisations', headers })).json() as { items: { slug: string }[] };
    expect(orgs.items.map((o) => o.slug)).toEqual(['alpha']);
    expect((await s.app.inject({ url: '/api/v1/organisations/beta/devices', headers })).statusCode).toBe(404);
    expect((await s.app.inject({ url: '/api/v1/organisations/alpha/members', headers })).statusCode).toBe(403);
  });

  it('ends after the idle time and after the absolute time', async () => {
    const idle = await login('viewer@alpha.example', PASSWORD, '127.0.2.3');
    s.clock.advance(59 * 60_000);
    expect((await s.app.inject({ url: '/api/v1/auth/session', headers: idle.headers })).statusCode).toBe(200);
    s.clock.advance(59 * 60_000);
    expect((await s.app.inject({ url: '/api/v1/auth/session', headers: idle.headers })).statusCode).toBe(200);
    s.clock.advance(61 * 60_000);
    expect((await s.app.inject({ url: '/api/v1/auth/session', headers: idle.headers })).statusCode).toBe(401);
    const busy = await login('viewer@alpha.example', PASSWORD, '127.0.2.4');
    for (let h = 0; h < 12; h++) {
      s.clock.advance(50 * 60_000);
      const code = (await s.app.inject({ url: '/api/v1/auth/session', headers: busy.headers })).statusCode;
      expect(code, `after ${(h + 1) * 50} minutes`).toBe((h + 1) * 50 < 12 * 60 ? 200 : 401);
    }
  });

  it('changing the password refuses a weak one and ends every session of the account', async () => {
    await person('changer@alpha.example', { a: 'viewer' });
    const one = await login('changer@alpha.example', PASSWORD, '127.0.3.1');
    const two = await login('changer@alpha.example', PASSWORD, '127.0.3.2');
    const weak = await s.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: { ...one.headers, 'x-csrf-token': one.csrf }, payload: { current: PASSWORD, next: 'short' } });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().detail).toMatch(/12 characters/);
    const ok = await s.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: { ...one.headers, 'x-csrf-token': one.csrf }, payload: { current: PASSWORD, next: 'een veel langere zin 2026' } });
    expect(ok.statusCode).toBe(204);
    expect((await s.app.inject({ url: '/api/v1/auth/session', headers: two.headers })).statusCode).toBe(401);
    expect((await login('changer@alpha.example', 'een veel langere zin 2026', '127.0.3.3')).res.statusCode).toBe(200);
  });
});

describe('API tokens', () => {
  it('are created by an administrator, shown once, stored hashed, and stop at revocation or expiry', async () => {
    const made = await s.app.inject({ method: 'POST', url: '/api/v1/organisations/alpha/tokens', headers: bearer(s.tokens.a.admin), payload: { name: 'ci', role: 'viewer', days: 1 } });
    expect(made.statusCode).toBe(201);
    const { token, id } = made.json() as { token: string; id: string };
    expect(token).toMatch(/^cam_[A-Za-z0-9_-]{43}$/);
    const list = await s.app.inject({ url: '/api/v1/organisations/alpha/tokens', headers: bearer(s.tokens.a.admin) });
    expect(list.body).not.toContain(token);
    const stored = await s.store.db.selectFrom('api_tokens').select('token_hash').where('id', '=', id).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token.slice(4));
    expect((await s.app.inject({ url: '/api/v1/organisations/alpha/devices', headers: bearer(token) })).statusCode).toBe(200);
    // A viewer token cannot write, nor act in another organisation.
    expect((await s.app.inject({ method: 'POST', url: '/api/v1/organisations/alpha/tokens', headers: bearer(token), payload: { name: 'x', role: 'admin' } })).statusCode).toBe(403);
    expect((await s.app.inject({ url: '/api/v1/organisations/beta/devices', headers: bearer(token) })).statusCode).toBe(404);
    s.clock.advance(25 * 3_600_000);
    expect((await s.app.inject({ url: '/api/v1/organisations/alpha/devices', headers: bearer(token) })).statusCode).toBe(401);

    const second = (await s.app.inject({ method: 'POST', url: '/api/v1/organisations/alpha/tokens', headers: bearer(s.tokens.a.admin), payload: { name: 'ci-2', role: 'editor' } })).json() as { token: string; id: string };
    expect((await s.app.inject({ url: '/api/v1/organisations/alpha/devices', headers: bearer(second.token) })).statusCode).toBe(200);
    expect((await s.app.inject({ method: 'DELETE', url: `/api/v1/organisations/alpha/tokens/${second.id}`, headers: bearer(s.tokens.a.admin) })).statusCode).toBe(200);
    expect((await s.app.inject({ url: '/api/v1/organisations/alpha/devices', headers: bearer(second.token) })).statusCode).toBe(401);
  });

  it('stop when the person who made them loses the role or the account is disabled', async () => {
    const maker = await person('maker@alpha.example', { a: 'admin', b: 'admin' });
    const { headers, csrf } = await login('maker@alpha.example', PASSWORD, '127.0.6.1');
    const make = async (org: string) => ((await s.app.inject({ method: 'POST', url: `/api/v1/organisations/${org}/tokens`, headers: { ...headers, 'x-csrf-token': csrf }, payload: { name: `by maker ${org}`, role: 'admin' } })).json() as { token: string }).token;
    const [alphaToken, betaToken] = [await make('alpha'), await make('beta')];
    const works = async (token: string, org: string) => (await s.app.inject({ url: `/api/v1/organisations/${org}/members`, headers: bearer(token) })).statusCode;
    expect([await works(alphaToken, 'alpha'), await works(betaToken, 'beta')]).toEqual([200, 200]);
    await revokeRole(s.store, { orgId: s.orgs.a.id, actor: 'test', source: 'test' }, maker.id, s.clock.now());
    expect([await works(alphaToken, 'alpha'), await works(betaToken, 'beta')]).toEqual([401, 200]);
    await setDisabled(s.store, { actor: 'test', source: 'test' }, maker.id, true, s.clock.now());
    expect(await works(betaToken, 'beta')).toBe(401);
  });

  it('cannot be revoked through another organisation', async () => {
    const other = (await s.store.db.selectFrom('api_tokens').select('id').where('org_id', '=', s.orgs.b.id).executeTakeFirstOrThrow()).id;
    const res = await s.app.inject({ method: 'DELETE', url: `/api/v1/organisations/alpha/tokens/${other}`, headers: bearer(s.tokens.a.admin) });
    expect(res.statusCode).toBe(404);
    const row = await s.store.db.selectFrom('api_tokens').select('revoked_at').where('id', '=', other).executeTakeFirstOrThrow();
    expect(row.revoked_at).toBeNull();
  });
});

describe('members', () => {
  it('an administrator gives a new person a role (an account without a password) and removes it again', async () => {
    const added = await s.app.inject({ method: 'PUT', url: '/api/v1/organisations/alpha/members', headers: bearer(s.tokens.a.admin), payload: { email: 'new@alpha.example', role: 'auditor' } });
    expect(added.statusCode, added.body).toBe(200);
    const { userId, password } = added.json() as { userId: string; password: boolean };
    expect(password).toBe(false);
    const members = (await s.app.inject({ url: '/api/v1/organisations/alpha/members', headers: bearer(s.tokens.a.admin) })).json() as { items: { email: string; role: string }[] };
    expect(members.items.find((m) => m.email === 'new@alpha.example')?.role).toBe('auditor');
    expect((await s.app.inject({ method: 'DELETE', url: `/api/v1/organisations/alpha/members/${userId}`, headers: bearer(s.tokens.a.admin) })).statusCode).toBe(204);
  });

  it('gives no organisation administrator a way to set an account\'s password', async () => {
    // The attack: alpha's administrator makes an account for beta's colleague with a password
    // of their choosing, beta later gives that address a role, alpha's administrator signs in.
    const squat = await s.app.inject({ method: 'PUT', url: '/api/v1/organisations/alpha/members', headers: bearer(s.tokens.a.admin), payload: { email: 'victim@beta.example', role: 'viewer', password: 'ik ken dit wachtwoord 1' } });
    expect(squat.statusCode).toBe(400);
    await s.app.inject({ method: 'PUT', url: '/api/v1/organisations/alpha/members', headers: bearer(s.tokens.a.admin), payload: { email: 'victim@beta.example', role: 'viewer' } });
    await s.app.inject({ method: 'PUT', url: '/api/v1/organisations/beta/members', headers: bearer(s.tokens.b.admin), payload: { email: 'victim@beta.example', role: 'admin' } });
    expect((await login('victim@beta.example', 'ik ken dit wachtwoord 1', '127.0.4.3')).res.statusCode).toBe(401);
    const row = await s.store.db.selectFrom('users').select('password_hash').where('email', '=', 'victim@beta.example').executeTakeFirstOrThrow();
    expect(row.password_hash).toBeNull();
  });
});
