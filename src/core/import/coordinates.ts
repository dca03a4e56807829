// Positions from spreadsheets: WGS84 or RD New (EPSG:28992), told apart by range, and the repair
// of numbers that a spreadsheet round-trip mangled — only when exactly one reading is possible.
import proj4 from 'proj4';
import type { BBox, Position } from '../model.js';
import type { Parsed } from './values.js';

const RD_NEW =
  '+proj=sterea +lat_0=52.15616055555555 +lon_0=5.38763888888889 +k=0.9999079 +x_0=155000 +y_0=463000 ' +
  '+ellps=bessel +towgs84=565.417,50.3319,465.552,-0.398957,0.343988,-1.8774,4.0725 +units=m +no_defs';
const rd = proj4(RD_NEW, 'WGS84');

export function rdToWgs84(x: number, y: number): { lat: number; lon: number } {
  const [lon, lat] = rd.forward([x, y]);
  return { lat: lat!, lon: lon! };
}

export function wgs84ToRd(lat: number, lon: number): { x: number; y: number } {
  const [x, y] = rd.inverse([lon, lat]);
  return { x: x!, y: y! };
}

export type Axis = 'lat' | 'lon' | 'x' | 'y';

// RD New's validity area, slightly generous; WGS84 ranges are the globe's.
const RD_X: readonly [number, number] = [-7000, 300000];
const RD_Y: readonly [number, number] = [289000, 629000];

function plausible(axis: Axis, v: number): boolean {
  switch (axis) {
    case 'lat':
      return v >= -90 && v <= 90;
    case 'lon':
      return v >= -180 && v <= 180;
    // x/y columns hold RD metres, but some registers put WGS84 degrees in them.
    case 'x':
      return (v >= RD_X[0] && v <= RD_X[1]) || (v >= -180 && v <= 180);
    case 'y':
      return (v >= RD_Y[0] && v <= RD_Y[1]) || (v >= -90 && v <= 90);
  }
}

/** A cell read as a number: decimal comma and unambiguous thousands separators accepted. */
export function parsePlainNumber(text: string): number | null {
  const t = text.trim().replace(/\s/g, '');
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  if (/^-?\d+,\d+$/.test(t)) return Number(t.replace(',', '.'));
  // Both separators present: the last one is the decimal mark.
  if (/^-?\d{1,3}(\.\d{3})+,\d+$/.test(t)) return Number(t.replace(/\./g, '').replace(',', '.'));
  if (/^-?\d{1,3}(,\d{3})+\.\d+$/.test(t)) return Number(t.replace(/,/g, ''));
  return null;
}

/** Digits of a value that lost its decimal mark (`461.993.881`, `461993881`), or null. */
export function mangledDigits(text: string, axis: Axis): string | null {
  const t = text.trim();
  const plain = parsePlainNumber(t);
  if (plain !== null && plausible(axis, plain)) return null;
  if (!/^-?\d+([.,]\d+)*$/.test(t)) return null;
  return t.replace(/[.,]/g, '');
}

/** The range an axis must fall in for a position inside `area`. */
function axisRange(axis: Axis, area: BBox): readonly [number, number] {
  const [minLon, minLat, maxLon, maxLat] = area;
  if (axis === 'lat') return [minLat, maxLat];
  if (axis === 'lon') return [minLon, maxLon];
  const corners = [
    wgs84ToRd(minLat, minLon), wgs84ToRd(minLat, maxLon), wgs84ToRd(maxLat, minLon), wgs84ToRd(maxLat, maxLon),
    wgs84ToRd(minLat, (minLon + maxLon) / 2), wgs84ToRd(maxLat, (minLon + maxLon) / 2),
  ];
  const vals = corners.map((c) => (axis === 'x' ? c.x : c.y));
  return [Math.min(...vals), Math.max(...vals)];
}

/**
 * What one pass over a coordinate column learns about mangled values, in constant memory: for
 * each possible decimal placement, whether every mangled value would then lie inside the area.
 */
export interface ColumnProfile {
  axis: Axis;
  header: string;
  mangled: number;
  example: string | null;
  digitCounts: Set<number>;
  /** digits before the decimal point → still possible. */
  placements: Map<number, boolean>;
}

export function newProfile(axis: Axis, header: string): ColumnProfile {
  return { axis, header, mangled: 0, example: null, digitCounts: new Set(), placements: new Map() };
}

