// The texts of `camaudit screen` and its DOCX report, in Dutch and English, kept like the main catalog (messages.ts).
import type { Lang } from './messages.js';

const en = {
  'screen.title': 'Tender screening: {file}',
  'screen.meta': 'Screened on {date} with knowledge base {kb} and policy "{policy}".',
  'screen.summary': '{lines} lines: {restricted} restricted, {flagged} flagged, {incomplete} incomplete, {clear} clear',
  'screen.col.row': 'Row',
  'screen.col.brand': 'Brand',
  'screen.col.model': 'Model',
  'screen.col.firmware': 'Firmware',
  'screen.col.origin': 'Origin',
  'screen.col.maker': 'Manufacturer',
  'screen.col.verdict': 'Verdict',
  'screen.verdict.restricted': 'restricted',
  'screen.verdict.flagged': 'flagged',
  'screen.verdict.incomplete': 'incomplete',
  'screen.verdict.clear': 'clear',
  'screen.reasons': 'Reasons',
  'screen.line': 'Row {row}: {brand} {model}',
  'screen.maker': 'Manufacturer: {maker} ({confidence}% confidence)',
  'screen.makerUnknown': 'Manufacturer: unknown',
  'screen.evidence': 'Evidence',
  'screen.sources': 'Sources',
  'screen.uncertain': 'To verify: {text}',
  'screen.warning': 'Identification warning: {text}',
  'screen.note': 'Note: {text}',
  'screen.none': 'No reasons: the line is clear.',
  'screen.exitNote': 'Exit code 1: at least one line offers equipment of a restricted manufacturer.',
  'screen.written': 'Screening report written to {file}',
  'screen.disclaimer': 'This screening rests on the knowledge base and the policy named above; it is input for the procurement team and its lawyers, not a legal decision.',
} as const;

export type ScreenMessageKey = keyof typeof en;

const nl: Record<ScreenMessageKey, string> = {
  'screen.title': 'Screening van de inschrijving: {file}',
  'screen.meta': 'Gescreend op {date} met kennisbank {kb} en beleid "{policy}".',
  'screen.summary': '{lines} regels: {restricted} beperkt, {flagged} gemarkeerd, {incomplete} onvolledig, {clear} in orde',
  'screen.col.row': 'Regel',
  'screen.col.brand': 'Merk',
  'screen.col.model': 'Type',
  'screen.col.firmware': 'Firmware',
  'screen.col.origin': 'Herkomst',
  'screen.col.maker': 'Fabrikant',
  'screen.col.verdict': 'Oordeel',
  'screen.verdict.restricted': 'beperkt',
  'screen.verdict.flagged': 'gemarkeerd',
  'screen.verdict.incomplete': 'onvolledig',
  'screen.verdict.clear': 'in orde',
  'screen.reasons': 'Redenen',
  'screen.line': 'Regel {row}: {brand} {model}',
  'screen.maker': 'Fabrikant: {maker} (zekerheid {confidence}%)',
  'screen.makerUnknown': 'Fabrikant: onbekend',
  'screen.evidence': 'Bewijs',
  'screen.sources': 'Bronnen',
  'screen.uncertain': 'Te controleren: {text}',
  'screen.warning': 'Waarschuwing bij de identificatie: {text}',
  'screen.note': 'Opmerking: {text}',
  'screen.none': 'Geen redenen: de regel is in orde.',
  'screen.exitNote': 'Exitcode 1: ten minste één regel biedt apparatuur van een beperkte fabrikant aan.',
  'screen.written': 'Screeningsrapport geschreven naar {file}',
  'screen.disclaimer': 'Deze screening berust op de kennisbank en het beleid hierboven; zij is input voor het inkoopteam en de juristen, geen juridisch besluit.',
};

const CATALOG: Record<Lang, Record<ScreenMessageKey, string>> = { en, nl };

export function tScreen(lang: Lang, key: ScreenMessageKey, params: Record<string, string | number> = {}): string {
  return CATALOG[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}
