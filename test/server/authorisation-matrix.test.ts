// Every route × every role × own and foreign organisation, with the answer each cell must get.
// The access class of each route is written down here, independently of the route declarations,
// so a route that checks the wrong permission (or none) fails this test; a new route fails it
// until it is classified. Afterwards the other organisation's data must be byte-for-byte as it
// was: no cell may have read or written across the tenant boundary.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, can, type Permission, type Role } from '../../src/server/auth/roles.js';
import { allRoutes } from '../../src/server/routes/index.js';
import type { RouteSpec } from '../../src/server/route.js';
import { ENGINES } from '../helpers/engines.js';
import { bearer, startTestServer, type TestServer } from '../helpers/server.js';
import { tenantFingerprint } from '../helpers/tenant-fingerprint.js';

type Access = 'public' | 'signed-in' | 'agent' | Permission;

// The access each route must demand: method and path → class.
const EXPECTED: Record<string, Access> = {
  'GET /api/v1/health': 'public',
  'GET /api/v1/ui': 'public',
  'POST /api/v1/auth/login': 'public',
  'GET /api/v1/auth/session': 'signed-in',
  'POST /api/v1/auth/logout': 'signed-in',
  'POST /api/v1/auth/password': 'signed-in',
  'GET /api/v1/auth/oidc/login': 'public',
  'GET /api/v1/auth/oidc/callback': 'public',
  'GET /api/v1/organisations': 'signed-in',
  'POST /api/v1/identify': 'signed-in',
  'GET /api/v1/organisations/:org/settings': 'admin',
  'PUT /api/v1/organisations/:org/settings': 'admin',
  'GET /api/v1/organisations/:org/members': 'admin',
  'PUT /api/v1/organisations/:org/members': 'admin',
  'DELETE /api/v1/organisations/:org/members/:id': 'admin',
  'GET /api/v1/organisations/:org/tokens': 'admin',
  'POST /api/v1/organisations/:org/tokens': 'admin',
  'DELETE /api/v1/organisations/:org/tokens/:id': 'admin',
  'POST /api/v1/organisations/:org/agents/enrolments': 'admin',
  'GET /api/v1/organisations/:org/agents': 'admin',
  'DELETE /api/v1/organisations/:org/agents/:id': 'admin',
  'POST /api/v1/organisations/:org/agents/:id/jobs': 'write',
  'POST /api/v1/agents/enrol': 'public',
  'GET /api/v1/agents/:id/jobs': 'agent',
  'POST /api/v1/agents/:id/results': 'agent',
  'POST /api/v1/agents/:id/jobs/:job/refusal': 'agent',
  'GET /api/v1/organisations/:org/devices': 'read',
  'POST /api/v1/organisations/:org/devices': 'write',
  'PATCH /api/v1/organisations/:org/devices': 'write',
  'GET /api/v1/organisations/:org/devices/:id': 'read',
  'PATCH /api/v1/organisations/:org/devices/:id': 'write',
  'GET /api/v1/organisations/:org/devices/:id/history': 'read',
  'GET /api/v1/organisations/:org/sites': 'read',
  'GET /api/v1/organisations/:org/notifications/subscriptions': 'admin',
  'POST /api/v1/organisations/:org/notifications/subscriptions': 'admin',
  'DELETE /api/v1/organisations/:org/notifications/subscriptions/:id': 'admin',
  'POST /api/v1/organisations/:org/notifications/subscriptions/:id/test': 'admin',
  'GET /api/v1/organisations/:org/notifications/deliveries': 'admin',
  'GET /api/v1/organisations/:org/audit/entries': 'audit',
  'GET /api/v1/organisations/:org/audit/verification': 'audit',
  'GET /api/v1/organisations/:org/audit/export': 'audit',
  'GET /api/v1/organisations/:org/federation/preview': 'admin',
  'POST /api/v1/organisations/:org/federation/publish': 'admin',
  'POST /api/v1/organisations/:org/federation/aggregates': 'publish',
  'GET /api/v1/organisations/:org/federation/summary': 'coordinate',
  'PUT /api/v1/organisations/:org/agents/:id/scopes': 'admin',
  'GET /api/v1/organisations/:org/jobs': 'read',
  'GET /api/v1/organisations/:org/jobs/:id': 'read',
  'GET /api/v1/organisations/:org/jobs/:id/events': 'read',
  'GET /api/v1/organisations/:org/jobs/:id/files/:name': 'read',
  'POST /api/v1/organisations/:org/jobs/:id/cancel': 'write',
  'POST /api/v1/organisations/:org/sites': 'write',
  'GET /api/v1/organisations/:org/sites/:id': 'read',
  'PATCH /api/v1/organisations/:org/sites/:id': 'write',
  'GET /api/v1/organisations/:org/map/sites': 'read',
  'GET /api/v1/organisations/:org/map/sites/:id/devices': 'read',
  'GET /api/v1/organisations/:org/networks': 'read',
  'POST /api/v1/organisations/:org/networks': 'write',
  'GET /api/v1/organisations/:org/networks/:id': 'read',
  'PATCH /api/v1/organisations/:org/networks/:id': 'write',
  'POST /api/v1/organisations/:org/imports': 'write',
  'POST /api/v1/organisations/:org/imports/preview': 'write',
  'POST /api/v1/organisations/:org/screenings': 'read',
  'GET /api/v1/organisations/:org/exports/devices.csv': 'read',
  'GET /api/v1/organisations/:org/exports/devices.xlsx': 'read',
  'GET /api/v1/organisations/:org/exports/sites.geojson': 'read',
  'GET /api/v1/organisations/:org/exports/devices.cdx.json': 'read',
  'GET /api/v1/organisations/:org/exports/camera-in-beeld.csv': 'read',
  'GET /api/v1/kb': 'signed-in',
  'GET /api/v1/kb/vendors': 'signed-in',
  'GET /api/v1/kb/vendors/:id': 'signed-in',
  'GET /api/v1/kb/brands': 'signed-in',
  'GET /api/v1/kb/measures': 'signed-in',
  'GET /api/v1/kb/vulnerabilities': 'signed-in',
  'GET /api/v1/kb/search': 'signed-in',
  'GET /api/v1/clauses': 'signed-in',
  'POST /api/v1/organisations/:org/scans': 'write',
  'GET /api/v1/organisations/:org/scans': 'read',
  'GET /api/v1/organisations/:org/scans/:id': 'read',
  'GET /api/v1/organisations/:org/scans/:id/diff/:other': 'read',
  'POST /api/v1/organisations/:org/bundles': 'write',
  'GET /api/v1/organisations/:org/findings': 'read',
  'GET /api/v1/organisations/:org/devices/:id/findings': 'read',
  'POST /api/v1/organisations/:org/assessments': 'write',
  'GET /api/v1/organisations/:org/assessments': 'read',
  'GET /api/v1/organisations/:org/waivers': 'read',
  'POST /api/v1/organisations/:org/waivers': 'write',
  'DELETE /api/v1/organisations/:org/waivers/:id': 'write',
  'GET /api/v1/organisations/:org/overview': 'read',
  'GET /api/v1/organisations/:org/plan': 'read',
  'PUT /api/v1/organisations/:org/plan': 'write',
  'PATCH /api/v1/organisations/:org/plan/items/:id': 'write',
  'POST /api/v1/organisations/:org/plan/scenarios': 'read',
  'POST /api/v1/organisations/:org/reports/plan-workbook': 'write',
  'GET /api/v1/organisations/:org/reports/council': 'read',
  'GET /api/v1/organisations/:org/disposals': 'read',
  'POST /api/v1/organisations/:org/disposals': 'write',
  'GET /api/v1/organisations/:org/policy': 'read',
  'PUT /api/v1/organisations/:org/policy': 'admin',
  'DELETE /api/v1/organisations/:org/policy': 'admin',
};

