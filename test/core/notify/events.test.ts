import { describe, expect, it } from 'vitest';
import { compileKnowledge } from '../../../src/core/assess/assess.js';
import type { AssessDevice } from '../../../src/core/assess/types.js';
import type { Waiver } from '../../../src/core/assess/waivers.js';
import { firstAuditProblem } from '../../../src/core/notify/audit-problem.js';
import { startOfDayAfter } from '../../../src/core/notify/days.js';
import { checkEventKinds, detectEvents, EVENT_KINDS, type EventInputs, type NotifyDevice, type NotifyPlanItem } from '../../../src/core/notify/events.js';
import { HIK_KEV, device, kb, policy, policyWith } from '../assess/fixtures.js';

const NOW = '2026-06-01T10:00:00.000Z';
const SEEN = '2026-05-01T08:00:00.000Z';
const knowledge = compileKnowledge(kb, policy);

function dev(id: string, patch: Partial<AssessDevice> = {}, firstSeen = SEEN): NotifyDevice {
  return { ...device({ id, ...patch }), firstSeen };
}

function inputs(patch: Partial<EventInputs>): EventInputs {
  return { devices: [], knowledge, planItems: [], waivers: [], auditProblem: null, ...patch };
}

const keys = (i: EventInputs, now = NOW) => detectEvents(i, now).map((e) => e.key);

describe('restricted-device events', () => {
  it('names a device in use whose true maker an adopted measure names, sold under another label too', () => {
    const events = detectEvents(inputs({
      devices: [
        dev('hik', { manufacturer: 'hikvision', brand: 'Hikvision' }),
        dev('hiwatch', { manufacturer: 'hikvision', brand: 'HiWatch', model: 'HWI-B121H' }),
        dev('axis'),
        dev('gone', { manufacturer: 'hikvision', brand: 'Hikvision', status: 'replaced' }),
      ],
    }), NOW);
    expect(events.map((e) => e.key)).toEqual(['restricted-device:hik', 'restricted-device:hiwatch']);
    const hiwatch = events[1]!;
    expect(hiwatch).toMatchObject({ kind: 'restricted-device', occurredAt: SEEN, entity: { type: 'device', id: 'hiwatch' } });
    expect(hiwatch.title.en).toBe('New device from a restricted manufacturer: Hikvision');
    expect(hiwatch.summary.nl).toContain('Camera HWI-B121H (merk HiWatch) op Gemeentewerf is gemaakt door Hikvision');
    expect(hiwatch.summary.en).toContain('(brand HiWatch) at Gemeentewerf was made by Hikvision');
    expect(hiwatch.summary.en).toContain('NDAA');
  });

  it('follows the policy: without the measures naming the maker there is no event', () => {
    const open = compileKnowledge(kb, policyWith('measures: []\n'));
    expect(keys(inputs({ knowledge: open, devices: [dev('hik', { manufacturer: 'hikvision', brand: 'Hikvision' })] }))).toEqual([]);
  });
});

describe('kev events', () => {
  it('gives one event per exploited vulnerability and model, listing every affected device', () => {
    const events = detectEvents(inputs({
      devices: [dev('a', HIK_KEV, '2026-05-03T00:00:00.000Z'), dev('b', { ...HIK_KEV, model: 'ds-2cd2132f-is' }, '2026-05-02T00:00:00.000Z')],
      knowledge: compileKnowledge(kb, policyWith('measures: []\n')),
    }), NOW);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      key: 'kev:CVE-2017-7921:DS-2CD2132F-IS',
      kind: 'kev',
      // The earlier device; CISA's listing (2026-03-05) came before both.
      occurredAt: '2026-05-02T00:00:00.000Z',
      entity: { type: 'vulnerability', id: 'CVE-2017-7921', devices: ['a', 'b'] },
    });
    expect(events[0]!.summary.en).toContain('CISA lists CVE-2017-7921');
    expect(events[0]!.summary.nl).toContain('2 apparaten van model');
  });

  it('dates the event at the listing when the model was in the register before CISA listed the flaw', () => {
    const [event] = detectEvents(inputs({ devices: [dev('a', HIK_KEV, '2020-01-01T00:00:00.000Z')], knowledge: compileKnowledge(kb, policyWith('measures: []\n')) }), NOW);
    expect(event!.occurredAt).toBe('2026-03-05T00:00:00.000Z');
  });

  it('accuses no model whose firmware is unknown or outside the affected range, as the assessment does', () => {
    const k = compileKnowledge(kb, policyWith('measures: []\n'));
    expect(keys(inputs({ knowledge: k, devices: [dev('a', { ...HIK_KEV, firmware: null }), dev('b', { ...HIK_KEV, firmware: 'V5.7.3 build 220112' })] }))).toEqual([]);
  });
});

