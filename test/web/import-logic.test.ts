// The import page's pure logic: safe file names, the edited column matching as the API's `map`,
// and what a previewed record holds for each field.
import { describe, expect, it } from 'vitest';
import { assign, assignmentOf, mapParam, recordValue, safeFileName, type PreviewColumn } from '../../web/src/pages/import/import-logic.js';

// As the server checks it (src/server/routes/imports.ts FileName).
const SERVER_RULE = /^[A-Za-z0-9][A-Za-z0-9._ -]{0,199}$/;

const col = (index: number, header: string, field: string | null): PreviewColumn => ({ index, header, field, custom: field === null ? header : null });
const DETECTED = [col(0, 'Cameranummer', 'externalRef'), col(1, 'Fabrikaat', null), col(2, 'Type', 'model'), col(3, 'Netwerkadres', null), col(4, 'Opmerking', null)];

describe('safeFileName', () => {
  it('keeps names the server accepts and repairs the others', () => {
    expect(safeFileName('register 2026.csv')).toBe('register 2026.csv');
    expect(safeFileName('Camera’s (Lindeveld).xlsx')).toBe('Camera_s _Lindeveld_.xlsx');
    expect(safeFileName('../../etc/passwd')).toBe('etc_passwd');
    expect(safeFileName('.hidden.csv')).toBe('hidden.csv');
    expect(safeFileName('Überwachung.csv')).toBe('Uberwachung.csv');
    expect(safeFileName('★★★')).toBe('register');
    const long = safeFileName(`${'a'.repeat(300)}.xlsx`);
    expect(long).toHaveLength(200);
    expect(long.endsWith('.xlsx')).toBe(true);
    for (const n of ['../../etc/passwd', 'Camera’s (Lindeveld).xlsx', '★★★', ' a..b ', long]) {
      expect(safeFileName(n)).toMatch(SERVER_RULE);
      expect(safeFileName(n)).not.toContain('..');
    }
  });
});

describe('column matching', () => {
  it('starts from what camaudit detected, and sends nothing while it is unchanged', () => {
    const a = assignmentOf(DETECTED);
    expect(a).toEqual({ externalRef: 0, model: 2 });
    expect(mapParam(DETECTED, a)).toBeNull();
  });

  it('maps newly matched columns by header', () => {
    const a = assign(assign(assignmentOf(DETECTED), 'brand', 1), 'ip', 3);
    expect(mapParam(DETECTED, a)).toEqual({ Cameranummer: 'externalRef', Fabrikaat: 'brand', Type: 'model', Netwerkadres: 'ip' });
  });

  it('moves a column from one field to another, and ignores a recognised column nobody uses', () => {
    // "Type" read as kind instead of model: model is left without a column.
    const a = assign(assignmentOf(DETECTED), 'kind', 2);
    expect(a).toEqual({ externalRef: 0, kind: 2 });
    expect(mapParam(DETECTED, a)).toEqual({ Cameranummer: 'externalRef', Type: 'kind' });
    const none = assign(assignmentOf(DETECTED), 'externalRef', null);
    expect(mapParam(DETECTED, none)).toEqual({ Cameranummer: 'ignore', Type: 'model' });
  });
});

describe('recordValue', () => {
  const record = {
    device: {
      externalRef: 'CAM-1', brand: 'Hikvision', ip: '10.0.0.1', analytics: ['face', 'anpr'], retentionDays: 28,
      position: { lat: 52.1, lon: 5.1, original: { x: 136000, y: 455000 } },
    },
    site: { name: 'Markt', category: 'public_space', address: 'Markt 1', postcode: '1234 AB' },
    network: { name: 'cameranet', connectivity: 'internal' },
  };
  it('reads device, site and network fields as text', () => {
    expect(recordValue(record, 'externalRef')).toBe('CAM-1');
    expect(recordValue(record, 'analytics')).toBe('face, anpr');
    expect(recordValue(record, 'retentionDays')).toBe('28');
    expect(recordValue(record, 'site')).toBe('Markt');
    expect(recordValue(record, 'siteCategory')).toBe('public_space');
    expect(recordValue(record, 'street')).toBe('Markt 1');
    expect(recordValue(record, 'network')).toBe('cameranet');
    expect(recordValue(record, 'lat')).toBe('52.1');
    expect(recordValue(record, 'x')).toBe('136000');
    expect(recordValue(record, 'serial')).toBe('');
    expect(recordValue({ device: {}, site: null, network: null }, 'city')).toBe('');
  });
});
