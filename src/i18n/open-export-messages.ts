// What `camaudit export geojson|cyclonedx|cib` reports, in Dutch and English (structured as messages.ts).
import type { Lang } from './messages.js';

const en = {
  'openExport.sites': '{n} sites written to {file}',
  'openExport.devices': '{n} devices written to {file}',
} as const;

export type OpenExportMessageKey = keyof typeof en;

const nl: Record<OpenExportMessageKey, string> = {
  'openExport.sites': '{n} locaties geschreven naar {file}',
  'openExport.devices': '{n} apparaten geschreven naar {file}',
};

const CATALOG: Record<Lang, Record<OpenExportMessageKey, string>> = { en, nl };

export function tOpenExport(lang: Lang, key: OpenExportMessageKey, params: Record<string, string | number> = {}): string {
  return CATALOG[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}
