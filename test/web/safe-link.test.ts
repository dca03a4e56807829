import { describe, expect, it } from 'vitest';
import { safeHref } from '../../web/src/components/safe-link.js';

describe('safeHref', () => {
  it('keeps http and https addresses', () => {
    expect(safeHref('https://example.org/a?b=1#c')).toBe('https://example.org/a?b=1#c');
    expect(safeHref('http://example.org/')).toBe('http://example.org/');
    expect(safeHref('HTTPS://Example.org/x')).toBe('https://example.org/x');
  });

  it('refuses addresses that would run or open something else', () => {
    expect(safeHref('javascript:alert(1)')).toBeUndefined();
    expect(safeHref(' JavaScript:alert(1)')).toBeUndefined();
    expect(safeHref('java\tscript:alert(1)')).toBeUndefined();
    expect(safeHref('data:text/html,<script>alert(1)</script>')).toBeUndefined();
    expect(safeHref('vbscript:msgbox(1)')).toBeUndefined();
    expect(safeHref('file:///etc/passwd')).toBeUndefined();
    expect(safeHref('mailto:a@example.org')).toBeUndefined();
  });

  it('refuses what is no absolute address', () => {
    expect(safeHref(undefined)).toBeUndefined();
    expect(safeHref('')).toBeUndefined();
    expect(safeHref('/api/v1/devices')).toBeUndefined();
    expect(safeHref('//evil.example/x')).toBeUndefined();
    expect(safeHref('example.org/page')).toBeUndefined();
    expect(safeHref('https://')).toBeUndefined();
  });
});
