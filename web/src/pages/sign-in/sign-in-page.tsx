// Sign in with an account of this server, or through the organisation's identity provider when
// one is configured. After signing in, the person goes where they were going.
import { useState, type FormEvent } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { api, ApiError } from '../../api';
import { Alert, ErrorAlert, Loading } from '../../components/feedback';
import { PageTitle } from '../../components/page';
import { defineMessages, useLang, useT } from '../../i18n';
import { homePath } from '../../layout';
import { permissionsOf, useSession } from '../../session';

const messages = defineMessages({
  nl: {
    title: 'Inloggen', email: 'E-mailadres', password: 'Wachtwoord', submit: 'Inloggen', sso: 'Inloggen via uw organisatie (SSO)',
    failed: 'E-mailadres of wachtwoord klopt niet, of het account is tijdelijk geblokkeerd.', tooMany: 'Te veel pogingen. Probeer het over een minuut opnieuw.',
    noOrganisation: 'U bent ingelogd, maar heeft nog geen rol in een organisatie. Vraag een beheerder om u toe te voegen.',
    intro: 'camaudit brengt netwerkcamera’s en recorders in kaart: wie ze echt maakte, hoe blootgesteld ze zijn en wat eraan te doen is.',
    otherLanguage: 'English', retry: 'Opnieuw proberen',
  },
  en: {
    title: 'Sign in', email: 'E-mail address', password: 'Password', submit: 'Sign in', sso: 'Sign in through your organisation (SSO)',
    failed: 'The e-mail address or password is wrong, or the account is locked for a while.', tooMany: 'Too many attempts. Try again in a minute.',
    noOrganisation: 'You are signed in but hold no role in any organisation yet. Ask an administrator to add you.',
    intro: 'camaudit inventories network cameras and recorders: who really made them, how exposed they are and what to do about it.',
    otherLanguage: 'Nederlands', retry: 'Try again',
  },
});

/**
 * Only paths inside this application, never another site: the path is resolved against this
 * origin and kept only when it stays here (`//host`, `/\\host` and control characters are refused),
 * the same rule the server applies to single sign-on.
 */
function safeReturn(value: string | null): string | null {
  // eslint-disable-next-line no-control-regex
  if (!value || !value.startsWith('/') || /[\\\u0000-\u001f\u007f]/.test(value)) return null;
  const url = new URL(value, window.location.origin);
  return url.origin === window.location.origin ? `${url.pathname}${url.search}${url.hash}` : null;
}

export function SignInPage() {
  const t = useT(messages);
  const { lang, setLang } = useLang();
  const { session, ui, refresh, error: sessionError } = useSession();
  const [params] = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const returnTo = safeReturn(params.get('returnTo'));

  if (sessionError) return <main id="main" className="camaudit-main"><ErrorAlert error={sessionError} /><button type="button" className="utrecht-button utrecht-button--primary-action" onClick={() => void refresh()}>{t('retry')}</button></main>;
  if (session === undefined) return <Loading />;
  if (session) {
    const first = session.organisations[0];
    if (returnTo) return <Navigate to={returnTo} replace />;
    if (first) return <Navigate to={homePath(first.slug, (p) => permissionsOf(first.role).includes(p))} replace />;
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await api('/api/v1/auth/login', { method: 'POST', body: { email: form.get('email'), password: form.get('password') } });
      await refresh();
    } catch (err) {
      setError(err instanceof ApiError && err.status === 429 ? t('tooMany') : t('failed'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" className="camaudit-main camaudit-sign-in voorbeeld-theme camaudit-theme--camaudit">
      <div className="camaudit-sign-in__lang">
        <button type="button" className="utrecht-button utrecht-button--subtle" lang={lang === 'nl' ? 'en' : 'nl'} onClick={() => setLang(lang === 'nl' ? 'en' : 'nl')} data-testid="language-switch">{t('otherLanguage')}</button>
      </div>
      <PageTitle title={t('title')}>camaudit — {t('title')}</PageTitle>
      <p className="utrecht-paragraph">{t('intro')}</p>
      {session && session.organisations.length === 0 && <Alert type="warning">{t('noOrganisation')}</Alert>}
      {error && <Alert type="error">{error}</Alert>}
      {!session && (
        <form className="camaudit-form" onSubmit={(e) => void submit(e)}>
          <div className="utrecht-form-field">
            <label className="utrecht-form-label" htmlFor="email">{t('email')}</label>
            <input className="utrecht-textbox utrecht-textbox--html-input" id="email" name="email" type="email" autoComplete="username" required />
          </div>
          <div className="utrecht-form-field">
            <label className="utrecht-form-label" htmlFor="password">{t('password')}</label>
            <input className="utrecht-textbox utrecht-textbox--html-input" id="password" name="password" type="password" autoComplete="current-password" required />
          </div>
          <button type="submit" className="utrecht-button utrecht-button--primary-action" disabled={busy}>{t('submit')}</button>
        </form>
      )}
      {!session && ui?.oidc && (
        <p className="utrecht-paragraph">
          <a className="utrecht-link" href={`/api/v1/auth/oidc/login?returnTo=${encodeURIComponent(returnTo ?? '/')}`}>{t('sso')}</a>
        </p>
      )}
    </main>
  );
}
