// The rules that read the register's own fields: analytics, placement, age, identification,
// legal basis and retention.
import { describe, expect, it } from 'vitest';
import type { AssessDevice } from '../../../src/core/assess/types.js';
import { device, finding, findings, policyWith } from './fixtures.js';

const site = (category: NonNullable<AssessDevice['site']>['category']): AssessDevice['site'] => ({ id: 'site-2', name: 'Marktplein', category });
const hikvision = { manufacturer: 'hikvision', brand: 'Hikvision', model: 'DS-2CD2143G2-I', firmware: 'V5.7.3 build 220112' } as const;

describe('sensitive_analytics', () => {
  it('rates face recognition one step above the policy\'s severity, number plates at it', () => {
    const face = finding(device({ analytics: ['face_recognition'] }), 'sensitive_analytics')!;
    expect(face).toMatchObject({ severity: 'high', likelihood: 'high', impact: 'high', action: 'review' });
    expect(face.why.nl).toMatch(/^Deze camera gebruikt gezichtsherkenning\. Gezichten herkennen is verwerken van biometrische gegevens/);
    const anpr = finding(device({ analytics: ['anpr'] }), 'sensitive_analytics')!;
    expect(anpr).toMatchObject({ severity: 'medium', impact: 'medium' });
    expect(anpr.why.en).toMatch(/reads number plates \(ANPR\)/);
    expect(anpr.evidence).toContainEqual({ ref: 'device.analytics', value: 'anpr' });
    expect(anpr.sources.length).toBeGreaterThan(0);
  });

  it('names both when both run, and follows the policy\'s severity', () => {
    const both = finding(device({ analytics: ['face_recognition', 'anpr'] }), 'sensitive_analytics', policyWith('rules:\n  sensitive_analytics: { severity: low }'))!;
    expect(both.severity).toBe('medium');
    expect(both.why.nl).toMatch(/gezichtsherkenning en kentekenherkenning \(ANPR\)/);
    expect(both.evidence[0]).toEqual({ ref: 'device.analytics', value: 'anpr, face_recognition' });
  });

  it('does not fire without analytics', () => {
    expect(finding(device(), 'sensitive_analytics')).toBeUndefined();
  });
});

describe('sensitive_placement', () => {
  it('aggravates a security finding of at least medium at a sensitive site', () => {
    const f = finding(device({ ...hikvision, site: site('public_space') }), 'sensitive_placement')!;
    expect(f).toMatchObject({ severity: 'low', likelihood: 'medium', impact: 'high', action: 'review' });
    expect(f.why.nl).toMatch(/^Deze camera hangt op een plek die het beleid gevoelig noemt \(openbare ruimte\)\. Daar weegt deze bevinding zwaarder: een fabrikant onder beperkende maatregelen\./);
    expect(f.evidence).toContainEqual({ ref: 'finding:restricted_manufacturer', value: 'high' });
  });

  it('stands between the findings before and after it in RULES order', () => {
    const rules = findings(device({ ...hikvision, site: site('office'), installDate: '2015-01-01' })).map((f) => f.rule);
    expect(rules).toEqual(['restricted_manufacturer', 'human_rights', 'sensitive_placement', 'end_of_support']);
  });

  it('does not fire at a site the policy does not call sensitive', () => {
    expect(finding(device({ ...hikvision, site: site('parking_garage') }), 'sensitive_placement')).toBeUndefined();
    expect(finding(device({ ...hikvision, site: null }), 'sensitive_placement')).toBeUndefined();
  });

  it('does not fire on legal gaps or low findings alone', () => {
    // Public space without a legal basis (medium) is about the place already.
    expect(finding(device({ site: site('public_space'), legalBasis: null }), 'sensitive_placement')).toBeUndefined();
    // Unknown maker identity is low under the default policy.
    expect(finding(device({ manufacturer: null, site: site('school') }), 'sensitive_placement')).toBeUndefined();
  });
});

