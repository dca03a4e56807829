// What an online agent tells the person running it, in Dutch and English (structured as messages.ts).
import type { Lang } from './messages.js';

const en = {
  'agentOnline.keyCreated': 'no agent key at {file}: a new key pair was made there',
  'agentOnline.enrolled': 'enrolled as agent "{name}" of {org} (id {id})',
  'agentOnline.fingerprint': 'fingerprint: {fingerprint}',
  'agentOnline.compare': 'check with the administrator that the server shows the same fingerprint for this agent',
  'agentOnline.scopes': 'scopes assigned by the server: {scopes}',
  'agentOnline.saved': 'enrolment saved in {file}; start the agent with: camaudit agent run {url} --key {key} --scope SCOPE-FILE',
  'agentOnline.answered': 'job {job}: {addresses} addresses scanned, {hosts} hosts answered; register: {created} discovered, {updated} updated, {unchanged} unchanged (scan run {run})',
  'agentOnline.refused': 'job {job} refused: {reason}',
  'agentOnline.interrupted': 'job {job} interrupted; the server hands it out again at the next round',
  'agentOnline.noJobs': 'no open jobs',
  'agentOnline.roundFailed': 'round failed: {message}; trying again in {seconds} s',
  'agentOnline.stopped': 'agent stopped',
} as const;

export type AgentMessageKey = keyof typeof en;

const nl: Record<AgentMessageKey, string> = {
  'agentOnline.keyCreated': 'geen agentsleutel in {file}: er is daar een nieuw sleutelpaar gemaakt',
  'agentOnline.enrolled': 'ingeschreven als agent "{name}" van {org} (id {id})',
  'agentOnline.fingerprint': 'vingerafdruk: {fingerprint}',
  'agentOnline.compare': 'controleer met de beheerder dat de server voor deze agent dezelfde vingerafdruk toont',
  'agentOnline.scopes': 'bereik toegewezen door de server: {scopes}',
  'agentOnline.saved': 'inschrijving bewaard in {file}; start de agent met: camaudit agent run {url} --key {key} --scope BEREIKBESTAND',
  'agentOnline.answered': 'taak {job}: {addresses} adressen gescand, {hosts} hosts antwoordden; register: {created} ontdekt, {updated} bijgewerkt, {unchanged} ongewijzigd (scanrun {run})',
  'agentOnline.refused': 'taak {job} geweigerd: {reason}',
  'agentOnline.interrupted': 'taak {job} onderbroken; de server geeft hem bij de volgende ronde opnieuw uit',
  'agentOnline.noJobs': 'geen openstaande taken',
  'agentOnline.roundFailed': 'ronde mislukt: {message}; nieuwe poging over {seconds} s',
  'agentOnline.stopped': 'agent gestopt',
};

const CATALOG: Record<Lang, Record<AgentMessageKey, string>> = { en, nl };

export function tAgent(lang: Lang, key: AgentMessageKey, params: Record<string, string | number> = {}): string {
  return CATALOG[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}
