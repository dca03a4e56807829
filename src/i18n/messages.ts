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
};

const CATALOG: Record<Lang, Record<MessageKey, string>> = { en, nl };

export function t(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  return CATALOG[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}
