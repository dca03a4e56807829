// Notifications: webhooks and e-mail addresses that hear about register events (a restricted
// device, an exploited vulnerability, an overdue plan action, an expired waiver, a broken audit
// chain), a test message on request, and the log of every delivery.
import { useState, type FormEvent } from 'react';
import { api, orgPath, useApi, type Page } from '../../api';
import { DataTable, Pager, useCursorPaging, type Column } from '../../components/data-table';
import { Alert, Loaded } from '../../components/feedback';
import { defineMessages, formatDate, useLang, useT } from '../../i18n';
import { useOrg } from '../../session';
import { errorField } from './admin-logic';
import { ConfirmButton, Field, useErrorText, useRun } from './admin-shared';

export const EVENT_KINDS = ['restricted-device', 'kev', 'plan-overdue', 'waiver-expired', 'audit-chain'] as const;
type EventKind = (typeof EVENT_KINDS)[number];
type Channel = 'webhook' | 'email';
type DeliveryStatus = 'baseline' | 'pending' | 'sent' | 'failed';

const messages = defineMessages({
  nl: {
    intro: 'Een abonnement stuurt een bericht naar een webhook (https) of e-mailadres zodra zich een nieuwe gebeurtenis voordoet. Wat er al was toen het abonnement begon, wordt als bekend vastgelegd en niet verstuurd.',
    subsTitle: 'Abonnementen', caption: 'Meldingsabonnementen van {org}', channel: 'Kanaal', target: 'Bestemming', events: 'Gebeurtenissen', created: 'Gemaakt', actions: 'Acties', by: 'door {who}',
    webhook: 'Webhook', email: 'E-mail', test: 'Test sturen', remove: 'Verwijderen', removeConfirm: 'Ja, verwijderen', removeQuestion: 'Het abonnement op {target} en zijn afleverlog verwijderen.',
    removed: 'Het abonnement op {target} is verwijderd.', testSent: 'Testbericht naar {target}: {status}.', testFailed: 'Testbericht naar {target} mislukt: {error}',
    newTitle: 'Abonnement toevoegen', targetHint: 'Een https-adres voor een webhook, of een e-mailadres.', eventsLegend: 'Waarover een bericht sturen', all: 'Alle gebeurtenissen, ook latere soorten',
    secret: 'Geheim voor de handtekening (optioneel)', secretHint: 'Minstens 16 tekens. Leeg laten: camaudit maakt er een en toont het één keer.', add: 'Abonnement toevoegen',
    added: 'Abonnement toegevoegd. {n} bestaande gebeurtenis(sen) vastgelegd als bekend.', secretOnce: 'Het geheim waarmee camaudit de webhookberichten ondertekent (wordt niet nog eens getoond):', secretLabel: 'Geheim van de webhook',
    noEvents: 'Kies minstens één soort gebeurtenis.',
    deliveriesTitle: 'Afleverlog', deliveriesCaption: 'Afleveringen, nieuwste eerst', when: 'Wanneer', subscription: 'Abonnement', event: 'Gebeurtenis', status: 'Status', attempts: 'Pogingen', error: 'Laatste fout', sentAt: 'Verstuurd',
    statusFilter: 'Status', anyStatus: 'Alle',
    'restricted-device': 'Apparaat van een beperkte fabrikant', kev: 'Actief misbruikte kwetsbaarheid (KEV)', 'plan-overdue': 'Planactie over de termijn', 'waiver-expired': 'Uitzondering verlopen', 'audit-chain': 'Auditketen niet intact', test_event: 'Testbericht',
    baseline: 'Al bekend', pending: 'Wacht', sent: 'Verstuurd', failed: 'Mislukt',
  },
  en: {
    intro: 'A subscription sends a message to a webhook (https) or an e-mail address whenever a new event occurs. What already existed when it began is recorded as known and not sent.',
    subsTitle: 'Subscriptions', caption: 'Notification subscriptions of {org}', channel: 'Channel', target: 'Destination', events: 'Events', created: 'Created', actions: 'Actions', by: 'by {who}',
    webhook: 'Webhook', email: 'E-mail', test: 'Send a test', remove: 'Remove', removeConfirm: 'Yes, remove', removeQuestion: 'Remove the subscription to {target} and its delivery log.',
    removed: 'The subscription to {target} has been removed.', testSent: 'Test message to {target}: {status}.', testFailed: 'Test message to {target} failed: {error}',
    newTitle: 'Add a subscription', targetHint: 'An https address for a webhook, or an e-mail address.', eventsLegend: 'What to send a message about', all: 'Every event, later kinds included',
    secret: 'Signing secret (optional)', secretHint: 'At least 16 characters. Left empty, camaudit makes one and shows it once.', add: 'Add subscription',
    added: 'Subscription added. {n} existing event(s) recorded as known.', secretOnce: 'The secret camaudit signs webhook messages with (it will not be shown again):', secretLabel: 'Webhook secret',
    noEvents: 'Choose at least one kind of event.',
    deliveriesTitle: 'Delivery log', deliveriesCaption: 'Deliveries, newest first', when: 'When', subscription: 'Subscription', event: 'Event', status: 'Status', attempts: 'Attempts', error: 'Last error', sentAt: 'Sent',
    statusFilter: 'Status', anyStatus: 'All',
    'restricted-device': 'Device from a restricted maker', kev: 'Actively exploited vulnerability (KEV)', 'plan-overdue': 'Plan action overdue', 'waiver-expired': 'Waiver expired', 'audit-chain': 'Audit chain not intact', test_event: 'Test message',
    baseline: 'Already known', pending: 'Waiting', sent: 'Sent', failed: 'Failed',
  },
});

