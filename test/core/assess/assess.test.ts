import { describe, expect, it } from 'vitest';
import { assess, assessDevice, compileKnowledge, isAssessed, policyWarnings } from '../../../src/core/assess/assess.js';
import { parsePolicy } from '../../../src/core/assess/policy.js';
import { RULES, type AssessDevice } from '../../../src/core/assess/types.js';
import { CamauditError } from '../../../src/core/errors.js';
import { DEVICE_STATUSES } from '../../../src/core/model.js';
import { brandFromText, vendorFromText } from '../../../src/kb/query.js';
import { demoRecords } from '../../../src/lab/demo.js';
import { device, HIK_KEV, kb, NOW, policy, policyWith, POLICY_TEXT } from './fixtures.js';

/** A small register touching most rules: makers, OEM labels, exposure, scan facts, legal gaps. */
function register(): AssessDevice[] {
  return [
    device({ id: 'c-3', ...HIK_KEV, site: { id: 's-1', name: 'Markt', category: 'public_space' }, legalBasis: null }),
    device({ id: 'a-1', manufacturer: 'hikvision', brand: 'LTS', model: 'CMIP3C42W-28', firmware: null, retentionDays: 90 }),
    device({ id: 'b-2', manufacturer: 'dahua', brand: 'Dahua', model: 'IPC-HFW5442E-ZE', firmware: 'V2.840.0000000.13.R', network: { id: 'n', name: 'Garage', connectivity: 'internet_exposed', remoteAccess: 'vendor_cloud' } }),
    device({ id: 'd-4', facts: [{ fact: 'telnet_open', detail: 'port 23 open', observedAt: '2026-05-01T10:00:00Z' }], analytics: ['anpr'] }),
    device({ id: 'e-5', manufacturer: null, identityConfidence: 0.2, installDate: '2012-01-01' }),
  ];
}

describe('assess', () => {
  it('gives byte-identical output for the same input, whatever the input order', () => {
    const devices = register();
    const first = JSON.stringify(assess(devices, kb, policy, NOW));
    expect(JSON.stringify(assess(register(), kb, policy, NOW))).toBe(first);
    expect(JSON.stringify(assess([...devices].reverse(), kb, policy, NOW))).toBe(first);
    const reparsed = parsePolicy(POLICY_TEXT, 'policies/default.yaml');
    expect(JSON.stringify(assess([devices[2]!, devices[0]!, devices[4]!, devices[1]!, devices[3]!], kb, reparsed, NOW))).toBe(first);
  });

  it('orders findings by device id, then by the order of RULES', () => {
    const out = assess(register(), kb, policy, NOW);
    const keys = out.map((f) => [f.deviceId, RULES.indexOf(f.rule)] as const);
    const sorted = [...keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
    expect(keys).toEqual(sorted);
    expect(new Set(out.map((f) => f.deviceId))).toEqual(new Set(['a-1', 'b-2', 'c-3', 'd-4', 'e-5']));
    expect(out.filter((f) => f.deviceId === 'b-2').map((f) => f.rule)).toEqual([
      'restricted_manufacturer', 'human_rights', 'known_exploited_vulnerability', 'internet_exposed', 'vendor_cloud',
    ]);
  });

  it('refuses a policy that adopts a measure the KB does not have', () => {
    const bad = policyWith('measures: [us-ndaa-fy2019-s889, nl-made-up-2030]');
    expect(() => assess([device()], kb, bad, NOW)).toThrow(CamauditError);
    expect(() => assess([device()], kb, bad, NOW)).toThrow(/"measures" names "nl-made-up-2030", which is not a restriction in the knowledge base/);
    try {
      compileKnowledge(kb, policyWith('human_rights_measures: [no-such-list]'));
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ code: 'invalid_input', location: { column: 'human_rights_measures' } });
      expect((err as Error).message).toMatch(/"no-such-list"/);
    }
  });

  it('refuses a repeated device id and an unreadable date', () => {
    expect(() => assess([device({ id: 'x' }), device({ id: 'x' })], kb, policy, NOW)).toThrow(/device "x" appears more than once/);
    expect(() => assess([device()], kb, policy, 'yesterday')).toThrow(/assessment date "yesterday"/);
  });

  it('skips devices out of use and assesses discovered ones', () => {
    const risky = { ...HIK_KEV, network: { id: 'n', name: 'x', connectivity: 'internet_exposed', remoteAccess: 'none' } } as const;
    for (const status of DEVICE_STATUSES) {
      const out = assess([device({ ...risky, status })], kb, policy, NOW);
      const expected = !['replaced', 'decommissioned', 'disposed'].includes(status);
      expect({ status, assessed: out.length > 0 }).toEqual({ status, assessed: expected });
      expect(isAssessed({ status })).toBe(expected);
    }
  });

  it('skips rules the policy disables', () => {
    const p = policyWith('rules:\n  human_rights: { enabled: false }\n  known_exploited_vulnerability: { enabled: false }');
    const rules = assess([device(HIK_KEV)], kb, p, NOW).map((f) => f.rule);
    expect(rules).toEqual(['restricted_manufacturer', 'vulnerability']);
  });

  it('sets the due date from the policy\'s deadline for the severity', () => {
    const p = policyWith('deadlines: { critical: 7, high: 90, medium: 365, low: null, info: null }');
    const out = assess(register(), kb, p, NOW);
    expect(out.find((f) => f.severity === 'critical')!.dueDate).toBe('2026-06-08');
    expect(out.find((f) => f.severity === 'high')!.dueDate).toBe('2026-08-30');
    expect(out.find((f) => f.severity === 'low')!.dueDate).toBeNull();
  });

  it('shares findings\' evidence read-only', () => {
    const [a, b] = assess([device({ id: 'p', ...HIK_KEV }), device({ id: 'q', ...HIK_KEV })], kb, policy, NOW).filter((f) => f.rule === 'restricted_manufacturer');
    expect(a!.evidence).toEqual(b!.evidence);
    expect(() => a!.evidence.push({ ref: 'x', value: 'y' })).toThrow(TypeError);
    expect(() => {
      a!.why.nl = 'changed';
    }).toThrow(TypeError);
  });
});

