// The procurement page's rules without a browser: upload names the screening route accepts, the
// media type of a bid list, and sources numbered in the order the table cites them.
import { describe, expect, it } from 'vitest';
import { bidContentType, numberSources, safeFileName } from '../../web/src/pages/procurement/procurement-logic.js';

// The screening route's file-name rule (src/server/routes/imports.ts, FileName).
const ACCEPTED = /^[A-Za-z0-9][A-Za-z0-9._ -]{0,199}$/;

describe('bid list uploads', () => {
  it('keeps a plain name and makes any other one acceptable to the route', () => {
    expect(safeFileName('offerte leverancier 2026.xlsx')).toBe('offerte leverancier 2026.xlsx');
    for (const name of ['Inschrijving (definitief).csv', 'Prijsblad–€.xlsx', '..\\..\\etc.csv', '.verborgen.csv', 'Café Noël.csv', '———', `${'a'.repeat(300)}.xlsx`]) {
      const safe = safeFileName(name);
      expect(safe, name).toMatch(ACCEPTED);
      expect(safe, name).not.toContain('..');
    }
    expect(safeFileName('Café Noël.csv')).toBe('Cafe Noel.csv');
    expect(safeFileName(`${'a'.repeat(300)}.xlsx`)).toMatch(/^a{195}\.xlsx$/);
    expect(safeFileName('———')).toBe('bid-list');
  });

  it('sends CSV as text/csv, XLSX with its media type and anything else as bytes', () => {
    expect(bidContentType('bid.CSV')).toBe('text/csv');
    expect(bidContentType('bid.xlsx')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(bidContentType('bid.xls')).toBe('application/octet-stream');
  });

  it('numbers sources in the order of their first citation', () => {
    expect([...numberSources([['s3', 's1'], ['s1', 's2'], [], ['s3']]).entries()]).toEqual([['s3', 1], ['s1', 2], ['s2', 3]]);
  });
});
