// The audit trail as hash chains: every entry carries the hash of the entry before it in its
// chain, and its own hash covers its content and that link. Changing, removing or reordering an
// entry breaks the hashes after it; the chain head (entry count and newest hash, kept apart)
// catches removal of the newest entries, which leaves no later entry to break.
import { createHash } from 'node:crypto';

/** The link of a chain's first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** The chain of events that belong to no organisation (user accounts, sign-ins, KB updates). */
export const SERVER_CHAIN = 'server';

/** What a writer says happened; the chain adds where it sits. */
export interface AuditDraft {
  at: string;
  actor: string;
  source: string;
  action: string;
  entityType: string;
  entityId: string;
  /** The stored JSON text, hashed byte for byte: a re-serialisation cannot hide an edit. */
  before: string | null;
  after: string | null;
}

/** An entry as stored and hashed. `chain` is the organisation id, or SERVER_CHAIN. */
export interface ChainEntry extends AuditDraft {
  chain: string;
  /** Position in the chain, from 1 without gaps. */
  seq: number;
  prevHash: string;
}

export interface SealedEntry extends ChainEntry {
  hash: string;
}

/** Where a chain ends: kept apart from the entries, so dropping the newest ones shows. */
export interface ChainHead {
  entries: number;
  lastHash: string;
}

export const EMPTY_HEAD: ChainHead = Object.freeze({ entries: 0, lastHash: GENESIS_HASH });

/**
 * SHA-256 (hex) of the entry's canonical JSON: fixed key order, a format version first so a
 * later format can be told apart.
 */
export function entryHash(e: ChainEntry): string {
  const canonical = JSON.stringify({
    v: 1, chain: e.chain, seq: e.seq, at: e.at, actor: e.actor, source: e.source, action: e.action,
    entity_type: e.entityType, entity_id: e.entityId, before: e.before, after: e.after, prev_hash: e.prevHash,
  });
  return createHash('sha256').update(canonical).digest('hex');
}

/** Appends drafts to a chain that ends at `head`: their positions, links and hashes, and the new head. */
export function sealEntries(chain: string, head: ChainHead, drafts: readonly AuditDraft[]): { entries: SealedEntry[]; head: ChainHead } {
  const entries: SealedEntry[] = [];
  let prevHash = head.lastHash;
  let seq = head.entries;
  for (const d of drafts) {
    // Built field by field: spreading objects costs more than hashing them on a 100,000-row import.
    const entry: SealedEntry = {
      chain, seq: ++seq, at: d.at, actor: d.actor, source: d.source, action: d.action, entityType: d.entityType,
      entityId: d.entityId, before: d.before, after: d.after, prevHash, hash: '',
    };
    entry.hash = prevHash = entryHash(entry);
    entries.push(entry);
  }
  return { entries, head: { entries: seq, lastHash: prevHash } };
}

export type ChainProblem =
  /** The entry's content no longer matches its hash. */
  | { kind: 'edited'; seq: number }
  /** The entry is intact but sits at another position than the one it was written at. */
  | { kind: 'moved'; seq: number; writtenAs: number }
  /** No entries at these positions: deleted. */
  | { kind: 'missing'; from: number; to: number }
  | { kind: 'duplicate'; seq: number }
  /** The entry's link names another entry than the one before it: that one was replaced or moved. */
  | { kind: 'broken_link'; seq: number }
  /** The head counts entries beyond the newest one present: the newest were deleted. */
  | { kind: 'truncated'; from: number; to: number }
  /** Entries beyond what the head counts: written past the chain's bookkeeping. */
  | { kind: 'unrecorded'; from: number; to: number }
  /** The newest entry is not the one the head recorded. */
  | { kind: 'head_mismatch'; seq: number }
  | { kind: 'head_missing' };

/** Problems at one position are listed in this order: what happened to the entry, then its link. */
const KIND_ORDER: readonly ChainProblem['kind'][] = [
  'missing', 'duplicate', 'edited', 'moved', 'broken_link', 'truncated', 'unrecorded', 'head_mismatch', 'head_missing',
];

function position(p: ChainProblem): number {
  if ('seq' in p) return p.seq;
  if ('from' in p) return p.from;
  return 0;
}

function byPosition(a: ChainProblem, b: ChainProblem): number {
  return position(a) - position(b) || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind);
}

/** A 48-bit number from a hash: indexes a long chain in a fraction of the memory of the hex strings. */
function hashKey(hash: string): number {
  return parseInt(hash.slice(0, 12), 16);
}

