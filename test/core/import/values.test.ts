import { describe, expect, it } from 'vitest';
import {
  neutralise, normaliseReference, parseAnalytics, parseConnectivity, parseDate, parseIp, parseKind, parseMac,
  parseRetention, parseStatus, unneutralise,
} from '../../../src/core/import/values.js';

const value = <T>(p: { ok: true; value: T } | { ok: false; reason: string }) => (p.ok ? p.value : `ERR ${p.reason}`);

describe('cell parsers', () => {
  it.each([
    ['2021-03-15', '2021-03-15'], ['15-03-2021', '2021-03-15'], ['15/03/21', '2021-03-15'], ['1.6.2019', '2019-06-01'],
    ['10/Nov/21', '2021-11-10'], ['3 mrt 2020', '2020-03-03'], [44561, '2021-12-31'], ['44561', '2021-12-31'],
    ['2021-03-15T10:00:00Z', '2021-03-15'], ['01/06/75', '1975-06-01'],
  ])('reads the date %s', (input, expected) => {
    expect(value(parseDate(input))).toBe(expected);
  });

  it('refuses impossible dates and non-dates', () => {
    expect(value(parseDate('31-02-2020'))).toMatch(/not a valid calendar date/);
    expect(value(parseDate('volgend jaar'))).toMatch(/is not a date/);
  });

  it('normalises MAC and IP addresses and refuses bad ones', () => {
    expect(value(parseMac('44-19-B6-01-02-03'))).toBe('44:19:b6:01:02:03');
    expect(value(parseMac('4419.b601.0203'))).toBe('44:19:b6:01:02:03');
    expect(value(parseMac('44:19:b6:01:02'))).toMatch(/not a MAC/);
    expect(value(parseIp('10.0.0.1'))).toBe('10.0.0.1');
    expect(value(parseIp('::ffff:10.0.0.1'))).toBe('10.0.0.1');
    expect(value(parseIp('fe80::1'))).toBe('fe80::1');
    expect(value(parseIp('10.0.0.300'))).toMatch(/not an IP/);
    expect(value(parseIp('10.1'))).toMatch(/dotted-quad/);
  });

  it('reads retention in Dutch and English units, rounding hours up', () => {
    expect(value(parseRetention('28'))).toBe(28);
    expect(value(parseRetention('28 dagen'))).toBe(28);
    expect(value(parseRetention('4 weken'))).toBe(28);
    expect(value(parseRetention('72 uur'))).toBe(3);
    expect(value(parseRetention('36h'))).toBe(2);
    expect(value(parseRetention('1 maand'))).toBe(30);
    expect(value(parseRetention('lang'))).toMatch(/not a retention period/);
    expect(value(parseRetention('3 jaar'))).toMatch(/unknown unit/);
  });

  it('maps Dutch vocabulary and refuses unknown statuses', () => {
    expect(value(parseStatus('Buiten gebruik'))).toBe('decommissioned');
    expect(value(parseStatus('actief'))).toBe('active');
    expect(value(parseStatus('kapot'))).toMatch(/unknown status "kapot"/);
    expect(value(parseConnectivity('Gesloten netwerk'))).toBe('isolated');
    expect(value(parseKind('Optische / camera sensor'))).toBe('camera');
    expect(value(parseKind('NVR 16 kanaals'))).toBe('recorder');
    expect(value(parseKind('Chemiesensor'))).toBe('other');
    expect(value(parseAnalytics('ANPR; gezichtsherkenning'))).toEqual(['anpr', 'face_recognition']);
    expect(value(parseAnalytics('geen'))).toEqual([]);
    expect(value(parseAnalytics('telling'))).toMatch(/unknown analytics/);
  });

  it('removes only the Excel float artefact from references', () => {
    expect(normaliseReference('7079-2296.0')).toBe('7079-2296');
    expect(normaliseReference('12345.0')).toBe('12345');
    expect(normaliseReference('7079-2296.1')).toBe('7079-2296.1');
  });

  it('neutralises formula cells and reads them back unchanged', () => {
    for (const text of ['=1+1', '+31 6', '-5', '@SUM(A1)', '\tx']) {
      expect(neutralise(text)).toBe(`'${text}`);
      expect(unneutralise(neutralise(text))).toBe(text);
    }
    expect(neutralise('camera')).toBe('camera');
  });
});
