import { describe, expect, it } from 'vitest';
import { ORGANISATION_THEMES } from '../../src/store/organisations.js';
import {
  chosenSection, describeProblem, errorField, sectionsFor, summariseChange, tokenDays, tokenState,
} from '../../web/src/pages/admin/admin-logic.js';
import { THEMES } from '../../web/src/themes.js';

describe('administration sections', () => {
  it('gives administrators every section, auditors the audit trail only, others nothing', () => {
    expect(sectionsFor({ admin: true, audit: true })).toEqual(['people', 'tokens', 'sso', 'audit', 'policy', 'publication', 'notifications', 'theme']);
    expect(sectionsFor({ admin: false, audit: true })).toEqual(['audit']);
    expect(sectionsFor({ admin: false, audit: false })).toEqual([]);
  });

  it('opens the section in the address only when the person may see it', () => {
    expect(chosenSection('tokens', sectionsFor({ admin: true, audit: true }))).toBe('tokens');
    expect(chosenSection('tokens', sectionsFor({ admin: false, audit: true }))).toBe('audit');
    expect(chosenSection(null, sectionsFor({ admin: true, audit: true }))).toBe('people');
    expect(chosenSection('audit', [])).toBeUndefined();
  });
});

describe('chain problems', () => {
  it('names the positions of every kind, in both languages', () => {
    expect(describeProblem('en', { kind: 'edited', seq: 7 })).toBe('Entry 7 was changed after it was written (its content no longer matches its hash).');
    expect(describeProblem('nl', { kind: 'missing', from: 3, to: 5 })).toBe('Regel(s) 3–5 ontbreken: verwijderd.');
    expect(describeProblem('en', { kind: 'missing', from: 4, to: 4 })).toBe('Entries 4 are missing: deleted.');
    expect(describeProblem('en', { kind: 'moved', seq: 9, writtenAs: 2 })).toContain('written as entry 2');
    expect(describeProblem('nl', { kind: 'truncated', from: 10, to: 12 })).toContain('10–12');
    expect(describeProblem('en', { kind: 'head_missing' })).toBe('The head of the chain is missing.');
    expect(describeProblem('en', { kind: 'something_new' })).toBe('Unknown problem: something_new');
  });
});

describe('audit changes', () => {
  it('lists what changed, not what stayed', () => {
    expect(summariseChange({ email: 'a@x.nl', role: 'viewer' }, { email: 'a@x.nl', role: 'editor' })).toEqual(['role: viewer → editor']);
  });
  it('shows a creation and a deletion by their one side', () => {
    expect(summariseChange(null, { theme: 'contrast' })).toEqual(['theme: contrast']);
    expect(summariseChange({ name: 'ci' }, null)).toEqual(['name: ci →']);
  });
  it('shortens long values and writes objects as JSON', () => {
    const [line] = summariseChange(null, { text: 'x'.repeat(200), n: 1 });
    expect(line!.length).toBeLessThan(100);
    expect(line!.endsWith('…')).toBe(true);
    expect(summariseChange(null, { area: { a: 1 } })).toEqual(['area: {"a":1}']);
  });
});

describe('errors at their field', () => {
  const fields = { email: [/e-mail/i], role: [/\brole\b/] } as const;
  it('finds the field a validation error names', () => {
    expect(errorField('body.role: Invalid option: expected one of "admin"|"editor"', fields)).toBe('role');
    expect(errorField('body.email: Too big: expected string to have <=320 characters', fields)).toBe('email');
  });
  it('finds the field a server message is about', () => {
    expect(errorField('"nobody" is not an e-mail address', fields)).toBe('email');
  });
  it('leaves other errors to the form', () => {
    expect(errorField('internal error', fields)).toBeUndefined();
    expect(errorField(undefined, fields)).toBeUndefined();
  });
});

describe('tokens', () => {
  const now = new Date('2026-06-01T12:00:00Z');
  it('tells active, revoked and expired apart', () => {
    expect(tokenState({ revokedAt: null, expiresAt: '2026-07-01T00:00:00Z' }, now)).toBe('active');
    expect(tokenState({ revokedAt: '2026-05-01T00:00:00Z', expiresAt: '2026-07-01T00:00:00Z' }, now)).toBe('revoked');
    expect(tokenState({ revokedAt: null, expiresAt: '2026-06-01T12:00:00Z' }, now)).toBe('expired');
  });
  it('accepts 1 to 366 whole days only', () => {
    expect(tokenDays('90')).toBe(90);
    expect(tokenDays(' 366 ')).toBe(366);
    expect(tokenDays('367')).toBeUndefined();
    expect(tokenDays('0')).toBeUndefined();
    expect(tokenDays('1.5')).toBeUndefined();
    expect(tokenDays('')).toBeUndefined();
  });
});

describe('themes', () => {
  it('the server accepts exactly the themes the web application can show', () => {
    expect([...ORGANISATION_THEMES]).toEqual([...THEMES]);
  });
});