describe('plan-overdue events', () => {
  const item = (patch: Partial<NotifyPlanItem>): NotifyPlanItem => ({ id: 'dev-1:replace', deviceId: 'dev-1', action: 'replace', dueDate: '2026-05-31', status: 'planned', ...patch });

  it('reports items past their due date that are not done, keyed by item and due date', () => {
    const events = detectEvents(inputs({
      planItems: [item({}), item({ id: 'dev-2:update_firmware', deviceId: 'dev-2', action: 'update_firmware', status: 'in_progress' }), item({ id: 'dev-3:replace', deviceId: 'dev-3', status: 'done' }), item({ id: 'dev-4:replace', deviceId: 'dev-4', dueDate: '2026-06-01' })],
    }), NOW);
    expect(events.map((e) => e.key)).toEqual(['plan-overdue:dev-1:replace:2026-05-31', 'plan-overdue:dev-2:update_firmware:2026-05-31']);
    expect(events[0]).toMatchObject({ occurredAt: '2026-05-31T22:00:00.000Z', entity: { type: 'plan_item', id: 'dev-1:replace', devices: ['dev-1'] } });
    expect(events[0]!.summary.en).toBe('Plan item dev-1:replace (replace) was due by 2026-05-31 and has not been started.');
    expect(events[1]!.summary.nl).toContain('is begonnen maar niet af');
  });

  it('a re-planned item that misses its new date is a new event', () => {
    expect(keys(inputs({ planItems: [item({ dueDate: '2026-04-30' })] }))).not.toEqual(keys(inputs({ planItems: [item({})] })));
  });
});

describe('waiver-expired events', () => {
  const waiver = (patch: Partial<Waiver>): Waiver => ({
    id: 'w1', deviceId: 'dev-1', rule: 'vendor_cloud', reason: 'pilot', approver: 'J. Jansen', until: '2026-06-30',
    createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'cli:test', revokedAt: null, revokedBy: null, ...patch,
  });

  it('a waiver expires when its last day has ended in Amsterdam, not in UTC', () => {
    const w = inputs({ waivers: [waiver({})] });
    expect(keys(w, '2026-06-30T21:59:59.000Z')).toEqual([]);
    const [event] = detectEvents(w, '2026-06-30T22:00:00.000Z');
    expect(event).toMatchObject({ key: 'waiver-expired:w1', occurredAt: '2026-06-30T22:00:00.000Z', entity: { type: 'waiver', id: 'w1', devices: ['dev-1'] } });
    expect(event!.summary.en).toContain('approved by J. Jansen, held until 2026-06-30');
  });

  it('a waiver revoked before its end did not expire; one revoked after it did', () => {
    const w = inputs({ waivers: [waiver({ revokedAt: '2026-06-15T00:00:00.000Z', revokedBy: 'x' }), waiver({ id: 'w2', revokedAt: '2026-07-02T00:00:00.000Z', revokedBy: 'x' })] });
    expect(keys(w, '2026-07-05T00:00:00.000Z')).toEqual(['waiver-expired:w2']);
  });
});

describe('audit-chain events and keys', () => {
  it('names the first entry that fails verification', () => {
    const [event] = detectEvents(inputs({ auditProblem: { firstBadSeq: 17, detail: { nl: 'regel 17 is gewijzigd', en: 'entry 17 was changed' } } }), NOW);
    expect(event).toMatchObject({ key: 'audit-chain:17', kind: 'audit-chain', occurredAt: NOW, entity: { type: 'audit_entry', id: '17' } });
    expect(event!.summary.en).toContain('fails at entry 17: entry 17 was changed');
  });

  it('keys are stable while the situation lasts, and come out sorted', () => {
    const all = inputs({
      devices: [dev('z', { manufacturer: 'hikvision', brand: 'Hikvision' }), dev('a', HIK_KEV)],
      planItems: [{ id: 'a:replace', deviceId: 'a', action: 'replace', dueDate: '2026-05-01', status: 'planned' }],
      auditProblem: { firstBadSeq: 3, detail: { nl: 'x', en: 'x' } },
    });
    const first = keys(all);
    expect(first).toEqual([...first].sort());
    expect(keys(all, '2026-09-01T00:00:00.000Z')).toEqual(first);
    expect(new Set(detectEvents(all, NOW).map((e) => e.kind))).toEqual(new Set(['audit-chain', 'kev', 'plan-overdue', 'restricted-device']));
  });
});

describe('checkEventKinds and startOfDayAfter', () => {
  it('accepts known kinds and all, refuses others and an empty list', () => {
    expect(checkEventKinds(['kev', ' waiver-expired', 'kev'])).toEqual(['kev', 'waiver-expired']);
    expect(checkEventKinds(['all'])).toEqual([...EVENT_KINDS]);
    expect(() => checkEventKinds(['kev', 'new-device'])).toThrow(/unknown event "new-device"/);
    expect(() => checkEventKinds([''])).toThrow(/at least one event/);
  });

  it('the day after ends at Amsterdam midnight in winter and summer', () => {
    expect(startOfDayAfter('2026-01-15')).toBe('2026-01-15T23:00:00.000Z');
    expect(startOfDayAfter('2026-07-15')).toBe('2026-07-15T22:00:00.000Z');
  });
});

describe('firstAuditProblem', () => {
  it('takes the verifier\'s first problem, in both languages; a sound chain gives none', () => {
    expect(firstAuditProblem([])).toBeNull();
    expect(firstAuditProblem([{ kind: 'missing', from: 4, to: 6 }, { kind: 'edited', seq: 9 }])).toEqual({
      firstBadSeq: 4, detail: { nl: 'regels 4 tot en met 6 ontbreken', en: 'entries 4 to 6 are missing' },
    });
    expect(firstAuditProblem([{ kind: 'truncated', from: 12, to: 15 }])!.firstBadSeq).toBe(12);
    expect(firstAuditProblem([{ kind: 'head_missing' }])).toMatchObject({ firstBadSeq: 0, detail: { en: 'the end marker of the chain was deleted' } });
  });
});
