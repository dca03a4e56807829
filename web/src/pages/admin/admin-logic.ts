// The administration page's decisions that need no React: which sections a role sees, how a chain
// problem and a change in the audit trail read, which form field an API error is about, and the
// state of a token. Kept free of imports so they are tested on their own.

export type AdminLang = 'nl' | 'en';

export const SECTIONS = ['people', 'tokens', 'sso', 'audit', 'policy', 'publication', 'notifications', 'theme'] as const;
export type SectionId = (typeof SECTIONS)[number];

/** Administrators see everything; auditors only the audit trail; anyone else nothing. */
export function sectionsFor(can: { admin: boolean; audit: boolean }): SectionId[] {
  if (can.admin) return [...SECTIONS];
  if (can.audit) return ['audit'];
  return [];
}

/** The section asked for in the address when the person may see it, else their first one. */
export function chosenSection(asked: string | null, allowed: readonly SectionId[]): SectionId | undefined {
  return allowed.find((s) => s === asked) ?? allowed[0];
}

/** A problem as GET …/audit/verification reports it (src/core/audit/chain.ts ChainProblem). */
export interface ChainProblemView {
  kind: string;
  seq?: number;
  from?: number;
  to?: number;
  writtenAs?: number;
}

const range = (p: ChainProblemView) => (p.from === p.to ? `${p.from}` : `${p.from}–${p.to}`);

/** One sentence per problem, naming the positions, in the reader's language. */
export function describeProblem(lang: AdminLang, p: ChainProblemView): string {
  const nl = lang === 'nl';
  switch (p.kind) {
    case 'edited': return nl ? `Regel ${p.seq} is gewijzigd na het vastleggen (de inhoud past niet meer bij de hash).` : `Entry ${p.seq} was changed after it was written (its content no longer matches its hash).`;
    case 'moved': return nl ? `Regel ${p.seq} is verplaatst; hij is vastgelegd als regel ${p.writtenAs}.` : `Entry ${p.seq} was moved; it was written as entry ${p.writtenAs}.`;
    case 'missing': return nl ? `Regel(s) ${range(p)} ontbreken: verwijderd.` : `Entries ${range(p)} are missing: deleted.`;
    case 'duplicate': return nl ? `Regel ${p.seq} komt meer dan eens voor.` : `Entry ${p.seq} appears more than once.`;
    case 'broken_link': return nl ? `Regel ${p.seq} verwijst naar een andere voorganger: die is vervangen of verplaatst.` : `Entry ${p.seq} links to another entry than the one before it: that one was replaced or moved.`;
    case 'truncated': return nl ? `De nieuwste regels ${range(p)} zijn verwijderd.` : `The newest entries ${range(p)} were deleted.`;
    case 'unrecorded': return nl ? `Regels ${range(p)} staan buiten de boekhouding van de keten.` : `Entries ${range(p)} were written outside the chain's bookkeeping.`;
    case 'head_mismatch': return nl ? `De nieuwste regel (${p.seq}) is niet de regel die de kop van de keten vastlegde.` : `The newest entry (${p.seq}) is not the one the chain's head recorded.`;
    case 'head_missing': return nl ? 'De kop van de keten ontbreekt.' : 'The head of the chain is missing.';
    default: return nl ? `Onbekend probleem: ${p.kind}` : `Unknown problem: ${p.kind}`;
  }
}

function show(value: unknown): string {
  if (value === undefined) return '—';
  if (typeof value === 'string') return value.length > 80 ? `${value.slice(0, 77)}…` : value;
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/** What an audit entry changed, one line per field: `field: before → after` (or only one side). */
export function summariseChange(before: Record<string, unknown> | null, after: Record<string, unknown> | null): string[] {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  return keys.flatMap((k) => {
    const b = before?.[k];
    const a = after?.[k];
    if (before && after && JSON.stringify(a) === JSON.stringify(b)) return [];
    if (!before) return [`${k}: ${show(a)}`];
    if (!after) return [`${k}: ${show(b)} →`];
    return [`${k}: ${show(b)} → ${show(a)}`];
  });
}

/**
 * Which of the form's fields an API error is about: the server names body fields in validation
 * errors (`body.email: …`) and mentions them in its own messages ("… is not an e-mail address").
 * Undefined when the error is about none of them in particular.
 */
export function errorField<F extends string>(detail: string | undefined, fields: Readonly<Record<F, readonly RegExp[]>>): F | undefined {
  if (!detail) return undefined;
  for (const [field, patterns] of Object.entries(fields) as [F, readonly RegExp[]][]) {
    if (new RegExp(`\\bbody\\.${field}\\b`).test(detail) || patterns.some((p) => p.test(detail))) return field;
  }
  return undefined;
}

export type TokenState = 'active' | 'revoked' | 'expired';

export function tokenState(token: { revokedAt: string | null; expiresAt: string }, now: Date): TokenState {
  if (token.revokedAt) return 'revoked';
  return Date.parse(token.expiresAt) <= now.getTime() ? 'expired' : 'active';
}

export const MAX_TOKEN_DAYS = 366;

/** The days a new token lasts, when the text is a whole number from 1 to 366. */
export function tokenDays(text: string): number | undefined {
  if (!/^\s*\d+\s*$/.test(text)) return undefined;
  const days = Number(text);
  return days >= 1 && days <= MAX_TOKEN_DAYS ? days : undefined;
}
