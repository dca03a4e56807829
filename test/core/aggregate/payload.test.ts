// Nothing finer than the five dimensions: what an aggregate holds, what a coordinator accepts, and
// that no text from the register can travel inside one.
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../src/core/assess/policy.js';
import { buildAggregate, type AggregateInput } from '../../../src/core/aggregate/build.js';
import { DIMENSIONS } from '../../../src/core/aggregate/dimensions.js';
import { makerGrouping, type MakerGrouping } from '../../../src/core/aggregate/maker-groups.js';
import { parseAggregate, presenceOf, type AggregatePayload } from '../../../src/core/aggregate/payload.js';
import { loadKnowledgeBase } from '../../../src/kb/load.js';
import type { KnowledgeBase } from '../../../src/kb/schema.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const POLICY = parsePolicy(readFileSync(join(import.meta.dirname, '..', '..', '..', 'policies', 'default.yaml'), 'utf8'), 'policies/default.yaml');
let kb: KnowledgeBase;
let groups: MakerGrouping;
beforeAll(async () => {
  kb = await loadKnowledgeBase();
  groups = makerGrouping(kb, POLICY);
});

function build(inputs: AggregateInput[], threshold = 5): AggregatePayload {
  return buildAggregate(inputs, {
    source: { code: 'GM0344', name: 'Gemeente Utrecht' }, period: '2026-06-01', generatedAt: '2026-06-01T09:00:00.000Z', threshold, makerGroup: groups,
  });
}

const device = (over: Partial<AggregateInput>): AggregateInput => ({
  manufacturer: 'axis', siteCategory: 'office', connectivity: 'internal', status: 'active', severity: 'low', devices: 1, ...over,
});

/** A register big enough that most counts are published. */
function register(): AggregateInput[] {
  return [
    device({ manufacturer: 'hikvision', siteCategory: 'parking_garage', severity: 'high', devices: 40 }),
    device({ manufacturer: 'hikvision', siteCategory: 'parking_garage', connectivity: 'internet_exposed', severity: 'critical', devices: 12 }),
    device({ manufacturer: 'dahua', siteCategory: 'sports_facility', severity: 'high', devices: 9 }),
    device({ manufacturer: 'dahua', siteCategory: 'sports_facility', status: 'replaced', severity: null, devices: 7 }),
    device({ manufacturer: 'axis', siteCategory: 'public_space', severity: null, devices: 60 }),
    device({ manufacturer: 'axis', siteCategory: 'office', severity: 'low', devices: 25 }),
    device({ manufacturer: 'huawei', siteCategory: 'office', severity: 'high', devices: 8 }),
    device({ manufacturer: null, siteCategory: null, connectivity: null, status: 'discovered', severity: 'medium', devices: 2 }),
    device({ manufacturer: null, siteCategory: 'office', devices: 6 }),
  ];
}

describe('maker groups', () => {
  it('groups the true maker: Hikvision and Dahua by name, makers an adopted measure names, others, unknown', () => {
    expect(groups('hikvision')).toBe('hikvision');
    expect(groups('Hangzhou Hikvision Digital Technology Co., Ltd.')).toBe('hikvision');
    expect(groups('dahua')).toBe('dahua');
    expect(groups('huawei')).toBe('other_restricted');
    expect(groups('axis')).toBe('other');
    expect(groups('Acme Kameras')).toBe('other');
    expect(groups(null)).toBe('unknown');
    expect(groups('  ')).toBe('unknown');
  });

  it('counts a subsidiary with its parent, and follows the policy for other makers', () => {
    const hik = kb.vendors.find((v) => v.id === 'hikvision')!;
    const withSubsidiary: KnowledgeBase = {
      ...kb, vendors: [...kb.vendors, { ...hik, id: 'ezvision', name: 'Ezvision', legal_names: [], aliases: [], parent: 'hikvision' }],
    };
    expect(makerGrouping(withSubsidiary, POLICY)('ezvision')).toBe('hikvision');
    // A policy that adopts no measures restricts nobody: Huawei is then just another maker.
    expect(makerGrouping(kb, { ...POLICY, measures: [] })('huawei')).toBe('other');
  });
});

