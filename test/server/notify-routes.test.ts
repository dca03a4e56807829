// The notification routes over HTTP: only an organisation's administrators manage its
// subscriptions; a subscription made through the API delivers to a real receiver on 127.0.0.1
// (allowed here by notifications.allowPrivateTargets; a server left at its defaults refuses it).
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationRoutes } from '../../src/server/routes/notifications.js';
import { notificationDeps } from '../../src/server/notify/deps.js';
import { runNotificationSweep } from '../../src/server/notify/sweep.js';
import { applyRecords } from '../../src/store/apply-records.js';
import { identifierFor } from '../../src/kb/knowledge.js';
import { ENGINES } from '../helpers/engines.js';
import { bearer, startTestServer, type TestServer } from '../helpers/server.js';
import { webhookReceiver, type WebhookReceiver } from './notify-receivers.js';

const engine = ENGINES.find((e) => e.name === 'sqlite')!;
const BASE = '/api/v1/organisations/alpha/notifications';
let s: TestServer;
let receiver: WebhookReceiver;

beforeAll(async () => {
  s = await startTestServer(engine, { app: { routes: notificationRoutes() }, config: { notifications: { sweepMinutes: 5, allowHttpWebhooks: false, allowPrivateTargets: true } } });
  receiver = await webhookReceiver();
});
afterAll(async () => {
  await receiver.close();
  await s.close();
  await engine.cleanup();
});

const admin = () => bearer(s.tokens.a.admin);

