// The national view's figures without a browser: withheld counts and sums that include them.
import { describe, expect, it } from 'vitest';
import { countText, sumText } from '../../web/src/pages/coordinator/coordinator-logic.js';

describe('national figures', () => {
  const words = { below: '< {threshold}', atLeast: 'at least {value} ({suppressed} withheld)' };
  const n = (v: number) => v.toLocaleString('en-GB');
  it('shows a withheld count as below the threshold, never as 0', () => {
    expect(countText(null, 5, words, n)).toBe('< 5');
    expect(countText(0, 5, words, n)).toBe('0');
    expect(countText(1234, 5, words, n)).toBe('1,234');
  });
  it('shows a sum that includes withheld counts as a lower bound', () => {
    expect(sumText({ value: 42, suppressed: 0 }, words, n)).toBe('42');
    expect(sumText({ value: 1043, suppressed: 2 }, words, n)).toBe('at least 1,043 (2 withheld)');
  });
});
