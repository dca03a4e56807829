import { describe, expect, it } from 'vitest';
import { familyPattern, matchFamily, normaliseModel, parseAffected, parseFirmware, rangeContains, type AffectedRange } from '../../../src/core/assess/firmware.js';
import { kb } from './fixtures.js';

const affected = parseAffected(kb.vulnerabilities);

function family(id: string, name: string) {
  const f = affected.get(id)!.families.find((x) => x.family === name);
  if (!f) throw new Error(`${id} has no family ${name}`);
  return f;
}

function contains(range: AffectedRange | null, firmware: string): boolean | null {
  return rangeContains(range!, parseFirmware(firmware)!);
}

describe('parseFirmware', () => {
  it('reads Hikvision versions with their build date, with or without a space before the build', () => {
    expect(parseFirmware('V5.4.0 build 160530')).toEqual({ numbers: [5, 4, 0], build: '2016-05-30' });
    expect(parseFirmware('V5.7.3build 220112')).toEqual({ numbers: [5, 7, 3], build: '2022-01-12' });
    expect(parseFirmware('V4.30.096build221220')).toEqual({ numbers: [4, 30, 96], build: '2022-12-20' });
  });

  it('reads Dahua versions, and their build date when the text carries one', () => {
    expect(parseFirmware('2.800.0000016.0.R')).toEqual({ numbers: [2, 800, 16, 0], build: null });
    expect(parseFirmware('V2.800.0000000.16.R, Build Date: 2021-03-15')).toEqual({ numbers: [2, 800, 0, 16], build: '2021-03-15' });
    expect(parseFirmware('V2.820.0000000.5.R 2020-09-18')).toEqual({ numbers: [2, 820, 0, 5], build: '2020-09-18' });
  });

  it('rejects a build number that is not a date, and text without a version', () => {
    expect(parseFirmware('V5.4.0 build 161340')).toEqual({ numbers: [5, 4, 0], build: null });
    expect(parseFirmware('unknown')).toBeNull();
  });

  it('reads placeholders without any digit as no firmware', () => {
    for (const text of ['onbekend', 'unknown', '-', 'n/a', '', '  ']) expect(parseFirmware(text)).toBeNull();
  });

  it('takes the dotted or V-prefixed version, not the first bare number', () => {
    expect(parseFirmware('IPC_R6 V5.3.0 build 150513')).toEqual({ numbers: [5, 3, 0], build: '2015-05-13' });
    expect(parseFirmware('R6 V5')).toEqual({ numbers: [5], build: null });
    expect(parseFirmware('firmware for DS-2CD2132F, 5.4.1')).toEqual({ numbers: [5, 4, 1], build: null });
  });

  it('gives a firmware without version numbers when only a bare number is found', () => {
    expect(parseFirmware('IPC_R6')).toEqual({ numbers: [], build: null });
    expect(contains(family('CVE-2017-7921', 'DS-2CD2xx2F-I').range, 'IPC_R6')).toBeNull();
  });
});

describe('familyPattern', () => {
  const matches = (fam: string, model: string) => familyPattern(fam).test(normaliseModel(model));

  it('treats lower-case x as one character and matches the start of the model', () => {
    expect(matches('DS-2CD2xx2F-I', 'DS-2CD2132F-IS')).toBe(true);
    expect(matches('DS-2CD2xx2F-I', 'ds-2cd2142f-iws')).toBe(true);
    expect(matches('DS-2CD2xx2F-I', 'DS-2CD2042WD-I')).toBe(false);
    expect(matches('DS-2DFx', 'DS-2DF8225IX-AEL')).toBe(true);
  });

  it('keeps the literal X of NXI and XVR, and the wildcard X next to digits', () => {
    expect(matches('DS-76xxNXI-Ix', 'DS-7608NXI-I2/8P')).toBe(true);
    expect(matches('DS-76xxNXI-Ix', 'DS-7608NKI-I2')).toBe(false);
    expect(matches('XVR4xxx', 'XVR4104HS')).toBe(true);
    expect(matches('XVR4xxx', 'AVR4104HS')).toBe(false);
    expect(matches('TPC-SD8X21', 'TPC-SD8421')).toBe(true);
  });

  it('reads Dahua series names with or without the form-factor letters', () => {
    expect(matches('IPC-HX5XXX', 'IPC-HFW5442E-ZE')).toBe(true);
    expect(matches('IPC-HX5XXX', 'IPC-HDBW5442R-ASE')).toBe(true);
    expect(matches('IPC-HX5XXX', 'IPC-HFW2431S-S-S2')).toBe(false);
    expect(matches('IPC-2XXX', 'IPC-HFW2431S-S-S2')).toBe(true);
    expect(matches('IPC-2XXX', 'IPC-HFW1230S')).toBe(false);
  });

  it('expands the sibling models Hikvision lists after slashes', () => {
    for (const model of ['DS-A71024R', 'DS-A71048R', 'DS-A71072R']) expect(matches('DS-A71024/48/72R', model)).toBe(true);
    expect(matches('DS-A71024/48/72R', 'DS-A71036R')).toBe(false);
    expect(matches('DS-A72024/72R', 'DS-A72072R')).toBe(true);
    expect(matches('DS-A72024/72R', 'DS-A72048R')).toBe(false);
    expect(matches('DS-A71024/48R-CVS', 'DS-A71048R-CVS')).toBe(true);
  });

  it('keeps a slash that is part of a model name literal', () => {
    expect(matches('DS-3WF01C-2N/O', 'DS-3WF01C-2N/O')).toBe(true);
    expect(matches('DS-3WF01C-2N/O', 'DS-3WF01C-2N')).toBe(false);
    expect(matches('DS-7604NI-K1/4P(B)', 'DS-7604NI-K1/4P(B)')).toBe(true);
    expect(matches('DS-7604NI-K1/4P(B)', 'DS-7604NI-K4P(B)')).toBe(false);
    expect(matches('DS-7604NI-M1/4P', 'DS-7604NI-M1/4P')).toBe(true);
  });

  it('ignores Dahua\'s regional model prefix', () => {
    expect(matches('NVR5XXX', 'DHI-NVR5216-16P-4KS2E')).toBe(true);
    expect(matches('NVR4XXX', 'DH-NVR4108HS-8P')).toBe(true);
  });
});

