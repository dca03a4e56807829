// One catalog for every text people read, in Dutch and English. Keys name the situation.
export type Lang = 'nl' | 'en';

const en = {
  'import.summary': '{file}: {created} created, {updated} updated, {unchanged} unchanged, {rejected} rejected',
  'import.dryRun': 'dry run: nothing was written',
  'import.rolledBack': 'import refused: {n} row error(s); nothing was written (use --dry-run to review, --skip-invalid to import the valid rows)',
  'import.rejectsWritten': 'rejected rows with reasons written to {file}',
  'import.rowError': '{location}: {message}',
  'import.warning': 'warning: {message}',
  'init.created': 'created organisation "{name}" ({slug}) in {db}',
  'demo.loaded': 'demo organisation "{name}": {devices} devices at {sites} sites ({created} created, {updated} updated, {unchanged} unchanged)',
  'serve.listening': 'camaudit is running at {url}',
  'export.written': '{n} devices written to {file}',
  'backup.written': 'backup written to {file}',
  'restore.done': 'database restored from {file}',
  'devices.updated': 'device {id} updated',
  'devices.unchanged': 'device {id} unchanged',
  'list.empty': 'nothing to show',
  'list.more': '… more: --cursor {cursor}',
  'identify.unreadable': '{file}: not a device response camaudit can read (use --protocol)',
  'identify.maker': 'maker',
  'identify.unknown': 'maker unknown',
  'identify.confidence': 'confidence {n}',
  'identify.localKnowledge': 'local knowledge',
  'identify.conflict': 'conflict: {maker} (score {score})',
  'identify.check': 'check: {text}',
  'identify.channel': 'channel: {maker} — {what}',
  'identity.trueMaker': 'true maker    {maker} (confidence {n}, knowledge base {version})',
  'identity.statedMaker': 'stated maker  {maker}',
  'identity.evidence': 'evidence: {signal} "{value}" → {rule}',
  'kb.noProblems': 'knowledge base {version}: no problems',
  'kb.nothingFound': 'nothing found',
  'kb.updated': 'knowledge base {from} → {to} ({files})',
  'kb.reidentified': '{org}: {checked} devices identified again, {changed} changed, {makers} with another maker',
} as const;

export type MessageKey = keyof typeof en;

const nl: Record<MessageKey, string> = {
  'import.summary': '{file}: {created} nieuw, {updated} bijgewerkt, {unchanged} ongewijzigd, {rejected} afgewezen',
  'import.dryRun': 'proefimport: er is niets opgeslagen',
  'import.rolledBack': 'import geweigerd: {n} fout(en) in rijen; er is niets opgeslagen (gebruik --dry-run om te controleren, --skip-invalid om de goede rijen te importeren)',
  'import.rejectsWritten': 'afgewezen rijen met redenen staan in {file}',
  'import.rowError': '{location}: {message}',
  'import.warning': 'waarschuwing: {message}',
  'init.created': 'organisatie "{name}" ({slug}) aangemaakt in {db}',
  'demo.loaded': 'demo-organisatie "{name}": {devices} apparaten op {sites} locaties ({created} nieuw, {updated} bijgewerkt, {unchanged} ongewijzigd)',
  'serve.listening': 'camaudit draait op {url}',
  'export.written': '{n} apparaten geschreven naar {file}',
  'backup.written': 'back-up geschreven naar {file}',
  'restore.done': 'database hersteld uit {file}',
  'devices.updated': 'apparaat {id} bijgewerkt',
  'devices.unchanged': 'apparaat {id} ongewijzigd',
  'list.empty': 'niets te tonen',
  'list.more': '… meer: --cursor {cursor}',
  'identify.unreadable': '{file}: geen apparaatantwoord dat camaudit kan lezen (gebruik --protocol)',
  'identify.maker': 'fabrikant',
  'identify.unknown': 'fabrikant onbekend',
  'identify.confidence': 'zekerheid {n}',
  'identify.localKnowledge': 'eigen kennis',
  'identify.conflict': 'tegenstrijdig: {maker} (score {score})',
  'identify.check': 'controleren: {text}',
  'identify.channel': 'kanaal: {maker} — {what}',
  'identity.trueMaker': 'echte fabrikant  {maker} (zekerheid {n}, kennisbank {version})',
  'identity.statedMaker': 'opgegeven fabrikant  {maker}',
  'identity.evidence': 'bewijs: {signal} "{value}" → {rule}',
  'kb.noProblems': 'kennisbank {version}: geen problemen',
  'kb.nothingFound': 'niets gevonden',
  'kb.updated': 'kennisbank {from} → {to} ({files})',
  'kb.reidentified': '{org}: {checked} apparaten opnieuw geïdentificeerd, {changed} gewijzigd, {makers} met een andere fabrikant',
};

const CATALOG: Record<Lang, Record<MessageKey, string>> = { en, nl };

export function t(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  return CATALOG[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}
