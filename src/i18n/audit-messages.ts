// The texts of `camaudit audit`, in Dutch and English, kept like the main catalog (messages.ts).
import type { Lang } from './messages.js';

const en = {
  'audit.chain.organisation': 'organisation {slug}',
  'audit.chain.server': 'server',
  'audit.entry': 'entry {n}',
  'audit.entries': 'entries {from}–{to}',
  'audit.intact': '{chain}: {n} entries, intact (head {hash})',
  'audit.broken': '{chain}: {n} entries, {problems} problem(s):',
  'audit.problem.edited': '{what}: changed after it was written (its content no longer matches its hash)',
  'audit.problem.moved': '{what}: moved; it was written as entry {writtenAs}',
  'audit.problem.missing': '{what}: missing (deleted)',
  'audit.problem.duplicate': '{what}: occurs more than once',
  'audit.problem.broken_link': '{what}: does not follow the entry before it (that one was replaced or moved)',
  'audit.problem.truncated': '{what}: deleted from the end (the chain head counts {total} entries)',
  'audit.problem.unrecorded': '{what}: added outside the audit trail (the chain head counts {total} entries)',
  'audit.problem.head_mismatch': '{what}: is not the newest entry the chain head recorded',
  'audit.problem.head_missing': 'the chain head is missing (deleted)',
  'audit.exported': '{n} entries of {chain} written to {file}',
} as const;

export type AuditMessageKey = keyof typeof en;

const nl: Record<AuditMessageKey, string> = {
  'audit.chain.organisation': 'organisatie {slug}',
  'audit.chain.server': 'server',
  'audit.entry': 'vermelding {n}',
  'audit.entries': 'vermeldingen {from}–{to}',
  'audit.intact': '{chain}: {n} vermeldingen, intact (kop {hash})',
  'audit.broken': '{chain}: {n} vermeldingen, {problems} probleem/problemen:',
  'audit.problem.edited': '{what}: gewijzigd nadat hij is vastgelegd (de inhoud past niet meer bij de hash)',
  'audit.problem.moved': '{what}: verplaatst; vastgelegd als vermelding {writtenAs}',
  'audit.problem.missing': '{what}: ontbreekt (verwijderd)',
  'audit.problem.duplicate': '{what}: komt meer dan eens voor',
  'audit.problem.broken_link': '{what}: sluit niet aan op de vermelding ervoor (die is vervangen of verplaatst)',
  'audit.problem.truncated': '{what}: aan het eind verwijderd (de kop van de keten telt {total} vermeldingen)',
  'audit.problem.unrecorded': '{what}: buiten het auditspoor toegevoegd (de kop van de keten telt {total} vermeldingen)',
  'audit.problem.head_mismatch': '{what}: is niet de nieuwste vermelding die de kop van de keten vastlegde',
  'audit.problem.head_missing': 'de kop van de keten ontbreekt (verwijderd)',
  'audit.exported': '{n} vermeldingen van {chain} geschreven naar {file}',
};

const CATALOG: Record<Lang, Record<AuditMessageKey, string>> = { en, nl };

export function tAudit(lang: Lang, key: AuditMessageKey, params: Record<string, string | number> = {}): string {
  return CATALOG[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}
