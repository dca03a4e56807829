import { describe, expect, it } from 'vitest';
import { identifyDevice } from '../../../src/core/identify/device.js';
import { identify, type BrandHit, type IdentifyKnowledge, type RuleMatch } from '../../../src/core/identify/identify.js';
import { NEW_DEVICE } from '../../../src/core/register/merge.js';

// A small hand-made knowledge base: the engine is tested apart from the shipped data.
const SRC = [{ ref: 'test' }];
const kb: IdentifyKnowledge = {
  matchField(protocol, field, value): RuleMatch[] {
    if (protocol === 'sadp' && field === 'device_type') return [{ id: 'sadp', weight: 'native', claims: { manufacturer: 'hikvision', model: value }, sources: SRC }];
    if (protocol === 'http' && field === 'server' && value.startsWith('App-webs')) return [{ id: 'webs', weight: 'banner', claims: { manufacturer: 'hikvision' }, sources: SRC }];
    if (protocol === 'text' && field === 'model' && /^DS-7/.test(value)) return [{ id: 'ds7', weight: 'model', claims: { manufacturer: 'hikvision', kind: 'recorder' }, sources: SRC }];
    return [];
  },
  lookupMac: (mac) => (mac.startsWith('44:19:b6') ? { prefix: '44:19:B6', vendor: 'hikvision', orgName: 'Hangzhou Hikvision', relation: 'parent', confidence: 'high', origin: 'kb', sources: SRC } : null),
  vendorFromText: (text) => {
    const t = text.toLowerCase();
    const id = t.includes('honeywell') ? 'honeywell' : t.includes('axis') ? 'axis' : t === 'hikvision' || t.includes('海康') ? 'hikvision' : null;
    return id ? { vendor: id, origin: 'kb', sources: SRC, exact: !t.includes(' ') || t.includes('hikvision') } : null;
  },
  brandsFromText: (text): BrandHit[] => {
    const t = text.toLowerCase();
    if (t === 'lts') return [{ brand: 'LTS', vendor: 'hikvision', relationship: 'oem_whitelabel', confidence: 'medium', origin: 'kb', sources: SRC, exact: true }];
    if (t === 'lorex') return [{ brand: 'Lorex', vendor: 'dahua', relationship: 'former_subsidiary', confidence: 'medium', origin: 'kb', sources: SRC, exact: true, validTo: '2022-11-24' }];
    if (t.includes('honeywell')) return [{ brand: 'Honeywell', vendor: 'hikvision', relationship: 'oem_whitelabel', confidence: 'low', origin: 'kb', sources: SRC, exact: t === 'honeywell' }];
    return [];
  },
};

describe('identify', () => {
  it('lets native protocol evidence outweigh the label and records the conflict', () => {
    const id = identify([
      { protocol: 'text', fields: { brand: 'Honeywell' }, source: 'row 2' },
      { protocol: 'mac', fields: { mac: '44-19-B6-01-02-03' }, source: 'scan' },
      { protocol: 'sadp', fields: { device_type: 'DS-2CD2143G2-I', serial: 'X1' }, source: 'scan' },
    ], kb);
    expect(id).toMatchObject({ manufacturer: 'hikvision', model: 'DS-2CD2143G2-I', serial: 'X1', mac: '44:19:b6:01:02:03', brand: 'Honeywell' });
    expect(id.conflicts.map((c) => c.manufacturer)).toEqual(['honeywell']);
    expect(id.confidence).toBeGreaterThan(0.8);
    expect(id.confidence).toBeLessThan(1);
    expect(id.checks[0]).toMatch(/Honeywell: some products are reported to be made by hikvision/);
    expect(id.evidence.find((e) => e.rule === 'kb:mac:44:19:B6')!.note).toMatch(/names the registrant/);
  });

  it('never turns a low-confidence OEM link into a verdict', () => {
    const id = identify([{ protocol: 'text', fields: { brand: 'Honeywell' }, source: 'row 2' }], kb);
    expect(id.manufacturer).toBe('honeywell');
    expect(id.conflicts).toEqual([]);
    expect(id.checks).toHaveLength(1);
  });

  it('resolves an OEM brand of medium confidence to its maker, with a modest confidence', () => {
    const id = identify([{ protocol: 'text', fields: { brand: 'LTS', model: 'CMIP3C42W-28' }, source: 'row 3' }], kb);
    expect(id.manufacturer).toBe('hikvision');
    expect(id.confidence).toBeCloseTo(0.35, 2);
    expect(id.evidence.find((e) => e.rule === 'kb:brand:LTS')!.note).toMatch(/oem_whitelabel, medium/);
  });

  it('turns a label that only mentions a maker, or an ended link, into a check', () => {
    const mention = identify([{ protocol: 'text', fields: { brand: 'Axis (replaced a Honeywell unit)' }, source: 'row 4' }], kb);
    expect(mention.manufacturer).toBeNull();
    expect(mention.checks.join(' ')).toMatch(/mentions/);
    const lorex = identify([{ protocol: 'text', fields: { brand: 'Lorex' }, source: 'row 5' }], kb);
    expect(lorex.manufacturer).toBeNull();
    expect(lorex.checks[0]).toMatch(/only while linked \(former_subsidiary, until 2022-11-24\)/);
  });

  it('knows nothing without evidence, and ignores placeholder makers', () => {
    const id = identify([{ protocol: 'onvif', fields: { manufacturer: 'General', model: 'IPC' }, source: 'probe' }], kb);
    expect(id).toMatchObject({ manufacturer: null, confidence: 0, brand: null, model: 'IPC' });
  });

  it('counts one kind of evidence once, however often it repeats', () => {
    const once = identify([{ protocol: 'http', fields: { server: 'App-webs/' }, source: 'a' }], kb);
    const twice = identify([
      { protocol: 'http', fields: { server: 'App-webs/' }, source: 'a' },
      { protocol: 'http', fields: { server: 'App-webs/' }, source: 'b' },
    ], kb);
    expect(twice.confidence).toBe(once.confidence);
  });
});

describe('identifyDevice', () => {
  it('fills the true maker, keeps the stated one, and is stable when run again', () => {
    const device = { ...NEW_DEVICE, brand: 'LTS', manufacturer: 'LT Security Inc.', model: 'DS-7608NI-K2' };
    const once = identifyDevice(device, kb, 'test-1', 'register');
    expect(once.manufacturer).toBe('hikvision');
    expect(once.identity).toMatchObject({ manufacturer: 'hikvision', statedManufacturer: 'LT Security Inc.', kbVersion: 'test-1' });
    expect(identifyDevice(once, kb, 'test-1', 'register')).toEqual(once);
    const edited = identifyDevice({ ...once, manufacturer: 'Axis' }, kb, 'test-1', 'register');
    expect(edited.identity!.statedManufacturer).toBe('Axis');
    expect(edited.identity!.conflicts.map((c) => c.manufacturer)).toEqual(['axis']);
  });

  it('leaves an unidentifiable device as stated', () => {
    const device = { ...NEW_DEVICE, brand: 'Acme', manufacturer: 'Acme Corp' };
    const out = identifyDevice(device, kb, 'v', 'register');
    expect(out.manufacturer).toBe('Acme Corp');
    expect(out.identity!.manufacturer).toBeNull();
    expect(identifyDevice(out, kb, 'v', 'register')).toEqual(out);
  });
});
