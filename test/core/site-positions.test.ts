// Who sees a site's position how precisely: the rule behind the map and the site routes.
import { describe, expect, it } from 'vitest';
import { generalise, siteForCaller, sitePrecision } from '../../src/core/map/site-positions.js';
import { DEFAULT_PUBLICATION } from '../../src/core/model.js';

const SECRET_EXACT = { ...DEFAULT_PUBLICATION, location_exact: 'secret' as const };
const SITE = {
  name: 'Markt', address: 'Markt 1', postcode: '1234 AB', bagId: '0344100000012345',
  position: { lat: 52.091234, lon: 5.121987, original: { x: 136503.2, y: 456110.9, crs: 'EPSG:28992' as const } },
};

describe('sitePrecision', () => {
  it('is exact for everyone while no exact position is secret', () => {
    expect(sitePrecision(DEFAULT_PUBLICATION, [{}, { serial: 'secret' }], false)).toBe('exact');
  });
  it('is approximate for readers where the policy or any device makes the exact position secret', () => {
    expect(sitePrecision(SECRET_EXACT, [], false)).toBe('approximate');
    expect(sitePrecision(DEFAULT_PUBLICATION, [{}, { location_exact: 'secret' }], false)).toBe('approximate');
    // A device cannot open what the organisation keeps secret.
    expect(sitePrecision(SECRET_EXACT, [{ location_exact: 'public' }], false)).toBe('approximate');
  });
  it('withholds the position where the area is secret too, and never from writers', () => {
    expect(sitePrecision(SECRET_EXACT, [{ location_area: 'secret' }], false)).toBe('withheld');
    expect(sitePrecision(SECRET_EXACT, [{ location_area: 'secret' }], true)).toBe('exact');
  });
});

describe('siteForCaller', () => {
  it('rounds to two decimals and drops what pins the site down', () => {
    expect(generalise(SITE.position)).toEqual({ lat: 52.09, lon: 5.12 });
    expect(siteForCaller(SITE, 'approximate')).toEqual({
      name: 'Markt', address: null, postcode: null, bagId: null, positionPrecision: 'approximate',
      position: { lat: 52.09, lon: 5.12, original: { x: 5.12, y: 52.09, crs: 'EPSG:4326' } },
    });
    expect(siteForCaller(SITE, 'withheld')).toMatchObject({ position: null, address: null, positionPrecision: 'withheld' });
    expect(siteForCaller(SITE, 'exact')).toEqual({ ...SITE, positionPrecision: 'exact' });
    // Without coordinates the address still pins the site down: it goes too.
    expect(siteForCaller({ ...SITE, position: null }, 'approximate')).toMatchObject({ address: null, bagId: null, positionPrecision: null });
    expect(siteForCaller({ ...SITE, position: null }, 'exact')).toMatchObject({ address: 'Markt 1', positionPrecision: null });
  });
});