describe('rangeContains', () => {
  const cve7921 = family('CVE-2017-7921', 'DS-2CD2xx2F-I').range;

  it('includes both ends of a "from … to …" range, builds included', () => {
    expect(contains(cve7921, 'V5.3.0 build 150513')).toBe(true);
    expect(contains(cve7921, 'V5.4.0 build 160530')).toBe(true);
    expect(contains(cve7921, 'V5.2.0 build 140721')).toBe(true);
  });

  it('excludes versions and builds outside the range', () => {
    expect(contains(cve7921, 'V5.4.5 build 160928')).toBe(false);
    expect(contains(cve7921, 'V5.4.0 build 160601')).toBe(false);
    expect(contains(cve7921, 'V5.2.0 build 140720')).toBe(false);
    expect(contains(cve7921, 'V5.7.3 build 220112')).toBe(false);
  });

  it('excludes the fixed version of a "before" range', () => {
    const r = family('CVE-2022-28173', 'DS-3WF0AC-2NT').range;
    expect(contains(r, 'V1.0.9 build 220101')).toBe(true);
    expect(contains(r, 'V1.1.0 build 220929')).toBe(false);
  });

  it('compares a "build time before" range with the build date, and cannot tell without one', () => {
    const r = family('CVE-2021-33044', 'IPC-HX5XXX').range;
    expect(contains(r, 'V2.800.0000000.16.R, Build Date: 2021-03-15')).toBe(true);
    expect(contains(r, 'V2.800.0000000.16.R, Build Date: 2021-06-01')).toBe(false);
    expect(contains(r, 'V2.840.0000000.13.R')).toBeNull();
    // Hikvision versions carry their build date, so the same kind of range applies to them.
    expect(contains(r, 'V5.5.0 build 170725')).toBe(true);
  });

  it('cannot place a version without a build at a boundary that names one', () => {
    expect(contains(cve7921, 'V5.4.0')).toBeNull();
    expect(contains(cve7921, 'V5.2.0')).toBeNull();
    // Away from the boundaries the version alone decides.
    expect(contains(cve7921, 'V5.3.0')).toBe(true);
    expect(contains(cve7921, 'V5.4.1')).toBe(false);
    expect(contains(cve7921, 'V5.1.9')).toBe(false);
    const ezviz = family('CVE-2023-34551', 'CS-C6N-B0-1G2WF').range;
    expect(contains(ezviz, 'V5.3.0')).toBeNull();
    expect(contains(ezviz, 'V5.3.0 build 230214')).toBe(true);
    expect(contains(ezviz, 'V5.3.0 build 230215')).toBe(false);
  });

  it('reads "V2.X" as any 2.x release', () => {
    const r = family('CVE-2023-28808', 'DS-A80624S').range;
    expect(contains(r, 'V2.3.8-8')).toBe(true);
    expect(contains(r, 'V2.0.1')).toBe(true);
    expect(contains(r, 'V2.3.9')).toBe(false);
    expect(contains(r, 'V1.9.0')).toBe(false);
  });
});