describe('the aggregate document', () => {
  it('holds the five dimensions, totals and presence, and nothing else', () => {
    const payload = build(register());
    expect(Object.keys(payload)).toEqual(['format', 'version', 'source', 'period', 'generatedAt', 'threshold', 'totals', 'presence', 'cells']);
    for (const cell of payload.cells) {
      expect(Object.keys(cell).filter((k) => k !== 'count' && k !== 'suppressed').sort()).toEqual(Object.keys(DIMENSIONS).sort());
    }
    expect(payload.totals.devices).toBe(169);
    expect(payload.totals.makerGroup).toMatchObject({ hikvision: 52, dahua: 16, other_restricted: 8, other: 85 });
    expect(payload.cells.find((c) => c.makerGroup === 'hikvision' && c.connectivity === 'internet_exposed')).toMatchObject({ siteCategory: 'parking_garage', count: 12 });
    // The two unplaced, unidentified devices are withheld.
    expect(payload.cells.find((c) => c.makerGroup === 'unknown' && c.status === 'discovered')).toMatchObject({ siteCategory: 'none', connectivity: 'unknown', count: null, suppressed: true });
    expect(payload.presence).toEqual({
      hikvision: { inService: true, internetExposed: true },
      dahua: { inService: true, internetExposed: false },
      other_restricted: { inService: true, internetExposed: false },
    });
  });

  it('presence follows from which cells are non-empty, so it reveals nothing the cells do not', () => {
    const payload = build(register());
    expect(presenceOf(payload.cells)).toEqual(payload.presence);
    // Replaced devices do not count as running a maker.
    const replacedOnly = build([device({ manufacturer: 'dahua', status: 'replaced', devices: 9 }), device({ devices: 30 })]);
    expect(replacedOnly.presence.dahua.inService).toBe(false);
  });

  it('carries no address, IP address, serial or position whatever the register holds', () => {
    const secret = ['Kerkstraat 12', '192.168.10.23', 'SN-DS2CD2143G2-0042', '52.0907', '5.1214', 'AB:CD:EF:01:02:03'];
    // The one free-text field that reaches the core is the maker; put every secret in it.
    const inputs = secret.map((s) => device({ manufacturer: s, devices: 6 }));
    const text = JSON.stringify(build([...register(), ...inputs]));
    for (const s of secret) expect(text).not.toContain(s);
    expect(text).not.toMatch(/\d+\.\d+\.\d+\.\d+/);
  });

  it('refuses a register value outside the closed lists rather than publishing it', () => {
    expect(() => build([device({ siteCategory: 'Kerkstraat 12' })])).toThrow(/site category "Kerkstraat 12"/);
    expect(() => build([device({ connectivity: '10.0.0.0/8' })])).toThrow(/connectivity/);
  });

  it('refuses a publisher name that could carry an address or number, and a threshold that suppresses nothing', () => {
    const options = { period: '2026-06-01', generatedAt: '2026-06-01T09:00:00.000Z', makerGroup: groups };
    expect(() => buildAggregate(register(), { ...options, threshold: 5, source: { code: 'GM0344', name: 'Kerkstraat 12' } })).toThrow(/cannot be published/);
    expect(() => buildAggregate(register(), { ...options, threshold: 1, source: { code: 'GM0344', name: 'Utrecht' } })).toThrow(/threshold 1/);
    expect(buildAggregate(register(), { ...options, threshold: 5, source: { code: 'GM0796', name: "Gemeente 's-Hertogenbosch" } }).source.name).toBe("Gemeente 's-Hertogenbosch");
  });
});

describe('what a coordinator accepts', () => {
  const valid = () => JSON.parse(JSON.stringify(build(register()))) as Record<string, unknown> & AggregatePayload;

  it('accepts what a publisher builds, unchanged', () => {
    expect(parseAggregate(valid(), 'test')).toEqual(valid());
  });

  it.each([
    ['an extra top-level field', (p: AggregatePayload) => Object.assign(p, { addresses: ['Kerkstraat 12'] })],
    ['an extra field in a cell', (p: AggregatePayload) => Object.assign(p.cells[0]!, { ip: '192.168.10.23' })],
    ['an extra field in the source', (p: AggregatePayload) => Object.assign(p.source, { contact: 'ciso@example.nl' })],
    ['an extra key in the totals', (p: AggregatePayload) => Object.assign(p.totals.makerGroup, { 'DS-2CD2143G2': 4 })],
    ['an extra field in presence', (p: AggregatePayload) => Object.assign(p.presence.hikvision, { sites: ['Zwembad'] })],
    ['a value outside a dimension', (p: AggregatePayload) => Object.assign(p.cells[0]!, { siteCategory: 'Kerkstraat 12' })],
    ['a source name with digits', (p: AggregatePayload) => Object.assign(p.source, { name: 'Kerkstraat 12' })],
    ['a published count below the threshold', (p: AggregatePayload) => Object.assign(p.cells.find((c) => c.suppressed)!, { count: 2, suppressed: undefined })],
    ['a total that does not match its cells', (p: AggregatePayload) => Object.assign(p.totals.makerGroup, { hikvision: 53 })],
    ['totals that contradict each other', (p: AggregatePayload) => Object.assign(p.totals, { devices: p.totals.devices! + 1 })],
    ['presence that the cells contradict', (p: AggregatePayload) => Object.assign(p.presence.dahua, { internetExposed: true })],
    ['a withheld total over published cells only', (p: AggregatePayload) => Object.assign(p.totals.severity, { critical: null })],
  ])('refuses %s', (_, tamper) => {
    const payload = valid();
    tamper(payload);
    expect(() => parseAggregate(payload, 'test.json')).toThrow(/test\.json: aggregate refused/);
  });

  it('says when a document is not an aggregate, or a version it cannot read', () => {
    expect(() => parseAggregate({ hello: 'world' }, 'x.json')).toThrow(/not a camaudit aggregate/);
    expect(() => parseAggregate({ ...valid(), version: 2 }, 'x.json')).toThrow(/version 2/);
  });
});