describe('end_of_support', () => {
  it('fires for a device older than the support period', () => {
    const f = finding(device({ installDate: '2019-05-31' }), 'end_of_support')!;
    expect(f).toMatchObject({ severity: 'medium', likelihood: 'medium', impact: 'medium', action: 'replace', dueDate: '2027-06-01' });
    expect(f.why.nl).toMatch(/^Deze camera is geplaatst op 2019-05-31 en is daarmee ouder dan 7 jaar/);
    expect(f.evidence).toEqual([{ ref: 'device.installDate', value: '2019-05-31' }, { ref: 'policy.thresholds.support_years', value: '7' }]);
  });

  it('does not fire on the last day of support, without a date, or under a longer period', () => {
    expect(finding(device({ installDate: '2019-06-01' }), 'end_of_support')).toBeUndefined();
    expect(finding(device({ installDate: null }), 'end_of_support')).toBeUndefined();
    expect(finding(device({ installDate: 'sometime' }), 'end_of_support')).toBeUndefined();
    expect(finding(device({ installDate: '2018-01-01' }), 'end_of_support', policyWith('thresholds:\n  cvss_high: 7\n  cvss_critical: 9\n  max_retention_days: 28\n  support_years: 10\n  min_identity_confidence: 0.5'))).toBeUndefined();
  });

  it('reads an install date with a time', () => {
    expect(finding(device({ installDate: '2019-05-31T12:00:00Z' }), 'end_of_support')).toBeDefined();
  });
});

describe('manufacturer_unidentified', () => {
  it('fires when no maker is known', () => {
    const f = finding(device({ manufacturer: null, brand: 'Acme', identityConfidence: null }), 'manufacturer_unidentified')!;
    expect(f).toMatchObject({ severity: 'low', action: 'identify' });
    expect(f.why.nl).toMatch(/^Deze camera: de fabrikant is onbekend\. Op het label staat Acme\./);
    expect(f.evidence[0]).toEqual({ ref: 'device.manufacturer', value: '(none)' });
  });

  it('fires when the identification is below the policy\'s confidence', () => {
    const f = finding(device({ identityConfidence: 0.25 }), 'manufacturer_unidentified')!;
    expect(f.why.nl).toMatch(/vastgesteld met een zekerheid van 25%, onder de 30% die het beleid vraagt/);
    expect(f.evidence).toContainEqual({ ref: 'device.identityConfidence', value: '0.25' });
  });

  it('names the maker the KB links an OEM label to, as a lead to check, and is more serious when that maker is restricted', () => {
    const f = finding(device({ manufacturer: null, brand: 'Swann', identityConfidence: null }), 'manufacturer_unidentified')!;
    expect(f).toMatchObject({ severity: 'medium', action: 'identify' });
    expect(f.why.nl).toMatch(/^Deze camera: de fabrikant is onbekend\. Op het label staat Swann\. De kennisbank koppelt het merk Swann aan Hikvision \(zekerheid: laag\)\. Hikvision valt onder een maatregel die de gemeente volgt; daarom weegt deze bevinding zwaarder\./);
    expect(f.why.en).toMatch(/The knowledge base links the brand Swann to Hikvision \(low confidence\)\. Hikvision is named in a measure the municipality adopts, so this finding weighs more\./);
    expect(f.evidence).toContainEqual({ ref: 'kb:brand:swann', value: 'Swann → hikvision (oem_whitelabel, low)' });
    expect(f.evidence).toContainEqual({ ref: 'kb:vendor:hikvision', value: 'named in adopted measures: us-ndaa-fy2019-s889, us-fcc-covered-list-2021, uk-sensitive-sites-2022' });
    expect(f.uncertain).toMatch(/^the label Swann points to hikvision \(kb:brand:swann: oem_whitelabel, low confidence\); a label alone does not prove the maker, so verify it on the device\. brand swann: /);
    expect(f.sources.length).toBeGreaterThan(0);
    const lorex = finding(device({ manufacturer: null, brand: 'Lorex', identityConfidence: null }), 'manufacturer_unidentified')!;
    expect(lorex.severity).toBe('medium');
    expect(lorex.evidence).toContainEqual({ ref: 'kb:brand:lorex', value: 'Lorex → dahua (former_subsidiary, medium)' });
  });

  it('names every maker a label may stand for', () => {
    const f = finding(device({ manufacturer: null, brand: 'Honeywell', identityConfidence: null }), 'manufacturer_unidentified')!;
    expect(f.why.nl).toMatch(/koppelt het merk Honeywell aan Hikvision of Dahua \(zekerheid: laag\)\. Hikvision en Dahua vallen onder een maatregel/);
  });

  it('keeps the policy\'s severity when the label points to no restricted maker, or nowhere', () => {
    const unrestricted = finding(device({ manufacturer: null, brand: 'Swann', identityConfidence: null }), 'manufacturer_unidentified', policyWith('measures: []'))!;
    expect(unrestricted.severity).toBe('low');
    expect(unrestricted.evidence).toContainEqual({ ref: 'kb:brand:swann', value: 'Swann → hikvision (oem_whitelabel, low)' });
    expect(unrestricted.why.nl).not.toMatch(/weegt deze bevinding zwaarder/);
    const acme = finding(device({ manufacturer: null, brand: 'Acme', identityConfidence: null }), 'manufacturer_unidentified')!;
    expect(acme.severity).toBe('low');
    expect(acme.uncertain).toBeUndefined();
    expect(acme.evidence.map((e) => e.ref)).not.toContain('kb:brand:acme');
  });

  it('does not fire for a confident identification or a maker a person recorded', () => {
    // A maker on the register's label alone (0.35) is accepted under the default policy.
    expect(finding(device({ identityConfidence: 0.35 }), 'manufacturer_unidentified')).toBeUndefined();
    expect(finding(device({ identityConfidence: null }), 'manufacturer_unidentified')).toBeUndefined();
  });
});

