// Dutch and English texts of `camaudit notify`, structured as messages.ts is.
import type { Lang } from './messages.js';

const en = {
  'notify.added': 'subscription {id}: {channel} to {target} for {events}',
  'notify.baseline': '{n} current event(s) recorded as known; only what happens from now on is sent',
  'notify.secret': 'signing secret (shown once; the receiver checks X-Camaudit-Signature with it): {secret}',
  'notify.removed': 'subscription {id} removed: {channel} to {target}',
  'notify.none': 'no subscriptions; add one with camaudit notify add webhook URL --events all',
  'notify.attempt.sent': 'sent     {event} → {channel} {target}',
  'notify.attempt.pending': 'retry    {event} → {channel} {target}: {error} (attempt {attempts} of {max})',
  'notify.attempt.failed': 'failed   {event} → {channel} {target}: {error} (gave up after {attempts} attempts)',
  'notify.summary': '{organisations} organisation(s): {events} current event(s), {fresh} new; {sent} sent, {retrying} to retry, {failed} failed',
  'notify.problem': 'organisation {org} skipped: {error}',
  'notify.testSent': 'test message sent to {target}',
  'notify.testFailed': 'test message to {target} failed: {error}',
  'notify.heading.id': 'id',
  'notify.heading.channel': 'channel',
  'notify.heading.target': 'target',
  'notify.heading.events': 'events',
  'notify.heading.created': 'created',
  'notify.heading.event': 'event',
  'notify.heading.status': 'status',
  'notify.heading.attempts': 'attempts',
  'notify.heading.error': 'last error',
};

export type NotifyMessageKey = keyof typeof en;

const nl: Record<NotifyMessageKey, string> = {
  'notify.added': 'abonnement {id}: {channel} naar {target} voor {events}',
  'notify.baseline': '{n} bestaande gebeurtenis(sen) als bekend vastgelegd; alleen wat vanaf nu gebeurt wordt verstuurd',
  'notify.secret': 'ondertekeningsgeheim (eenmalig getoond; de ontvanger controleert er X-Camaudit-Signature mee): {secret}',
  'notify.removed': 'abonnement {id} verwijderd: {channel} naar {target}',
  'notify.none': 'geen abonnementen; voeg er een toe met camaudit notify add webhook URL --events all',
  'notify.attempt.sent': 'verstuurd  {event} → {channel} {target}',
  'notify.attempt.pending': 'opnieuw    {event} → {channel} {target}: {error} (poging {attempts} van {max})',
  'notify.attempt.failed': 'mislukt    {event} → {channel} {target}: {error} (opgegeven na {attempts} pogingen)',
  'notify.summary': '{organisations} organisatie(s): {events} actuele gebeurtenis(sen), {fresh} nieuw; {sent} verstuurd, {retrying} later opnieuw, {failed} mislukt',
  'notify.problem': 'organisatie {org} overgeslagen: {error}',
  'notify.testSent': 'testbericht verstuurd naar {target}',
  'notify.testFailed': 'testbericht naar {target} mislukt: {error}',
  'notify.heading.id': 'id',
  'notify.heading.channel': 'kanaal',
  'notify.heading.target': 'bestemming',
  'notify.heading.events': 'gebeurtenissen',
  'notify.heading.created': 'aangemaakt',
  'notify.heading.event': 'gebeurtenis',
  'notify.heading.status': 'status',
  'notify.heading.attempts': 'pogingen',
  'notify.heading.error': 'laatste fout',
};

const CATALOG: Record<Lang, Record<NotifyMessageKey, string>> = { en, nl };

export function tn(lang: Lang, key: NotifyMessageKey, params: Record<string, string | number> = {}): string {
  return CATALOG[lang][key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}
