// The notification sweep end to end: events produced from real register state, delivered to a real
// HTTP receiver and a real SMTP server on 127.0.0.1, each once, with retries and a final failure.
import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { ImportRecord } from '../../src/core/import/record.js';
import { startOfDayAfter } from '../../src/core/notify/days.js';
import { DEFAULT_COST_MODEL } from '../../src/core/plan/costs.js';
import { buildScenario } from '../../src/core/plan/plan.js';
import { loadPolicy } from '../../src/ingest/policy.js';
import { identifierFor } from '../../src/kb/knowledge.js';
import { loadKnowledgeBase } from '../../src/kb/load.js';
import type { KnowledgeBase } from '../../src/kb/schema.js';
import { applyRecords } from '../../src/store/apply-records.js';
import { runAssessment } from '../../src/store/assessments.js';
import type { Store } from '../../src/store/database.js';
import { listDeliveries } from '../../src/store/notifications.js';
import { createOrganisation } from '../../src/store/organisations.js';
import { listPlanItems, savePlan } from '../../src/store/plan-items.js';
import type { TenantScope } from '../../src/store/tenant.js';
import { createWaiver } from '../../src/store/waivers.js';
import type { NotificationsConfig } from '../../src/server/notify/channels.js';
import { notificationDeps } from '../../src/server/notify/deps.js';
import { sendTest, subscribe } from '../../src/server/notify/subscribe.js';
import { runNotificationSweep } from '../../src/server/notify/sweep.js';
import { sendWebhook } from '../../src/server/notify/webhook.js';
import { ENGINES, freshStore } from '../helpers/engines.js';
import { smtpSink, webhookReceiver, type SmtpSink, type WebhookReceiver } from './notify-receivers.js';

const T0 = '2026-06-01T09:00:00.000Z';
const T1 = '2026-06-02T09:00:00.000Z';
const T2 = '2026-06-03T09:00:00.000Z';
const T3 = '2026-06-04T09:00:00.000Z';
const sqlite = ENGINES.find((e) => e.name === 'sqlite')!;

let kb: KnowledgeBase;
let receiver: WebhookReceiver;
let sink: SmtpSink;
const open: Store[] = [];

beforeAll(async () => {
  kb = await loadKnowledgeBase();
  receiver = await webhookReceiver();
  sink = await smtpSink();
});

afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  receiver.requests.length = 0;
  receiver.status = 204;
  sink.mails.length = 0;
});

afterAll(async () => {
  await receiver.close();
  await sink.close();
  await sqlite.cleanup();
});

const garage = { name: 'Parkeergarage Centrum', category: 'parking_garage' as const };
const lan = { name: 'Garage-net', connectivity: 'isolated' as const, remoteAccess: 'none' as const };
const legal = { legalBasis: 'AVG art. 6 lid 1 sub e', retentionDays: 28 };

const HIKVISION: ImportRecord = { row: 1, device: { externalRef: 'CAM-1', kind: 'camera', brand: 'Hikvision', model: 'DS-2CD2020F-I', firmware: 'V5.7.3 build 220112', mac: '44:19:b6:00:00:01', installDate: '2024-03-01', ...legal }, site: garage, network: lan };
const HIWATCH: ImportRecord = { row: 1, device: { externalRef: 'CAM-2', kind: 'camera', brand: 'HiWatch', model: 'HWI-B121H', firmware: 'V5.5.82 build 190909', mac: '44:19:b6:00:00:02', installDate: '2024-03-01', ...legal }, site: garage, network: lan };
const KEV_CAMERA = (ref: string, mac: string): ImportRecord => ({ row: 1, device: { externalRef: ref, kind: 'camera', brand: 'Hikvision', manufacturer: 'Hikvision', model: 'DS-2CD2132F-IS', firmware: 'V5.3.0 build 150513', mac, installDate: '2024-03-01', ...legal }, site: garage, network: lan });
const AXIS: ImportRecord = { row: 1, device: { externalRef: 'CAM-3', kind: 'camera', brand: 'Axis', manufacturer: 'Axis', model: 'P3245-LVE', firmware: '10.12.165', mac: 'ac:cc:8e:00:00:03', ...legal }, site: garage, network: lan };

interface World {
  store: Store;
  scope: TenantScope;
  add(records: ImportRecord[], now: string): Promise<Map<string, string>>;
}