describe('no_legal_basis', () => {
  it('fires for a public-space camera without a legal basis, citing art. 151c', () => {
    const f = finding(device({ site: site('public_space'), legalBasis: null }), 'no_legal_basis')!;
    expect(f).toMatchObject({ severity: 'medium', action: 'record_legal_basis' });
    expect(f.why.nl).toMatch(/^Deze camera filmt de openbare ruimte, maar er is geen wettelijke grondslag vastgelegd\..*Gemeentewet art\. 151c/);
    expect(f.evidence).toContainEqual({ ref: 'kb:legal:nl-gemeentewet-151c', value: 'Camera surveillance in public space by the mayor' });
    expect(f.sources.length).toBeGreaterThan(0);
    // legal.yaml marks the article "verify": the finding passes that on.
    expect(f.uncertain).toMatch(/^legal nl-gemeentewet-151c: /);
  });

  it('fires without a DPIA, citing GDPR art. 35', () => {
    const f = finding(device({ site: site('public_space'), custom: {} }), 'no_legal_basis')!;
    expect(f.why.en).toMatch(/but no DPIA is recorded\./);
    expect(f.evidence).toContainEqual({ ref: 'device.legalBasis', value: 'AVG art. 6 lid 1 sub e' });
    expect(f.evidence.map((e) => e.ref)).toContain('kb:legal:eu-gdpr-art-35-dpia');
  });

  it('does not fire with both recorded, or away from public space', () => {
    expect(finding(device({ site: site('public_space') }), 'no_legal_basis')).toBeUndefined();
    expect(finding(device({ site: site('parking_garage'), legalBasis: null, custom: {} }), 'no_legal_basis')).toBeUndefined();
  });
});

describe('retention_above_limit', () => {
  it('fires when images are kept longer than the policy allows', () => {
    const f = finding(device({ retentionDays: 60 }), 'retention_above_limit')!;
    expect(f).toMatchObject({ severity: 'medium', likelihood: 'high', impact: 'medium', action: 'reduce_retention' });
    expect(f.why.nl).toBe('Beelden van deze camera worden 60 dagen bewaard; het beleid staat hoogstens 28 dagen toe. Verkort de bewaartermijn, of leg vast waarom langer bewaren nodig is.');
    expect(f.evidence.slice(0, 2)).toEqual([{ ref: 'device.retentionDays', value: '60' }, { ref: 'policy.thresholds.max_retention_days', value: '28' }]);
  });

  it('does not fire at the limit or without a recorded retention', () => {
    expect(finding(device({ retentionDays: 28 }), 'retention_above_limit')).toBeUndefined();
    expect(finding(device({ retentionDays: null }), 'retention_above_limit')).toBeUndefined();
  });
});
