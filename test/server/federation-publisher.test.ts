import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/server/auth/passwords.js';
import { createApiToken } from '../../src/store/api-tokens.js';
import { createUser, grantRole } from '../../src/store/users.js';
import { ENGINES } from '../helpers/engines.js';
import { bearer, startTestServer, type TestServer } from '../helpers/server.js';

const PASSWORD = 'een lange zin voor de test';
const engine = ENGINES[0]!;
let s: TestServer;

beforeAll(async () => {
  s = await startTestServer(engine);
});
afterAll(async () => {
  await s.close();
  await engine.cleanup();
});

describe('who may hand a coordinator an aggregate', () => {
  it('a publisher token named after the source, and no person, whatever their role', async () => {
    // Alpha's aggregate, received by beta as the coordinator.
    const preview = await s.app.inject({ url: '/api/v1/organisations/alpha/federation/preview', headers: bearer(s.tokens.a.admin) });
    expect(preview.statusCode, preview.body).toBe(200);
    const aggregate = preview.json() as { source: { code: string } };
    expect(aggregate.source.code).toBe('GM0001');

    const user = await createUser(s.store, { actor: 'test', source: 'test' }, { email: 'pub@beta.example', displayName: 'p', passwordHash: await hashPassword(PASSWORD) }, s.clock.now());
    await grantRole(s.store, { orgId: s.orgs.b.id, actor: 'test', source: 'test' }, user.id, 'publisher', s.clock.now());
    const login = await s.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'pub@beta.example', password: PASSWORD } });
    const cookie = login.cookies.find((c) => c.name === 'camaudit_session')!;
    const asPerson = await s.app.inject({
      method: 'POST', url: '/api/v1/organisations/beta/federation/aggregates', payload: aggregate,
      headers: { cookie: `camaudit_session=${cookie.value}`, 'x-csrf-token': (login.json() as { csrfToken: string }).csrfToken },
    });
    expect(asPerson.statusCode).toBe(403);

    // The test server's publisher token is named "publisher token", not after GM0001.
    expect((await s.app.inject({ method: 'POST', url: '/api/v1/organisations/beta/federation/aggregates', headers: bearer(s.tokens.b.publisher), payload: aggregate })).statusCode).toBe(403);
    const named = await createApiToken(s.store, { orgId: s.orgs.b.id, actor: 'test', source: 'test' }, { name: 'GM0001', role: 'publisher', expiresAt: '2027-06-01T00:00:00.000Z' }, s.clock.now());
    const ok = await s.app.inject({ method: 'POST', url: '/api/v1/organisations/beta/federation/aggregates', headers: bearer(named.token), payload: aggregate });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(await s.store.db.selectFrom('federation_aggregates').select('source_code').execute()).toEqual([{ source_code: 'GM0001' }]);
  });
});