describe('notification routes', () => {
  it('an administrator subscribes, tests, sees deliveries and removes; new events reach the receiver signed', async () => {
    const created = await s.app.inject({ method: 'POST', url: `${BASE}/subscriptions`, headers: admin(), payload: { channel: 'webhook', target: receiver.url, events: ['restricted-device'] } });
    expect(created.statusCode).toBe(201);
    const made = created.json() as { subscription: { id: string; events: string[]; hasSecret: boolean }; secret: string; baseline: number };
    // The seeded cameras were never identified, so no true maker is known for any of them yet.
    expect(made).toMatchObject({ subscription: { events: ['restricted-device'], hasSecret: true }, baseline: 0 });
    expect(made.secret).toHaveLength(43);

    const list = await s.app.inject({ method: 'GET', url: `${BASE}/subscriptions`, headers: admin() });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual({ items: [expect.objectContaining({ id: made.subscription.id, target: receiver.url })], nextCursor: null });
    expect(list.body).not.toContain(made.secret);

    const test = await s.app.inject({ method: 'POST', url: `${BASE}/subscriptions/${made.subscription.id}/test`, headers: admin() });
    expect(test.json()).toMatchObject({ status: 'sent', eventKind: 'test' });

    const scope = { orgId: s.orgs.a.id, actor: 'test', source: 'test' };
    const kb = await s.ctx.knowledge();
    await applyRecords(s.store, scope, [{ row: 1, device: { externalRef: 'alpha-9', kind: 'camera', brand: 'HiWatch', model: 'HWI-B121H', mac: '44:19:b6:00:00:09' }, site: { name: 'alpha stadhuis', category: 'office' }, network: null }], s.clock.now(), identifierFor(kb).enrich);
    const figures = await runNotificationSweep(s.store, notificationDeps(s.store, s.ctx.config.notifications, s.ctx.knowledge), s.clock.now());
    expect(figures).toMatchObject({ organisations: 1, sent: 1 });
    const delivered = receiver.requests.at(-1)!;
    expect(delivered.headers['x-camaudit-signature']).toBe(`sha256=${createHmac('sha256', made.secret).update(delivered.body).digest('hex')}`);
    expect(JSON.parse(delivered.body)).toMatchObject({ event: 'restricted-device', organisation: { slug: 'alpha', name: 'Gemeente alpha' } });

    const page1 = await s.app.inject({ method: 'GET', url: `${BASE}/deliveries?limit=1`, headers: admin() });
    const first = page1.json() as { items: { eventKind: string; status: string }[]; nextCursor: string };
    expect(first.items.map((d) => `${d.eventKind}:${d.status}`)).toEqual(['restricted-device:sent']);
    const page2 = await s.app.inject({ method: 'GET', url: `${BASE}/deliveries?limit=1&cursor=${first.nextCursor}`, headers: admin() });
    expect(page2.json()).toMatchObject({ items: [{ eventKind: 'test', status: 'sent' }], nextCursor: null });
    const tests = await s.app.inject({ method: 'GET', url: `${BASE}/deliveries?status=sent&subscription=${made.subscription.id}`, headers: admin() });
    expect((tests.json() as { items: unknown[] }).items).toHaveLength(2);

    const removed = await s.app.inject({ method: 'DELETE', url: `${BASE}/subscriptions/${made.subscription.id}`, headers: admin() });
    expect(removed.statusCode).toBe(200);
    expect((await s.app.inject({ method: 'DELETE', url: `${BASE}/subscriptions/${made.subscription.id}`, headers: admin() })).statusCode).toBe(404);
  });

  it('every other role gets 403, another organisation\'s administrator 404, no credentials 401', async () => {
    const requests = [
      { method: 'GET' as const, url: `${BASE}/subscriptions` },
      { method: 'POST' as const, url: `${BASE}/subscriptions`, payload: { channel: 'webhook', target: receiver.url, events: ['all'] } },
      { method: 'GET' as const, url: `${BASE}/deliveries` },
    ];
    for (const r of requests) {
      for (const role of ['editor', 'viewer', 'auditor', 'coordinator', 'publisher'] as const) {
        expect((await s.app.inject({ ...r, headers: bearer(s.tokens.a[role]) })).statusCode, `${role} ${r.method} ${r.url}`).toBe(403);
      }
      expect((await s.app.inject({ ...r, headers: bearer(s.tokens.b.admin) })).statusCode).toBe(404);
      expect((await s.app.inject(r)).statusCode).toBe(401);
    }
  });

  it('refuses bad input with 400 and names the problem', async () => {
    const post = (payload: object) => s.app.inject({ method: 'POST', url: `${BASE}/subscriptions`, headers: admin(), payload });
    const http = await post({ channel: 'webhook', target: 'http://192.0.2.10/hook', events: ['kev'] });
    expect(http.statusCode).toBe(400);
    expect(http.body).toContain('use https');
    expect((await post({ channel: 'webhook', target: receiver.url, events: ['everything'] })).body).toContain('unknown event');
    expect((await post({ channel: 'pigeon', target: 'x', events: ['kev'] })).statusCode).toBe(400);
    expect((await s.app.inject({ method: 'GET', url: `${BASE}/deliveries?cursor=abc`, headers: admin() })).statusCode).toBe(400);
  });

  it('the test route answers in fixed words: the receiver\'s status, nothing of the network error', async () => {
    const subscribe = async (target: string) => ((await s.app.inject({ method: 'POST', url: `${BASE}/subscriptions`, headers: admin(), payload: { channel: 'webhook', target, events: ['kev'] } })).json() as { subscription: { id: string } }).subscription.id;
    const test = async (id: string) => (await s.app.inject({ method: 'POST', url: `${BASE}/subscriptions/${id}/test`, headers: admin() })).json() as { status: string; lastError: string };
    receiver.status = 418;
    try {
      expect(await test(await subscribe(receiver.url))).toMatchObject({ status: 'failed', lastError: 'the receiver did not accept the delivery (HTTP 418)' });
    } finally {
      receiver.status = 204;
    }
    // Port 1 has no listener (and fetch would have called it a "bad port").
    expect(await test(await subscribe('http://127.0.0.1:1/'))).toMatchObject({ status: 'failed', lastError: 'the receiver could not be reached' });
  });
});

describe('a server at its defaults', () => {
  it('refuses webhooks to this machine, its network and the metadata address (400), and sends nothing there', async () => {
    const strict = await startTestServer(engine, { app: { routes: notificationRoutes() } });
    try {
      const before = receiver.requests.length;
      const port = new URL(receiver.url).port;
      for (const target of [receiver.url, `https://localhost:${port}/hooks/camaudit`, 'https://10.20.0.5/hook', 'https://169.254.169.254/latest/meta-data/', 'https://[::1]/hook']) {
        const res = await strict.app.inject({ method: 'POST', url: `${BASE}/subscriptions`, headers: bearer(strict.tokens.a.admin), payload: { channel: 'webhook', target, events: ['all'] } });
        expect(res.statusCode, target).toBe(400);
      }
      const res = await strict.app.inject({ method: 'POST', url: `${BASE}/subscriptions`, headers: bearer(strict.tokens.a.admin), payload: { channel: 'webhook', target: 'https://localhost/hook', events: ['all'] } });
      expect((res.json() as { detail: string }).detail).toMatch(/must resolve to a public internet address; notifications.allowPrivateTargets/);
      expect(receiver.requests.length).toBe(before);
    } finally {
      await strict.close();
    }
  });
});
