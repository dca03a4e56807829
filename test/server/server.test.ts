import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { DEMO_ORGANISATION, demoRecords } from '../../src/lab/demo.js';
import { applyRecords } from '../../src/store/apply-records.js';
import type { Store } from '../../src/store/database.js';
import { createOrganisation } from '../../src/store/organisations.js';
import { ENGINES, freshStore } from '../helpers/engines.js';

const now = '2026-01-01T00:00:00.000Z';
let store: Store;
let app: FastifyInstance;

beforeAll(async () => {
  store = await freshStore(ENGINES[0]!);
  const org = await createOrganisation(store, DEMO_ORGANISATION, now);
  const scope = { orgId: org.id, actor: 'test', source: 'test' };
  await applyRecords(store, scope, demoRecords(), now);
  await applyRecords(store, scope, [{ row: 1, device: { externalRef: 'X-1' }, site: { name: '<script>alert(1)</script>' }, network: null }], now);
  app = await buildApp({ store, org, actor: 'test' });
});
afterAll(async () => {
  await app.close();
  await store.close();
  await ENGINES[0]!.cleanup();
});

describe('HTTP API', () => {
  it('reports health with the API version header', async () => {
    const res = await app.inject('/api/v1/health');
    expect(res.statusCode).toBe(200);
    expect(res.headers['api-version']).toBe('0.1.0');
    expect(res.json()).toEqual({ status: 'ok', version: '0.1.0', engine: 'sqlite' });
  });

  it('pages through all devices with a cursor', async () => {
    const ids = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await app.inject({ url: '/api/v1/devices', query: { limit: '50', ...(cursor ? { cursor } : {}) } });
      const body = res.json() as { items: { id: string }[]; nextCursor: string | null };
      body.items.forEach((d) => ids.add(d.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor);
    expect(ids.size).toBe(209);
    expect(pages).toBe(5);
  });

  it('filters devices', async () => {
    const res = await app.inject({ url: '/api/v1/devices', query: { connectivity: 'internet_exposed', limit: '1000' } });
    const items = res.json().items as { siteName: string }[];
    expect(items.length).toBeGreaterThan(0);
    expect(new Set(items.map((d) => d.siteName)).size).toBe(1);
  });

  it('answers bad requests with problem+json', async () => {
    const bad = await app.inject({ url: '/api/v1/devices', query: { limit: '0' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(bad.json()).toMatchObject({ status: 400, detail: expect.stringMatching(/limit/) });
    const unknown = await app.inject({ url: '/api/v1/devices', query: { colour: 'red' } });
    expect(unknown.statusCode).toBe(400);
    const missing = await app.inject('/api/v1/nope');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ status: 404, title: 'Not Found' });
  });

  it('serves a start page with user-supplied text escaped', async () => {
    const res = await app.inject('/');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Gemeente Lindeveld (demo)');
    expect(res.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(res.body).not.toContain('<script>alert(1)');
    expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
  });
});
