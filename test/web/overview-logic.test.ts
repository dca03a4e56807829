// The overview page's link from a figure to the device list, shares, and source de-duplication.
import { describe, expect, it } from 'vitest';
import { devicesHref, distinctSources, percentage } from '../../web/src/pages/overview/overview-logic.js';

describe('overview logic', () => {
  it('links a figure to the device list with exactly its filter, keys in a stable order', () => {
    expect(devicesHref('demo', { status: 'discovered,active', manufacturer: 'hikvision' }))
      .toBe('/o/demo/devices?manufacturer=hikvision&status=discovered%2Cactive');
    expect(devicesHref('demo', { rule: 'known_exploited_vulnerability' })).toBe('/o/demo/devices?rule=known_exploited_vulnerability');
    expect(devicesHref('a b', {})).toBe('/o/a%20b/devices');
    expect(devicesHref('demo', { brand: 'HiWatch & co', q: '' })).toBe('/o/demo/devices?brand=HiWatch+%26+co');
    // The register page reads these back as they were given.
    const back = new URL(`http://x${devicesHref('demo', { category: 'office,school', oem: 'true' })}`).searchParams;
    expect(Object.fromEntries(back)).toEqual({ category: 'office,school', oem: 'true' });
  });

  it('gives whole percentages and none of nothing', () => {
    expect(percentage(1, 3)).toBe(33);
    expect(percentage(2, 3)).toBe(67);
    expect(percentage(5, 0)).toBe(0);
  });

  it('lists each source once, by where it points', () => {
    const a = { url: 'https://a.example', title: 'A' };
    const b = { url: null, title: 'B', ref: 'repo@1' };
    expect(distinctSources([a, b, { ...a, title: 'A again' }, { ...b }])).toEqual([a, b]);
  });
});