describe('assess with waivers', () => {
  const office = { id: 's-9', name: 'Stadhuis', category: 'office' } as const;
  const cloud = { id: 'n-9', name: 'Stadhuis LAN', connectivity: 'internal', remoteAccess: 'vendor_cloud' } as const;

  it('keeps a waived finding out of sensitive_placement, but still returns it', () => {
    const d = device({ site: office, network: cloud });
    const placement = (out: ReturnType<typeof assess>) => out.find((f) => f.rule === 'sensitive_placement');
    expect(placement(assess([d], kb, policy, NOW))!.evidence).toContainEqual({ ref: 'finding:vendor_cloud', value: 'high' });
    const waived = assess([d], kb, policy, NOW, (id, rule) => id === d.id && rule === 'vendor_cloud');
    expect(placement(waived)).toBeUndefined();
    expect(waived.map((f) => f.rule)).toContain('vendor_cloud');
    // A waiver on another device changes nothing here.
    expect(placement(assess([d], kb, policy, NOW, (id) => id === 'other'))).toBeDefined();
  });

  it('goes on citing the findings that are not waived', () => {
    const d = device({ ...HIK_KEV, site: office, network: cloud });
    const compiled = compileKnowledge(kb, policy);
    const f = assessDevice(d, compiled, policy, NOW, (_, rule) => rule === 'vendor_cloud').find((x) => x.rule === 'sensitive_placement')!;
    const cited = f.evidence.filter((e) => e.ref.startsWith('finding:')).map((e) => e.ref);
    expect(cited).toEqual(['finding:restricted_manufacturer', 'finding:known_exploited_vulnerability', 'finding:vulnerability']);
    expect(f.why.en).not.toMatch(/cloud/);
  });
});

describe('policyWarnings', () => {
  it('names the adopted measures that name no manufacturer; the default policy adopts none', () => {
    expect(policyWarnings(kb, policy)).toEqual([]);
    const withLithuania = policyWith('measures: [us-ndaa-fy2019-s889, lt-untrusted-manufacturers-2022]');
    expect(policyWarnings(kb, { ...withLithuania, name: 'default' })).toEqual([{
      setting: 'measures',
      measure: 'lt-untrusted-manufacturers-2022',
      why: {
        nl: 'Het beleid "default" volgt maatregel "lt-untrusted-manufacturers-2022" (measures), maar de kennisbank noemt daarbij geen fabrikanten: deze maatregel leidt tot geen enkele bevinding.',
        en: 'Policy "default" adopts measure "lt-untrusted-manufacturers-2022" (measures), but the knowledge base names no manufacturers for it: this measure produces no findings.',
      },
    }]);
  });

  it('checks the human-rights measures too, and is silent when every measure names a maker', () => {
    const p = policyWith('measures: [us-ndaa-fy2019-s889]\nhuman_rights_measures: [us-commerce-entity-list-2019-xinjiang, nl-bzk-procurement-national-security-2023-04]');
    expect(policyWarnings(kb, p).map((w) => [w.setting, w.measure])).toEqual([['human_rights_measures', 'nl-bzk-procurement-national-security-2023-04']]);
    expect(policyWarnings(kb, policyWith('measures: [us-ndaa-fy2019-s889]'))).toEqual([]);
  });
});

