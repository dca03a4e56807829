// Administration of an organisation: its people and their roles, API tokens, single sign-on as it
// applies here, the audit trail, the assessment policy, who may see which data (publication
// levels), notifications and the interface theme.
// Administrators see every section; auditors see the audit trail only. Sections are addressable
// (?section=audit), so each can be bookmarked and the browser's back button moves between them.
import { Link, useSearchParams } from 'react-router';
import { Alert } from '../../components/feedback';
import { PageTitle } from '../../components/page';
import { defineMessages, useT } from '../../i18n';
import { useOrg } from '../../session';
import { chosenSection, sectionsFor, type SectionId } from './admin-logic';
import { AuditSection } from './audit-section';
import { NotificationsSection } from './notifications-section';
import { PeopleSection } from './people-section';
import { PolicySection } from './policy-section';
import { PublicationSection } from './publication-section';
import { SsoSection } from './sso-section';
import { ThemeSection } from './theme-section';
import { TokensSection } from './tokens-section';
import './admin.css';

const messages = defineMessages({
  nl: {
    title: 'Beheer', auditTitle: 'Audittrail', sections: 'Onderdelen van beheer',
    noAccess: 'Beheer is voor beheerders van de organisatie, de audittrail ook voor auditors. Uw rol geeft hier geen toegang toe.',
    auditOnly: 'Keten en regels', people: 'Mensen en rollen', tokens: 'API-tokens', sso: 'Single sign-on', audit: 'Audittrail', policy: 'Beleid', publication: 'Publicatie', notifications: 'Meldingen', theme: 'Thema',
  },
  en: {
    title: 'Administration', auditTitle: 'Audit trail', sections: 'Parts of administration',
    noAccess: 'Administration is for the organisation\'s administrators, the audit trail also for auditors. Your role gives no access here.',
    auditOnly: 'Chain and entries', people: 'People and roles', tokens: 'API tokens', sso: 'Single sign-on', audit: 'Audit trail', policy: 'Policy', publication: 'Publication', notifications: 'Notifications', theme: 'Theme',
  },
});

export function AdminPage() {
  const t = useT(messages);
  const org = useOrg();
  const [params] = useSearchParams();
  const allowed = sectionsFor({ admin: org.can('admin'), audit: org.can('audit') });
  const current = chosenSection(params.get('section'), allowed);
  const heading = allowed.length === 1 && current === 'audit' ? t('auditTitle') : t('title');
  if (!current) {
    return (
      <>
        <PageTitle title={t('title')}>{t('title')}</PageTitle>
        <Alert type="warning">{t('noAccess')}</Alert>
      </>
    );
  }
  return (
    <div className="camaudit-admin">
      <PageTitle title={allowed.length > 1 ? `${t(current)} — ${heading}` : heading}>{heading}</PageTitle>
      {allowed.length > 1 && (
        <nav className="camaudit-admin__sections" aria-label={t('sections')}>
          <ul className="camaudit-admin__section-list">
            {allowed.map((s) => (
              <li key={s}>
                <Link className="camaudit-admin__section-link" to={`?section=${s}`} aria-current={s === current ? 'page' : undefined} data-section={s}>{t(s)}</Link>
              </li>
            ))}
          </ul>
        </nav>
      )}
      {/* With the audit trail alone, the page title already names it; its heading says what is in it. */}
      <SectionBody id={current} title={allowed.length === 1 ? t('auditOnly') : t(current)} />
    </div>
  );
}

function SectionBody({ id, title }: { id: SectionId; title: string }) {
  switch (id) {
    case 'people': return <PeopleSection title={title} />;
    case 'tokens': return <TokensSection title={title} />;
    case 'sso': return <SsoSection title={title} />;
    case 'audit': return <AuditSection title={title} />;
    case 'policy': return <PolicySection title={title} />;
    case 'publication': return <PublicationSection title={title} />;
    case 'notifications': return <NotificationsSection title={title} />;
    case 'theme': return <ThemeSection title={title} />;
  }
}
