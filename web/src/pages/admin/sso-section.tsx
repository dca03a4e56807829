// Single sign-on as it applies to this organisation, read-only: it is set up for the whole server
// in camaudit.yaml by its operator (the client secret never leaves the server), so the page shows
// what is in force and where to change it.
import { orgPath, useApi } from '../../api';
import { Alert, Loaded } from '../../components/feedback';
import { Section } from '../../components/page';
import { defineMessages, useLang, useT } from '../../i18n';
import { label } from '../../labels';
import { useOrg, useSession } from '../../session';
import type { Settings } from './theme-section';

const messages = defineMessages({
  nl: {
    on: 'Single sign-on is ingesteld: mensen kunnen zich aanmelden via de identiteitsprovider van de organisatie (OpenID Connect).',
    off: 'Single sign-on is niet ingesteld. Mensen melden zich aan met een wachtwoord, dat de beheerder van de server zet.',
    where: 'Single sign-on wordt voor de hele server ingesteld in camaudit.yaml, onder “oidc”: issuer, clientId, clientSecret (of de omgevingsvariabele CAMAUDIT_OIDC_CLIENT_SECRET), groupsClaim en roleMapping (groep, organisatie, rol). Wijzigen doet de beheerder van de server; daarna de server herstarten.',
    how: 'Bij elke aanmelding kijkt camaudit welke groepen de identiteitsprovider meegeeft en geeft, wijzigt of ontneemt de rollen die daaruit volgen. Een rol die een beheerder hier onder “Mensen en rollen” gaf, laat de aanmelding ongemoeid.',
    provider: 'Identiteitsprovider (issuer)', client: 'Client-id', claim: 'Claim met de groepen',
    mapping: 'Groepen en rollen in {org}', group: 'Groep', role: 'Rol', noMapping: 'Geen enkele groep geeft een rol in deze organisatie.',
  },
  en: {
    on: 'Single sign-on is configured: people can sign in through the organisation\'s identity provider (OpenID Connect).',
    off: 'Single sign-on is not configured. People sign in with a password, set by the server\'s operator.',
    where: 'Single sign-on is set up for the whole server in camaudit.yaml, under “oidc”: issuer, clientId, clientSecret (or the environment variable CAMAUDIT_OIDC_CLIENT_SECRET), groupsClaim and roleMapping (group, organisation, role). The server\'s operator changes it and then restarts the server.',
    how: 'At every sign-in camaudit reads the groups the identity provider passes on and gives, changes or takes away the roles they map to. A role an administrator gave under “People and roles” is left as it is.',
    provider: 'Identity provider (issuer)', client: 'Client id', claim: 'Claim holding the groups',
    mapping: 'Groups and roles in {org}', group: 'Group', role: 'Role', noMapping: 'No group gives a role in this organisation.',
  },
});

export function SsoSection({ title }: { title: string }) {
  const t = useT(messages);
  const { lang } = useLang();
  const org = useOrg();
  const { ui } = useSession();
  const settings = useApi<Settings>(orgPath(org.slug, '/settings'));
  return (
    <Section title={title} id="admin-sso">
      <Alert type="info">{ui?.oidc ? t('on') : t('off')}</Alert>
      <Loaded data={settings.data} error={settings.error}>
        {({ sso }) => sso && (
          <>
            <dl className="camaudit-admin__facts">
              <dt>{t('provider')}</dt><dd><code>{sso.issuer}</code></dd>
              <dt>{t('client')}</dt><dd><code>{sso.clientId}</code></dd>
              <dt>{t('claim')}</dt><dd><code>{sso.groupsClaim}</code></dd>
            </dl>
            {sso.roleMapping.length === 0 ? <p className="utrecht-paragraph">{t('noMapping')}</p> : (
              <table className="utrecht-table utrecht-table--html-table camaudit-table camaudit-table--compact">
                <caption className="utrecht-table__caption">{t('mapping', { org: org.name })}</caption>
                <thead className="utrecht-table__header">
                  <tr className="utrecht-table__row">
                    <th scope="col" className="utrecht-table__header-cell">{t('group')}</th>
                    <th scope="col" className="utrecht-table__header-cell">{t('role')}</th>
                  </tr>
                </thead>
                <tbody className="utrecht-table__body">
                  {sso.roleMapping.map((m) => (
                    <tr key={`${m.group}:${m.role}`} className="utrecht-table__row">
                      <th scope="row" className="utrecht-table__header-cell"><code>{m.group}</code></th>
                      <td className="utrecht-table__cell">{label(lang, 'role', m.role)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </Loaded>
      <p className="utrecht-paragraph">{t('how')}</p>
      <p className="utrecht-paragraph">{t('where')}</p>
    </Section>
  );
}
