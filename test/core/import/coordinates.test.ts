import { describe, expect, it } from 'vitest';
import {
  decideRepair, newProfile, parsePlainNumber, profileValue, readCoordinate, rdToWgs84, toPosition, wgs84ToRd,
} from '../../../src/core/import/coordinates.js';
import { NETHERLANDS_BBOX } from '../../../src/core/model.js';

describe('coordinates', () => {
  it('converts RD New to WGS84 at the Amersfoort reference point', () => {
    // The RD origin (155000, 463000) is the tower of the Onze Lieve Vrouwetoren, Amersfoort.
    const { lat, lon } = rdToWgs84(155000, 463000);
    expect(lat).toBeCloseTo(52.15517, 4);
    expect(lon).toBeCloseTo(5.38721, 4);
    const back = wgs84ToRd(lat, lon);
    expect(back.x).toBeCloseTo(155000, 1);
    expect(back.y).toBeCloseTo(463000, 1);
  });

  it('tells WGS84 and RD apart by range and rejects points outside the area', () => {
    const rd = toPosition({ x: 155000, y: 463000 }, NETHERLANDS_BBOX);
    expect(rd.ok && rd.value.original.crs).toBe('EPSG:28992');
    const wgs = toPosition({ x: 5.1, y: 52.1 }, NETHERLANDS_BBOX);
    expect(wgs.ok && wgs.value.original.crs).toBe('EPSG:4326');
    const swapped = toPosition({ lat: 5.1, lon: 52.1 }, NETHERLANDS_BBOX);
    expect(swapped.ok ? '' : swapped.reason).toMatch(/outside the area.*swapped/);
  });

  it('reads decimal commas and unambiguous thousands separators', () => {
    expect(parsePlainNumber('52,3676')).toBe(52.3676);
    expect(parsePlainNumber('155.000,5')).toBe(155000.5);
    expect(parsePlainNumber('155,000.5')).toBe(155000.5);
    expect(parsePlainNumber('461.993.881')).toBeNull();
  });

  it('repairs a column of mangled numbers only when one reading fits the area', () => {
    const lat = newProfile('lat', 'Latitude');
    for (const v of ['520.912.345', '521.001.234', '52.1']) profileValue(lat, v, NETHERLANDS_BBOX);
    const repair = decideRepair(lat)!;
    expect(repair).toMatchObject({ before: 2, count: 2, example: '520.912.345' });
    expect(readCoordinate('521.001.234', 'lat', repair)).toEqual({ ok: true, value: 52.1001234 });

    // 461.993.881 reads as 46.19 or 4.62 — neither is a Dutch latitude.
    const swiss = newProfile('lat', 'Latitude');
    profileValue(swiss, '461.993.881', NETHERLANDS_BBOX);
    expect(decideRepair(swiss)).toBeNull();

    const mixed = newProfile('lat', 'Latitude');
    for (const v of ['520.912.345', '52.091.234']) profileValue(mixed, v, NETHERLANDS_BBOX);
    expect(decideRepair(mixed)).toBeNull();
    const refused = readCoordinate('52.091.234', 'lat', undefined);
    expect(refused.ok ? '' : refused.reason).toMatch(/decimal separator was lost/);
  });
});
