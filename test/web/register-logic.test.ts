// The register pages' rules without a browser: filters and paging in the address, API errors
// placed at their fields, the true maker beside the brand, remembered columns and history changes.
import { describe, expect, it } from 'vitest';
import {
  bulkAllowed, changedFields, chosenColumns, DEVICE_FILTER_KEYS, fieldErrors, filtersFrom, highestSeverity, otherMaker, plainValue, positionFrom, withChanges,
} from '../../web/src/pages/register/register-logic.js';

describe('filters and paging in the address', () => {
  it('reads only known, non-empty filters', () => {
    const search = new URLSearchParams('manufacturer=hikvision&kind=&sort=-model&bogus=1&q=%20CAM-1%20');
    expect(filtersFrom(search, DEVICE_FILTER_KEYS)).toEqual({ manufacturer: 'hikvision', q: 'CAM-1' });
  });

  it('reads sort, page size and page, refusing sizes the list does not offer and pages without a cursor', () => {
    expect(positionFrom(new URLSearchParams('sort=-model&limit=100&cursor=abc&page=3'), 50)).toEqual({ sort: '-model', limit: 100, cursor: 'abc', page: 3 });
    expect(positionFrom(new URLSearchParams('limit=5000&page=4'), 50)).toEqual({ sort: undefined, limit: 50, cursor: undefined, page: 1 });
  });

  it('starts at the first page when anything but the page changes', () => {
    const search = new URLSearchParams('kind=camera&cursor=abc&page=2');
    expect(withChanges(search, { status: 'active' })).toBe('kind=camera&status=active');
    expect(withChanges(search, { kind: undefined })).toBe('');
    expect(withChanges(search, { cursor: 'def', page: '3' }, true)).toBe('cursor=def&kind=camera&page=3');
  });
});

describe('API errors at their fields', () => {
  it('splits a validation detail per field and keeps the rest general', () => {
    const detail = 'body.name: Too small: expected string to have >=1 characters; body.category: Invalid option; something else went wrong';
    expect(fieldErrors(detail, ['name', 'category'])).toEqual({
      byField: { name: 'Too small: expected string to have >=1 characters', category: 'Invalid option' },
      general: ['something else went wrong'],
    });
  });

  it('reads edit errors named by the field alone, and a name clash as the name\'s', () => {
    expect(fieldErrors('retentionDays: "abc" is not a retention period', ['retentionDays']).byField).toEqual({ retentionDays: '"abc" is not a retention period' });
    expect(fieldErrors('site fa8f is already named "De Horst"', ['name']).byField.name).toContain('already named');
    expect(fieldErrors('cidrs: "x" is not an address range', ['name'])).toEqual({ byField: {}, general: ['cidrs: "x" is not an address range'] });
    expect(fieldErrors(undefined, ['name'])).toEqual({ byField: {}, general: [] });
  });
});

describe('the true maker beside the brand', () => {
  const vendors = new Map([['hikvision', { id: 'hikvision', name: 'Hikvision', aliases: ['HIKVISION Digital'] }], ['axis', { id: 'axis', name: 'Axis', aliases: ['Axis Communications'] }]]);
  it('names the maker when the label is another brand', () => {
    expect(otherMaker('HiWatch', 'hikvision', vendors)).toBe('Hikvision');
    expect(otherMaker(null, 'hikvision', vendors)).toBe('Hikvision');
  });
  it('says nothing when the brand is the maker, under any spelling, or the maker is unknown', () => {
    expect(otherMaker('Hikvision', 'hikvision', vendors)).toBeNull();
    expect(otherMaker('AXIS communications', 'axis', vendors)).toBeNull();
    expect(otherMaker('Axis', null, vendors)).toBeNull();
  });
  it('shows an unknown maker id as it is', () => {
    expect(otherMaker('Foo', 'acme', vendors)).toBe('acme');
  });
});

describe('remembered columns', () => {
  const all = ['brand', 'model', 'ip', 'risk'];
  it('keeps known choices in the table order and falls back to the defaults', () => {
    expect(chosenColumns('["ip","brand","gone"]', all, ['brand'])).toEqual(['brand', 'ip']);
    expect(chosenColumns(null, all, ['brand', 'risk'])).toEqual(['brand', 'risk']);
    expect(chosenColumns('not json', all, ['model'])).toEqual(['model']);
    expect(chosenColumns('[]', all, ['model'])).toEqual(['model']);
  });
});

describe('history and risk', () => {
  it('lists what an entry changed', () => {
    expect(changedFields({ ip: '10.0.0.1', status: 'active' }, { ip: '10.0.0.2', status: 'active', purpose: 'x' })).toEqual([
      { field: 'ip', before: '10.0.0.1', after: '10.0.0.2' },
      { field: 'purpose', before: null, after: 'x' },
    ]);
    expect(changedFields(null, { kind: 'camera' })).toEqual([{ field: 'kind', before: null, after: 'camera' }]);
  });
  it('writes values as one line', () => {
    expect(plainValue(null)).toBe('—');
    expect(plainValue(['anpr', 'face_recognition'])).toBe('anpr, face_recognition');
    expect(plainValue({ lat: 52.1, lon: 6.4, original: {} })).toBe('52.1, 6.4');
    expect(plainValue({ manufacturer: 'hikvision', confidence: 0.8 })).toBe('hikvision');
  });
  it('takes the most serious finding that counts, leaving waived ones out', () => {
    expect(highestSeverity([{ severity: 'medium', status: 'open' }, { severity: 'critical', status: 'waived' }, { severity: 'high', status: 'lapsed' }])).toBe('high');
    expect(highestSeverity([{ severity: 'low', status: 'waived' }])).toBeNull();
    expect(highestSeverity([])).toBeNull();
  });
  it('allows selecting all matching devices only up to the bulk limit', () => {
    expect(bulkAllowed(1000, 1000)).toBe(true);
    expect(bulkAllowed(1001, 1000)).toBe(false);
    expect(bulkAllowed(0, 1000)).toBe(false);
  });
});
