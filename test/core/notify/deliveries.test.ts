import { describe, expect, it } from 'vitest';
import { attemptDue, MAX_ATTEMPTS, unseenEvents } from '../../../src/core/notify/deliveries.js';
import type { NotifyEvent } from '../../../src/core/notify/events.js';
import { emailFor, languageFor, payloadFor, testPayload } from '../../../src/core/notify/payload.js';
import { checkTarget } from '../../../src/core/notify/targets.js';

const event = (key: string, kind: NotifyEvent['kind']): NotifyEvent => ({
  key, kind, occurredAt: '2026-06-01T00:00:00.000Z', title: { nl: 'T', en: 'T' }, summary: { nl: 'S', en: 'S' }, entity: { type: 'device', id: key },
});

describe('baseline semantics', () => {
  const events = [event('restricted-device:a', 'restricted-device'), event('restricted-device:b', 'restricted-device'), event('waiver-expired:w', 'waiver-expired')];

  it('a subscription hears of events of its kinds whose keys it has not seen', () => {
    expect(unseenEvents(events, ['restricted-device'], new Set()).map((e) => e.key)).toEqual(['restricted-device:a', 'restricted-device:b']);
    // What existed at subscription time is its baseline: seen, never sent.
    const baseline = new Set(['restricted-device:a']);
    expect(unseenEvents(events, ['restricted-device', 'waiver-expired'], baseline).map((e) => e.key)).toEqual(['restricted-device:b', 'waiver-expired:w']);
    expect(unseenEvents(events, ['kev'], new Set())).toEqual([]);
  });
});

describe('retry schedule', () => {
  const created = '2026-06-01T10:00:00.000Z';
  const at = (minutes: number) => new Date(Date.parse(created) + minutes * 60_000).toISOString();

  it('tries at once, then 1, 5, 30 and 120 minutes after creation, then never again', () => {
    expect(attemptDue({ attempts: 0, createdAt: created }, created)).toBe(true);
    expect(attemptDue({ attempts: 1, createdAt: created }, at(0.5))).toBe(false);
    expect(attemptDue({ attempts: 1, createdAt: created }, at(1))).toBe(true);
    expect(attemptDue({ attempts: 2, createdAt: created }, at(4))).toBe(false);
    expect(attemptDue({ attempts: 2, createdAt: created }, at(5))).toBe(true);
    expect(attemptDue({ attempts: 3, createdAt: created }, at(30))).toBe(true);
    expect(attemptDue({ attempts: 4, createdAt: created }, at(119))).toBe(false);
    expect(attemptDue({ attempts: 4, createdAt: created }, at(120))).toBe(true);
    expect(attemptDue({ attempts: MAX_ATTEMPTS, createdAt: created }, at(100_000))).toBe(false);
  });
});

describe('payload and e-mail', () => {
  const org = { slug: 'lindeveld', name: 'Gemeente <Lindeveld>' };

  it('the payload carries the event, the organisation by slug and name, both languages and the entity', () => {
    const p = payloadFor({ ...event('restricted-device:a', 'restricted-device'), title: { nl: 'Nieuw', en: 'New' } }, { ...org, country: 'NL' } as typeof org);
    expect(p).toEqual({
      event: 'restricted-device', key: 'restricted-device:a', organisation: org, occurredAt: '2026-06-01T00:00:00.000Z',
      title: { nl: 'Nieuw', en: 'New' }, summary: { nl: 'S', en: 'S' }, entity: { type: 'device', id: 'restricted-device:a' },
    });
  });

  it('e-mail leads with the organisation\'s language, escapes HTML and keeps the subject on one line', () => {
    const p = { ...testPayload(org, '2026-06-01T00:00:00.000Z'), title: { nl: 'Titel\r\nBcc: x@y.z', en: 'Title <b>' } };
    const nl = emailFor(p, languageFor('nl'));
    expect(nl.subject).toBe('[camaudit] Gemeente <Lindeveld>: Titel Bcc: x@y.z');
    expect(nl.text.indexOf('Titel')).toBeLessThan(nl.text.indexOf('Title <b>'));
    expect(nl.html).toContain('Gemeente &lt;Lindeveld&gt;');
    expect(nl.html).toContain('<h2>Title &lt;b&gt;</h2>');
    expect(nl.html).not.toContain('<Lindeveld>');
    expect(emailFor(p, languageFor('BE')).subject).toBe('[camaudit] Gemeente <Lindeveld>: Title <b>');
  });
});

describe('targets', () => {
  const strict = { allowHttp: false, allowPrivate: false };

  it('webhooks: https anywhere, http only to this machine when non-public receivers are allowed, or when http is', () => {
    expect(checkTarget('webhook', 'https://hooks.example.org/camaudit', strict)).toBe('https://hooks.example.org/camaudit');
    // A loopback receiver is not public: by default plain http to it is refused like any other.
    expect(() => checkTarget('webhook', 'http://127.0.0.1:8080/hook', strict)).toThrow(/use https/);
    expect(() => checkTarget('webhook', 'http://localhost:8080/hook', strict)).toThrow(/use https/);
    const local = { allowHttp: false, allowPrivate: true };
    expect(checkTarget('webhook', 'http://127.0.0.1:8080/hook', local)).toBe('http://127.0.0.1:8080/hook');
    expect(checkTarget('webhook', 'http://[::1]:8080/hook', local)).toBe('http://[::1]:8080/hook');
    expect(() => checkTarget('webhook', 'http://10.0.0.5/hook', local)).toThrow(/use https/);
    expect(checkTarget('webhook', 'http://10.0.0.5/hook', { allowHttp: true, allowPrivate: false })).toBe('http://10.0.0.5/hook');
    expect(() => checkTarget('webhook', 'ftp://example.org/x', strict)).toThrow(/only https/);
    expect(() => checkTarget('webhook', 'https://user:pw@example.org/', strict)).toThrow(/user name or password/);
    expect(() => checkTarget('webhook', 'not a url', strict)).toThrow(/not a URL/);
  });

  it('e-mail: one mailbox, nothing that adds recipients or headers', () => {
    expect(checkTarget('email', ' ciso@gemeente.nl ', strict)).toBe('ciso@gemeente.nl');
    for (const bad of ['a@b.nl, c@d.nl', 'a@b.nl\r\nBcc: x@y.z', 'Name <a@b.nl>', 'nobody', 'a@-b.nl']) {
      expect(() => checkTarget('email', bad, strict), bad).toThrow(/not a single e-mail address/);
    }
  });
});