describe('parseAffected on every record of kb/data/vulnerabilities.yaml', () => {
  // all: every family has a firmware range; none: the record is matched on families only (or,
  // without families, never). A new record must be added here, with how its text is read.
  const EXPECTED: Record<string, 'all' | 'some' | 'none'> = {
    'CVE-2017-7921': 'all',
    'CVE-2017-7923': 'all',
    'CVE-2021-36260': 'none',
    'CVE-2021-33044': 'all',
    'CVE-2021-33045': 'all',
    'CVE-2022-28173': 'all',
    'CVE-2023-28808': 'all',
    'CVE-2025-31700': 'all',
    'CVE-2025-31701': 'all',
    'CVE-2022-30563': 'all',
    'CVE-2024-29949': 'all',
    'CVE-2024-25063': 'all',
    'CVE-2024-39950': 'all',
    'CVE-2023-34551': 'all',
    'CVE-2024-42531': 'none',
    'CVE-2023-42470': 'all',
  };

  it('has an expectation for each record and meets it', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(kb.vulnerabilities.map((v) => v.id).sort());
    for (const v of kb.vulnerabilities) {
      const parsed = affected.get(v.id)!;
      expect({ id: v.id, ranges: parsed.ranges }).toEqual({ id: v.id, ranges: EXPECTED[v.id] });
      expect(parsed.families.map((f) => f.family)).toEqual(v.affected.families);
    }
  });

  it('reports the family-only records explicitly', () => {
    expect(affected.get('CVE-2021-36260')!.families).toEqual([]);
    expect(family('CVE-2024-42531', 'CS-CV246').range).toBeNull();
  });

  it('reads each family\'s own range in a list of groups', () => {
    expect(family('CVE-2017-7921', 'DS-2CD63xx').range).toMatchObject({ kind: 'versions', from: { numbers: [5, 0, 9], build: '2014-03-05' }, to: { numbers: [5, 3, 5], build: '2016-01-06' } });
    expect(family('CVE-2024-29949', 'DS-7604NI-K1/4P(B)').range).toMatchObject({ from: null, to: { numbers: [4, 30, 96], build: '2022-12-20', inclusive: true } });
    expect(family('CVE-2024-29949', 'DS-7604NI-M1/4P').range).toMatchObject({ from: { numbers: [5, 0, 0], inclusive: true }, to: { numbers: [5, 1, 70], inclusive: false } });
    expect(family('CVE-2021-33045', 'IPC-HX3XXX').range).toMatchObject({ kind: 'built_before', date: '2020-05-01' });
    expect(family('CVE-2021-33045', 'XVR4xxx').range).toMatchObject({ kind: 'built_before', date: '2019-12-01' });
    expect(family('CVE-2025-31700', 'SD2C').range).toMatchObject({ kind: 'built_before', date: '2025-04-16' });
    expect(family('CVE-2024-25063', 'HikCentral Professional').range).toMatchObject({ to: { numbers: [2, 5, 1], inclusive: true } });
  });

  it('says so when a range written once is read as covering families in another group', () => {
    expect(family('CVE-2021-33045', 'XVR4xxx').note).toBeNull();
    expect(family('CVE-2021-33045', 'VTO65XXX').note).toMatch(/"build time before December 2019" once for several groups/);
  });

  it('takes the ranges of the record a "same as" record points to', () => {
    expect(family('CVE-2017-7923', 'DS-2CD2xx0F-I').range).toEqual(family('CVE-2017-7921', 'DS-2CD2xx0F-I').range);
    expect(family('CVE-2025-31701', 'IPC-1XXX').range).toEqual(family('CVE-2025-31700', 'IPC-1XXX').range);
  });

  it('matches a model to the family that fits', () => {
    expect(matchFamily(affected.get('CVE-2021-33045')!, normaliseModel('DHI-NVR5216-16P-4KS2E'))?.family).toBe('NVR5XXX');
    expect(matchFamily(affected.get('CVE-2017-7921')!, normaliseModel('DS-2CD2143G2-I'))).toBeNull();
  });

  it('takes the most specific of several families that fit, whatever their order in the record', () => {
    const cve29949 = affected.get('CVE-2024-29949')!;
    expect(matchFamily(cve29949, normaliseModel('DS-7604NI-M1/4P'))?.family).toBe('DS-7604NI-M1/4P');
    expect(matchFamily(cve29949, normaliseModel('DS-7608NI-M2/8P'))?.family).toBe('DS-76xxNI-Mx');
    const cve28808 = affected.get('CVE-2023-28808')!;
    expect(matchFamily(cve28808, normaliseModel('DS-A71048R-CVS'))?.family).toBe('DS-A71024/48R-CVS');
    expect(matchFamily(cve28808, normaliseModel('DS-A71048R'))?.family).toBe('DS-A71024/48/72R');
  });
});