// The receivers listen on 127.0.0.1, so these tests allow non-public receivers: they are about
// delivery. The address guard has its own tests below and in notify-outbound.test.ts.
const LOCAL: NotificationsConfig = { allowHttpWebhooks: false, allowPrivateTargets: true };

async function world(config: NotificationsConfig = LOCAL, slug = 'lindeveld'): Promise<World & { deps: ReturnType<typeof notificationDeps> }> {
  const store = await freshStore(sqlite);
  open.push(store);
  const org = await createOrganisation(store, { slug, name: `Gemeente ${slug}` }, T0);
  const scope: TenantScope = { orgId: org.id, actor: `user:${slug}`, source: 'test' };
  const enrich = identifierFor(kb).enrich;
  const add = async (records: ImportRecord[], now: string) => {
    await applyRecords(store, scope, records, now, enrich);
    const rows = await store.db.selectFrom('devices').select(['id', 'external_ref']).where('org_id', '=', org.id).execute();
    return new Map(rows.map((r) => [r.external_ref!, r.id]));
  };
  return { store, scope, add, deps: notificationDeps(store, config, async () => kb) };
}

const bodies = () => receiver.requests.map((r) => JSON.parse(r.body) as Record<string, unknown>);

describe('notification sweep', () => {
  it('a device from a restricted maker added after subscribing goes out once, signed; what existed before does not', async () => {
    const { store, scope, add, deps } = await world();
    await add([HIKVISION], T0);
    const made = await subscribe(store, scope, deps, { channel: 'webhook', target: receiver.url, events: ['restricted-device'] }, T0);
    expect(made.baseline).toBe(1);
    expect(made.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);

    expect((await runNotificationSweep(store, deps, T1)).sent).toBe(0);
    expect(receiver.requests).toHaveLength(0);

    const ids = await add([HIWATCH], T1);
    const figures = await runNotificationSweep(store, deps, T2);
    expect(figures).toMatchObject({ organisations: 1, newDeliveries: 1, sent: 1, retrying: 0, failed: 0, problems: [] });
    expect(receiver.requests).toHaveLength(1);
    const request = receiver.requests[0]!;
    expect(request.path).toBe('/hooks/camaudit');
    expect(request.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(request.headers['x-camaudit-event']).toBe('restricted-device');
    expect(request.headers['x-camaudit-signature']).toBe(`sha256=${createHmac('sha256', made.secret!).update(request.body).digest('hex')}`);
    const body = JSON.parse(request.body) as Record<string, unknown>;
    const hiwatch = ids.get('CAM-2')!;
    expect(body).toMatchObject({
      event: 'restricted-device', key: `restricted-device:${hiwatch}`, organisation: { slug: 'lindeveld', name: 'Gemeente lindeveld' },
      occurredAt: T1, entity: { type: 'device', id: hiwatch },
      title: { nl: 'Nieuw apparaat van een beperkte fabrikant: Hikvision', en: 'New device from a restricted manufacturer: Hikvision' },
    });
    expect((body.summary as { nl: string }).nl).toContain('Camera HWI-B121H (merk HiWatch) op Parkeergarage Centrum is gemaakt door Hikvision');

    expect((await runNotificationSweep(store, deps, T3)).sent).toBe(0);
    expect(receiver.requests).toHaveLength(1);
    expect((await listDeliveries(store, scope)).map((d) => d.status).sort()).toEqual(['baseline', 'sent']);
  });

  it('a known exploited vulnerability on a model in use arrives by e-mail at the SMTP server, once per model', async () => {
    const { store, scope, add, deps } = await world({ ...LOCAL, smtp: { host: '127.0.0.1', port: sink.port, secure: false, from: 'camaudit <camaudit@lindeveld.nl>' } });
    await add([AXIS], T0);
    expect((await subscribe(store, scope, deps, { channel: 'email', target: 'ciso@lindeveld.nl', events: ['kev'] }, T0)).baseline).toBe(0);
    const ids = await add([KEV_CAMERA('CAM-4', '44:19:b6:00:00:04')], T1);
    expect((await runNotificationSweep(store, deps, T2)).sent).toBe(1);
    expect(sink.mails).toHaveLength(1);
    const mail = sink.mails[0]!;
    expect(mail.from).toBe('camaudit@lindeveld.nl');
    expect(mail.to).toEqual(['ciso@lindeveld.nl']);
    // A Dutch organisation: the subject and the first part of the message are Dutch.
    expect(mail.subject).toBe('[camaudit] Gemeente lindeveld: Actief misbruikt lek CVE-2017-7921 in model DS-2CD2132F-IS');
    expect(mail.text).toContain(`Het treft een apparaat van model DS-2CD2132F-IS in het register: ${ids.get('CAM-4')}.`);
    expect(mail.text).toContain('CISA lists CVE-2017-7921');
    expect(mail.text.indexOf('Actief misbruikt')).toBeLessThan(mail.text.indexOf('Actively exploited'));
    expect(mail.text).toContain('Kenmerk: kev:CVE-2017-7921:DS-2CD2132F-IS');
    expect(mail.html).toContain('<h2>Actief misbruikt lek CVE-2017-7921 in model DS-2CD2132F-IS</h2>');

    await add([KEV_CAMERA('CAM-5', '44:19:b6:00:00:05')], T2);
    expect((await runNotificationSweep(store, deps, T3)).sent).toBe(0);
    expect(sink.mails).toHaveLength(1);
  });

  it('plan items that miss their due date are reported once each', async () => {
    const { store, scope, add, deps } = await world();
    await add([KEV_CAMERA('CAM-1', '44:19:b6:00:00:01')], T0);
    const { findings, devices } = await runAssessment(store, scope, kb, await loadPolicy(undefined), T0);
    await savePlan(store, scope, buildScenario({ devices, findings, cost: DEFAULT_COST_MODEL, budgetPerYear: null, capacityPerYear: null, startYear: 2026, years: 5, now: T0 }, 'replace_now'), T0);
    const items = await listPlanItems(store, scope);
    expect(items.length).toBeGreaterThan(0);
    expect((await subscribe(store, scope, deps, { channel: 'webhook', target: receiver.url, events: ['plan-overdue'] }, T0)).baseline).toBe(0);

    const last = items.map((i) => i.dueDate).sort().at(-1)!;
    const after = new Date(Date.parse(startOfDayAfter(last)) + 3_600_000).toISOString();
    expect((await runNotificationSweep(store, deps, after)).sent).toBe(items.length);
    expect(bodies().map((b) => b.key).sort()).toEqual(items.map((i) => `plan-overdue:${i.id}:${i.dueDate}`).sort());
    expect(bodies().every((b) => b.event === 'plan-overdue')).toBe(true);
    await runNotificationSweep(store, deps, after);
    expect(receiver.requests).toHaveLength(items.length);
  });

  it('a waiver is reported when its last day has ended', async () => {
    const { store, scope, add, deps } = await world();
    const ids = await add([AXIS], T0);
    const waiver = await createWaiver(store, scope, ids.get('CAM-3')!, { rule: 'vendor_cloud', reason: 'pilot', until: '2026-06-10', approver: 'J. Jansen' }, T0);
    await subscribe(store, scope, deps, { channel: 'webhook', target: receiver.url, events: ['waiver-expired', 'restricted-device'] }, T0);
    await runNotificationSweep(store, deps, '2026-06-10T21:00:00.000Z');
    expect(receiver.requests).toHaveLength(0);
    await runNotificationSweep(store, deps, '2026-06-11T08:00:00.000Z');
    expect(bodies()).toMatchObject([{ event: 'waiver-expired', key: `waiver-expired:${waiver.id}`, occurredAt: '2026-06-10T22:00:00.000Z', entity: { type: 'waiver', id: waiver.id } }]);
  });

  it('an edited audit-trail entry is reported as an audit-chain failure', async () => {
    const { store, scope, add, deps } = await world();
    await add([AXIS], T0);
    expect((await subscribe(store, scope, deps, { channel: 'webhook', target: receiver.url, events: ['audit-chain'] }, T0)).baseline).toBe(0);
    await runNotificationSweep(store, deps, T1);
    expect(receiver.requests).toHaveLength(0);
    // Someone with access to the database file removes the guard and rewrites history.
    await sql`drop trigger history_no_update`.execute(store.db);
    await sql`update history set actor = 'nobody' where org_id = ${scope.orgId} and seq = 1`.execute(store.db);
    await runNotificationSweep(store, deps, T2);
    expect(bodies()).toMatchObject([{ event: 'audit-chain', key: 'audit-chain:1', entity: { type: 'audit_entry', id: '1' } }]);
    expect((bodies()[0]!.summary as { en: string }).en).toContain('Verifying the audit trail fails at entry 1: entry 1 was changed.');
  });

  it('a receiver answering 500 is tried five times on the backoff schedule, then the delivery has failed', async () => {
    const { store, scope, add, deps } = await world();
    await subscribe(store, scope, deps, { channel: 'webhook', target: receiver.url, events: ['restricted-device'] }, T0);
    await add([HIKVISION], T0);
    receiver.status = 500;
    const at = (minutes: number) => new Date(Date.parse(T1) + minutes * 60_000).toISOString();
    const statuses: string[] = [];
    for (const minutes of [0, 0.5, 1, 4, 5, 30, 119, 120, 10_000]) {
      statuses.push(...(await runNotificationSweep(store, deps, at(minutes))).attempts.map((a) => `${minutes}:${a.status}:${a.attempts}`));
    }
    expect(statuses).toEqual(['0:pending:1', '1:pending:2', '5:pending:3', '30:pending:4', '120:failed:5']);
    expect(receiver.requests).toHaveLength(5);
    // Every attempt sends the same bytes under the same delivery id, so a receiver can de-duplicate.
    expect(new Set(receiver.requests.map((r) => r.body)).size).toBe(1);
    expect(new Set(receiver.requests.map((r) => r.headers['x-camaudit-delivery'])).size).toBe(1);
    const [delivery] = await listDeliveries(store, scope);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 5, lastError: 'the receiver did not accept the delivery (HTTP 500)', sentAt: null });
  });

  it('a sweep over all organisations sends each organisation only its own events', async () => {
    const a = await world();
    const other = await createOrganisation(a.store, { slug: 'oosterhout', name: 'Gemeente Oosterhout', country: 'BE' }, T0);
    const b: TenantScope = { orgId: other.id, actor: 'user:oosterhout', source: 'test' };
    await subscribe(a.store, a.scope, a.deps, { channel: 'webhook', target: `${receiver.url}?org=a`, events: ['all'] }, T0);
    await subscribe(a.store, b, a.deps, { channel: 'webhook', target: `${receiver.url}?org=b`, events: ['all'] }, T0);
    const ids = await a.add([HIKVISION], T1);
    const figures = await runNotificationSweep(a.store, a.deps, T2);
    expect(figures).toMatchObject({ organisations: 2, sent: 1 });
    expect(receiver.requests.map((r) => r.path)).toEqual(['/hooks/camaudit?org=a']);
    expect(bodies()[0]).toMatchObject({ key: `restricted-device:${ids.get('CAM-1')}`, organisation: { slug: 'lindeveld' } });
  });
});

