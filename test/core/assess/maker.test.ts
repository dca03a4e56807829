import { describe, expect, it } from 'vitest';
import { assess } from '../../../src/core/assess/assess.js';
import type { KnowledgeBase, Vendor } from '../../../src/kb/schema.js';
import { device, finding, kb, NOW, policy, policyWith } from './fixtures.js';

const hikvision = device({ manufacturer: 'hikvision', brand: 'Hikvision', model: 'DS-2CD2143G2-I', firmware: 'V5.7.3 build 220112' });

describe('restricted_manufacturer', () => {
  it('names every adopted measure that names the maker, with their sources', () => {
    const f = finding(hikvision, 'restricted_manufacturer')!;
    expect(f).toMatchObject({ severity: 'high', likelihood: 'medium', impact: 'high', action: 'replace', dueDate: '2026-11-28' });
    expect(f.evidence.filter((e) => e.ref.startsWith('kb:restriction:')).map((e) => e.ref)).toEqual([
      'kb:restriction:us-ndaa-fy2019-s889',
      'kb:restriction:us-fcc-covered-list-2021',
      'kb:restriction:uk-sensitive-sites-2022',
    ]);
    expect(f.evidence[0]).toEqual({ ref: 'device.manufacturer', value: 'hikvision' });
    expect(f.why.nl).toMatch(/^Deze camera is gemaakt door Hikvision\. 3 maatregelen noemen deze fabrikant: .*NDAA for FY2019.*vervang het apparaat\.$/);
    expect(f.why.en).toMatch(/^This camera was made by Hikvision\. 3 measures name this manufacturer/);
    expect(f.sources.map((s) => s.url)).toContain('https://www.eac.gov/what-section-889-fy-2019-ndaa');
    // The NDAA record's uncertainty note is about HiSilicon, not about this measure naming Hikvision.
    expect(kb.restrictions.find((r) => r.id === 'us-ndaa-fy2019-s889')!.uncertain).toBeDefined();
    expect(f.uncertain).toBeUndefined();
  });

  it('passes a measure\'s doubt on when its confidence is below high or it is not in force', () => {
    const vng = finding(hikvision, 'restricted_manufacturer', policyWith('measures: [nl-vng-2022-02]'))!;
    expect(vng.uncertain).toMatch(/^restriction nl-vng-2022-02 \(medium confidence, status "advice"\)/);
    const doubtful: KnowledgeBase = {
      ...kb,
      restrictions: kb.restrictions.map((r) => (r.id === 'us-ndaa-fy2019-s889' ? { ...r, confidence: 'medium' as const } : r)),
    };
    const [f] = assess([hikvision], doubtful, policy, NOW).filter((x) => x.rule === 'restricted_manufacturer');
    expect(f!.uncertain).toMatch(/^restriction us-ndaa-fy2019-s889 \(medium confidence\): One community source/);
  });

  it('judges an OEM-branded device by its true maker and cites the brand record', () => {
    const f = finding({ ...hikvision, brand: 'LTS', model: 'CMIP3C42W-28' }, 'restricted_manufacturer')!;
    expect(f.why.nl).toMatch(/^Deze camera is gemaakt door Hikvision \(verkocht onder het merk LTS\)\./);
    expect(f.why.en).toMatch(/^This camera was made by Hikvision \(sold under the brand LTS\)\./);
    expect(f.evidence).toContainEqual({ ref: 'kb:brand:lts', value: 'LTS → hikvision (oem_whitelabel, low)' });
    const lts = kb.brands.find((b) => b.id === 'lts')!;
    expect(f.sources).toContainEqual(expect.objectContaining({ url: lts.sources[0]!.url }));
    // A low-confidence, uncertain brand link is flagged for a person to verify.
    expect(f.uncertain).toMatch(/brand lts: /);
  });

  it('cites the brand record of a Hikvision own brand and a Dahua OEM brand as well', () => {
    expect(finding({ ...hikvision, brand: 'HiWatch' }, 'restricted_manufacturer')!.evidence).toContainEqual({ ref: 'kb:brand:hiwatch', value: 'HiWatch → hikvision (own_brand, medium)' });
    const amcrest = finding(device({ manufacturer: 'dahua', brand: 'Amcrest', model: 'IP4M-1051B', firmware: null }), 'restricted_manufacturer')!;
    expect(amcrest.why.nl).toMatch(/gemaakt door Dahua \(verkocht onder het merk Amcrest\)/);
    expect(amcrest.evidence).toContainEqual({ ref: 'kb:brand:amcrest', value: 'Amcrest → dahua (oem_whitelabel, medium)' });
  });

  it('does not invent a brand relationship for a label the KB does not link to the maker', () => {
    const f = finding({ ...hikvision, brand: 'Uniview' }, 'restricted_manufacturer')!;
    expect(f.why.nl).toMatch(/^Deze camera is gemaakt door Hikvision\. Op het label staat Uniview; de kennisbank legt geen verband tussen Uniview en Hikvision\. /);
    expect(f.why.en).toMatch(/^This camera was made by Hikvision\. The label says Uniview, which the knowledge base does not link to Hikvision\. /);
    expect(f.why.en).not.toMatch(/sold under/);
    // Where the label does point, as evidence only: Uniview's own record.
    expect(f.evidence).toContainEqual({ ref: 'kb:brand:uniview', value: 'Uniview → uniview (own_brand, high)' });
    expect(f.sources.map((s) => s.url)).not.toContain('https://www.uniview.com/');
  });

  it('takes a label naming the maker\'s company as the maker\'s own name', () => {
    const f = finding({ ...hikvision, brand: 'Hangzhou Hikvision Digital Technology Co., Ltd.' }, 'restricted_manufacturer')!;
    expect(f.why.nl).toMatch(/^Deze camera is gemaakt door Hikvision\. 3 maatregelen/);
  });

  it('calls a maker identified below the policy\'s confidence probable, and marks the findings for checking', () => {
    const disputed = { ...hikvision, brand: 'Uniview', identityConfidence: 0.289 };
    for (const rule of ['restricted_manufacturer', 'human_rights'] as const) {
      const f = finding(disputed, rule)!;
      expect(f.why.nl).toMatch(/^Deze camera is waarschijnlijk gemaakt door Hikvision \(vastgesteld met een zekerheid van 29%, onder de 30% die het beleid vraagt\)\. Op het label staat Uniview;/);
      expect(f.why.en).toMatch(/^This camera was probably made by Hikvision \(identified with 29% confidence, below the 30% the policy requires\)\. The label says Uniview,/);
      expect(f.uncertain).toMatch(/^identification gives hikvision with 29% confidence, below the 30% the policy requires; verify the manufacturer before acting on this finding\./);
      expect(f.evidence).toContainEqual({ ref: 'device.identityConfidence', value: '0.29' });
    }
    // At or above the minimum, and for a maker a person recorded, the maker stands.
    expect(finding({ ...disputed, identityConfidence: 0.3 }, 'restricted_manufacturer')!.uncertain).toBeUndefined();
    expect(finding({ ...disputed, identityConfidence: null }, 'restricted_manufacturer')!.why.nl).toMatch(/^Deze camera is gemaakt door Hikvision\./);
  });

  it('accuses no Axis, Bosch or Hanwha device, nor one without a maker', () => {
    for (const [manufacturer, brand] of [['axis', 'Axis'], ['bosch', 'Bosch'], ['hanwha', 'Wisenet'], [null, 'Acme']] as const) {
      const d = device({ manufacturer, brand });
      expect(finding(d, 'restricted_manufacturer')).toBeUndefined();
      expect(finding(d, 'human_rights')).toBeUndefined();
    }
  });

  it('follows only the measures the policy adopts', () => {
    expect(finding(hikvision, 'restricted_manufacturer', policyWith('measures: []'))).toBeUndefined();
    const one = finding(hikvision, 'restricted_manufacturer', policyWith('measures: [nl-vng-2022-02]'))!;
    expect(one.why.nl).toMatch(/De maatregel "Netherlands \(municipal umbrella\), 2022-02: VNG \(Vereniging van Nederlandse Gemeenten\)" noemt deze fabrikant\. De gemeente volgt deze maatregel/);
    expect(one.evidence.filter((e) => e.ref.startsWith('kb:restriction:'))).toHaveLength(1);
  });

  it('takes the severity from the policy', () => {
    const f = finding(hikvision, 'restricted_manufacturer', policyWith('rules:\n  restricted_manufacturer: { severity: critical }'))!;
    expect(f).toMatchObject({ severity: 'critical', dueDate: '2026-07-01' });
  });

  it('resolves a maker recorded by name before identification has run', () => {
    const f = finding({ ...hikvision, manufacturer: 'Hikvision' }, 'restricted_manufacturer')!;
    expect(f.why.nl).toMatch(/^Deze camera is gemaakt door Hikvision\./);
    expect(f.evidence[0]).toEqual({ ref: 'device.manufacturer', value: 'hikvision' });
  });

  it('accuses a subsidiary through the parent a measure names', () => {
    const parent = kb.vendors.find((v) => v.id === 'hikvision')!;
    const child: Vendor = { ...parent, id: 'hik-child', name: 'HikChild', legal_names: [], aliases: [], not_names: [], parent: 'hikvision', origin: 'overlay' };
    const withChild: KnowledgeBase = { ...kb, vendors: [...kb.vendors, child] };
    const [f] = assess([device({ manufacturer: 'hik-child', brand: 'HikChild' })], withChild, policy, NOW).filter((x) => x.rule === 'restricted_manufacturer');
    expect(f!.why.nl).toMatch(/gemaakt door HikChild\. HikChild hoort bij Hikvision\./);
    expect(f!.evidence).toContainEqual({ ref: 'kb:vendor:hik-child', value: 'parent: hikvision' });
  });

  it('does not run when the policy disables it', () => {
    expect(finding(hikvision, 'restricted_manufacturer', policyWith('rules:\n  restricted_manufacturer: { enabled: false }'))).toBeUndefined();
  });
});

