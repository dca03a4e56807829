// People with a role in the organisation: who they are, their role, how they sign in, whether
// their account is locked; giving someone a role, changing it, taking it away. Accounts belong to
// the server, not to one organisation, so a new person gets an account without a password: they
// sign in through single sign-on, or the server's operator sets a password.
import { useState, type FormEvent } from 'react';
import { api, orgPath, useApi, type Page } from '../../api';
import { DataTable, type Column } from '../../components/data-table';
import { Alert, Loaded } from '../../components/feedback';
import { Section } from '../../components/page';
import { defineMessages, formatDate, useLang, useT } from '../../i18n';
import { label, labelValues } from '../../labels';
import { useOrg, useSession, type Role } from '../../session';
import { errorField } from './admin-logic';
import { ConfirmButton, Field, useErrorText, useRun } from './admin-shared';

const messages = defineMessages({
  nl: {
    intro: 'Wie in deze organisatie werkt en met welke rol. Een rol die single sign-on geeft, volgt de groepen bij de identiteitsprovider en wordt bij elke aanmelding bijgewerkt.',
    caption: 'Mensen met een rol in {org}', person: 'Persoon', role: 'Rol', signIn: 'Aanmelden', locked: 'Account', granted: 'Rol gegeven', actions: 'Acties',
    password: 'Wachtwoord', sso: 'Single sign-on', both: 'Wachtwoord en single sign-on', none: 'Nog niet: geen wachtwoord en nog niet via single sign-on',
    isLocked: 'Geblokkeerd (te veel mislukte pogingen)', notLocked: 'Niet geblokkeerd', by: 'door {who}', you: '(u)',
    roleOf: 'Rol van {name}', change: 'Rol wijzigen', remove: 'Verwijderen', removeConfirm: 'Ja, rol afnemen', removeQuestion: 'De rol van {name} in deze organisatie afnemen.',
    ownRole: 'Uw eigen rol wijzigt u hier niet, zodat de organisatie niet zonder beheerder komt te staan.',
    changed: 'De rol van {name} is nu {role}.', removed: '{name} heeft geen rol meer in deze organisatie. Het account blijft bestaan voor andere organisaties.',
    addTitle: 'Iemand een rol geven', email: 'E-mailadres', displayName: 'Naam (optioneel)', displayNameHint: 'Leeg laten: het e-mailadres wordt als naam gebruikt.', add: 'Rol geven',
    newAccountSso: 'Een nieuw account krijgt geen wachtwoord: de persoon meldt zich aan via single sign-on.',
    newAccountOperator: 'Een nieuw account krijgt geen wachtwoord. Single sign-on is niet ingesteld, dus de beheerder van de server zet een wachtwoord met “camaudit users password {email}” en geeft het de persoon op een veilige manier.',
    added: '{email} heeft nu de rol {role}.', addedNoPassword: '{email} heeft nu de rol {role}. Het account heeft nog geen wachtwoord.',
    grantedBySso: 'via single sign-on',
  },
  en: {
    intro: 'Who works in this organisation and in which role. A role given by single sign-on follows the groups at the identity provider and is brought up to date at every sign-in.',
    caption: 'People with a role in {org}', person: 'Person', role: 'Role', signIn: 'Signs in with', locked: 'Account', granted: 'Role given', actions: 'Actions',
    password: 'Password', sso: 'Single sign-on', both: 'Password and single sign-on', none: 'Not yet: no password, and not through single sign-on yet',
    isLocked: 'Locked (too many failed attempts)', notLocked: 'Not locked', by: 'by {who}', you: '(you)',
    roleOf: 'Role of {name}', change: 'Change role', remove: 'Remove', removeConfirm: 'Yes, take the role away', removeQuestion: 'Take away {name}\'s role in this organisation.',
    ownRole: 'You do not change your own role here, so the organisation is never left without an administrator.',
    changed: '{name}\'s role is now {role}.', removed: '{name} no longer holds a role in this organisation. The account stays for other organisations.',
    addTitle: 'Give someone a role', email: 'E-mail address', displayName: 'Name (optional)', displayNameHint: 'Left empty, the e-mail address is used as the name.', add: 'Give role',
    newAccountSso: 'A new account gets no password: the person signs in through single sign-on.',
    newAccountOperator: 'A new account gets no password. Single sign-on is not configured, so the server\'s operator sets a password with “camaudit users password {email}” and passes it on safely.',
    added: '{email} now holds the role {role}.', addedNoPassword: '{email} now holds the role {role}. The account has no password yet.',
    grantedBySso: 'through single sign-on',
  },
});

