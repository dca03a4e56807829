import { beforeAll, describe, expect, it } from 'vitest';
import { readShippedFiles } from '../../src/kb/active.js';
import { parseKnowledgeBase } from '../../src/kb/load.js';
import {
  brandFromText,
  brandsForVendor,
  lookupMac,
  restrictionsForVendor,
  search,
  stats,
  vendorById,
  vendorFromText,
  vendorMatches,
  vulnerabilitiesForVendor,
} from '../../src/kb/query.js';
import type { KnowledgeBase } from '../../src/kb/schema.js';

const shippedFiles = () => readShippedFiles();

let files: Record<string, string>;
let kb: KnowledgeBase;
beforeAll(async () => {
  files = await shippedFiles();
  kb = parseKnowledgeBase(files);
});

describe('vendorFromText', () => {
  it.each([
    ['HIKVISION', 'hikvision'],
    ['Hik Vision', 'hikvision'],
    ['hikvision', 'hikvision'],
    ['Hangzhou Hikvision Digital Technology Co., Ltd.', 'hikvision'],
    ['海康威视', 'hikvision'],
    ['杭州海康威视数字技术股份有限公司', 'hikvision'],
    ['大华', 'dahua'],
    ['浙江大华技术股份有限公司', 'dahua'],
    ['Dahua Technology', 'dahua'],
    ['Zhejiang Dahua', 'dahua'],
    ['ZHEJIANG DAHUA TECHNOLOGYCO.,LTD', 'dahua'],
    ['华为', 'huawei'],
    ['中兴通讯', 'zte'],
    ['海能达', 'hytera'],
    ['宇视', 'uniview'],
    ['Axis', 'axis'],
    ['Axis Communications AB', 'axis'],
    ['Bosch Security Systems', 'bosch'],
    ['Samsung Techwin', 'hanwha'],
    ['Panasonic i-PRO', 'panasonic'],
    ['TP-LINK', 'tp-link'],
    ['Mobotïx', 'mobotix'],
    ['Honeywell', 'honeywell'],
  ])('%s → %s', (text, id) => {
    expect(vendorFromText(kb, text)).toBe(id);
  });

  it.each([['Dahlia'], ['Hik'], ['DH'], ['HK Vision Ltd'], ['Co., Ltd.'], [''], ['Samsung'], ['Shanghai Dahua Scale Factory']])(
    '%s → null',
    (text) => {
      expect(vendorFromText(kb, text)).toBeNull();
    },
  );

  it('never reads Honeywell as Hikvision', () => {
    expect(vendorFromText(kb, 'Honeywell Performance Series')).toBe('honeywell');
  });

  it('refuses text naming two unrelated makers, but resolves a maker named with its parent', () => {
    expect(vendorMatches(kb, 'Hikvision / Dahua')).toEqual(expect.arrayContaining(['hikvision', 'dahua']));
    expect(vendorFromText(kb, 'Hikvision / Dahua')).toBeNull();
    expect(vendorFromText(kb, 'Axis Communications (Canon)')).toBe('axis');
  });

  it('finds vendors by id', () => {
    expect(vendorById(kb, 'dahua')?.legal_names).toContain('浙江大华技术股份有限公司');
    expect(vendorById(kb, 'nope')).toBeNull();
  });
});

