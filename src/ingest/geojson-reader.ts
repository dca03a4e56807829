// GeoJSON layers (a GIS export of camera points) read as a table: one row per feature, the
// properties as columns and the point as two coordinate columns, so the ordinary column mapping
// and row-level import apply unchanged.
import { CamauditError } from '../core/errors.js';
import type { Cell, SourceRow } from '../core/import/record.js';
import type { ReadOptions, SourceTable } from './table.js';
import { readBoundedText } from './xml-guard.js';

/** True for the spellings of EPSG:28992 (RD New) seen in GeoJSON `crs` members and GML srsName. */
export function isRdNewCrsName(name: string): boolean {
  return /^(?:urn:ogc:def:crs:EPSG:[\d.]*:28992|EPSG:28992|https?:\/\/www\.opengis\.net\/def\/crs\/EPSG\/0\/28992)$/i.test(name.trim());
}

const WGS84 = /^(?:urn:ogc:def:crs:OGC:[\d.]*:CRS84|urn:ogc:def:crs:EPSG:[\d.]*:4326|EPSG:4326|https?:\/\/www\.opengis\.net\/def\/crs\/(?:OGC\/1\.3\/CRS84|EPSG\/0\/4326))$/i;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Coordinate column names: RFC 7946 is always WGS84 lon/lat; the pre-2016 `crs` member may say RD. */
function coordinateHeaders(doc: Json, file: string): readonly [string, string] {
  const crs = doc['crs'];
  if (crs === undefined || crs === null) return ['lon', 'lat'];
  const name = isObject(crs) && isObject(crs['properties']) ? crs['properties']['name'] : undefined;
  if (typeof name !== 'string') {
    throw new CamauditError('invalid_input', 'GeoJSON crs member is not a named crs ({"type":"name",...})', { file });
  }
  if (isRdNewCrsName(name)) return ['x', 'y'];
  if (WGS84.test(name.trim())) return ['lon', 'lat'];
  // Guessing would put points in the wrong country; the user can re-export as RFC 7946.
  throw new CamauditError('invalid_input', `GeoJSON crs "${name}" is not supported; use WGS84 (RFC 7946) or EPSG:28992`, { file });
}

function toCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

/** The point of a Point, or of a MultiPoint holding exactly one point (some GIS tools always write Multi). */
function pointOf(geometry: unknown): readonly [number, number] | undefined {
  if (!isObject(geometry)) return undefined;
  let coords = geometry['coordinates'];
  if (geometry['type'] === 'MultiPoint' && Array.isArray(coords) && coords.length === 1) coords = coords[0];
  else if (geometry['type'] !== 'Point') return undefined;
  if (!Array.isArray(coords)) return undefined;
  const [a, b] = coords as unknown[];
  return typeof a === 'number' && typeof b === 'number' && Number.isFinite(a) && Number.isFinite(b) ? [a, b] : undefined;
}

function listRows(rows: readonly number[]): string {
  const shown = rows.slice(0, 20).join(', ');
  return rows.length > 20 ? `${shown}, …` : shown;
}

export async function readGeoJson(file: string, options: ReadOptions): Promise<SourceTable> {
  const text = await readBoundedText(file, options.maxBytes);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new CamauditError('invalid_input', `not valid JSON: ${(err as Error).message}`, { file }, { cause: err });
  }
  if (!isObject(doc) || (doc['type'] !== 'FeatureCollection' && doc['type'] !== 'Feature')) {
    throw new CamauditError('invalid_input', 'not a GeoJSON FeatureCollection or Feature', { file });
  }
  const features = doc['type'] === 'Feature' ? [doc] : doc['features'];
  if (!Array.isArray(features)) {
    throw new CamauditError('invalid_input', 'GeoJSON FeatureCollection has no "features" array', { file });
  }
  const coordinates = coordinateHeaders(doc, file);
  const notes: string[] = [];
  if (coordinates[0] === 'x') notes.push('coordinates read as RD New (EPSG:28992), as the crs member says');

  // Row N = Nth feature (1-based), so a row number leads straight to the feature in a GIS tool.
  const propertyNames: string[] = [];
  const seen = new Set<string>();
  features.forEach((feature: unknown, index) => {
    if (!isObject(feature) || feature['type'] !== 'Feature') {
      throw new CamauditError('invalid_input', 'GeoJSON features must be Feature objects', { file, row: index + 1 });
    }
    const props = feature['properties'];
    if (!isObject(props)) return;
    for (const key of Object.keys(props)) {
      if (!seen.has(key)) {
        seen.add(key);
        propertyNames.push(key);
      }
    }
  });

  // A property called "lat" next to the geometry would give two columns of one name; the
  // geometry wins and the property column is renamed so both stay visible.
  const taken = new Set(coordinates.map((c) => c.toLowerCase()));
  const headers = propertyNames.map((name) => (taken.has(name.toLowerCase()) ? `${name} (property)` : name));
  const renamed = propertyNames.filter((name) => taken.has(name.toLowerCase()));
  if (renamed.length > 0) {
    notes.push(`properties ${renamed.map((n) => `"${n}"`).join(', ')} renamed with " (property)"; the geometry gives the position`);
  }
  headers.push(...coordinates);

  const withoutPoint: number[] = [];
  const rows: SourceRow[] = (features as Json[]).map((feature, index) => {
    const props = isObject(feature['properties']) ? feature['properties'] : {};
    const cells: Cell[] = propertyNames.map((name) => toCell(props[name]));
    const point = pointOf(feature['geometry']);
    // Left empty rather than refused: the row-level import reports "no position" in its own words.
    if (!point) withoutPoint.push(index + 1);
    cells.push(point?.[0] ?? null, point?.[1] ?? null);
    return { row: index + 1, cells };
  });
  if (withoutPoint.length > 0) {
    const n = withoutPoint.length;
    notes.push(`${n} feature${n === 1 ? '' : 's'} without a Point geometry (row${n === 1 ? '' : 's'} ${listRows(withoutPoint)})`);
  }

  return {
    file,
    format: 'geojson',
    headers,
    notes,
    async *rows() {
      yield* rows;
    },
  };
}