interface Member {
  userId: string;
  email: string;
  displayName: string;
  role: Role;
  grantedAt: string;
  grantedBy: string;
  password: boolean;
  sso: boolean;
  locked: boolean;
}

const ROLE_VALUES = labelValues('role') as Role[];

export function PeopleSection({ title }: { title: string }) {
  const t = useT(messages);
  const { lang } = useLang();
  const org = useOrg();
  const { session, ui } = useSession();
  const members = useApi<Page<Member>>(orgPath(org.slug, '/members'));
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const rowRun = useRun();
  const errorText = useErrorText();
  const me = session?.user.email.toLowerCase();

  const setRole = async (m: Member, role: Role) => {
    setNotice(undefined);
    const done = await rowRun.run(() => api(orgPath(org.slug, '/members'), { method: 'PUT', body: { email: m.email, role } }));
    if (done) {
      setNotice(t('changed', { name: m.displayName || m.email, role: label(lang, 'role', role) }));
      members.reload();
    }
  };
  const remove = async (m: Member) => {
    setNotice(undefined);
    const done = await rowRun.run(async () => { await api(orgPath(org.slug, `/members/${encodeURIComponent(m.userId)}`), { method: 'DELETE' }); return true; });
    if (done) {
      setNotice(t('removed', { name: m.displayName || m.email }));
      members.reload();
    }
  };

  const columns: Column<Member>[] = [
    {
      key: 'person', header: t('person'),
      render: (m) => (
        <>
          <span className="camaudit-admin__strong">{m.displayName || m.email}</span>{m.email === me ? ` ${t('you')}` : ''}
          {m.displayName && m.displayName !== m.email && <><br /><span className="camaudit-admin__muted">{m.email}</span></>}
        </>
      ),
    },
    { key: 'role', header: t('role'), render: (m) => <RoleCell member={m} self={m.email === me} busy={rowRun.busy} onChange={(role) => void setRole(m, role)} /> },
    { key: 'signIn', header: t('signIn'), render: (m) => (m.password && m.sso ? t('both') : m.password ? t('password') : m.sso ? t('sso') : t('none')) },
    {
      key: 'locked', header: t('locked'),
      render: (m) => (m.locked ? <span className="camaudit-admin__flag"><span aria-hidden="true">🔒 </span>{t('isLocked')}</span> : t('notLocked')),
    },
    {
      key: 'granted', header: t('granted'),
      render: (m) => <>{formatDate(lang, m.grantedAt)}<br /><span className="camaudit-admin__muted">{m.grantedBy.startsWith('sso:') ? t('grantedBySso') : t('by', { who: m.grantedBy })}</span></>,
    },
    {
      key: 'actions', header: t('actions'),
      render: (m) => (m.email === me ? '—' : (
        <ConfirmButton confirm={t('removeConfirm')} question={t('removeQuestion', { name: m.displayName || m.email })} disabled={rowRun.busy} onConfirm={() => void remove(m)}>
          {t('remove')}<span className="camaudit-visually-hidden"> {m.displayName || m.email}</span>
        </ConfirmButton>
      )),
    },
  ];

  return (
    <Section title={title} id="admin-people">
      <p className="utrecht-paragraph">{t('intro')}</p>
      {notice && <Alert type="ok">{notice}</Alert>}
      {rowRun.error && <Alert type="error">{errorText(rowRun.error)}</Alert>}
      <Loaded data={members.data} error={members.error}>
        {(page) => <DataTable caption={t('caption', { org: org.name })} columns={columns} rows={page.items} rowKey={(m) => m.userId} />}
      </Loaded>
      <p className="utrecht-paragraph camaudit-admin__muted">{t('ownRole')}</p>
      <AddPerson oidc={ui?.oidc ?? false} onAdded={(text) => { setNotice(text); members.reload(); }} />
    </Section>
  );
}

