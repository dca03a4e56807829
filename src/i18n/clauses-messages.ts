// The texts of `camaudit clauses`, in Dutch and English, kept like the main catalog (messages.ts).
import type { Lang } from './messages.js';

const en = {
  'clauses.written': '{n} clauses ({lang}, {format}) written to {file}',
  'clauses.docxNeedsFile': 'a Word document cannot be printed to the terminal; name a file with -o, e.g. -o clauses.docx',
} as const;

export type ClausesMessageKey = keyof typeof en;

const nl: Record<ClausesMessageKey, string> = {
  'clauses.written': '{n} clausules ({lang}, {format}) geschreven naar {file}',
  'clauses.docxNeedsFile': 'een Word-document kan niet naar de terminal; geef een bestand op met -o, bijvoorbeeld -o clausules.docx',
};

const CATALOG: Record<Lang, Record<ClausesMessageKey, string>> = { en, nl };

export function tClauses(lang: Lang, key: ClausesMessageKey, params: Record<string, string | number> = {}): string {
  return CATALOG[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}
