import { describe, expect, it } from 'vitest';
import { assess } from '../../../src/core/assess/assess.js';
import type { KnowledgeBase } from '../../../src/kb/schema.js';
import { device, finding, findings, HIK_KEV, kb, NOW, policy, policyWith } from './fixtures.js';

const dahua = (model: string, firmware: string | null) => device({ manufacturer: 'dahua', brand: 'Dahua', model, firmware });

describe('known_exploited_vulnerability', () => {
  it('is critical when the firmware is inside the KEV-listed range', () => {
    const f = finding(device(HIK_KEV), 'known_exploited_vulnerability')!;
    expect(f).toMatchObject({ severity: 'critical', likelihood: 'high', impact: 'high', action: 'update_firmware', dueDate: '2026-07-01' });
    expect(f.uncertain).toBeUndefined();
    expect(f.evidence).toContainEqual({ ref: 'kb:vulnerability:CVE-2017-7921', value: 'CISA KEV since 2026-03-05; DS-2CD2xx2F-I: V5.2.0 build 140721 to V5.4.0 build 160530' });
    expect(f.why.nl).toMatch(/^Deze camera \(DS-2CD2132F-IS, firmware V5\.3\.0 build 150513\) heeft een lek dat volgens de Amerikaanse cyberveiligheidsdienst CISA actief wordt misbruikt: CVE-2017-7921\. Een aanvaller kan daarmee zonder wachtwoord binnenkomen\. De firmware valt in het getroffen bereik/);
    expect(f.why.en).toMatch(/Update the firmware to a version with the fix\.$/);
    expect(f.sources.some((s) => s.url === 'https://ics-cert.us-cert.gov/advisories/ICSA-17-124-01')).toBe(true);
  });

  it('is not claimed for patched firmware', () => {
    const patched = device({ ...HIK_KEV, firmware: 'V5.5.0 build 170725' });
    expect(finding(patched, 'known_exploited_vulnerability')).toBeUndefined();
    expect(finding(patched, 'vulnerability')).toBeUndefined();
  });

  it('is not claimed without firmware; firmware_unknown names the exploited family instead', () => {
    const unknown = device({ ...HIK_KEV, firmware: null });
    expect(finding(unknown, 'known_exploited_vulnerability')).toBeUndefined();
    const f = finding(unknown, 'firmware_unknown')!;
    expect(f).toMatchObject({ severity: 'low', likelihood: 'high', impact: 'high', action: 'update_firmware' });
    expect(f.why.nl).toMatch(/Het model DS-2CD2132F-IS valt in een reeks met een lek dat actief wordt misbruikt \(CVE-2017-7921\)\. Andere bekende lekken voor dit model: CVE-2017-7923\./);
    expect(f.evidence).toContainEqual({ ref: 'kb:vulnerability:CVE-2017-7921', value: 'CISA KEV; DS-2CD2xx2F-I: V5.2.0 build 140721 to V5.4.0 build 160530' });
  });

  it('is not claimed for a placeholder firmware; firmware_unknown quotes it instead', () => {
    for (const firmware of ['onbekend', 'unknown', '-', 'n/a']) {
      const d = device({ ...HIK_KEV, firmware });
      expect(finding(d, 'known_exploited_vulnerability'), firmware).toBeUndefined();
      expect(finding(d, 'vulnerability'), firmware).toBeUndefined();
      const f = finding(d, 'firmware_unknown')!;
      expect(f.evidence[0]).toEqual({ ref: 'device.firmware', value: firmware });
      expect(f.why.nl.startsWith(`Van deze camera is geen leesbare firmwareversie vastgelegd (in het register staat "${firmware}").`)).toBe(true);
      expect(f.why.en).toMatch(/^No readable firmware version is recorded for this camera \(the register says "/);
    }
  });

  it('reads the version past a product name with a bare number in it', () => {
    const f = finding(device({ ...HIK_KEV, firmware: 'IPC_R6 V5.3.0 build 150513' }), 'known_exploited_vulnerability')!;
    expect(f.severity).toBe('critical');
    expect(f.uncertain).toBeUndefined();
  });

  it('flags a firmware with only a bare number as not placeable', () => {
    const f = finding(device({ ...HIK_KEV, firmware: 'IPC_R6' }), 'known_exploited_vulnerability')!;
    expect(f.uncertain).toMatch(/^CVE-2017-7921: firmware "IPC_R6" cannot be placed in "V5\.2\.0 build 140721 to V5\.4\.0 build 160530"; check the device's version\./);
    expect(finding(device({ ...HIK_KEV, firmware: 'IPC_R6' }), 'firmware_unknown')).toBeUndefined();
  });

  it('flags a version without a build at the range\'s boundary as not placeable', () => {
    const f = finding(device({ ...HIK_KEV, firmware: 'V5.4.0' }), 'known_exploited_vulnerability')!;
    expect(f.why.en).toMatch(/Whether the firmware is in the affected range is not certain/);
    expect(f.uncertain).toMatch(/^CVE-2017-7921: firmware "V5\.4\.0" cannot be placed in "V5\.2\.0 build 140721 to V5\.4\.0 build 160530"; check the device's build\./);
  });

  it('asks for replacement of a device past its support age, citing the install date', () => {
    const f = finding(device({ ...HIK_KEV, installDate: '2015-04-01' }), 'known_exploited_vulnerability')!;
    expect(f.action).toBe('replace');
    expect(f.why.nl).toMatch(/ouder dan 7 jaar en krijgt waarschijnlijk geen updates meer: vervang het\.$/);
    expect(f.evidence).toContainEqual({ ref: 'device.installDate', value: '2015-04-01' });
  });

  it('asks for replacement when the KB says no fix will come', () => {
    const noFix: KnowledgeBase = {
      ...kb,
      vulnerabilities: kb.vulnerabilities.map((v) => (v.id === 'CVE-2017-7921' ? { ...v, exploitation: { ...v.exploitation, detail: 'Exploited; the vendor says there will be no fix (end of life).' } } : v)),
    };
    const [f] = assess([device(HIK_KEV)], noFix, policy, NOW).filter((x) => x.rule === 'known_exploited_vulnerability');
    expect(f).toMatchObject({ action: 'replace' });
    expect(f!.why.nl).toMatch(/Volgens de kennisbank komt er geen oplossing: vervang het apparaat\.$/);
  });

  it('flags a Dahua firmware without a build date as unchecked, and clears a dated fixed build', () => {
    const undated = finding(dahua('IPC-HFW5442E-ZE', 'V2.840.0000000.13.R'), 'known_exploited_vulnerability')!;
    expect(undated.severity).toBe('critical');
    expect(undated.why.nl).toMatch(/lekken die .* actief worden misbruikt: CVE-2021-33044 en CVE-2021-33045\..*is niet zeker/);
    expect(undated.uncertain).toMatch(/CVE-2021-33044: firmware "V2\.840\.0000000\.13\.R" cannot be placed in "build time before June 2021"; check the device's build date\./);
    expect(finding(dahua('IPC-HFW5442E-ZE', 'V2.840.0000000.13.R, Build Date: 2022-02-10'), 'known_exploited_vulnerability')).toBeUndefined();
    const old = finding(dahua('IPC-HFW5442E-ZE', 'V2.800.0000000.8.R, Build Date: 2020-01-10'), 'known_exploited_vulnerability')!;
    expect(old.evidence.map((e) => e.ref)).toEqual(['device.model', 'device.firmware', 'kb:vulnerability:CVE-2021-33044', 'kb:vulnerability:CVE-2021-33045']);
    // Only the reading of 33044's shared range remains in doubt; the dates themselves were checked.
    expect(old.uncertain).toMatch(/^CVE-2021-33044 gives "build time before June 2021" once for several groups/);
  });

  it('uses the policy\'s severity', () => {
    expect(finding(device(HIK_KEV), 'known_exploited_vulnerability', policyWith('rules:\n  known_exploited_vulnerability: { severity: high }'))!.severity).toBe('high');
  });
});

describe('vulnerability', () => {
  const dated = (date: string) => dahua('IPC-HFW2431S-S-S2', `V2.800.0000000.16.R, Build Date: ${date}`);

  it('lists every matching CVE in one finding, the highest CVSS deciding the severity', () => {
    const f = finding(dated('2021-03-15'), 'vulnerability')!;
    expect(f).toMatchObject({ severity: 'high', impact: 'high', action: 'update_firmware' });
    expect(f.evidence.map((e) => e.ref)).toEqual(['device.model', 'device.firmware', 'kb:vulnerability:CVE-2022-30563', 'kb:vulnerability:CVE-2025-31700', 'kb:vulnerability:CVE-2025-31701']);
    expect(f.why.nl).toMatch(/heeft 3 bekende lekken: CVE-2022-30563 \(geen CVSS-score bekend\), CVE-2025-31700 \(CVSS 8\.1\) en CVE-2025-31701 \(CVSS 8\.1\)\. Het ernstigste heeft CVSS-score 8\.1 van 10\./);
    expect(f.uncertain).toBeUndefined();
  });

  it('drops CVEs fixed in the device\'s build', () => {
    const f = finding(dated('2023-01-10'), 'vulnerability')!;
    expect(f.evidence.map((e) => e.ref).filter((r) => r.startsWith('kb:'))).toEqual(['kb:vulnerability:CVE-2025-31700', 'kb:vulnerability:CVE-2025-31701']);
    expect(finding(dated('2025-05-01'), 'vulnerability')).toBeUndefined();
  });

  it('follows the policy\'s CVSS thresholds and severity', () => {
    expect(finding(dated('2023-01-10'), 'vulnerability', policyWith('thresholds:\n  cvss_high: 8.5\n  cvss_critical: 9.5\n  max_retention_days: 28\n  support_years: 7\n  min_identity_confidence: 0.5'))!.severity).toBe('medium');
    expect(finding(dated('2023-01-10'), 'vulnerability', policyWith('rules:\n  vulnerability: { severity: low }'))!.severity).toBe('low');
  });

  it('is medium, and says why, when no CVSS score is recorded', () => {
    const f = finding(device(HIK_KEV), 'vulnerability')!;
    expect(f.evidence).toContainEqual({ ref: 'kb:vulnerability:CVE-2017-7923', value: 'CVSS not recorded; DS-2CD2xx2F-I: V5.2.0 build 140721 to V5.4.0 build 160530' });
    expect(f.severity).toBe('medium');
    expect(f.uncertain).toBe('no CVSS score is recorded for CVE-2017-7923; severity set to medium.');
  });

  it('matches a record without a readable range on its family only, and says so', () => {
    const f = finding(device({ manufacturer: 'hikvision', brand: 'EZVIZ', model: 'CS-CV246-A0-1C2WFR', firmware: 'V5.3.0 build 220101' }), 'vulnerability')!;
    expect(f.severity).toBe('critical');
    expect(f.uncertain).toMatch(/^CVE-2024-42531: the record gives no firmware range that can be checked \("Ezviz Internet PT Camera CS-CV246 D15655150"\); only the model family CS-CV246 was matched\./);
  });

  it('flags an EZVIZ version without a build at the fixed version\'s boundary as not placeable', () => {
    const ezviz = (firmware: string) => device({ manufacturer: 'hikvision', brand: 'EZVIZ', model: 'CS-C6N-B0-1G2WF', firmware });
    const f = finding(ezviz('V5.3.0'), 'vulnerability')!;
    expect(f.uncertain).toMatch(/CVE-2023-34551: firmware "V5\.3\.0" cannot be placed in "before V5\.3\.0 build 230215"/);
    expect(finding(ezviz('V5.3.0 build 230215'), 'vulnerability')).toBeUndefined();
  });

  it('applies the range of the most specific family that fits the model', () => {
    const nvr = (firmware: string) => device({ manufacturer: 'hikvision', brand: 'Hikvision', kind: 'recorder', model: 'DS-7604NI-M1/4P', firmware });
    // Fixed in V5.01.070 for this model, though the wider DS-76xxNI-Mx family was fixed only in V5.02.006.
    expect(finding(nvr('V5.01.080 build 230601'), 'vulnerability')).toBeUndefined();
    const f = finding(nvr('V5.01.060 build 230101'), 'vulnerability')!;
    expect(f.evidence).toContainEqual({ ref: 'kb:vulnerability:CVE-2024-29949', value: 'CVSS 7.2; DS-7604NI-M1/4P: from V5.00.000 to before V5.01.070' });
  });

  it('matches the storage models Hikvision lists with slashes', () => {
    const san = (model: string, firmware: string) => device({ manufacturer: 'hikvision', brand: 'Hikvision', kind: 'other', model, firmware });
    const f = finding(san('DS-A71048R', 'V2.3.8-8'), 'vulnerability')!;
    expect(f.severity).toBe('critical');
    expect(f.evidence).toContainEqual({ ref: 'kb:vulnerability:CVE-2023-28808', value: 'CVSS 9.1; DS-A71024/48/72R: V2.X up to and including V2.3.8-8' });
    expect(finding(san('DS-A72072R', 'V2.0.1'), 'vulnerability')).toBeDefined();
    const cvs = finding(san('DS-A71048R-CVS', 'V1.1.4'), 'vulnerability')!;
    expect(cvs.evidence).toContainEqual({ ref: 'kb:vulnerability:CVE-2023-28808', value: 'CVSS 9.1; DS-A71024/48R-CVS: V1.X up to and including V1.1.4' });
  });

  it('does not touch other makers\' models', () => {
    expect(finding(device({ model: 'DS-2CD2132F-IS', firmware: 'V5.3.0 build 150513' }), 'vulnerability')).toBeUndefined();
  });
});

describe('firmware_unknown', () => {
  it('fires for a maker with known vulnerabilities', () => {
    const f = finding(device({ manufacturer: 'hikvision', brand: 'Hikvision', model: 'DS-2CD2143G2-I', firmware: null }), 'firmware_unknown')!;
    expect(f).toMatchObject({ severity: 'low', likelihood: 'medium', impact: 'medium' });
    expect(f.why.nl).toMatch(/^Van deze camera is geen firmwareversie vastgelegd\. Hikvision heeft bekende lekken in de kennisbank/);
    expect(f.evidence[0]).toEqual({ ref: 'device.firmware', value: '(none)' });
    expect(f.sources.length).toBeGreaterThan(0);
  });

  it('fires for a restricted maker without known vulnerabilities', () => {
    const f = finding(device({ manufacturer: 'huawei', brand: 'Huawei', model: 'X', firmware: '' }), 'firmware_unknown')!;
    expect(f.why.nl).toMatch(/Huawei valt onder een maatregel die de gemeente volgt/);
    expect(f.evidence).toContainEqual({ ref: 'kb:restriction:us-ndaa-fy2019-s889', value: 'names huawei' });
  });

  it('does not fire for other makers or when firmware is recorded', () => {
    expect(finding(device({ firmware: null }), 'firmware_unknown')).toBeUndefined();
    expect(finding(device({ manufacturer: null, firmware: null }), 'firmware_unknown')).toBeUndefined();
    expect(finding(device(HIK_KEV), 'firmware_unknown')).toBeUndefined();
  });
});

describe('the vulnerability rules together', () => {
  it('give each device at most one finding per rule', () => {
    const rules = findings(device({ ...HIK_KEV, firmware: 'V5.3.0 build 150513' })).map((f) => f.rule);
    expect(new Set(rules).size).toBe(rules.length);
  });
});