describe('brandFromText', () => {
  it('finds brands and their makers', () => {
    expect(brandFromText(kb, 'EZVIZ').map((b) => [b.id, b.vendor, b.relationship])).toEqual([['ezviz', 'hikvision', 'subsidiary']]);
    expect(brandFromText(kb, 'Hi Watch')[0]?.id).toBe('hiwatch');
    expect(brandFromText(kb, 'LTS')[0]).toMatchObject({ id: 'lts', vendor: 'hikvision', confidence: 'low' });
    expect(brandFromText(kb, 'LT Security')[0]?.id).toBe('lts');
    expect(brandFromText(kb, 'Lechange')[0]?.id).toBe('imou');
    expect(brandFromText(kb, 'Hangzhou Hikvision Digital Technology')[0]?.id).toBe('hikvision');
    expect(brandFromText(kb, 'Dahlia')).toEqual([]);
  });

  it('lists the most specific brand first', () => {
    expect(brandFromText(kb, 'Hikvision Robot').map((b) => b.id)).toEqual(['hikrobot', 'hikvision']);
  });

  it('keeps OEM doubt visible', () => {
    const honeywell = brandFromText(kb, 'Honeywell Performance');
    expect(honeywell.map((b) => b.id)).toEqual(expect.arrayContaining(['honeywell-oem', 'honeywell']));
    expect(honeywell.find((b) => b.id === 'honeywell-oem')).toMatchObject({
      vendor_alternatives: ['dahua'],
      vendor_as_given: 'conflicting (Hikvision and/or Dahua)',
      uncertain: 'Attribution conflicts; verify per model.',
    });
  });

  it('prefers an overlay brand with the same name', () => {
    const overlay = 'brands:\n  - {brand: EZVIZ, vendor: dahua, relationship: oem_whitelabel, evidence: test, confidence: low}\n';
    const merged = parseKnowledgeBase(files, { overlay });
    expect(brandFromText(merged, 'ezviz').map((b) => [b.vendor, b.origin])).toEqual([
      ['dahua', 'overlay'],
      ['hikvision', 'kb'],
    ]);
  });
});

describe('lookupMac', () => {
  it('matches MA-L prefixes in any spelling', () => {
    for (const mac of ['C0:56:E3:12:34:56', 'c0-56-e3-12-34-56', 'c056.e312.3456', 'C056E3123456']) {
      expect(lookupMac(kb, mac)).toMatchObject({ prefix: 'C0:56:E3', registry: 'MA-L', vendor: 'hikvision', origin: 'kb' });
    }
    expect(lookupMac(kb, 'not a mac')).toBeNull();
    expect(lookupMac(kb, '02:00:00:00:00:01')).toBeNull();
    expect(lookupMac(kb, 'C0:56')).toBeNull();
  });

  it('returns the MA-M registrant (Hikrobot, 28 bits)', () => {
    expect(lookupMac(kb, 'B0:B3:53:6A:BC:DE')).toMatchObject({
      prefix: 'B0:B3:53:6',
      registry: 'MA-M',
      bits: 28,
      orgName: 'Hangzhou Hikrobot Technology Co., Ltd.',
      vendor: 'hikvision',
      confidence: 'high',
    });
    expect(lookupMac(kb, 'B0:B3:53:7A:BC:DE')).toBeNull();
  });

  it('takes the longest prefix: MA-S over MA-M over MA-L', () => {
    // No MA-L row in oui.tsv contains a shipped MA-M row, so the shorter blocks come from an overlay.
    const overlay = `prefixes:
  - {prefix: "B0:B3:53", vendor: axis, note: test MA-L around the Hikrobot MA-M}
  - {prefix: "B0:B3:53:6AB", vendor: bosch, note: test MA-S inside it}
`;
    const merged = parseKnowledgeBase(files, { overlay });
    expect(lookupMac(merged, 'B0:B3:53:6A:BC:DE')).toMatchObject({ registry: 'MA-S', bits: 36, vendor: 'bosch', origin: 'overlay' });
    expect(lookupMac(merged, 'B0:B3:53:6F:00:00')).toMatchObject({ registry: 'MA-M', vendor: 'hikvision', origin: 'kb' });
    expect(lookupMac(merged, 'B0:B3:53:7F:00:00')).toMatchObject({ registry: 'MA-L', vendor: 'axis', origin: 'overlay' });
  });

  it('does not attribute Honor Device prefixes to Huawei', () => {
    const honor = kb.prefixes.find((p) => p.org_name === 'Honor Device Co., Ltd.');
    expect(honor).toBeDefined();
    const match = lookupMac(kb, `${honor!.hex}000000`);
    expect(match).toMatchObject({ vendor: null, groupVendor: 'huawei', confidence: 'low' });
    expect(match?.relation).toMatch(/^former Huawei brand/);
    expect(kb.prefixes.filter((p) => p.org_name === 'Honor Device Co., Ltd.' && p.vendor !== null)).toEqual([]);
  });
});