function RoleCell({ member, self, busy, onChange }: { member: Member; self: boolean; busy: boolean; onChange(role: Role): void }) {
  const t = useT(messages);
  const { lang } = useLang();
  const [role, setRole] = useState<Role>(member.role);
  const name = member.displayName || member.email;
  if (self) return label(lang, 'role', member.role);
  return (
    <form className="camaudit-admin__inline" onSubmit={(e) => { e.preventDefault(); onChange(role); }}>
      <label className="camaudit-visually-hidden" htmlFor={`role-${member.userId}`}>{t('roleOf', { name })}</label>
      <select id={`role-${member.userId}`} className="utrecht-select utrecht-select--html-select" value={role} onChange={(e) => setRole(e.target.value as Role)}>
        {ROLE_VALUES.map((r) => <option key={r} value={r}>{label(lang, 'role', r)}</option>)}
      </select>
      <button type="submit" className="utrecht-button utrecht-button--secondary-action" disabled={busy || role === member.role}>
        {t('change')}<span className="camaudit-visually-hidden"> ({name})</span>
      </button>
    </form>
  );
}

function AddPerson({ oidc, onAdded }: { oidc: boolean; onAdded(text: string): void }) {
  const t = useT(messages);
  const { lang } = useLang();
  const org = useOrg();
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const add = useRun();
  const errorText = useErrorText();
  const detail = add.error ? errorText(add.error) : undefined;
  const field = errorField(detail, { email: [/e-mail/i, /\bemail\b/i], role: [/\brole\b/i], displayName: [/displayName/] });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const done = await add.run(() => api<{ email: string; role: Role; password: boolean }>(orgPath(org.slug, '/members'), {
      method: 'PUT', body: { email: email.trim(), role, ...(displayName.trim() ? { displayName: displayName.trim() } : {}) },
    }));
    if (done) {
      const params = { email: done.email, role: label(lang, 'role', done.role) };
      onAdded(done.password || oidc ? t('added', params) : `${t('addedNoPassword', params)} ${t('newAccountOperator', { email: done.email })}`);
      setEmail('');
      setDisplayName('');
    }
  };

  return (
    <form className="camaudit-form camaudit-admin__form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="admin-add-person">
      <h3 className="utrecht-heading-3" id="admin-add-person">{t('addTitle')}</h3>
      <p className="utrecht-paragraph">{oidc ? t('newAccountSso') : t('newAccountOperator', { email: '<e-mail>' })}</p>
      <Field label={t('email')} error={field === 'email' ? detail : undefined}>
        {(p) => <input {...p} name="email" type="email" autoComplete="off" required className="utrecht-textbox utrecht-textbox--html-input" value={email} onChange={(e) => setEmail(e.target.value)} />}
      </Field>
      <Field label={t('displayName')} hint={t('displayNameHint')} error={field === 'displayName' ? detail : undefined}>
        {(p) => <input {...p} name="displayName" type="text" autoComplete="off" className="utrecht-textbox utrecht-textbox--html-input" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />}
      </Field>
      <Field label={t('role')} error={field === 'role' ? detail : undefined}>
        {(p) => (
          <select {...p} name="role" className="utrecht-select utrecht-select--html-select" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLE_VALUES.map((r) => <option key={r} value={r}>{label(lang, 'role', r)}</option>)}
          </select>
        )}
      </Field>
      {detail && !field && <Alert type="error">{detail}</Alert>}
      {detail && field && <p className="camaudit-visually-hidden" role="alert">{detail}</p>}
      <div className="camaudit-toolbar">
        <button type="submit" className="utrecht-button utrecht-button--primary-action" disabled={add.busy}>{t('add')}</button>
      </div>
    </form>
  );
}
