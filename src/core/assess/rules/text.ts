// Building blocks for findings: the Dutch and English words the "why" texts share, KB sources as
// finding sources, and the draft a rule returns. Texts are written for a council member: what
// the device is, what is wrong, on what grounds, and what to do.
import type { Brand, Restriction, Source } from '../../../kb/schema.js';
import type { DeviceKind, SiteCategory } from '../../model.js';
import { SEVERITIES, type AssessDevice, type Action, type FindingEvidence, type Level, type Severity, type SourceRef } from '../types.js';
import type { CompiledKnowledge } from './knowledge.js';

export interface Text {
  nl: string;
  en: string;
}

/** A finding without the device, rule and due date; shared between devices with the same facts. */
export interface Draft {
  severity: Severity;
  likelihood: Level;
  impact: Level;
  why: Text;
  evidence: readonly FindingEvidence[];
  sources: readonly SourceRef[];
  action: Action;
  uncertain?: string;
}

/** A rule: the draft of its finding for the device, or null when the rule does not apply. */
export type Rule = (device: AssessDevice, k: CompiledKnowledge, now: string) => Draft | null;

const NOUNS: Readonly<Record<DeviceKind, Text>> = {
  camera: { nl: 'deze camera', en: 'this camera' },
  recorder: { nl: 'deze recorder', en: 'this recorder' },
  encoder: { nl: 'deze encoder', en: 'this encoder' },
  intercom: { nl: 'deze intercom', en: 'this intercom' },
  other: { nl: 'dit apparaat', en: 'this device' },
};

/** "deze camera" / "this camera", for use inside a sentence. */
export function noun(kind: DeviceKind): Text {
  return NOUNS[kind];
}

/** "Deze camera" / "This camera", to start a sentence. */
export function Noun(kind: DeviceKind): Text {
  const n = NOUNS[kind];
  return { nl: capital(n.nl), en: capital(n.en) };
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const SITE_CATEGORY_TEXT: Readonly<Record<SiteCategory, Text>> = {
  public_space: { nl: 'openbare ruimte', en: 'public space' },
  parking_garage: { nl: 'parkeergarage', en: 'parking garage' },
  sports_facility: { nl: 'sportaccommodatie', en: 'sports facility' },
  office: { nl: 'kantoor', en: 'office' },
  school: { nl: 'school', en: 'school' },
  depot: { nl: 'werf of depot', en: 'depot' },
  other: { nl: 'overige locatie', en: 'other site' },
};

export const AND: Text = { nl: 'en', en: 'and' };
export const OR: Text = { nl: 'of', en: 'or' };

/** "a, b en c" / "a, b and c"; with `OR`, "a, b of c" / "a, b or c". */
export function list(items: readonly string[], conjunction: Text = AND): Text {
  const join = (word: string) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${word} ${items.at(-1)}`);
  return { nl: join(conjunction.nl), en: join(conjunction.en) };
}


/** One step more serious, up to critical. */
export function raised(severity: Severity): Severity {
  return SEVERITIES[Math.max(0, SEVERITIES.indexOf(severity) - 1)]!;
}

/** A KB brand record as evidence: `LTS → hikvision (oem_whitelabel, low)`. */
export function brandEvidence(b: Brand): FindingEvidence {
  return { ref: `kb:brand:${b.id}`, value: `${b.brand} → ${[b.vendor, ...(b.vendor_alternatives ?? [])].join(' / ')} (${b.relationship}, ${b.confidence})` };
}

/** A measure as people recognise it: who, when, what. */
export function measureLabel(r: Restriction): string {
  return `${r.jurisdiction}, ${r.date}: ${r.body}`;
}

/** KB sources as finding sources, without repeats (same url or ref), in the order given. */
export function sourceRefs(...groups: readonly (readonly Source[])[]): SourceRef[] {
  const seen = new Set<string>();
  const out: SourceRef[] = [];
  for (const s of groups.flat()) {
    const key = s.url ?? s.ref ?? '';
    if (seen.has(key)) continue;
    seen.add(key);
    const ref: SourceRef = {};
    if (s.url !== undefined) ref.url = s.url;
    if (s.title !== undefined) ref.title = s.title;
    if (s.ref !== undefined) ref.ref = s.ref;
    out.push(ref);
  }
  return out;
}

/** The uncertainty notes of a finding as one text, one sentence each; undefined when there are none. */
export function uncertainty(notes: readonly (string | null | undefined)[]): string | undefined {
  const kept = [...new Set(notes.filter((n): n is string => typeof n === 'string' && n.trim().length > 0).map((n) => n.trim().replace(/[.;,]*$/, '.')))];
  return kept.length > 0 ? kept.join(' ') : undefined;
}

/** Note for a KB record that is marked uncertain or rests on low confidence. */
export function recordDoubt(kind: string, id: string, r: { uncertain?: string | undefined; confidence?: string; confidence_note?: string | undefined }): string | null {
  if (r.uncertain) return `${kind} ${id}: ${r.uncertain}`;
  if (r.confidence === 'low') return `${kind} ${id}: low confidence${r.confidence_note ? ` (${r.confidence_note})` : ''}`;
  return null;
}

// A measure's status is free text: "in_force", "in_force (from 2025)", "completed (divested; …)".
// Anything else (advice, proposed, announced, unknown) is a measure not in force.
const IN_FORCE = /^(?:in_force|completed)\b/;

/**
 * Doubt about a measure that bears on a finding resting on it: the KB is less than highly
 * confident of the record, or the measure is not in force. Only then is the record's `uncertain`
 * note passed on; on a confident record of a measure in force, that note is about a side issue
 * (which affiliates a source counts, say) and would mark every finding as doubtful for nothing.
 */
export function measureDoubt(r: Restriction): string | null {
  const reasons = [r.confidence === 'high' ? null : `${r.confidence} confidence`, IN_FORCE.test(r.status) ? null : `status "${r.status}"`].filter((x) => x !== null);
  if (reasons.length === 0) return null;
  const note = r.uncertain ?? r.confidence_note;
  return `restriction ${r.id} (${reasons.join(', ')})${note ? `: ${note}` : ''}`;
}

/**
 * A draft frozen all the way down: drafts are shared by every device with the same facts, so a
 * consumer that changed one finding's evidence would change them all. Freezing makes that fail.
 */
export function draft(d: Draft): Draft {
  for (const e of d.evidence) Object.freeze(e);
  for (const s of d.sources) Object.freeze(s);
  Object.freeze(d.evidence);
  Object.freeze(d.sources);
  Object.freeze(d.why);
  return Object.freeze(d);
}
