import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectMapping, parseMapOption } from '../../../src/core/import/mapping.js';
import { toRecords } from '../../../src/core/import/record.js';
import { NETHERLANDS_BBOX } from '../../../src/core/model.js';

const AMS = join(import.meta.dirname, '..', '..', 'fixtures', 'amsterdam');

describe('column mapping', () => {
  it('recognises Dutch and English headers and keeps the rest as custom fields', () => {
    const headers = ['Merk', 'Type', 'Serienummer', 'MAC-adres', 'IP adres', 'Locatie', 'Postcode', 'Huisnummer', 'Latitude', 'Longitude', 'Bewaartermijn', 'Wettelijke grondslag', 'Project'];
    const m = detectMapping(headers);
    expect([...m.fields.values()]).toEqual(['brand', 'model', 'serial', 'mac', 'ip', 'site', 'postcode', 'houseNumber', 'lat', 'lon', 'retentionDays', 'legalBasis']);
    expect([...m.custom.values()]).toEqual(['Project']);
    expect(m.groups).toBeNull();
  });

  it('lets --map override and ignore columns', () => {
    const overrides = parseMapOption(['Project=site', 'Merk=ignore']);
    const m = detectMapping(['Merk', 'Project'], overrides);
    expect([...m.fields.entries()]).toEqual([[1, 'site']]);
    expect(m.custom.size).toBe(0);
    expect(() => parseMapOption(['Merk=vendor'])).toThrow(/unknown field "vendor"/);
  });

  it('reads a web-form export with five sensor blocks per row as five records', () => {
    const lines = readFileSync(join(AMS, 'amsterdam-sensorregistratie-iprox-export-five-sensors.csv'), 'utf8').split(/\r?\n/);
    const headers = lines[0]!.split(';');
    const mapping = detectMapping(headers);
    expect(mapping.groups).toHaveLength(5);
    const cells = lines[1]!.split(';');
    const { records, errors } = toRecords({ row: 2, cells }, { headers, mapping, area: NETHERLANDS_BBOX, repairs: new Map() });
    expect(errors).toEqual([]);
    expect(records.map((r) => r.device.externalRef)).toEqual(['7079-2296#1', '7079-2296#2', '7079-2296#3', '7079-2296#4', '7079-2296#5']);
    expect(records[0]!.device.kind).toBe('camera');
    // The submitter's own postcode (shared columns) is not the sensor's address.
    expect(records[0]!.site?.postcode).toBe('1011 PN');
  });
});