describe('channels', () => {
  it('redirects are not followed: the answer counts as a failure and the new address is never called', async () => {
    receiver.status = 302;
    await expect(sendWebhook({ url: receiver.url, secret: null, body: '{}', event: 'test', deliveryId: '1' }, { allowPrivate: true }))
      .rejects.toThrow('the receiver did not accept the delivery (HTTP 302); redirects are not followed');
    expect(receiver.requests.map((r) => r.path)).toEqual(['/hooks/camaudit']);
  });

  it('a receiver that does not answer in time is a failed attempt', async () => {
    const { createServer } = await import('node:net');
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      await expect(sendWebhook({ url: `http://127.0.0.1:${port}/`, secret: null, body: '{}', event: 'test', deliveryId: '1' }, { allowPrivate: true, timeoutMs: 200 }))
        .rejects.toThrow('the receiver did not answer within 0.2 s');
    } finally {
      silent.close();
    }
  });

  it('notify test sends a test message at once and records it; e-mail without an SMTP server fails with the reason', async () => {
    const { store, scope, deps } = await world();
    const hook = await subscribe(store, scope, deps, { channel: 'webhook', target: receiver.url, events: ['kev'], secret: 'sixteen-chars-secret' }, T0);
    const sent = await sendTest(store, scope, deps, hook.subscription.id.slice(0, 8), T1);
    expect(sent).toMatchObject({ status: 'sent', attempts: 1, eventKind: 'test', eventKey: `test:${T1}` });
    expect(bodies()).toMatchObject([{ event: 'test', organisation: { slug: 'lindeveld' }, entity: null, title: { en: 'Test message from camaudit' } }]);
    expect(receiver.requests[0]!.headers['x-camaudit-signature']).toBe(`sha256=${createHmac('sha256', 'sixteen-chars-secret').update(receiver.requests[0]!.body).digest('hex')}`);
    const mail = await subscribe(store, scope, deps, { channel: 'email', target: 'ciso@lindeveld.nl', events: ['kev'] }, T0);
    expect(await sendTest(store, scope, deps, mail.subscription.id, T1)).toMatchObject({ status: 'failed', lastError: 'no SMTP server is configured (notifications.smtp)' });
  });

  it('subscriptions refuse plain http beyond this machine, short secrets and secrets for e-mail', async () => {
    const { store, scope, deps } = await world();
    await expect(subscribe(store, scope, deps, { channel: 'webhook', target: 'http://192.0.2.10/hook', events: ['kev'] }, T0)).rejects.toThrow(/use https/);
    await expect(subscribe(store, scope, deps, { channel: 'webhook', target: receiver.url, events: ['kev'], secret: 'short' }, T0)).rejects.toThrow(/at least 16/);
    await expect(subscribe(store, scope, deps, { channel: 'email', target: 'a@b.nl', events: ['kev'], secret: 'sixteen-chars-secret' }, T0)).rejects.toThrow(/take none/);
    await expect(subscribe(store, scope, deps, { channel: 'sms', target: '0612345678', events: ['kev'] }, T0)).rejects.toThrow(/unknown channel/);
  });
});

