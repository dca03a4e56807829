// How the knowledge base's own values read in the page's language, apart from React so it can be
// tested on its own. No imports: pure functions and tables only.

type Lang = 'nl' | 'en';

const LOCALES: Readonly<Record<Lang, string>> = { nl: 'nl-NL', en: 'en-GB' };

/**
 * A date as the knowledge base records it, in the language: a day (2022-11-25), a month (2021-11)
 * or a year (2021) at the precision it was recorded with, never more; anything else (a range,
 * several dates) as written, and `unknown` as the word.
 */
export function kbDate(lang: Lang, value: string | null | undefined, unknown: string): string {
  if (!value) return '—';
  const text = value.trim();
  if (text === 'unknown') return unknown;
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (day) {
    const date = new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3])));
    if (date.getUTCDate() !== Number(day[3])) return text;
    return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
  }
  const month = /^(\d{4})-(\d{2})$/.exec(text);
  if (month && Number(month[2]) >= 1 && Number(month[2]) <= 12) {
    return new Intl.DateTimeFormat(LOCALES[lang], { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(Number(month[1]), Number(month[2]) - 1, 1)));
  }
  return text;
}

/** The known opening words of a measure's status, each with a word-table key. */
const STATUS_HEADS: readonly (readonly [string, string])[] = [
  ['investigation announced', 'status_investigation_announced'],
  ['announced / in progress', 'status_announced_in_progress'],
  ['policy statement', 'status_policy_statement'],
  ['in progress', 'status_in_progress'],
  ['in_force', 'status_in_force'],
  ['completed', 'status_completed'],
  ['announced', 'status_announced'],
  ['answered', 'status_answered'],
  ['informational', 'status_informational'],
  ['proposed', 'status_proposed'],
  ['advice', 'status_advice'],
  ['mixed', 'status_mixed'],
  ['unknown', 'status_unknown'],
];

/**
 * A measure's status split into its known opening word (as a word-table key) and the rest as
 * recorded (dates and qualifications from the source); null when the opening is not a known one.
 */
export function measureStatusParts(status: string): { key: string; rest: string } | null {
  const text = status.trim();
  for (const [head, key] of STATUS_HEADS) {
    if (text === head || text.startsWith(`${head} `) || text.startsWith(`${head};`)) return { key, rest: text.slice(head.length).trim() };
  }
  return null;
}
