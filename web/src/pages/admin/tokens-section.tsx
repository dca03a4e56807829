// API tokens of the organisation: for scripts and other systems, each with one role and an
// expiry. The secret is shown once, when the token is made; the server keeps only its hash.
import { useState, type FormEvent } from 'react';
import { api, orgPath, useApi, type Page } from '../../api';
import { DataTable, type Column } from '../../components/data-table';
import { Alert, Loaded } from '../../components/feedback';
import { Section } from '../../components/page';
import { defineMessages, formatDate, useLang, useT } from '../../i18n';
import { label, labelValues } from '../../labels';
import { useOrg, type Role } from '../../session';
import { errorField, MAX_TOKEN_DAYS, tokenDays, tokenState, type TokenState } from './admin-logic';
import { ConfirmButton, Field, useErrorText, useRun } from './admin-shared';

const messages = defineMessages({
  nl: {
    intro: 'Een API-token geeft een script of ander systeem toegang met één rol, tot de vervaldatum of tot het wordt ingetrokken. Tokens van iemand die zijn rol verliest, vervallen mee.',
    caption: 'API-tokens van {org}', name: 'Naam', role: 'Rol', state: 'Status', created: 'Gemaakt', expires: 'Verloopt', lastUsed: 'Laatst gebruikt', actions: 'Acties',
    active: 'Actief', revoked: 'Ingetrokken', expired: 'Verlopen', never: 'Nooit', by: 'door {who}',
    revoke: 'Intrekken', revokeConfirm: 'Ja, intrekken', revokeQuestion: 'Token “{name}” intrekken; wat het gebruikt, krijgt direct geen toegang meer.', revokedNotice: 'Token “{name}” is ingetrokken.',
    createTitle: 'Token maken', days: 'Geldig (dagen)', daysHint: 'Van 1 tot en met {max} dagen.', daysInvalid: 'Vul een heel aantal dagen in van 1 tot en met {max}.', create: 'Token maken',
    newToken: 'Nieuw token “{name}”', shownOnce: 'Kopieer het token nu en bewaar het veilig: het wordt niet nog een keer getoond. Wie het token heeft, heeft de rol {role} in deze organisatie.',
    copy: 'Kopiëren', copied: 'Gekopieerd naar het klembord.', copyFailed: 'Kopiëren lukte niet; selecteer het token en kopieer het zelf.', done: 'Ik heb het token bewaard',
  },
  en: {
    intro: 'An API token gives a script or another system access with one role, until it expires or is revoked. Tokens made by someone who loses their role go with it.',
    caption: 'API tokens of {org}', name: 'Name', role: 'Role', state: 'State', created: 'Created', expires: 'Expires', lastUsed: 'Last used', actions: 'Actions',
    active: 'Active', revoked: 'Revoked', expired: 'Expired', never: 'Never', by: 'by {who}',
    revoke: 'Revoke', revokeConfirm: 'Yes, revoke', revokeQuestion: 'Revoke token “{name}”; whatever uses it loses access at once.', revokedNotice: 'Token “{name}” has been revoked.',
    createTitle: 'Create a token', days: 'Valid for (days)', daysHint: 'From 1 to {max} days.', daysInvalid: 'Enter a whole number of days from 1 to {max}.', create: 'Create token',
    newToken: 'New token “{name}”', shownOnce: 'Copy the token now and keep it safe: it will not be shown again. Whoever holds it has the role {role} in this organisation.',
    copy: 'Copy', copied: 'Copied to the clipboard.', copyFailed: 'Copying did not work; select the token and copy it yourself.', done: 'I have stored the token',
  },
});