describe('assessDevice', () => {
  it('gives the same findings for a device as the full assessment', () => {
    const compiled = compileKnowledge(kb, policy);
    const devices = register();
    const all = assess(devices, kb, policy, NOW);
    for (const d of devices) expect(assessDevice(d, compiled, policy, NOW)).toEqual(all.filter((f) => f.deviceId === d.id));
  });

  it('refuses a policy other than the one the knowledge was compiled with', () => {
    const compiled = compileKnowledge(kb, policy);
    expect(() => assessDevice(device(), compiled, policyWith('measures: []'), NOW)).toThrow(expect.objectContaining({ code: 'usage' }));
  });
});

describe('the demo organisation under the default policy', () => {
  // Identification's verdict stood in by the KB: a label that is the maker's name gives that
  // maker, an OEM label its brand record's maker.
  const devices: AssessDevice[] = demoRecords().map((rec, i) => {
    const d = rec.device;
    const manufacturer = d.manufacturer ? vendorFromText(kb, d.manufacturer) : (brandFromText(kb, d.brand!)[0]?.vendor ?? null);
    return {
      id: `demo-${String(i).padStart(4, '0')}`, kind: d.kind!, status: d.status!, manufacturer, brand: d.brand ?? null, model: d.model ?? null,
      firmware: d.firmware ?? null, identityConfidence: 0.9, installDate: d.installDate ?? null, analytics: d.analytics ?? [],
      legalBasis: d.legalBasis ?? null, retentionDays: d.retentionDays ?? null, custom: d.custom ?? {},
      site: { id: rec.site!.name, name: rec.site!.name, category: rec.site!.category! },
      network: { id: rec.network!.name, name: rec.network!.name, connectivity: rec.network!.connectivity!, remoteAccess: rec.network!.remoteAccess! },
      facts: [],
    };
  });
  const out = assess(devices, kb, policy, NOW);
  const restricted = new Map(out.filter((f) => f.rule === 'restricted_manufacturer').map((f) => [f.deviceId, f]));

  it('gives every Hikvision and Dahua device, OEM labels included, a sourced restricted_manufacturer finding', () => {
    const chinese = devices.filter((d) => d.manufacturer === 'hikvision' || d.manufacturer === 'dahua');
    expect(new Set(chinese.map((d) => d.brand))).toEqual(new Set(['Hikvision', 'HiWatch', 'HiLook', 'EZVIZ', 'Annke', 'LTS', 'Dahua', 'Lorex', 'Amcrest', 'Imou']));
    for (const d of chinese) {
      const f = restricted.get(d.id);
      expect(f, `${d.id} ${d.brand} ${d.model}`).toBeDefined();
      expect(f!.sources.some((s) => s.url)).toBe(true);
      if (d.brand !== 'Hikvision' && d.brand !== 'Dahua') expect(f!.evidence.some((e) => e.ref.startsWith('kb:brand:'))).toBe(true);
    }
  });

  it('accuses no other maker\'s device', () => {
    const others = devices.filter((d) => d.manufacturer !== 'hikvision' && d.manufacturer !== 'dahua');
    expect(others.length).toBeGreaterThan(20);
    for (const d of others) expect(restricted.has(d.id)).toBe(false);
  });

  it('marks the garage cameras with firmware in the CVE-2017-7921 range critical', () => {
    const inRange = devices.filter((d) => d.model === 'DS-2CD2132F-IS' && d.firmware !== null);
    expect(inRange.length).toBeGreaterThan(0);
    for (const d of inRange) {
      expect(out.find((f) => f.deviceId === d.id && f.rule === 'known_exploited_vulnerability')).toMatchObject({ severity: 'critical' });
    }
  });
});
