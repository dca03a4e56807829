import { describe, expect, it } from 'vitest';
import {
  EMPTY_HEAD, GENESIS_HASH, entryHash, sealEntries, verifyChain, type AuditDraft, type ChainHead, type SealedEntry,
} from '../../../src/core/audit/chain.js';

const CHAIN = 'org-1';

function draft(i: number): AuditDraft {
  return {
    at: `2026-01-01T00:00:${String(i).padStart(2, '0')}.000Z`, actor: 'user:anna', source: 'cli', action: 'update',
    entityType: 'device', entityId: `dev-${i}`, before: JSON.stringify({ firmware: `1.${i}` }), after: JSON.stringify({ firmware: `2.${i}` }),
  };
}

function chainOf(n: number): { entries: SealedEntry[]; head: ChainHead } {
  return sealEntries(CHAIN, EMPTY_HEAD, Array.from({ length: n }, (_, i) => draft(i + 1)));
}

describe('sealing', () => {
  it('numbers entries from 1 and links each to the one before', () => {
    const { entries, head } = chainOf(3);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(entries[0]!.prevHash).toBe(GENESIS_HASH);
    expect(entries[1]!.prevHash).toBe(entries[0]!.hash);
    expect(entries[2]!.prevHash).toBe(entries[1]!.hash);
    expect(head).toEqual({ entries: 3, lastHash: entries[2]!.hash });
    expect(entries[0]!.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('continues a chain from its head exactly as if sealed at once', () => {
    const all = chainOf(5);
    const first = sealEntries(CHAIN, EMPTY_HEAD, [1, 2].map(draft));
    const rest = sealEntries(CHAIN, first.head, [3, 4, 5].map(draft));
    expect([...first.entries, ...rest.entries]).toEqual(all.entries);
    expect(rest.head).toEqual(all.head);
  });

  it('covers every field, the chain and the position in the hash', () => {
    const [e] = chainOf(1).entries;
    const base = entryHash(e!);
    const variants: Partial<SealedEntry>[] = [
      { chain: 'org-2' }, { seq: 2 }, { at: '2026-01-01T00:00:02.000Z' }, { actor: 'user:bob' }, { source: 'api' },
      { action: 'create' }, { entityType: 'site' }, { entityId: 'dev-9' }, { before: null }, { before: '{"firmware":"1.1" }' },
      { after: null }, { after: '{"firmware":"2.2"}' }, { prevHash: 'f'.repeat(64) },
    ];
    for (const v of variants) expect(entryHash({ ...e!, ...v }), JSON.stringify(v)).not.toBe(base);
  });

  it('keeps the same hash for the same entry (a fixed canonical form)', () => {
    const e = chainOf(1).entries[0]!;
    const reordered = Object.fromEntries(Object.entries(e).reverse()) as unknown as SealedEntry;
    expect(entryHash(reordered)).toBe(e.hash);
  });
});

describe('verifyChain', () => {
  it('finds nothing wrong with an intact chain, an empty one, or entries given out of order', () => {
    const { entries, head } = chainOf(6);
    expect(verifyChain(CHAIN, entries, head)).toEqual([]);
    expect(verifyChain(CHAIN, [...entries].reverse(), head)).toEqual([]);
    expect(verifyChain(CHAIN, [], EMPTY_HEAD)).toEqual([]);
  });

  it('names an entry whose content was changed, whatever the field', () => {
    const { entries, head } = chainOf(5);
    const fields: [keyof SealedEntry, unknown][] = [
      ['at', '2027-01-01T00:00:00.000Z'], ['actor', 'someone'], ['source', 'api'], ['action', 'delete'], ['entityType', 'site'],
      ['entityId', 'x'], ['before', null], ['after', '{"firmware":"9"}'],
    ];
    for (const [field, value] of fields) {
      const tampered = entries.map((e) => (e.seq === 3 ? { ...e, [field]: value } : e));
      expect(verifyChain(CHAIN, tampered, head), field).toEqual([{ kind: 'edited', seq: 3 }]);
    }
  });

  it('names the entry after one whose hash was recomputed to hide an edit', () => {
    const { entries, head } = chainOf(5);
    const tampered = entries.map((e) => (e.seq === 2 ? { ...e, actor: 'someone' } : e)).map((e) => (e.seq === 2 ? { ...e, hash: entryHash(e) } : e));
    expect(verifyChain(CHAIN, tampered, head)).toEqual([{ kind: 'broken_link', seq: 3 }]);
  });

  it('names a changed link or hash', () => {
    const { entries, head } = chainOf(4);
    const link = entries.map((e) => (e.seq === 2 ? { ...e, prevHash: 'a'.repeat(64) } : e));
    expect(verifyChain(CHAIN, link, head)).toEqual([{ kind: 'edited', seq: 2 }, { kind: 'broken_link', seq: 2 }]);
    const hash = entries.map((e) => (e.seq === 2 ? { ...e, hash: 'a'.repeat(64) } : e));
    expect(verifyChain(CHAIN, hash, head)).toEqual([{ kind: 'edited', seq: 2 }, { kind: 'broken_link', seq: 3 }]);
  });

  it('names entries deleted from the middle and from the start', () => {
    const { entries, head } = chainOf(8);
    expect(verifyChain(CHAIN, entries.filter((e) => e.seq !== 4 && e.seq !== 5), head)).toEqual([{ kind: 'missing', from: 4, to: 5 }]);
    expect(verifyChain(CHAIN, entries.filter((e) => e.seq > 2), head)).toEqual([{ kind: 'missing', from: 1, to: 2 }]);
  });

  it('names the newest entries deleted, which only the head shows', () => {
    const { entries, head } = chainOf(8);
    expect(verifyChain(CHAIN, entries.slice(0, 6), head)).toEqual([{ kind: 'truncated', from: 7, to: 8 }]);
    expect(verifyChain(CHAIN, [], head)).toEqual([{ kind: 'truncated', from: 1, to: 8 }]);
  });

  it('names a head that does not match, is missing, or lags behind the entries', () => {
    const { entries, head } = chainOf(4);
    expect(verifyChain(CHAIN, entries, { ...head, lastHash: 'b'.repeat(64) })).toEqual([{ kind: 'head_mismatch', seq: 4 }]);
    expect(verifyChain(CHAIN, entries, null)).toEqual([{ kind: 'head_missing' }]);
    expect(verifyChain(CHAIN, [], null)).toEqual([{ kind: 'head_missing' }]);
    expect(verifyChain(CHAIN, entries, { entries: 2, lastHash: entries[1]!.hash })).toEqual([{ kind: 'unrecorded', from: 3, to: 4 }]);
  });

  it('names swapped entries as moved, with the position each was written at', () => {
    const { entries, head } = chainOf(6);
    const swapped = entries.map((e) => (e.seq === 3 ? { ...e, seq: 4 } : e.seq === 4 ? { ...e, seq: 3 } : e));
    expect(verifyChain(CHAIN, swapped, head)).toEqual([
      { kind: 'moved', seq: 3, writtenAs: 4 },
      { kind: 'moved', seq: 4, writtenAs: 3 },
      { kind: 'broken_link', seq: 5 },
    ]);
  });

  it('names an entry moved to the end over a deleted one', () => {
    const { entries, head } = chainOf(5);
    // Entry 2 deleted, entry 5 moved into its place, entry 5's position left empty at the end.
    const moved = entries.filter((e) => e.seq !== 2).map((e) => (e.seq === 5 ? { ...e, seq: 2 } : e));
    expect(verifyChain(CHAIN, moved, head)).toEqual([
      { kind: 'moved', seq: 2, writtenAs: 5 },
      { kind: 'broken_link', seq: 3 },
      { kind: 'truncated', from: 5, to: 5 },
    ]);
  });

  it('reports every problem in one pass, in order of position', () => {
    const { entries, head } = chainOf(10);
    const tampered = entries
      .filter((e) => e.seq !== 5 && e.seq < 10)
      .map((e) => (e.seq === 2 || e.seq === 7 ? { ...e, after: '{}' } : e));
    expect(verifyChain(CHAIN, tampered, head)).toEqual([
      { kind: 'edited', seq: 2 },
      { kind: 'missing', from: 5, to: 5 },
      { kind: 'edited', seq: 7 },
      { kind: 'truncated', from: 10, to: 10 },
    ]);
  });

  it('names a position that occurs twice', () => {
    const { entries, head } = chainOf(3);
    expect(verifyChain(CHAIN, [...entries, entries[1]!], head)).toEqual([{ kind: 'duplicate', seq: 2 }]);
  });

  it('refuses an entry taken from another chain', () => {
    const other = sealEntries('org-2', EMPTY_HEAD, [draft(1)]);
    expect(verifyChain(CHAIN, other.entries, other.head)).toEqual([{ kind: 'edited', seq: 1 }]);
  });
});