const key = (r: RouteSpec) => `${r.method} ${r.url}`;

/** A path for the route with the organisation filled in and every other parameter a fresh id. */
function pathFor(r: RouteSpec, orgSlug: string): string {
  return r.url.replace(':org', orgSlug).replace(/:([A-Za-z0-9_]+)/g, () => randomUUID());
}

const isOrgDenial = (status: number, body: { detail?: string }) => status === 404 && /^no organisation/.test(body.detail ?? '');

describe.each(ENGINES)('authorisation matrix on $name', (engine) => {
  let s: TestServer;
  let before: string;
  const routes = allRoutes();

  beforeAll(async () => {
    s = await startTestServer(engine);
    before = await tenantFingerprint(s.store, s.orgs.b.id);
  });
  afterAll(async () => {
    await s.close();
    await engine.cleanup();
  });

  it('classifies every route, and only existing ones', () => {
    expect(routes.map(key).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  const orgRoutes = () => routes.filter((r) => typeof r.auth === 'object');

  it('refuses every non-public route without credentials (401)', async () => {
    for (const r of routes.filter((x) => EXPECTED[key(x)] !== 'public')) {
      const res = await s.app.inject({ method: r.method, url: pathFor(r, 'alpha'), payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {} });
      expect.soft(res.statusCode, key(r)).toBe(401);
    }
  });

  it('refuses an unknown or revoked token like no token (401)', async () => {
    for (const r of orgRoutes()) {
      const res = await s.app.inject({ method: r.method, url: pathFor(r, 'alpha'), headers: bearer('cam_notatokenatall'), payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {} });
      expect.soft(res.statusCode, key(r)).toBe(401);
    }
  });

  for (const role of ROLES) {
    it(`${role}: own organisation gets exactly the routes its role allows`, async () => {
      for (const r of orgRoutes()) {
        const access = EXPECTED[key(r)] as Permission;
        const res = await s.app.inject({ method: r.method, url: pathFor(r, 'alpha'), headers: bearer(s.tokens.a[role]), payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {} });
        const body = String(res.headers['content-type'] ?? '').includes('json') ? (res.json() as { detail?: string }) : {};
        if (can(role as Role, access)) {
          expect.soft([401, 403].includes(res.statusCode) || isOrgDenial(res.statusCode, body), `${role} ${key(r)} → ${res.statusCode}`).toBe(false);
        } else {
          expect.soft(res.statusCode, `${role} ${key(r)}`).toBe(403);
        }
      }
    });

    it(`${role}: a foreign organisation is not found, whatever the route (404)`, async () => {
      for (const r of orgRoutes()) {
        const res = await s.app.inject({ method: r.method, url: pathFor(r, 'beta'), headers: bearer(s.tokens.a[role]), payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {} });
        expect.soft(res.statusCode, `${role} ${key(r)}`).toBe(404);
        expect.soft(isOrgDenial(res.statusCode, res.json() as { detail?: string }), `${role} ${key(r)}`).toBe(true);
      }
    });
  }

  it('answers "not found" the same for an organisation that does not exist', async () => {
    for (const r of orgRoutes()) {
      const res = await s.app.inject({ method: r.method, url: pathFor(r, 'gamma'), headers: bearer(s.tokens.a.admin), payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {} });
      expect.soft(res.statusCode, key(r)).toBe(404);
    }
  });

  it('left the other organisation exactly as it was', async () => {
    expect(await tenantFingerprint(s.store, s.orgs.b.id)).toBe(before);
  });
});