describe('address guard (notifications.allowPrivateTargets off, the default)', () => {
  const STRICT: NotificationsConfig = { allowHttpWebhooks: false, allowPrivateTargets: false };
  const port = () => new URL(receiver.url).port;

  it('refuses webhooks to loopback, private, link-local, metadata and other non-public addresses, by address or by name', async () => {
    const { store, scope } = await world(STRICT);
    const deps = notificationDeps(store, STRICT, async () => kb);
    const targets = [
      `https://127.0.0.1:${port()}/hooks/camaudit`, `https://localhost:${port()}/hooks/camaudit`, 'https://[::1]/hook', 'https://[::ffff:127.0.0.1]/hook',
      'https://10.0.0.5/hook', 'https://172.16.3.4/hook', 'https://192.168.1.1/hook', 'https://100.100.100.200/latest/meta-data',
      'https://169.254.169.254/latest/meta-data/', 'https://[fd00:ec2::254]/latest/meta-data/', 'https://[fe80::1]/hook', 'https://0.0.0.0/hook', 'https://224.0.0.1/hook',
    ];
    for (const target of targets) {
      await expect(subscribe(store, scope, deps, { channel: 'webhook', target, events: ['kev'] }, T0), target).rejects.toThrow(/must resolve to a public internet address/);
    }
    // Plain http allowed does not open the way to this machine.
    const http = notificationDeps(store, { ...STRICT, allowHttpWebhooks: true }, async () => kb);
    await expect(subscribe(store, scope, http, { channel: 'webhook', target: receiver.url, events: ['kev'] }, T0)).rejects.toThrow(/public internet address/);
    expect(receiver.requests).toHaveLength(0);
  });

  it('checks again when sending: a receiver allowed when subscribing is not called once the configuration forbids it', async () => {
    const { store, scope, deps } = await world();
    const hook = await subscribe(store, scope, deps, { channel: 'webhook', target: receiver.url, events: ['kev'] }, T0);
    const strict = notificationDeps(store, { ...STRICT, allowHttpWebhooks: true }, async () => kb);
    expect(await sendTest(store, scope, strict, hook.subscription.id, T1)).toMatchObject({
      status: 'failed', lastError: 'the receiver is not at a public internet address (notifications.allowPrivateTargets allows others)',
    });
    expect(receiver.requests).toHaveLength(0);
  });

  it('reports a failed send in fixed words: the status, never the network error or the answer', async () => {
    const { store, scope, deps } = await world();
    receiver.status = 418;
    const hook = await subscribe(store, scope, deps, { channel: 'webhook', target: receiver.url, events: ['kev'] }, T0);
    expect(await sendTest(store, scope, deps, hook.subscription.id, T1)).toMatchObject({ status: 'failed', lastError: 'the receiver did not accept the delivery (HTTP 418)' });
    // A port nothing listens on: the socket error (ECONNREFUSED, the port) is not repeated.
    const { createServer } = await import('node:net');
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const free = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const gone = await subscribe(store, scope, deps, { channel: 'webhook', target: `http://127.0.0.1:${free}/`, events: ['kev'] }, T0);
    expect(await sendTest(store, scope, deps, gone.subscription.id, T1)).toMatchObject({ status: 'failed', lastError: 'the receiver could not be reached' });
  });
});
