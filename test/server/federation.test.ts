// The federation routes: who may preview, publish, send and read aggregates, and what a
// coordinator accepts. The authorisation matrix checks each route's permission; this checks
// what the permissions cannot express (a publisher token answers for one publisher, local
// publishing needs the publish permission in the coordinating organisation).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AggregatePayload } from '../../src/core/aggregate/payload.js';
import type { Summary } from '../../src/core/aggregate/summarise.js';
import { hashPassword } from '../../src/server/auth/passwords.js';
import { authRoutes } from '../../src/server/routes/auth.js';
import { federationRoutes } from '../../src/server/routes/federation.js';
import { createApiToken } from '../../src/store/api-tokens.js';
import { createOrganisation } from '../../src/store/organisations.js';
import { createUser, grantRole } from '../../src/store/users.js';
import { ENGINES } from '../helpers/engines.js';
import { bearer, startTestServer, type TestServer } from '../helpers/server.js';

const PASSWORD = 'lange-zin-met-spaties 42';

describe.each(ENGINES)('federation routes on $name', (engine) => {
  let s: TestServer;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    s = await startTestServer(engine, { app: { routes: [...federationRoutes(), ...authRoutes()] }, config: { federation: { suppressBelow: 3, allowPrivateTargets: false } } });
    const now = s.clock.now();
    const coordinator = await createOrganisation(s.store, { slug: 'landelijk', name: 'Landelijk beeld' }, now);
    const scope = { orgId: coordinator.id, actor: 'test', source: 'test' };
    const expiresAt = '2027-06-01T00:00:00.000Z';
    tokens.alphaPublisher = (await createApiToken(s.store, scope, { name: 'GM0001', role: 'publisher', expiresAt }, now)).token;
    tokens.coordinator = (await createApiToken(s.store, scope, { name: 'analist', role: 'coordinator', expiresAt }, now)).token;
    // A person who administers alpha and publishes for it to the coordinator.
    const user = await createUser(s.store, { actor: 'test', source: 'test' }, { email: 'ciso@alpha.example', displayName: 'CISO', passwordHash: await hashPassword(PASSWORD) }, now);
    await grantRole(s.store, { orgId: s.orgs.a.id, actor: 'test', source: 'test' }, user.id, 'admin', now);
    await grantRole(s.store, scope, user.id, 'publisher', now);
  });
  afterAll(async () => {
    await s.close();
    await engine.cleanup();
  });

  const preview = async (org = 'alpha', query = '') => s.app.inject({ url: `/api/v1/organisations/${org}/federation/preview${query}`, headers: bearer(s.tokens.a.admin) });

  it('previews the aggregate for administrators, with the server\'s threshold as the least', async () => {
    const res = await preview();
    expect(res.statusCode).toBe(200);
    const payload = res.json() as AggregatePayload;
    expect(payload).toMatchObject({ format: 'camaudit-aggregate', source: { code: 'GM0001', name: 'Gemeente alpha' }, threshold: 3 });
    expect(res.body).not.toContain('10.0.0.1');
    expect((await preview('alpha', '?threshold=2')).statusCode).toBe(400);
    expect((await preview('alpha', '?threshold=10')).json()).toMatchObject({ threshold: 10 });
    expect((await s.app.inject({ url: '/api/v1/organisations/alpha/federation/preview', headers: bearer(s.tokens.a.viewer) })).statusCode).toBe(403);
  });

  it('receives an aggregate from the publisher token named after its source, and no other source', async () => {
    const payload = (await preview()).json() as AggregatePayload;
    const post = (body: unknown, token = tokens.alphaPublisher!) => s.app.inject({ method: 'POST', url: '/api/v1/organisations/landelijk/federation/aggregates', headers: bearer(token), payload: body as object });
    const ok = await post(payload);
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ replaced: false, source: { code: 'GM0001' }, period: payload.period });
    expect((await post(payload)).json()).toMatchObject({ replaced: true });

    const beta = (await s.app.inject({ url: '/api/v1/organisations/beta/federation/preview', headers: bearer(s.tokens.b.admin) })).json() as AggregatePayload;
    const spoofed = await post(beta);
    expect(spoofed.statusCode).toBe(403);
    expect(spoofed.json().detail).toMatch(/publishes for "GM0001" only/);
    expect((await post({ ...payload, cells: payload.cells.map((c) => ({ ...c, serial: 'SN-1' })) })).statusCode).toBe(400);
    expect((await post({ ...payload, threshold: 2 })).statusCode).toBe(400);
    // The coordinator's own analyst may read, not send.
    expect((await post(payload, tokens.coordinator)).statusCode).toBe(403);
  });

  it('publishes to a coordinator on this server only for a caller who may publish there', async () => {
    const asAdminToken = await s.app.inject({ method: 'POST', url: '/api/v1/organisations/alpha/federation/publish', headers: bearer(s.tokens.a.admin), payload: { to: 'local:landelijk' } });
    expect(asAdminToken.statusCode).toBe(404);
    const toFile = await s.app.inject({ method: 'POST', url: '/api/v1/organisations/alpha/federation/publish', headers: bearer(s.tokens.a.admin), payload: { to: 'file:/tmp/x.json' } });
    expect(toFile.statusCode).toBe(400);

    const login = await s.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'ciso@alpha.example', password: PASSWORD } });
    const cookie = login.cookies.find((c) => c.name === 'camaudit_session')!;
    const headers = { cookie: `camaudit_session=${cookie.value}`, 'x-csrf-token': (login.json() as { csrfToken: string }).csrfToken };
    const res = await s.app.inject({ method: 'POST', url: '/api/v1/organisations/alpha/federation/publish', headers, payload: { to: 'local:landelijk', period: '2026-12-01' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ kind: 'local', coordinator: 'landelijk', period: '2026-12-01', receipt: { replaced: false } });
  });

  it('summarises for the coordinator\'s coordinators only', async () => {
    const res = await s.app.inject({ url: '/api/v1/organisations/landelijk/federation/summary', headers: bearer(tokens.coordinator!) });
    expect(res.statusCode).toBe(200);
    const summary = res.json() as Summary;
    expect(summary.municipalities.map((m) => [m.code, m.period])).toEqual([['GM0001', '2026-12-01']]);
    expect(summary.trend.at(-1)).toMatchObject({ month: '2026-12', sources: 1 });
    expect((await s.app.inject({ url: '/api/v1/organisations/landelijk/federation/summary', headers: bearer(tokens.alphaPublisher!) })).statusCode).toBe(403);
    expect((await s.app.inject({ url: '/api/v1/organisations/alpha/federation/summary', headers: bearer(tokens.coordinator!) })).statusCode).toBe(404);
  });
});

