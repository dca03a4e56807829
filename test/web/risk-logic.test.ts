// The risk page's filters, counts, waiver messages and source links.
import { describe, expect, it } from 'vitest';
import { RULES as SERVER_RULES } from '../../src/core/assess/types.js';
import {
  countBySeverity, filterParams, kbRecordOf, readFilters, RULES, ruleWord, sourceLink, todayInAmsterdam, waiverFieldOf, waiverProblemOf,
} from '../../web/src/pages/risk/risk-logic.js';

const DEVICE = '0f1fe0ef-a832-41c0-9066-cb7ea61f0207';

describe('filters in the address', () => {
  it('reads known values and drops the rest', () => {
    const params = new URLSearchParams({ severity: 'high,bogus,critical', status: 'waived', rule: 'restricted_manufacturer', device: DEVICE });
    expect(readFilters(params)).toEqual({ severity: ['high', 'critical'], status: ['waived'], rule: 'restricted_manufacturer', device: DEVICE });
    expect(readFilters(new URLSearchParams({ rule: 'no_such_rule', device: '0f1fe0ef' }))).toEqual({ severity: [], status: [], rule: '', device: '' });
  });

  it('writes only the filters that are set, and reads back what it wrote', () => {
    expect(filterParams({ severity: [], status: [], rule: '', device: '' })).toEqual({});
    const filters = { severity: ['critical' as const, 'high' as const], status: ['open' as const], rule: 'vendor_cloud', device: DEVICE };
    expect(readFilters(new URLSearchParams(filterParams(filters)))).toEqual(filters);
  });

  it('has words for every rule the assessment has', () => {
    expect([...RULES].sort()).toEqual([...SERVER_RULES].sort());
    expect(ruleWord('nl', 'restricted_manufacturer')).toBe('Fabrikant met beperkende maatregelen');
    expect(ruleWord('en', 'something_new')).toBe('something_new');
  });
});

describe('counts by severity', () => {
  it('counts every severity, zero included, by state', () => {
    const counts = countBySeverity([
      { severity: 'high', status: 'open' }, { severity: 'high', status: 'waived' }, { severity: 'critical', status: 'lapsed' },
      { severity: 'high', status: 'open' }, { severity: 'unknown', status: 'open' },
    ]);
    expect(counts.map((c) => c.severity)).toEqual(['critical', 'high', 'medium', 'low', 'info']);
    expect(counts[0]).toEqual({ severity: 'critical', total: 1, open: 0, waived: 0, lapsed: 1 });
    expect(counts[1]).toEqual({ severity: 'high', total: 3, open: 2, waived: 1, lapsed: 0 });
    expect(counts[2]!.total).toBe(0);
  });
});

describe('waiver refusals', () => {
  it('finds the field each of the server\'s messages is about', () => {
    expect(waiverFieldOf('a waiver needs reason: why the organisation accepts this risk')).toBe('reason');
    expect(waiverFieldOf('until "": give the last day the waiver holds as YYYY-MM-DD')).toBe('until');
    expect(waiverFieldOf('until 2020-01-01 lies in the past; a waiver must hold until today or later')).toBe('until');
    expect(waiverFieldOf('approver must name the person who accepts the risk')).toBe('approver');
    expect(waiverFieldOf('body.reason: Too big: expected string to have <=2000 characters')).toBe('reason');
    expect(waiverFieldOf('unknown rule "x"; rules: restricted_manufacturer, human_rights')).toBe('rule');
    expect(waiverFieldOf('something else entirely')).toBeNull();
  });

  it('recognises the known refusals to say them in the page\'s language', () => {
    expect(waiverProblemOf('a waiver needs reason: why the organisation accepts this risk')).toBe('reasonMissing');
    expect(waiverProblemOf('until "31-03-2027": give the last day the waiver holds as YYYY-MM-DD')).toBe('untilFormat');
    expect(waiverProblemOf('until 2020-01-01 lies in the past; a waiver must hold until today or later')).toBe('untilPast');
    expect(waiverProblemOf('approver must name the person who accepts the risk')).toBe('approverMissing');
    expect(waiverProblemOf('body.reason: Too big')).toBeNull();
  });

  it('dates today in the Netherlands, not in UTC', () => {
    // 23:30 UTC on 30 June is already 1 July in Amsterdam (summer time, UTC+2).
    expect(todayInAmsterdam(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01');
    expect(todayInAmsterdam(new Date('2026-01-15T12:00:00Z'))).toBe('2026-01-15');
  });
});

describe('sources and evidence', () => {
  it('links URLs, pinned repository files, and leaves other references as text', () => {
    expect(sourceLink({ url: 'https://example.org/a', title: 'A' })).toEqual({ href: 'https://example.org/a', text: 'A' });
    expect(sourceLink({ url: 'https://example.org/b' })).toEqual({ href: 'https://example.org/b', text: 'https://example.org/b' });
    expect(sourceLink({ ref: 'cvelistV5:cves/2021/33xxx/CVE-2021-33044.json@15e82d55e42cccf5cb84687e42c5490862ba2976' })).toEqual({
      href: 'https://github.com/CVEProject/cvelistV5/blob/15e82d55e42cccf5cb84687e42c5490862ba2976/cves/2021/33xxx/CVE-2021-33044.json',
      text: 'cvelistV5:cves/2021/33xxx/CVE-2021-33044.json',
    });
    expect(sourceLink({ ref: 'cisagov/kev-data@eacf03ec6637cc7be6d3d4ed50785493da5126a2:known_exploited_vulnerabilities.json' })).toEqual({
      href: 'https://github.com/cisagov/kev-data/blob/eacf03ec6637cc7be6d3d4ed50785493da5126a2/known_exploited_vulnerabilities.json',
      text: 'cisagov/kev-data: known_exploited_vulnerabilities.json',
    });
    expect(sourceLink({ ref: 'oui.tsv (npm oui-data@2.1.9)' })).toEqual({ href: null, text: 'oui.tsv (npm oui-data@2.1.9)' });
    expect(sourceLink({ url: 'javascript:alert(1)' })).toEqual({ href: null, text: 'javascript:alert(1)' });
  });

  it('reads a knowledge-base reference from evidence', () => {
    expect(kbRecordOf('kb:vulnerability:CVE-2021-33044')).toEqual({ section: 'vulnerability', id: 'CVE-2021-33044' });
    expect(kbRecordOf('device.model')).toBeNull();
  });
});
