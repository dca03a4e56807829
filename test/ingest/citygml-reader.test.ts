import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceRow } from '../../src/core/import/record.js';
import { readCityGml } from '../../src/ingest/citygml-reader.js';
import type { SourceTable } from '../../src/ingest/table.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'citygml', 'bgt-sensor-cameras.gml');
const HOSTILE = join(import.meta.dirname, '..', 'fixtures', 'hostile');
const OPTIONS = { maxBytes: 1024 * 1024 };

async function collect(table: SourceTable): Promise<SourceRow[]> {
  const rows: SourceRow[] = [];
  for await (const row of table.rows()) rows.push(row);
  return rows;
}

/** One camera sensor in the IMGeo structure, with the prefix and srsName under test. */
function sensor(p: string, srsName: string, pos = '155000.5 463000.25'): string {
  return `<cityObjectMember><${p}:Sensor><${p}:identificatie><${p}:NEN3610ID><${p}:lokaalID>G0344.abc</${p}:lokaalID></${p}:NEN3610ID></${p}:identificatie>`
    + `<${p}:bronhouder>G0344</${p}:bronhouder><${p}:bgt-status>bestaand</${p}:bgt-status><${p}:plus-type>camera</${p}:plus-type>`
    + `<${p}:geometrie2dSensor><gml:Point${srsName ? ` srsName="${srsName}"` : ''}><gml:pos>${pos}</gml:pos></gml:Point></${p}:geometrie2dSensor></${p}:Sensor></cityObjectMember>`;
}
function cityModel(p: string, members: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<core:CityModel xmlns:core="http://www.opengis.net/citygml/2.0" xmlns:gml="http://www.opengis.net/gml" xmlns:${p}="http://www.geostandaarden.nl/imgeo/2.1">`
    + `${members.replaceAll('<cityObjectMember>', '<core:cityObjectMember>').replaceAll('</cityObjectMember>', '</core:cityObjectMember>')}</core:CityModel>`;
}

describe('readCityGml', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'camaudit-citygml-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  async function write(name: string, content: string): Promise<string> {
    const file = join(dir, name);
    await writeFile(file, content);
    return file;
  }

  it('reads the existing camera sensors of a BGT extract', async () => {
    const table = await readCityGml(FIXTURE, OPTIONS);
    expect(table.format).toBe('citygml');
    expect(table.headers).toEqual(['lokaalID', 'kind', 'bronhouder', 'creationDate', 'bgt-status', 'x', 'y']);
    const rows = await collect(table);
    // Row N = Nth cityObjectMember: members 3 (lichtcel) and 5 (historie) are skipped.
    expect(rows.map((r) => r.row)).toEqual([1, 2, 4, 6]);
    expect(rows[0]).toEqual({
      row: 1,
      cells: ['G0599.3f2a7c1e9b8d4e55a1c0d2e3f4a5b6c7', 'camera', 'G0599', '2015-03-12', 'bestaand', 92843.127, 437456.31],
    });
    expect(rows[3]?.cells.slice(-2)).toEqual([96475.544, 435536.038]);
    expect(rows.every((r) => r.cells[1] === 'camera' && r.cells[4] === 'bestaand')).toBe(true);
  });

  it('notes the skipped lichtcel and historie sensors', async () => {
    const table = await readCityGml(FIXTURE, OPTIONS);
    expect(table.notes).toEqual([
      '1 sensor of another type skipped (plus-type: lichtcel)',
      '1 camera with bgt-status other than "bestaand" skipped (bgt-status: historie)',
    ]);
  });

  it('rows() can be iterated twice with the same result', async () => {
    const table = await readCityGml(FIXTURE, OPTIONS);
    const first = await collect(table);
    expect(first).toHaveLength(4);
    expect(await collect(table)).toEqual(first);
  });

  it('does not depend on the namespace prefixes a file uses', async () => {
    const file = await write('prefix.gml', cityModel('ns2', sensor('ns2', 'EPSG:28992')));
    const rows = await collect(await readCityGml(file, OPTIONS));
    expect(rows).toEqual([{ row: 1, cells: ['G0344.abc', 'camera', 'G0344', null, 'bestaand', 155000.5, 463000.25] }]);
  });

  it('counts non-sensor city objects in a note and keeps member numbering', async () => {
    const road = '<cityObjectMember><imgeo:Wegdeel><imgeo:bronhouder>G0344</imgeo:bronhouder></imgeo:Wegdeel></cityObjectMember>';
    const table = await readCityGml(await write('mixed.gml', cityModel('imgeo', road + road + sensor('imgeo', 'EPSG:28992'))), OPTIONS);
    expect((await collect(table)).map((r) => r.row)).toEqual([3]);
    expect(table.notes).toEqual(['2 other city objects skipped (Wegdeel ×2)']);
  });

  it('assumes RD New for a point without srsName, with a note', async () => {
    const table = await readCityGml(await write('nosrs.gml', cityModel('imgeo', sensor('imgeo', ''))), OPTIONS);
    expect((await collect(table))[0]?.cells.slice(-2)).toEqual([155000.5, 463000.25]);
    expect(table.notes.join(' ')).toContain('EPSG:28992');
  });

  it('refuses other coordinate systems, naming the srsName and row', async () => {
    const file = await write('wgs84.gml', cityModel('imgeo', sensor('imgeo', 'urn:ogc:def:crs:EPSG::4326', '52.1 5.1')));
    await expect(readCityGml(file, OPTIONS)).rejects.toMatchObject({
      code: 'invalid_input', message: expect.stringContaining('urn:ogc:def:crs:EPSG::4326'), location: { file, row: 1 },
    });
  });

  it('passes a non-numeric coordinate on as text for the row import to report', async () => {
    const file = await write('badpos.gml', cityModel('imgeo', sensor('imgeo', 'EPSG:28992', '155000,5 463000')));
    expect((await collect(await readCityGml(file, OPTIONS)))[0]?.cells.slice(-2)).toEqual(['155000,5', 463000]);
  });

  it('refuses XML that is not a CityModel', async () => {
    const file = await write('other.xml', '<nmaprun><host/></nmaprun>');
    await expect(readCityGml(file, OPTIONS)).rejects.toMatchObject({ code: 'invalid_input', message: 'not a CityGML CityModel' });
  });

  it('refuses hostile and oversize files', async () => {
    for (const name of ['xxe-external-entity.xml', 'billion-laughs.xml']) {
      await expect(readCityGml(join(HOSTILE, name), OPTIONS)).rejects.toMatchObject({
        code: 'hostile_input', message: expect.stringContaining('DOCTYPE'),
      });
    }
    await expect(readCityGml(FIXTURE, { maxBytes: 1000 })).rejects.toMatchObject({ code: 'hostile_input' });
  });

  it('reports malformed XML with its line', async () => {
    const file = await write('broken.gml', '<CityModel>\n<cityObjectMember>\n</CityModel>');
    await expect(readCityGml(file, OPTIONS)).rejects.toMatchObject({ code: 'invalid_input', location: { file, row: 3 } });
  });
});
