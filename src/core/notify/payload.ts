// What leaves camaudit when an event is delivered: one JSON document, the same for every channel
// (it is the webhook body, stored with the delivery so every retry sends identical bytes), and
// the e-mail made from it. Both languages travel along; the e-mail leads with the organisation's.
import type { Text } from '../assess/rules/text.js';
import type { EventEntity, EventKind, NotifyEvent } from './events.js';

export interface NotificationPayload {
  /** The event kind; `test` for a test message sent on request. */
  event: EventKind | 'test';
  key: string;
  organisation: { slug: string; name: string };
  occurredAt: string;
  title: Text;
  summary: Text;
  entity: EventEntity | null;
}

export type Lang = keyof Text;

/** The language an organisation's e-mail leads with: Dutch for Dutch organisations, English for others. */
export function languageFor(country: string): Lang {
  return country.toUpperCase() === 'NL' ? 'nl' : 'en';
}

export function payloadFor(event: NotifyEvent, organisation: { slug: string; name: string }): NotificationPayload {
  return {
    event: event.kind,
    key: event.key,
    organisation: { slug: organisation.slug, name: organisation.name },
    occurredAt: event.occurredAt,
    title: event.title,
    summary: event.summary,
    entity: event.entity,
  };
}

/** A message that proves the channel works; it carries no register data. */
export function testPayload(organisation: { slug: string; name: string }, now: string): NotificationPayload {
  return {
    event: 'test',
    key: `test:${now}`,
    organisation: { slug: organisation.slug, name: organisation.name },
    occurredAt: now,
    title: { nl: 'Testbericht van camaudit', en: 'Test message from camaudit' },
    summary: {
      nl: `Dit kanaal ontvangt meldingen van camaudit voor ${organisation.name}.`,
      en: `This channel receives camaudit notifications for ${organisation.name}.`,
    },
    entity: null,
  };
}

export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Subject lines are one line: a newline in a register field must not start a new header. */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

const REFERENCE: Text = { nl: 'Kenmerk', en: 'Reference' };

/** Plain text plus a minimal HTML part, `lang` first and the other language below it. */
export function emailFor(payload: NotificationPayload, lang: Lang): EmailMessage {
  const order: Lang[] = lang === 'nl' ? ['nl', 'en'] : ['en', 'nl'];
  const blocks = order.map((l) => ({ title: payload.title[l], summary: payload.summary[l], reference: `${REFERENCE[l]}: ${payload.key}` }));
  const org = payload.organisation.name;
  return {
    subject: oneLine(`[camaudit] ${org}: ${payload.title[lang]}`),
    text: `${blocks.map((b) => `${b.title}\n\n${b.summary}\n\n${b.reference}`).join('\n\n---\n\n')}\n`,
    html: `<!doctype html><html><body>${blocks
      .map((b) => `<h2>${escapeHtml(b.title)}</h2><p>${escapeHtml(b.summary)}</p><p><small>${escapeHtml(b.reference)}</small></p>`)
      .join('<hr>')}</body></html>`,
  };
}