describe('publishing to another server through the API', () => {
  const engine = ENGINES.find((e) => e.name === 'sqlite')!;
  const PATH = '/api/v1/organisations/landelijk/federation/aggregates';
  // Something on the server's own machine, answering as the test says; it records every request.
  let answer: { status: number; body: string } = { status: 201, body: '' };
  let requests = 0;
  let inside: Server;
  let endpoint: string;

  beforeAll(async () => {
    inside = createServer((req, res) => {
      requests++;
      req.resume();
      req.on('end', () => {
        res.statusCode = answer.status;
        res.setHeader('content-type', 'application/json');
        res.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => inside.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(inside.address() as AddressInfo).port}${PATH}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => inside.close(() => resolve()));
    await engine.cleanup();
  });

  const publish = (s: TestServer, to: string) => s.app.inject({
    method: 'POST', url: '/api/v1/organisations/alpha/federation/publish', headers: bearer(s.tokens.a.admin), payload: { to, token: 'cam_publisher', period: '2026-12-01' },
  });

  it('refuses a coordinator on this machine, its network or the metadata address unless federation.allowPrivateTargets', async () => {
    const s = await startTestServer(engine, { app: { routes: federationRoutes() } });
    try {
      const port = new URL(endpoint).port;
      for (const to of [endpoint, `http://localhost:${port}${PATH}`, `https://10.0.0.7${PATH}`, `https://169.254.169.254${PATH}`, `https://[::1]:${port}${PATH}`]) {
        const res = await publish(s, to);
        expect(res.statusCode, to).toBe(400);
        expect((res.json() as { detail: string }).detail, to).toMatch(/is not at a public internet address; publishing there needs federation.allowPrivateTargets/);
      }
      expect(requests).toBe(0);
    } finally {
      await s.close();
    }
  });

  it('when allowed, delivers; what the other side answered is never repeated, only its status', async () => {
    const s = await startTestServer(engine, { app: { routes: federationRoutes() }, config: { federation: { suppressBelow: 5, allowPrivateTargets: true } } });
    try {
      answer = { status: 418, body: JSON.stringify({ detail: 'internal-secret-418' }) };
      const refused = await publish(s, endpoint);
      expect(refused.statusCode).toBe(400);
      expect(refused.body).toContain('refused the aggregate (418)');
      expect(refused.body).not.toContain('internal-secret');

      // A 2xx that is not a receipt for this aggregate is not passed on either.
      answer = { status: 200, body: JSON.stringify({ id: 'internal-secret-200', replaced: false, source: { code: 'GM0001', name: 'x' }, period: '2026-12-01' }) };
      const odd = await publish(s, endpoint);
      expect(odd.statusCode).toBe(400);
      expect(odd.body).toContain('answered without a receipt');
      expect(odd.body).not.toContain('internal-secret');

      const id = '3f2b8c1e-5d4a-4b6c-9e8f-7a1b2c3d4e5f';
      answer = { status: 201, body: JSON.stringify({ id, replaced: true, source: { code: 'GM0001', name: 'internal-secret-name' }, period: '2026-12-01' }) };
      const ok = await publish(s, endpoint);
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json()).toMatchObject({ kind: 'https', receipt: { id, replaced: true, source: { code: 'GM0001', name: 'Gemeente alpha' }, period: '2026-12-01' } });
      expect(ok.body).not.toContain('internal-secret');

      // Nothing listens on port 1: the socket error is not repeated.
      const closed = await publish(s, `http://127.0.0.1:1${PATH}`);
      expect(closed.statusCode).toBe(503);
      expect((closed.json() as { detail: string }).detail).toBe('cannot reach http://127.0.0.1:1');
      expect(requests).toBe(3);
    } finally {
      await s.close();
    }
  });

  it('when allowed, a real coordinator server\'s receipt is accepted', async () => {
    const s = await startTestServer(engine, { app: { routes: federationRoutes() }, config: { federation: { suppressBelow: 5, allowPrivateTargets: true } } });
    const coordinator = await startTestServer(engine, { app: { routes: federationRoutes() } });
    try {
      const landelijk = await createOrganisation(coordinator.store, { slug: 'landelijk', name: 'Landelijk beeld' }, coordinator.clock.now());
      const scope = { orgId: landelijk.id, actor: 'test', source: 'test' };
      const token = (await createApiToken(coordinator.store, scope, { name: 'GM0001', role: 'publisher', expiresAt: '2027-06-01T00:00:00.000Z' }, coordinator.clock.now())).token;
      const address = await coordinator.app.listen({ host: '127.0.0.1', port: 0 });
      const res = await s.app.inject({
        method: 'POST', url: '/api/v1/organisations/alpha/federation/publish', headers: bearer(s.tokens.a.admin), payload: { to: `${address}${PATH}`, token, period: '2026-12-01' },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ kind: 'https', receipt: { replaced: false, source: { code: 'GM0001' }, period: '2026-12-01' } });
    } finally {
      await coordinator.close();
      await s.close();
    }
  });
});
