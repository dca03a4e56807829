import { afterAll, describe, expect, it } from 'vitest';
import { createOrganisation } from '../../src/store/organisations.js';
import {
  addPendingDeliveries, claimAttempt, createSubscription, deleteSubscription, getSubscription, listDeliveries, listSubscriptions,
  organisationsWithSubscriptions, pendingDeliveries, recordAttempt, recordTestDelivery, seenKeys,
} from '../../src/store/notifications.js';
import type { Store } from '../../src/store/database.js';
import type { TenantScope } from '../../src/store/tenant.js';
import { ENGINES, freshStore } from '../helpers/engines.js';

const T0 = '2026-06-01T10:00:00.000Z';
const T1 = '2026-06-01T11:00:00.000Z';

afterAll(async () => {
  for (const e of ENGINES) await e.cleanup();
});

async function org(store: Store, slug: string): Promise<TenantScope> {
  const o = await createOrganisation(store, { slug, name: `Gemeente ${slug}` }, T0);
  return { orgId: o.id, actor: `user:${slug}`, source: 'test' };
}

const draft = (key: string) => ({ kind: key.split(':')[0]!, key, payloadJson: JSON.stringify({ key }) });
const webhook = { channel: 'webhook' as const, target: 'https://hooks.example.org/x', events: ['restricted-device' as const, 'kev' as const], secret: 'a-secret-of-sixteen+' };

async function auditOf(store: Store, scope: TenantScope) {
  const rows = await store.db.selectFrom('history').selectAll().where('org_id', '=', scope.orgId).where('entity_type', 'like', 'notification_%').orderBy('id').execute();
  return rows.map((r) => ({ type: r.entity_type, action: r.action, actor: r.actor, before: r.before_json, after: r.after_json }));
}