/**
 * Checks a chain entry by entry, in order of position, holding little more than a small index
 * per entry — a chain of millions is verified as it streams from the database. Reports every
 * problem, never only the first.
 */
export class ChainVerifier {
  private readonly problems: ChainProblem[] = [];
  /** Position of each entry by its stored hash, to tell a moved entry from an edited one. */
  private readonly positions = new Map<number, number>();
  /** Entries whose hash does not match, by position: edited or moved, decided at the end. */
  private readonly mismatched = new Map<number, SealedEntry>();
  private previous: SealedEntry | null = null;
  private count = 0;

  constructor(readonly chain: string) {}

  /** The next entry; entries must come in ascending position. */
  add(entry: SealedEntry): void {
    const prev = this.previous;
    if (prev && entry.seq <= prev.seq) {
      this.problems.push({ kind: 'duplicate', seq: entry.seq });
      return;
    }
    this.count++;
    const expected = prev ? prev.seq + 1 : 1;
    if (entry.seq > expected) this.problems.push({ kind: 'missing', from: expected, to: entry.seq - 1 });
    this.positions.set(hashKey(entry.hash), entry.seq);
    if (entryHash({ ...entry, chain: this.chain }) !== entry.hash) this.mismatched.set(entry.seq, entry);
    // The link is checked only where the entry before is present; a gap is already reported.
    const linkTo = entry.seq === 1 ? GENESIS_HASH : prev && prev.seq === entry.seq - 1 ? prev.hash : null;
    if (linkTo !== null && entry.prevHash !== linkTo) this.problems.push({ kind: 'broken_link', seq: entry.seq });
    this.previous = entry;
  }

  /** Every problem, by position, after comparing the end of the chain with its head. */
  finish(head: ChainHead | null): ChainProblem[] {
    const problems = [...this.problems];
    const moved = new Set<number>();
    const writtenAs = new Map<number, number | null>();
    for (const entry of this.mismatched.values()) {
      const original = this.writtenAs(entry, writtenAs, new Set());
      if (original !== null) {
        moved.add(entry.seq);
        problems.push({ kind: 'moved', seq: entry.seq, writtenAs: original });
      } else {
        problems.push({ kind: 'edited', seq: entry.seq });
      }
    }
    const last = this.previous;
    const lastSeq = last?.seq ?? 0;
    if (head === null) {
      problems.push({ kind: 'head_missing' });
    } else if (head.entries > lastSeq) {
      problems.push({ kind: 'truncated', from: lastSeq + 1, to: head.entries });
    } else if (head.entries < lastSeq) {
      problems.push({ kind: 'unrecorded', from: head.entries + 1, to: lastSeq });
    } else if (head.lastHash !== (last?.hash ?? GENESIS_HASH)) {
      problems.push({ kind: 'head_mismatch', seq: lastSeq });
    }
    // A moved entry's own broken link says nothing its move does not.
    return problems
      .filter((p) => !(p.kind === 'broken_link' && moved.has(p.seq)))
      .sort(byPosition);
  }

  /** Entries verified so far. */
  get entries(): number {
    return this.count;
  }

  /**
   * The position a mismatched entry was written at, if it is intact there: one after the entry
   * its link names, wherever that one sits now (itself perhaps moved). Null when edited.
   */
  private writtenAs(entry: SealedEntry, memo: Map<number, number | null>, visiting: Set<number>): number | null {
    if (memo.has(entry.seq)) return memo.get(entry.seq)!;
    if (visiting.has(entry.seq)) return null;
    visiting.add(entry.seq);
    let predecessor: number | null = null;
    if (entry.prevHash === GENESIS_HASH) predecessor = 0;
    else {
      const at = this.positions.get(hashKey(entry.prevHash));
      if (at !== undefined) {
        const before = this.mismatched.get(at);
        predecessor = before ? this.writtenAs(before, memo, visiting) : at;
      }
    }
    const candidate = predecessor === null ? null : predecessor + 1;
    const result = candidate !== null && candidate !== entry.seq && entryHash({ ...entry, chain: this.chain, seq: candidate }) === entry.hash
      ? candidate : null;
    memo.set(entry.seq, result);
    return result;
  }
}

/** Verifies a whole chain held in memory (entries in any order). */
export function verifyChain(chain: string, entries: readonly SealedEntry[], head: ChainHead | null): ChainProblem[] {
  const verifier = new ChainVerifier(chain);
  for (const e of [...entries].sort((a, b) => a.seq - b.seq)) verifier.add(e);
  return verifier.finish(head);
}
