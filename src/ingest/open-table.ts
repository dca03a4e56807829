import { readCityGml } from './citygml-reader.js';
import { readCsv } from './csv-reader.js';
import { readGeoJson } from './geojson-reader.js';
import { assertSize, detectFormat } from './sniff.js';
import type { ReadOptions, SourceTable } from './table.js';
import { readXlsx } from './xlsx-reader.js';

/** Any supported file as a table, chosen by content. */
export async function openTable(file: string, options: ReadOptions): Promise<SourceTable> {
  await assertSize(file, options.maxBytes);
  switch (await detectFormat(file)) {
    case 'xlsx':
      return readXlsx(file, options);
    case 'geojson':
      return readGeoJson(file, options);
    case 'citygml':
      return readCityGml(file, options);
    case 'csv':
      return readCsv(file, options);
  }
}