describe.each(ENGINES)('notification store on $name', (engine) => {
  it('stores a subscription with its baseline as seen, hides the secret, audits without it', async () => {
    const store = await freshStore(engine);
    try {
      const scope = await org(store, 'lindeveld');
      const sub = await createSubscription(store, scope, webhook, [draft('restricted-device:a'), draft('kev:CVE-1:M')], T0);
      expect(sub).toMatchObject({ channel: 'webhook', target: webhook.target, events: ['restricted-device', 'kev'], hasSecret: true, createdBy: 'user:lindeveld' });
      expect(sub).not.toHaveProperty('secret');
      expect(await listSubscriptions(store, scope)).toEqual([sub]);
      expect((await getSubscription(store.db, scope, sub.id.slice(0, 6))).secret).toBe(webhook.secret);
      expect(await seenKeys(store, scope, sub.id)).toEqual(new Set(['restricted-device:a', 'kev:CVE-1:M']));
      expect((await listDeliveries(store, scope)).map((d) => d.status)).toEqual(['baseline', 'baseline']);
      expect(await pendingDeliveries(store, scope)).toEqual([]);
      const audit = await auditOf(store, scope);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ type: 'notification_subscription', action: 'create', actor: 'user:lindeveld', before: null });
      expect(audit[0]!.after).not.toContain(webhook.secret);
      expect(await organisationsWithSubscriptions(store)).toEqual([scope.orgId]);
    } finally {
      await store.close();
    }
  });

  it('records each event once per subscription, even when two sweeps add it', async () => {
    const store = await freshStore(engine);
    try {
      const scope = await org(store, 'lindeveld');
      const sub = await createSubscription(store, scope, webhook, [draft('restricted-device:a')], T0);
      expect(await addPendingDeliveries(store, scope, sub.id, [draft('restricted-device:a'), draft('restricted-device:b')], T1)).toBe(1);
      expect(await addPendingDeliveries(store, scope, sub.id, [draft('restricted-device:b')], T1)).toBe(0);
      const pending = await pendingDeliveries(store, scope);
      expect(pending.map((d) => [d.eventKey, d.attempts, d.payloadJson])).toEqual([['restricted-device:b', 0, '{"key":"restricted-device:b"}']]);
    } finally {
      await store.close();
    }
  });

  it('an attempt is claimed once; five failures end in failed, a success in sent, both audited', async () => {
    const store = await freshStore(engine);
    try {
      const scope = await org(store, 'lindeveld');
      const sub = await createSubscription(store, scope, webhook, [], T0);
      await addPendingDeliveries(store, scope, sub.id, [draft('kev:A:M'), draft('kev:B:M')], T0);
      const [a, b] = await pendingDeliveries(store, scope);
      expect(await claimAttempt(store, scope, a!)).toBe(true);
      // A second instance that read the same row loses the claim.
      expect(await claimAttempt(store, scope, a!)).toBe(false);
      expect(await recordAttempt(store, scope, a!, 1, { ok: false, error: 'HTTP 500' }, T1)).toBe('pending');
      for (let n = 1; n < 5; n++) {
        const current = (await pendingDeliveries(store, scope)).find((d) => d.id === a!.id)!;
        expect(current.attempts).toBe(n);
        expect(await claimAttempt(store, scope, current)).toBe(true);
        expect(await recordAttempt(store, scope, current, n + 1, { ok: false, error: 'HTTP 500' }, T1)).toBe(n + 1 === 5 ? 'failed' : 'pending');
      }
      expect(await claimAttempt(store, scope, b!)).toBe(true);
      expect(await recordAttempt(store, scope, b!, 1, { ok: true }, T1)).toBe('sent');
      const deliveries = await listDeliveries(store, scope);
      expect(deliveries.map((d) => [d.eventKey, d.status, d.attempts, d.lastError, d.sentAt])).toEqual([
        ['kev:B:M', 'sent', 1, null, T1],
        ['kev:A:M', 'failed', 5, 'HTTP 500', null],
      ]);
      expect(await listDeliveries(store, scope, { status: 'failed' })).toHaveLength(1);
      const audit = await auditOf(store, scope);
      expect(audit.map((e) => `${e.type} ${e.action}`)).toEqual(['notification_subscription create', 'notification_delivery fail', 'notification_delivery send']);
      expect(JSON.parse(audit[1]!.after!)).toEqual({ subscription: sub.id, event: 'kev:A:M', status: 'failed', attempts: 5, error: 'HTTP 500' });
      const test = await recordTestDelivery(store, scope, sub.id, draft('test:now'), { ok: false, error: 'refused' }, T1);
      expect(test).toMatchObject({ status: 'failed', attempts: 1, lastError: 'refused' });
      expect(await pendingDeliveries(store, scope)).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('one organisation cannot see, use or remove another\'s subscriptions; removal cascades and is audited', async () => {
    const store = await freshStore(engine);
    try {
      const ours = await org(store, 'lindeveld');
      const theirs = await org(store, 'oosterhout');
      const sub = await createSubscription(store, ours, webhook, [draft('kev:A:M')], T0);
      expect(await listSubscriptions(store, theirs)).toEqual([]);
      expect(await listDeliveries(store, theirs)).toEqual([]);
      await expect(getSubscription(store.db, theirs, sub.id)).rejects.toThrow(/no notification subscription/);
      await expect(deleteSubscription(store, theirs, sub.id, T1)).rejects.toThrow(/no notification subscription/);
      const removed = await deleteSubscription(store, ours, sub.id.slice(0, 8), T1);
      expect(removed.id).toBe(sub.id);
      expect(await listSubscriptions(store, ours)).toEqual([]);
      expect(await listDeliveries(store, ours)).toEqual([]);
      expect(await organisationsWithSubscriptions(store)).toEqual([]);
      const audit = await auditOf(store, ours);
      expect(audit.map((e) => e.action)).toEqual(['create', 'delete']);
      expect(JSON.parse(audit[1]!.before!)).toEqual({ channel: 'webhook', target: webhook.target, events: ['restricted-device', 'kev'], signed: true });
      await expect(createSubscription(store, ours, { ...webhook, events: [] }, [], T1)).rejects.toThrow(/at least one event/);
    } finally {
      await store.close();
    }
  });
});