export function profileValue(profile: ColumnProfile, text: string, area: BBox): void {
  const digits = mangledDigits(text, profile.axis);
  if (digits === null) return;
  profile.mangled += 1;
  profile.example ??= text.trim();
  const negative = digits.startsWith('-');
  const body = negative ? digits.slice(1) : digits;
  profile.digitCounts.add(body.length);
  const [lo, hi] = axisRange(profile.axis, area);
  for (let before = 1; before <= body.length; before++) {
    const v = (negative ? -1 : 1) * Number(body) / 10 ** (body.length - before);
    const inside = v >= lo && v <= hi;
    profile.placements.set(before, (profile.placements.get(before) ?? true) && inside);
  }
}

/** How to read a column's mangled values, decided once for the whole file. */
export interface Repair {
  axis: Axis;
  header: string;
  /** Digits before the decimal point. */
  before: number;
  count: number;
  example: string;
}

export function decideRepair(profile: ColumnProfile): Repair | null {
  if (profile.mangled === 0 || profile.digitCounts.size !== 1) return null;
  const viable = [...profile.placements].filter(([, inside]) => inside).map(([before]) => before);
  if (viable.length !== 1) return null;
  return { axis: profile.axis, header: profile.header, before: viable[0]!, count: profile.mangled, example: profile.example! };
}

export function repairedExample(repair: Repair): number {
  return applyRepair(repair.example, repair)!;
}

function applyRepair(text: string, repair: Repair): number | null {
  const digits = mangledDigits(text, repair.axis);
  if (digits === null) return null;
  const negative = digits.startsWith('-');
  const body = negative ? digits.slice(1) : digits;
  return ((negative ? -1 : 1) * Number(body)) / 10 ** (body.length - repair.before);
}

/** One coordinate cell: plain, or repaired by the file's decision, or an error saying why not. */
export function readCoordinate(text: string, axis: Axis, repair: Repair | undefined): Parsed<number> {
  const plain = parsePlainNumber(text);
  if (plain !== null && plausible(axis, plain)) return { ok: true, value: plain };
  // RD New metres in a latitude/longitude column: say so, rather than suspect a lost separator.
  if (plain !== null && (axis === 'lat' || axis === 'lon') && ((plain >= RD_X[0] && plain <= RD_X[1]) || (plain >= RD_Y[0] && plain <= RD_Y[1])) && !repair) {
    return { ok: false, reason: `"${text.trim()}" looks like RD New (EPSG:28992) metres, not ${axisName(axis)} degrees; map the columns as x and y (--map "Column=x")` };
  }
  if (mangledDigits(text, axis) !== null) {
    if (repair) {
      const value = applyRepair(text, repair);
      if (value !== null) return { ok: true, value };
    }
    return {
      ok: false,
      reason:
        `"${text.trim()}" is not a valid ${axisName(axis)}; it looks like a number whose decimal separator was lost, ` +
        'but the column does not allow a single unambiguous reading (give --area or fix the file)',
    };
  }
  return { ok: false, reason: `"${text.trim()}" is not a number` };
}

function axisName(axis: Axis): string {
  return axis === 'lat' ? 'latitude' : axis === 'lon' ? 'longitude' : `${axis} coordinate`;
}

export function insideArea(lat: number, lon: number, area: BBox): boolean {
  return lon >= area[0] && lon <= area[2] && lat >= area[1] && lat <= area[3];
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/** A position from lat/lon or x/y, with the CRS told apart by range; rejects points outside the area. */
export function toPosition(
  input: { lat?: number; lon?: number; x?: number; y?: number },
  area: BBox,
): Parsed<Position> {
  let position: Position;
  if (input.lat !== undefined && input.lon !== undefined) {
    position = { lat: input.lat, lon: input.lon, original: { x: input.lon, y: input.lat, crs: 'EPSG:4326' } };
  } else if (input.x !== undefined && input.y !== undefined) {
    const { x, y } = input;
    if (x >= -180 && x <= 180 && y >= -90 && y <= 90) {
      position = { lat: y, lon: x, original: { x, y, crs: 'EPSG:4326' } };
    } else if (x >= RD_X[0] && x <= RD_X[1] && y >= RD_Y[0] && y <= RD_Y[1]) {
      const { lat, lon } = rdToWgs84(x, y);
      position = { lat: round(lat, 7), lon: round(lon, 7), original: { x, y, crs: 'EPSG:28992' } };
    } else {
      return { ok: false, reason: `(${x}, ${y}) is neither WGS84 degrees nor RD New (EPSG:28992) metres` };
    }
  } else {
    return { ok: false, reason: 'a position needs both coordinates' };
  }
  if (!insideArea(position.lat, position.lon, area)) {
    const swapped = insideArea(position.lon, position.lat, area) ? '; latitude and longitude look swapped' : '';
    return {
      ok: false,
      reason: `position ${position.lat}, ${position.lon} lies outside the area [${area.join(', ')}]${swapped}`,
    };
  }
  return { ok: true, value: position };
}
