// The frame around every page inside an organisation: skip link, header with the organisation
// switcher, language choice and sign-out, the navigation (only what the role may use), and main.
import { Suspense } from 'react';
import { Link, NavLink, Navigate, Outlet, useLocation, useNavigate, useParams } from 'react-router';
import { Loading } from './components/feedback';
import { defineMessages, useLang, useT } from './i18n';
import { label } from './labels';
import { useOrganisation, useSession, type Permission } from './session';
import { themeClass } from './themes';

const messages = defineMessages({
  nl: {
    skip: 'Naar de inhoud', nav: 'Hoofdmenu', organisation: 'Organisatie', switch: 'Wisselen', signOut: 'Uitloggen', signedInAs: 'Ingelogd als {name} ({role})',
    language: 'Taal', otherLanguage: 'English', otherLanguageLabel: 'Switch to English',
    overview: 'Overzicht', devices: 'Apparaten', sites: 'Locaties', networks: 'Netwerken', map: 'Kaart', import: 'Importeren', discovery: 'Ontdekken',
    risk: 'Risico’s', plan: 'Plan', kb: 'Kennisbank', reports: 'Rapportages', procurement: 'Inkoop', coordinator: 'Landelijk beeld', admin: 'Beheer', audit: 'Audittrail',
    noAccess: 'U heeft geen rol in organisatie “{org}”.',
  },
  en: {
    skip: 'Skip to content', nav: 'Main menu', organisation: 'Organisation', switch: 'Switch', signOut: 'Sign out', signedInAs: 'Signed in as {name} ({role})',
    language: 'Language', otherLanguage: 'Nederlands', otherLanguageLabel: 'Naar Nederlands',
    overview: 'Overview', devices: 'Devices', sites: 'Sites', networks: 'Networks', map: 'Map', import: 'Import', discovery: 'Discovery',
    risk: 'Risks', plan: 'Plan', kb: 'Knowledge base', reports: 'Reports', procurement: 'Procurement', coordinator: 'National view', admin: 'Administration', audit: 'Audit trail',
    noAccess: 'You hold no role in organisation “{org}”.',
  },
});

type NavKey = 'overview' | 'devices' | 'sites' | 'networks' | 'map' | 'import' | 'discovery' | 'risk' | 'plan' | 'kb' | 'reports' | 'procurement' | 'coordinator' | 'admin' | 'audit';

const NAV: readonly { key: NavKey; path: string; needs: Permission | readonly Permission[] | 'signed-in' }[] = [
  { key: 'overview', path: 'overview', needs: 'read' },
  { key: 'devices', path: 'devices', needs: 'read' },
  { key: 'sites', path: 'sites', needs: 'read' },
  { key: 'networks', path: 'networks', needs: 'read' },
  { key: 'map', path: 'map', needs: 'read' },
  { key: 'import', path: 'import', needs: 'write' },
  { key: 'discovery', path: 'discovery', needs: 'read' },
  { key: 'risk', path: 'risk', needs: 'read' },
  { key: 'plan', path: 'plan', needs: 'read' },
  { key: 'kb', path: 'kb', needs: 'signed-in' },
  { key: 'reports', path: 'reports', needs: 'read' },
  { key: 'procurement', path: 'procurement', needs: 'read' },
  // Coordinators read the national picture; administrators publish their organisation's share there.
  { key: 'coordinator', path: 'coordinator', needs: ['coordinate', 'admin'] },
  { key: 'admin', path: 'admin', needs: 'admin' },
  // Auditors reach the audit trail directly; administrators find it under Administration.
  { key: 'audit', path: 'admin?section=audit', needs: 'audit' },
];

function shown(key: NavKey, can: (p: Permission) => boolean): boolean {
  return key !== 'audit' || !can('admin');
}

function allowed(needs: Permission | readonly Permission[] | 'signed-in', can: (p: Permission) => boolean): boolean {
  if (needs === 'signed-in') return true;
  return typeof needs === 'string' ? can(needs) : needs.some(can);
}

/** Where a person with this role starts: the first page they may use. */
export function homePath(slug: string, can: (p: Permission) => boolean): string {
  const first = NAV.find((n) => n.needs !== 'signed-in' && allowed(n.needs, can)) ?? NAV.find((n) => n.key === 'kb')!;
  return `/o/${encodeURIComponent(slug)}/${first.path}`;
}

export function OrganisationLayout() {
  const t = useT(messages);
  const { lang, setLang } = useLang();
  const { session, signOut, error } = useSession();
  const { org: slug } = useParams();
  const org = useOrganisation();
  const navigate = useNavigate();
  const location = useLocation();
  if (error) return <Navigate to={`/sign-in?returnTo=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  if (session === undefined) return <Loading />;
  if (session === null) return <Navigate to={`/sign-in?returnTo=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  const theme = themeClass(org?.theme);
  return (
    <div className={`camaudit-app ${theme}`}>
      <a className="camaudit-skip-link" href="#main">{t('skip')}</a>
      <header className="camaudit-header">
        <div className="camaudit-header__brand">
          <Link className="camaudit-header__product" to="/">camaudit</Link>
          {org && <span className="camaudit-header__org">{org.name}</span>}
        </div>
        <div className="camaudit-header__tools">
          {session.organisations.length > 1 && (
            // A form with a button, not a select that navigates on change: choosing with the arrow
            // keys must not move the person to another organisation (WCAG 3.2.2).
            <form className="camaudit-inline-field" onSubmit={(e) => {
              e.preventDefault();
              const chosen = new FormData(e.currentTarget).get('organisation');
              if (typeof chosen === 'string') navigate(`/o/${encodeURIComponent(chosen)}/overview`);
            }}>
              <label htmlFor="organisation-switch">{t('organisation')}</label>
              <select id="organisation-switch" name="organisation" className="utrecht-select utrecht-select--html-select" defaultValue={slug} key={slug}>
                {session.organisations.map((o) => <option key={o.slug} value={o.slug}>{o.name}</option>)}
              </select>
              <button type="submit" className="utrecht-button utrecht-button--subtle">{t('switch')}</button>
            </form>
          )}
          <button type="button" className="utrecht-button utrecht-button--subtle" lang={lang === 'nl' ? 'en' : 'nl'} aria-label={t('otherLanguageLabel')}
            onClick={() => setLang(lang === 'nl' ? 'en' : 'nl')} data-testid="language-switch">
            {t('otherLanguage')}
          </button>
          <span className="camaudit-header__user">{t('signedInAs', { name: session.user.displayName || session.user.email, role: org ? label(lang, 'role', org.role) : '—' })}</span>
          <button type="button" className="utrecht-button utrecht-button--secondary-action" onClick={() => void signOut().then(() => navigate('/sign-in'))}>{t('signOut')}</button>
        </div>
      </header>
      {org && (
        <nav className="camaudit-nav" aria-label={t('nav')}>
          <ul className="camaudit-nav__list">
            {NAV.filter((n) => allowed(n.needs, org.can) && shown(n.key, org.can)).map((n) => (
              <li key={n.key}>
                <NavLink className="camaudit-nav__link" to={`/o/${encodeURIComponent(org.slug)}/${n.path}`}>{t(n.key)}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <main id="main" className="camaudit-main" tabIndex={-1}>
        {org ? (
          // Keyed by organisation: switching organisations starts every page afresh, with no state
          // (selections, cursors, answers) carried over from the other one.
          <Suspense key={org.slug} fallback={<Loading />}>
            <Outlet />
          </Suspense>
        ) : (
          <p className="utrecht-paragraph">{t('noAccess', { org: slug ?? '' })}</p>
        )}
      </main>
    </div>
  );
}