interface Token {
  id: string;
  name: string;
  role: Role;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const STATE_MARK: Record<TokenState, string> = { active: '●', revoked: '✕', expired: '○' };

export function TokensSection({ title }: { title: string }) {
  const t = useT(messages);
  const { lang } = useLang();
  const org = useOrg();
  const tokens = useApi<Page<Token>>(orgPath(org.slug, '/tokens'));
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [created, setCreated] = useState<(Token & { token: string }) | undefined>(undefined);
  const revoke = useRun();
  const errorText = useErrorText();
  const now = new Date();

  const doRevoke = async (token: Token) => {
    setNotice(undefined);
    const done = await revoke.run(() => api<Token>(orgPath(org.slug, `/tokens/${encodeURIComponent(token.id)}`), { method: 'DELETE' }));
    if (done) {
      setNotice(t('revokedNotice', { name: token.name }));
      tokens.reload();
    }
  };

  const columns: Column<Token>[] = [
    { key: 'name', header: t('name'), render: (k) => <span className="camaudit-admin__strong">{k.name}</span> },
    { key: 'role', header: t('role'), render: (k) => label(lang, 'role', k.role) },
    {
      key: 'state', header: t('state'),
      render: (k) => {
        const state = tokenState(k, now);
        return <span className={`camaudit-admin__state camaudit-admin__state--${state}`}><span aria-hidden="true">{STATE_MARK[state]} </span>{t(state)}</span>;
      },
    },
    { key: 'created', header: t('created'), render: (k) => <>{formatDate(lang, k.createdAt)}<br /><span className="camaudit-admin__muted">{t('by', { who: k.createdBy })}</span></> },
    { key: 'expires', header: t('expires'), render: (k) => formatDate(lang, k.expiresAt) },
    { key: 'lastUsed', header: t('lastUsed'), render: (k) => (k.lastUsedAt ? formatDate(lang, k.lastUsedAt, true) : t('never')) },
    {
      key: 'actions', header: t('actions'),
      render: (k) => (tokenState(k, now) !== 'active' ? '—' : (
        <ConfirmButton confirm={t('revokeConfirm')} question={t('revokeQuestion', { name: k.name })} disabled={revoke.busy} onConfirm={() => void doRevoke(k)}>
          {t('revoke')}<span className="camaudit-visually-hidden"> {k.name}</span>
        </ConfirmButton>
      )),
    },
  ];

  return (
    <Section title={title} id="admin-tokens">
      <p className="utrecht-paragraph">{t('intro')}</p>
      {notice && <Alert type="ok">{notice}</Alert>}
      {revoke.error && <Alert type="error">{errorText(revoke.error)}</Alert>}
      {created && <NewToken token={created} onDone={() => setCreated(undefined)} />}
      <Loaded data={tokens.data} error={tokens.error}>
        {(page) => <DataTable caption={t('caption', { org: org.name })} columns={columns} rows={page.items} rowKey={(k) => k.id} />}
      </Loaded>
      <CreateToken onCreated={(token) => { setNotice(undefined); setCreated(token); tokens.reload(); }} />
    </Section>
  );
}

function NewToken({ token, onDone }: { token: Token & { token: string }; onDone(): void }) {
  const t = useT(messages);
  const { lang } = useLang();
  const [copied, setCopied] = useState<'yes' | 'no' | undefined>(undefined);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(token.token);
      setCopied('yes');
    } catch {
      setCopied('no');
    }
  };
  return (
    <div className="camaudit-admin__secret" data-testid="new-token">
      <Alert type="warning">
        <strong>{t('newToken', { name: token.name })}</strong> {t('shownOnce', { role: label(lang, 'role', token.role) })}
      </Alert>
      <div className="camaudit-admin__inline">
        <label className="utrecht-form-label" htmlFor="admin-new-token">{t('newToken', { name: token.name })}</label>
        <input id="admin-new-token" className="utrecht-textbox utrecht-textbox--html-input camaudit-admin__code" readOnly value={token.token} onFocus={(e) => e.target.select()} />
        <button type="button" className="utrecht-button utrecht-button--secondary-action" onClick={() => void copy()}>{t('copy')}</button>
        <button type="button" className="utrecht-button utrecht-button--subtle" onClick={onDone}>{t('done')}</button>
      </div>
      {copied && <p className="utrecht-paragraph" role="status">{copied === 'yes' ? t('copied') : t('copyFailed')}</p>}
    </div>
  );
}

function CreateToken({ onCreated }: { onCreated(token: Token & { token: string }): void }) {
  const t = useT(messages);
  const { lang } = useLang();
  const org = useOrg();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [days, setDays] = useState('90');
  const [daysProblem, setDaysProblem] = useState(false);
  const create = useRun();
  const errorText = useErrorText();
  const detail = create.error ? errorText(create.error) : undefined;
  const field = errorField(detail, { name: [/\bname\b/i], role: [/\brole\b/i], days: [/\bdays\b/i] });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const n = tokenDays(days);
    setDaysProblem(n === undefined);
    if (n === undefined) return;
    const done = await create.run(() => api<Token & { token: string }>(orgPath(org.slug, '/tokens'), { method: 'POST', body: { name: name.trim(), role, days: n } }));
    if (done) {
      onCreated(done);
      setName('');
    }
  };

  return (
    <form className="camaudit-form camaudit-admin__form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="admin-create-token">
      <h3 className="utrecht-heading-3" id="admin-create-token">{t('createTitle')}</h3>
      <Field label={t('name')} error={field === 'name' ? detail : undefined}>
        {(p) => <input {...p} name="tokenName" type="text" autoComplete="off" maxLength={100} className="utrecht-textbox utrecht-textbox--html-input" value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label={t('role')} error={field === 'role' ? detail : undefined}>
        {(p) => (
          <select {...p} name="tokenRole" className="utrecht-select utrecht-select--html-select" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {(labelValues('role') as Role[]).map((r) => <option key={r} value={r}>{label(lang, 'role', r)}</option>)}
          </select>
        )}
      </Field>
      <Field label={t('days')} hint={t('daysHint', { max: MAX_TOKEN_DAYS })} error={daysProblem ? t('daysInvalid', { max: MAX_TOKEN_DAYS }) : field === 'days' ? detail : undefined}>
        {(p) => <input {...p} name="tokenDays" type="number" inputMode="numeric" min={1} max={MAX_TOKEN_DAYS} step={1} className="utrecht-textbox utrecht-textbox--html-input camaudit-admin__short" value={days} onChange={(e) => setDays(e.target.value)} />}
      </Field>
      {detail && !field && <Alert type="error">{detail}</Alert>}
      {((detail && field) || daysProblem) && <p className="camaudit-visually-hidden" role="alert">{daysProblem ? t('daysInvalid', { max: MAX_TOKEN_DAYS }) : detail}</p>}
      <div className="camaudit-toolbar">
        <button type="submit" className="utrecht-button utrecht-button--primary-action" disabled={create.busy}>{t('create')}</button>
      </div>
    </form>
  );
}
