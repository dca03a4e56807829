// The texts of `camaudit federation`, in Dutch and English, kept like the main catalog (messages.ts).
import type { Lang } from './messages.js';

const en = {
  'federation.preview.header': 'aggregate of {name} ({code}) for {period}: counts below {threshold} are withheld',
  'federation.preview.cells': '{devices} devices in {cells} combinations: {published} published, {withheld} withheld',
  'federation.published.new': 'aggregate of {code} for {period} published to {to}',
  'federation.published.replaced': 'aggregate of {code} for {period} published to {to}, replacing the earlier one for that period',
  'federation.written': 'aggregate of {code} for {period} written to {file}; hand it to the coordinator (camaudit federation receive)',
  'federation.received.new': 'aggregate of {name} ({code}) for {period} received by {coordinator}',
  'federation.received.replaced': 'aggregate of {name} ({code}) for {period} received by {coordinator}, replacing the earlier one for that period',
  'federation.summary.header': 'national picture of {coordinator}: {n} organisations, latest figures of {asOf}; counts below {threshold} withheld',
  'federation.summary.none': 'no aggregates received yet by {coordinator}',
  'federation.summary.headline': '{named} of {n} run Hikvision or Dahua devices; {exposed} have them on internet-exposed networks; {other} run devices of other makers an adopted measure restricts',
  'federation.summary.excluded': 'left out: {code} ({name}) for {period}, published with threshold {threshold}',
  'federation.summary.national': 'national totals',
  'federation.summary.municipalities': 'per organisation',
  'federation.summary.trend': 'trend (each organisation with its latest figures up to that month)',
  'federation.legend': '× withheld (a small count, or one that would reveal a small count); ≥ a sum that includes withheld figures, each counted as 1',
  'federation.col.group': 'maker group',
  'federation.col.devices': 'devices',
  'federation.col.exposed': 'internet-exposed',
  'federation.col.inService': 'in service',
  'federation.col.runs': 'present',
  'federation.col.code': 'code',
  'federation.col.name': 'name',
  'federation.col.period': 'period',
  'federation.col.critical': 'critical',
  'federation.col.namedInService': 'Hik/Dahua in service',
  'federation.col.namedExposed': 'Hik/Dahua exposed',
  'federation.col.month': 'month',
  'federation.col.sources': 'organisations',
  'federation.col.updated': 'updated',
  'federation.yes': 'yes',
  'federation.no': 'no',
} as const;

export type FederationMessageKey = keyof typeof en;

const nl: Record<FederationMessageKey, string> = {
  'federation.preview.header': 'aggregaat van {name} ({code}) voor {period}: aantallen onder {threshold} worden niet getoond',
  'federation.preview.cells': '{devices} apparaten in {cells} combinaties: {published} getoond, {withheld} afgeschermd',
  'federation.published.new': 'aggregaat van {code} voor {period} gepubliceerd naar {to}',
  'federation.published.replaced': 'aggregaat van {code} voor {period} gepubliceerd naar {to}; het vervangt het eerdere van die periode',
  'federation.written': 'aggregaat van {code} voor {period} geschreven naar {file}; bezorg het bij de coördinator (camaudit federation receive)',
  'federation.received.new': 'aggregaat van {name} ({code}) voor {period} ontvangen door {coordinator}',
  'federation.received.replaced': 'aggregaat van {name} ({code}) voor {period} ontvangen door {coordinator}; het vervangt het eerdere van die periode',
  'federation.summary.header': 'landelijk beeld van {coordinator}: {n} organisaties, laatste cijfers van {asOf}; aantallen onder {threshold} afgeschermd',
  'federation.summary.none': '{coordinator} heeft nog geen aggregaten ontvangen',
  'federation.summary.headline': '{named} van de {n} gebruiken apparaten van Hikvision of Dahua; {exposed} hebben ze op netwerken die vanaf internet bereikbaar zijn; {other} gebruiken apparaten van andere fabrikanten die een gevolgde maatregel beperkt',
  'federation.summary.excluded': 'niet meegeteld: {code} ({name}) voor {period}, gepubliceerd met drempel {threshold}',
  'federation.summary.national': 'landelijke totalen',
  'federation.summary.municipalities': 'per organisatie',
  'federation.summary.trend': 'verloop (elke organisatie met haar laatste cijfers tot en met die maand)',
  'federation.legend': '× afgeschermd (een klein aantal, of een aantal waaruit een klein aantal af te leiden is); ≥ een som met afgeschermde aantallen, elk als 1 geteld',
  'federation.col.group': 'fabrikantgroep',
  'federation.col.devices': 'apparaten',
  'federation.col.exposed': 'vanaf internet bereikbaar',
  'federation.col.inService': 'in gebruik',
  'federation.col.runs': 'aanwezig',
  'federation.col.code': 'code',
  'federation.col.name': 'naam',
  'federation.col.period': 'periode',
  'federation.col.critical': 'kritiek',
  'federation.col.namedInService': 'Hik/Dahua in gebruik',
  'federation.col.namedExposed': 'Hik/Dahua bereikbaar',
  'federation.col.month': 'maand',
  'federation.col.sources': 'organisaties',
  'federation.col.updated': 'bijgewerkt',
  'federation.yes': 'ja',
  'federation.no': 'nee',
};

const CATALOG: Record<Lang, Record<FederationMessageKey, string>> = { en, nl };

export function tFederation(lang: Lang, key: FederationMessageKey, params: Record<string, string | number> = {}): string {
  return CATALOG[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}
