import { describe, expect, it } from 'vitest';
import { kbDate, measureStatusParts } from '../../web/src/pages/kb/kb-logic.js';

describe('kbDate', () => {
  it('writes a day in the language', () => {
    expect(kbDate('nl', '2022-11-25', 'onbekend')).toBe('25 nov 2022');
    expect(kbDate('en', '2022-11-25', 'unknown')).toBe('25 Nov 2022');
  });

  it('keeps the precision the knowledge base recorded: a month or a year, never an invented day', () => {
    expect(kbDate('nl', '2021-11', 'onbekend')).toBe('november 2021');
    expect(kbDate('en', '2021-11', 'unknown')).toBe('November 2021');
    expect(kbDate('nl', '2021', 'onbekend')).toBe('2021');
  });

  it('says unknown in the language and leaves ranges as recorded', () => {
    expect(kbDate('nl', 'unknown', 'onbekend')).toBe('onbekend');
    expect(kbDate('nl', '2022-2025', 'onbekend')).toBe('2022-2025');
    expect(kbDate('en', '2022-12 / 2023-05 / 2024', 'unknown')).toBe('2022-12 / 2023-05 / 2024');
    expect(kbDate('en', '2022-02-30', 'unknown')).toBe('2022-02-30');
    expect(kbDate('en', undefined, 'unknown')).toBe('—');
  });
});

describe('measureStatusParts', () => {
  it('finds the known opening word and keeps the qualification', () => {
    expect(measureStatusParts('in_force')).toEqual({ key: 'status_in_force', rest: '' });
    expect(measureStatusParts('in_force (from 2025)')).toEqual({ key: 'status_in_force', rest: '(from 2025)' });
    expect(measureStatusParts('investigation announced')).toEqual({ key: 'status_investigation_announced', rest: '' });
    expect(measureStatusParts('announced / in progress')).toEqual({ key: 'status_announced_in_progress', rest: '' });
    expect(measureStatusParts('answered 10 Feb 2022 (answer text not retrieved)')).toEqual({ key: 'status_answered', rest: '10 Feb 2022 (answer text not retrieved)' });
  });

  it('leaves an unknown status alone', () => {
    expect(measureStatusParts('withdrawn')).toBeNull();
    expect(measureStatusParts('in_forced')).toBeNull();
  });
});
