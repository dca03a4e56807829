// The shapes of a tender screening: plain data, so the CLI, the API and the DOCX report show
// the same result, and `--json` is the result itself.
import type { FindingEvidence, Severity, SourceRef } from '../assess/types.js';
import type { BidLine } from './columns.js';

/** What the supplier still has to supply before the line can be judged. */
export type MissingReason = 'missing_model' | 'missing_firmware' | 'unknown_maker' | 'manufacturer_declaration' | 'firmware_build_date';

/** Worst first: a line's verdict is the worst of its reasons. */
export const VERDICTS = ['restricted', 'flagged', 'incomplete', 'clear'] as const;
export type Verdict = (typeof VERDICTS)[number];

export type ReasonKind = 'restricted_manufacturer' | 'human_rights' | 'known_exploited_vulnerability' | MissingReason;

export interface Reason {
  kind: ReasonKind;
  verdict: Exclude<Verdict, 'clear'>;
  severity: Severity | null;
  why: { nl: string; en: string };
  evidence: FindingEvidence[];
  sources: SourceRef[];
  uncertain?: string;
}

/** How the true maker was found: the KB records that read the line, each with its sources. */
export interface MakerIdentification {
  id: string;
  name: string;
  confidence: number;
  evidence: { rule: string; field: string; value: string; note?: string; sources: SourceRef[] }[];
  checks: string[];
}

export interface ScreenedLine {
  line: BidLine;
  maker: MakerIdentification | null;
  verdict: Verdict;
  reasons: Reason[];
  /** Informational remarks that change no verdict (a country of origin the policy attaches nothing to). */
  notes: { nl: string; en: string }[];
}

export interface Screening {
  screenedAt: string;
  kbVersion: string;
  policy: string;
  lines: ScreenedLine[];
  counts: Record<Verdict, number>;
}

