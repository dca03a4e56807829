import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceRow } from '../../src/core/import/record.js';
import { isRdNewCrsName, readGeoJson } from '../../src/ingest/geojson-reader.js';
import type { SourceTable } from '../../src/ingest/table.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'geojson');
const OPTIONS = { maxBytes: 1024 * 1024 };

async function collect(table: SourceTable): Promise<SourceRow[]> {
  const rows: SourceRow[] = [];
  for await (const row of table.rows()) rows.push(row);
  return rows;
}

describe('readGeoJson', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'camaudit-geojson-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  async function write(name: string, content: unknown): Promise<string> {
    const file = join(dir, name);
    await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  }

  it('reads a FeatureCollection: property union in first-seen order, then lon/lat', async () => {
    const file = join(FIXTURES, 'cameras.geojson');
    const table = await readGeoJson(file, OPTIONS);
    expect(table.format).toBe('geojson');
    expect(table.file).toBe(file);
    expect(table.headers).toEqual(['Merk', 'Type', 'Serienummer', 'Locatie', 'Actief', 'Kenmerken', 'lon', 'lat']);
    const rows = await collect(table);
    expect(rows.map((r) => r.row)).toEqual([1, 2, 3, 4]);
    expect(rows[0]?.cells).toEqual(['Axis', 'P3727-PLE', 'ACCC8EF1A2B3', 'Stadhuisplein', null, null, 4.479612, 51.922941]);
    expect(rows[1]?.cells[4]).toBe(true);
    // Numbers stay numbers, arrays are JSON; a one-point MultiPoint gives a position.
    expect(rows[2]?.cells).toEqual(['Bosch', 'AUTODOME IP 5000i', 404712345, 'Coolsingel', null, '["PTZ","IR"]', 4.477733, 51.91946]);
    // No geometry: the row is kept with empty coordinates so the importer reports it per row.
    expect(rows[3]?.cells.slice(-2)).toEqual([null, null]);
    expect(table.notes).toEqual(['1 feature without a Point geometry (row 4)']);
  });

  it('rows() can be iterated twice with the same result', async () => {
    const table = await readGeoJson(join(FIXTURES, 'cameras.geojson'), OPTIONS);
    const first = await collect(table);
    expect(await collect(table)).toEqual(first);
    expect(first).toHaveLength(4);
  });

  it('uses x/y for an old-style crs member naming EPSG:28992', async () => {
    const table = await readGeoJson(join(FIXTURES, 'cameras-rd.geojson'), OPTIONS);
    expect(table.headers).toEqual(['Merk', 'Serienummer', 'Locatie', 'x', 'y']);
    const rows = await collect(table);
    expect(rows).toEqual([
      { row: 1, cells: ['Axis', 'ACCC8EF1C4D5', 'Oude Haven', 93612.45, 437102.8] },
      { row: 2, cells: ['Mobotix', '10.8.123.45', 'Blaak', 93280.1, 437275.66] },
    ]);
    expect(table.notes.join(' ')).toContain('EPSG:28992');
  });

  it('accepts a single Feature and lists every feature without a Point', async () => {
    const single = await readGeoJson(
      await write('single.geojson', { type: 'Feature', properties: { id: 'a' }, geometry: { type: 'Point', coordinates: [5.1, 52.1, 3] } }),
      OPTIONS,
    );
    expect(await collect(single)).toEqual([{ row: 1, cells: ['a', 5.1, 52.1] }]);

    const line = { type: 'LineString', coordinates: [[5, 52], [5.1, 52.1]] };
    const features = [line, null, { type: 'Point', coordinates: [5, 52] }, { type: 'MultiPoint', coordinates: [[5, 52], [6, 52]] }]
      .map((geometry) => ({ type: 'Feature', properties: null, geometry }));
    const table = await readGeoJson(await write('mixed.geojson', { type: 'FeatureCollection', features }), OPTIONS);
    expect(table.headers).toEqual(['lon', 'lat']);
    expect(table.notes).toEqual(['3 features without a Point geometry (rows 1, 2, 4)']);
  });

  it('renames a property that collides with a coordinate column', async () => {
    const file = await write('lat.geojson', {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { Lat: 'x', naam: 'c1' }, geometry: { type: 'Point', coordinates: [4, 52] } }],
    });
    const table = await readGeoJson(file, OPTIONS);
    expect(table.headers).toEqual(['Lat (property)', 'naam', 'lon', 'lat']);
    expect(table.notes[0]).toContain('"Lat"');
  });

  it('refuses an oversize file before parsing', async () => {
    const file = join(FIXTURES, 'cameras.geojson');
    await expect(readGeoJson(file, { maxBytes: 100 })).rejects.toMatchObject({ code: 'hostile_input', location: { file } });
  });

  it('reports bad JSON, non-GeoJSON and unknown crs as invalid input naming the file', async () => {
    const bad = await write('bad.geojson', '{"type": "FeatureCollection", "features": [');
    await expect(readGeoJson(bad, OPTIONS)).rejects.toMatchObject({ code: 'invalid_input', location: { file: bad } });
    const topo = await write('topo.json', { type: 'Topology', objects: {} });
    await expect(readGeoJson(topo, OPTIONS)).rejects.toMatchObject({ code: 'invalid_input', message: 'not a GeoJSON FeatureCollection or Feature' });
    const mercator = await write('3857.geojson', {
      type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'EPSG:3857' } }, features: [],
    });
    await expect(readGeoJson(mercator, OPTIONS)).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('EPSG:3857') });
    const notFeature = await write('nf.geojson', { type: 'FeatureCollection', features: [{ type: 'Point', coordinates: [4, 52] }] });
    await expect(readGeoJson(notFeature, OPTIONS)).rejects.toMatchObject({ code: 'invalid_input', location: { row: 1 } });
  });
});

describe('isRdNewCrsName', () => {
  it('knows the usual spellings of EPSG:28992 and nothing else', () => {
    for (const name of ['urn:ogc:def:crs:EPSG::28992', 'EPSG:28992', 'http://www.opengis.net/def/crs/EPSG/0/28992', 'urn:ogc:def:crs:EPSG:6.9:28992']) {
      expect(isRdNewCrsName(name)).toBe(true);
    }
    for (const name of ['urn:ogc:def:crs:EPSG::4326', 'EPSG:7415', 'urn:ogc:def:crs:EPSG::128992']) {
      expect(isRdNewCrsName(name)).toBe(false);
    }
  });
});
