import { assertSize, detectFormat } from './sniff.js';
import type { ReadOptions, SourceTable } from './table.js';

/**
 * Any supported file as a table, chosen by content. Readers load on demand: the workbook and
 * XML libraries take longer to load than a small CSV takes to import.
 */
export async function openTable(file: string, options: ReadOptions): Promise<SourceTable> {
  await assertSize(file, options.maxBytes);
  switch (await detectFormat(file)) {
    case 'xlsx':
      return (await import('./xlsx-reader.js')).readXlsx(file, options);
    case 'geojson':
      return (await import('./geojson-reader.js')).readGeoJson(file, options);
    case 'citygml':
      return (await import('./citygml-reader.js')).readCityGml(file, options);
    case 'csv':
      return (await import('./csv-reader.js')).readCsv(file, options);
  }
}