describe('search and per-vendor lookups', () => {
  it('finds a CVE by id first', () => {
    const hits = search(kb, 'CVE-2021-36260');
    expect(hits[0]).toMatchObject({ section: 'vulnerability', id: 'CVE-2021-36260' });
    expect(hits[0]?.section === 'vulnerability' && hits[0].record.kev.listed).toBe(true);
  });

  it('finds legal grounds and restrictions by words', () => {
    expect(search(kb, 'Kolin').map((h) => h.id)).toContain('eu-cjeu-kolin-c-652-22');
    expect(search(kb, 'zoetermeer', { sections: ['restriction'] }).map((h) => h.id)).toEqual(['nl-zoetermeer-2022']);
    expect(search(kb, '   ')).toEqual([]);
  });

  it('links records to a vendor named in Chinese', () => {
    const hits = search(kb, '海康威视', { limit: 500 });
    expect(hits[0]).toMatchObject({ section: 'vendor', id: 'hikvision' });
    expect(hits.some((h) => h.section === 'restriction' && h.id === 'uk-sensitive-sites-2022')).toBe(true);
  });

  it('indexes records by vendor', () => {
    expect(brandsForVendor(kb, 'dahua').map((b) => b.id)).toEqual(expect.arrayContaining(['imou', 'lorex', 'amcrest', 'honeywell-oem']));
    expect(restrictionsForVendor(kb, 'hytera').map((r) => r.id)).toContain('us-ndaa-fy2019-s889');
    expect(vulnerabilitiesForVendor(kb, 'hikvision').map((c) => c.id)).toContain('CVE-2023-34551');
  });

  it('counts each section', () => {
    expect(stats(kb)).toMatchObject({
      prefixes: 2778,
      prefixesByRegistry: { 'MA-L': 2774, 'MA-M': 4, 'MA-S': 0 },
      restrictions: 31,
      vulnerabilities: 16,
      overlay: { vendors: 0, brands: 0, prefixes: 0 },
    });
  });
});

describe('speed', () => {
  it('answers identification lookups well above 50,000 per second', () => {
    const texts = ['HIKVISION', 'Hik Vision', 'Axis Communications AB', 'Dahua Technology', 'unknown maker 7'];
    const start = performance.now();
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      vendorFromText(kb, texts[i % texts.length]!);
      brandFromText(kb, texts[i % texts.length]!);
      lookupMac(kb, `C0:56:E3:${(i % 256).toString(16).padStart(2, '0')}:00:01`);
    }
    const perSecond = n / ((performance.now() - start) / 1000);
    expect(perSecond).toBeGreaterThan(50_000);
  });
});

describe('identification of labels that contain a maker\'s name', () => {
  it('reads "Prama Hikvision" and "Dahua Zhilian" as the brand records the KB holds, not as unknown', async () => {
    const { identifyKnowledge } = await import('../../src/kb/knowledge.js');
    const { identify } = await import('../../src/core/identify/identify.js');
    const knowledge = identifyKnowledge(kb);
    const prama = identify([{ protocol: 'text', fields: { brand: 'Prama Hikvision' }, source: 'row 1' }], knowledge);
    expect(prama.manufacturer).toBe('hikvision');
    expect(prama.evidence.map((e) => e.rule)).toContain('kb:brand:Prama Hikvision');
    // The KB links Dahua Zhilian to Dahua with low confidence: a check to make, never a verdict.
    const zhilian = identify([{ protocol: 'text', fields: { brand: 'Dahua Zhilian' }, source: 'row 1' }], knowledge);
    expect(zhilian.manufacturer).toBeNull();
    expect(zhilian.checks.join('\n')).toMatch(/Dahua Zhilian: some products are reported to be made by dahua/);
    // A label that only mentions a maker still is no claim.
    expect(identify([{ protocol: 'text', fields: { brand: 'niet Hikvision' }, source: 'row 2' }], knowledge).manufacturer).toBeNull();
  });
});