describe('human_rights', () => {
  it('cites the adopted human-rights measures and the Xinjiang records of legal.yaml', () => {
    const f = finding(hikvision, 'human_rights')!;
    expect(f).toMatchObject({ severity: 'medium', likelihood: 'high', impact: 'medium', action: 'review' });
    expect(f.why.nl).toMatch(/Deze fabrikant wordt genoemd in 2 maatregelen vanwege betrokkenheid bij mensenrechtenschendingen in Xinjiang \(China\)/);
    expect(f.why.en).toMatch(/named in 2 measures for involvement in human-rights abuses in Xinjiang/);
    const refs = f.evidence.map((e) => e.ref);
    expect(refs).toContain('kb:restriction:us-commerce-entity-list-2019-xinjiang');
    expect(refs).toContain('kb:restriction:no-gpfg-hikvision-2020');
    const xinjiang = kb.legal.filter((l) => l.id.startsWith('xj-') && l.vendors.includes('hikvision')).map((l) => `kb:legal:${l.id}`);
    expect(xinjiang.length).toBeGreaterThan(0);
    expect(refs).toEqual(expect.arrayContaining(xinjiang));
    expect(f.sources.length).toBeGreaterThan(xinjiang.length);
  });

  it('counts one measure for Dahua, whom the Norwegian divestment does not name', () => {
    const f = finding(device({ manufacturer: 'dahua', brand: 'Dahua' }), 'human_rights')!;
    expect(f.why.nl).toMatch(/genoemd in een maatregel vanwege/);
    expect(f.evidence.map((e) => e.ref)).not.toContain('kb:restriction:no-gpfg-hikvision-2020');
  });

  it('needs an adopted human-rights measure naming the maker', () => {
    expect(finding(hikvision, 'human_rights', policyWith('human_rights_measures: []'))).toBeUndefined();
    expect(finding(device({ manufacturer: 'huawei', brand: 'Huawei' }), 'human_rights')).toBeUndefined();
  });
});
