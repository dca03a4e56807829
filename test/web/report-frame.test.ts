import { describe, expect, it } from 'vitest';
import { withLinksInNewTabs } from '../../web/src/pages/reports/report-frame.js';

describe('withLinksInNewTabs', () => {
  it('puts the base first in the head, before anything that could resolve a link', () => {
    const html = '<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8"><title>R</title></head><body><a href="https://example.org">x</a></body></html>';
    expect(withLinksInNewTabs(html)).toBe('<!DOCTYPE html>\n<html lang="nl"><head><base target="_blank"><meta charset="utf-8"><title>R</title></head><body><a href="https://example.org">x</a></body></html>');
  });

  it('keeps a head with attributes and does not mistake <header> for it', () => {
    expect(withLinksInNewTabs('<html><body><header>h</header></body></html>')).toBe('<html><head><base target="_blank"></head><body><header>h</header></body></html>');
    expect(withLinksInNewTabs('<HTML><HEAD id="h"></HEAD></HTML>')).toBe('<HTML><HEAD id="h"><base target="_blank"></HEAD></HTML>');
  });

  it('adds a head to a fragment', () => {
    expect(withLinksInNewTabs('<p>x</p>')).toBe('<head><base target="_blank"></head><p>x</p>');
  });
});
