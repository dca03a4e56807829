// The audit-chain event reads the verifier's findings (core/audit/chain.ts): the first problem in
// the chain, at the position where the chain stops being trustworthy, described in both languages.
import type { ChainProblem } from '../audit/chain.js';
import type { Text } from '../assess/rules/text.js';
import type { AuditChainProblem } from './events.js';

function describe(p: ChainProblem): { at: number; detail: Text } {
  switch (p.kind) {
    case 'edited':
      return { at: p.seq, detail: { nl: `regel ${p.seq} is gewijzigd`, en: `entry ${p.seq} was changed` } };
    case 'moved':
      return { at: p.seq, detail: { nl: `regel ${p.seq} is verplaatst (geschreven als regel ${p.writtenAs})`, en: `entry ${p.seq} was moved (written as entry ${p.writtenAs})` } };
    case 'missing':
      return { at: p.from, detail: { nl: `regels ${p.from} tot en met ${p.to} ontbreken`, en: `entries ${p.from} to ${p.to} are missing` } };
    case 'duplicate':
      return { at: p.seq, detail: { nl: `regel ${p.seq} komt dubbel voor`, en: `entry ${p.seq} appears twice` } };
    case 'broken_link':
      return { at: p.seq, detail: { nl: `regel ${p.seq} verwijst niet naar de regel ervoor`, en: `entry ${p.seq} does not link to the entry before it` } };
    case 'truncated':
      return { at: p.from, detail: { nl: `de nieuwste regels ${p.from} tot en met ${p.to} zijn verwijderd`, en: `the newest entries ${p.from} to ${p.to} were deleted` } };
    case 'unrecorded':
      return { at: p.from, detail: { nl: `regels ${p.from} tot en met ${p.to} zijn buiten de audittrail om geschreven`, en: `entries ${p.from} to ${p.to} were written past the audit trail` } };
    case 'head_mismatch':
      return { at: p.seq, detail: { nl: `de laatste regel (${p.seq}) is niet de regel die de keten vastlegde`, en: `the newest entry (${p.seq}) is not the one the chain recorded` } };
    case 'head_missing':
      return { at: 0, detail: { nl: 'het eindpunt van de keten is verwijderd', en: 'the end marker of the chain was deleted' } };
  }
}

/** The first problem the verifier reports (they come ordered by position), or null for a sound chain. */
export function firstAuditProblem(problems: readonly ChainProblem[]): AuditChainProblem | null {
  const first = problems[0];
  if (!first) return null;
  const { at, detail } = describe(first);
  return { firstBadSeq: at, detail };
}