interface Subscription {
  id: string;
  channel: Channel;
  target: string;
  events: EventKind[];
  hasSecret: boolean;
  createdBy: string;
  createdAt: string;
}

interface Delivery {
  id: number;
  subscriptionId: string;
  eventKind: string;
  eventKey: string;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

const STATUS_MARK: Record<DeliveryStatus, string> = { baseline: '·', pending: '…', sent: '✓', failed: '✕' };

export function NotificationsSection({ title }: { title: string }) {
  const t = useT(messages);
  const { lang } = useLang();
  const org = useOrg();
  const subs = useApi<Page<Subscription>>(orgPath(org.slug, '/notifications/subscriptions'), { limit: 100 });
  const paging = useCursorPaging();
  const [status, setStatus] = useState<DeliveryStatus | ''>('');
  const deliveries = useApi<Page<Delivery>>(orgPath(org.slug, '/notifications/deliveries'), { limit: 20, cursor: paging.cursor, status: status || undefined });
  const [notice, setNotice] = useState<{ type: 'ok' | 'error'; text: string } | undefined>(undefined);
  const [secret, setSecret] = useState<string | undefined>(undefined);
  const act = useRun();
  const errorText = useErrorText();
  const kindLabel = (k: string) => ((EVENT_KINDS as readonly string[]).includes(k) ? t(k as EventKind) : k === 'test' ? t('test_event') : k);
  const targetOf = (id: string) => subs.data?.items.find((s) => s.id === id)?.target ?? id;

  const sendTest = async (s: Subscription) => {
    setNotice(undefined);
    const d = await act.run(() => api<Delivery>(orgPath(org.slug, `/notifications/subscriptions/${encodeURIComponent(s.id)}/test`), { method: 'POST' }));
    if (d) {
      setNotice(d.status === 'failed'
        ? { type: 'error', text: t('testFailed', { target: s.target, error: d.lastError ?? '' }) }
        : { type: 'ok', text: t('testSent', { target: s.target, status: t(d.status) }) });
      deliveries.reload();
    }
  };
  const remove = async (s: Subscription) => {
    setNotice(undefined);
    const done = await act.run(() => api<Subscription>(orgPath(org.slug, `/notifications/subscriptions/${encodeURIComponent(s.id)}`), { method: 'DELETE' }));
    if (done) {
      setNotice({ type: 'ok', text: t('removed', { target: s.target }) });
      subs.reload();
      deliveries.reload();
    }
  };

  const subColumns: Column<Subscription>[] = [
    { key: 'channel', header: t('channel'), render: (s) => t(s.channel) },
    { key: 'target', header: t('target'), render: (s) => <span className="camaudit-admin__break">{s.target}</span> },
    { key: 'events', header: t('events'), render: (s) => <ul className="camaudit-admin__changes">{s.events.map((e) => <li key={e}>{kindLabel(e)}</li>)}</ul> },
    { key: 'created', header: t('created'), render: (s) => <>{formatDate(lang, s.createdAt)}<br /><span className="camaudit-admin__muted">{t('by', { who: s.createdBy })}</span></> },
    {
      key: 'actions', header: t('actions'),
      render: (s) => (
        <span className="camaudit-admin__inline">
          <button type="button" className="utrecht-button utrecht-button--secondary-action" disabled={act.busy} onClick={() => void sendTest(s)}>
            {t('test')}<span className="camaudit-visually-hidden"> ({s.target})</span>
          </button>
          <ConfirmButton confirm={t('removeConfirm')} question={t('removeQuestion', { target: s.target })} disabled={act.busy} onConfirm={() => void remove(s)}>
            {t('remove')}<span className="camaudit-visually-hidden"> ({s.target})</span>
          </ConfirmButton>
        </span>
      ),
    },
  ];
  const deliveryColumns: Column<Delivery>[] = [
    { key: 'when', header: t('when'), render: (d) => formatDate(lang, d.createdAt, true) },
    { key: 'subscription', header: t('subscription'), render: (d) => <span className="camaudit-admin__break">{targetOf(d.subscriptionId)}</span> },
    { key: 'event', header: t('event'), render: (d) => kindLabel(d.eventKind) },
    { key: 'status', header: t('status'), render: (d) => <span className={`camaudit-admin__state camaudit-admin__state--${d.status}`}><span aria-hidden="true">{STATUS_MARK[d.status]} </span>{t(d.status)}</span> },
    { key: 'attempts', header: t('attempts'), numeric: true, render: (d) => d.attempts },
    { key: 'error', header: t('error'), render: (d) => (d.lastError ? <span className="camaudit-admin__break">{d.lastError}</span> : '—') },
    { key: 'sentAt', header: t('sentAt'), render: (d) => formatDate(lang, d.sentAt, true) },
  ];

  return (
    <section className="camaudit-section" aria-labelledby="admin-notifications-title">
      <h2 className="utrecht-heading-2" id="admin-notifications-title">{title}</h2>
      <p className="utrecht-paragraph">{t('intro')}</p>
      {notice && <Alert type={notice.type}>{notice.text}</Alert>}
      {act.error && <Alert type="error">{errorText(act.error)}</Alert>}
      {secret && (
        <div className="camaudit-admin__secret">
          <Alert type="warning">{t('secretOnce')}</Alert>
          <div className="camaudit-admin__inline">
            <label className="utrecht-form-label" htmlFor="admin-webhook-secret">{t('secretLabel')}</label>
            <input id="admin-webhook-secret" readOnly className="utrecht-textbox utrecht-textbox--html-input camaudit-admin__code" value={secret} onFocus={(e) => e.target.select()} />
          </div>
        </div>
      )}
      <h3 className="utrecht-heading-3">{t('subsTitle')}</h3>
      <Loaded data={subs.data} error={subs.error}>
        {(page) => <DataTable caption={t('caption', { org: org.name })} columns={subColumns} rows={page.items} rowKey={(s) => s.id} />}
      </Loaded>
      <NewSubscription onAdded={(baseline, newSecret) => {
        setNotice({ type: 'ok', text: t('added', { n: baseline }) });
        setSecret(newSecret ?? undefined);
        subs.reload();
        deliveries.reload();
      }} />
      <h3 className="utrecht-heading-3">{t('deliveriesTitle')}</h3>
      <div className="camaudit-toolbar">
        <Field label={t('statusFilter')}>
          {(p) => (
            <select {...p} className="utrecht-select utrecht-select--html-select" value={status} onChange={(e) => { setStatus(e.target.value as DeliveryStatus | ''); paging.reset(); }}>
              <option value="">{t('anyStatus')}</option>
              {(['pending', 'sent', 'failed', 'baseline'] as const).map((s) => <option key={s} value={s}>{t(s)}</option>)}
            </select>
          )}
        </Field>
      </div>
      <Loaded data={deliveries.data} error={deliveries.error}>
        {(page) => (
          <>
            <DataTable caption={t('deliveriesCaption')} columns={deliveryColumns} rows={page.items} rowKey={(d) => String(d.id)} />
            <Pager paging={paging} nextCursor={page.nextCursor} />
          </>
        )}
      </Loaded>
    </section>
  );
}

function NewSubscription({ onAdded }: { onAdded(baseline: number, secret: string | null): void }) {
  const t = useT(messages);
  const org = useOrg();
  const [channel, setChannel] = useState<Channel>('webhook');
  const [target, setTarget] = useState('');
  const [events, setEvents] = useState<ReadonlySet<string>>(new Set(['all']));
  const [secret, setSecret] = useState('');
  const [noEvents, setNoEvents] = useState(false);
  const add = useRun();
  const errorText = useErrorText();
  const detail = add.error ? errorText(add.error) : undefined;
  const field = errorField(detail, { target: [/webhook "/, /e-mail/i, /\btarget\b/, /https/], secret: [/secret/i], events: [/\bevent/] });

  const toggle = (kind: string, on: boolean) => setEvents((current) => {
    const next = new Set(current);
    if (on) next.add(kind);
    else next.delete(kind);
    return next;
  });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setNoEvents(events.size === 0);
    if (events.size === 0) return;
    const done = await add.run(() => api<{ subscription: Subscription; secret: string | null; baseline: number }>(orgPath(org.slug, '/notifications/subscriptions'), {
      method: 'POST',
      body: { channel, target: target.trim(), events: [...events], ...(channel === 'webhook' && secret ? { secret } : {}) },
    }));
    if (done) {
      onAdded(done.baseline, done.secret);
      setTarget('');
      setSecret('');
    }
  };

  return (
    <form className="camaudit-form camaudit-admin__form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="admin-new-subscription">
      <h3 className="utrecht-heading-3" id="admin-new-subscription">{t('newTitle')}</h3>
      <Field label={t('channel')}>
        {(p) => (
          <select {...p} name="channel" className="utrecht-select utrecht-select--html-select" value={channel} onChange={(e) => setChannel(e.target.value as Channel)}>
            <option value="webhook">{t('webhook')}</option>
            <option value="email">{t('email')}</option>
          </select>
        )}
      </Field>
      <Field label={t('target')} hint={t('targetHint')} error={field === 'target' ? detail : undefined}>
        {(p) => <input {...p} name="target" type={channel === 'email' ? 'email' : 'url'} autoComplete="off" className="utrecht-textbox utrecht-textbox--html-input" value={target} onChange={(e) => setTarget(e.target.value)} />}
      </Field>
      <fieldset className="utrecht-form-fieldset camaudit-admin__fieldset" aria-describedby={noEvents || field === 'events' ? 'admin-events-error' : undefined}>
        <legend className="utrecht-form-fieldset__legend">{t('eventsLegend')}</legend>
        {(noEvents || field === 'events') && <p className="camaudit-admin__error" id="admin-events-error"><span aria-hidden="true">⚠ </span>{noEvents ? t('noEvents') : detail}</p>}
        {(['all', ...EVENT_KINDS] as const).map((kind) => (
          <div key={kind} className="utrecht-form-field utrecht-form-field--checkbox camaudit-admin__choice">
            <input type="checkbox" className="utrecht-checkbox utrecht-checkbox--html-input" id={`event-${kind}`} name="events" value={kind}
              checked={events.has(kind)} disabled={kind !== 'all' && events.has('all')} onChange={(e) => toggle(kind, e.target.checked)} />
            <label className="utrecht-form-label utrecht-form-label--checkbox" htmlFor={`event-${kind}`}>{kind === 'all' ? t('all') : t(kind)}</label>
          </div>
        ))}
      </fieldset>
      {channel === 'webhook' && (
        <Field label={t('secret')} hint={t('secretHint')} error={field === 'secret' ? detail : undefined}>
          {(p) => <input {...p} name="secret" type="password" autoComplete="new-password" className="utrecht-textbox utrecht-textbox--html-input" value={secret} onChange={(e) => setSecret(e.target.value)} />}
        </Field>
      )}
      {detail && !field && <Alert type="error">{detail}</Alert>}
      {((detail && field) || noEvents) && <p className="camaudit-visually-hidden" role="alert">{noEvents ? t('noEvents') : detail}</p>}
      <div className="camaudit-toolbar">
        <button type="submit" className="utrecht-button utrecht-button--primary-action" disabled={add.busy}>{t('add')}</button>
      </div>
    </form>
  );
}
