// The organisation's publication levels: per field group, who may see it. Open data, public
// exports and the public council report leave out what is not public; coordinators get only what
// is public or open to aggregates; and where exact positions are secret, only the people who
// maintain the register see them exactly (viewers and auditors get about a kilometre). Saving
// applies a level from the next request on and records the change in the audit trail.
import { useEffect, useState, type FormEvent } from 'react';
import { api, orgPath, useApi } from '../../api';
import { Alert, Loaded } from '../../components/feedback';
import { Section } from '../../components/page';
import { defineMessages, useT } from '../../i18n';
import { useOrg } from '../../session';
import { Field, useErrorText, useRun } from './admin-shared';
import { changedLevels, FIELD_GROUPS, PUBLICATION_LEVELS, type FieldGroup, type PublicationLevel, type PublicationPolicy } from './publication-logic';

/** The part of GET/PUT …/settings this section reads (src/server/routes/access.ts). */
interface PublicationSettings {
  publication: PublicationPolicy;
  publicationLevels: PublicationLevel[];
}

const messages = defineMessages({
  nl: {
    intro: 'Per groep gegevens bepaalt u wie ze mag zien. Openbare exports, open data en het openbare raadsrapport laten weg wat niet openbaar is. Een strenger niveau geldt vanaf het volgende verzoek; elke wijziging komt in de audittrail.',
    levelsTitle: 'Wat de niveaus betekenen', groupsTitle: 'Niveau per groep gegevens',
    level_public: 'Openbaar', level_organisation: 'Organisatie', level_coordinator_aggregate: 'Coördinator (opgeteld)', level_secret: 'Geheim',
    explain_public: 'Iedereen mag het zien: het staat ook in open data, openbare exports en het openbare raadsrapport.',
    explain_organisation: 'Alleen mensen met een rol in deze organisatie zien het; openbare exports laten het weg.',
    explain_coordinator_aggregate: 'De organisatie ziet het; regionale coördinatoren alleen opgeteld in aantallen, het publiek niet.',
    explain_secret: 'Het verlaat de organisatie nooit, ook niet opgeteld; geheime exacte posities zien alleen beheerders en bewerkers exact, kijkers en auditors op ongeveer 1 km.',
    group_identity: 'Identiteit', group_location_area: 'Gebied', group_location_exact: 'Exacte positie', group_network: 'Netwerk', group_serial: 'Serienummers', group_governance: 'Doel en bewaring',
    fields_identity: 'Soort, merk, ware fabrikant, model, firmware, status, leverancier, installateur en installatiedatum.',
    fields_location_area: 'Naam en categorie van de locatie en de positie afgerond op ongeveer 1 km.',
    fields_location_exact: 'Coördinaten, adres, postcode en BAG-id van de locatie of het apparaat.',
    fields_network: 'IP- en MAC-adres, netwerk, verbinding met internet en toegang op afstand.',
    fields_serial: 'Serienummer, eigen referentie en camaudit-id.',
    fields_governance: 'Doel, grondslag, bewaartermijn en videoanalyse.',
    chosen: 'Gekozen: {level}.', current: '(nu ingesteld)',
    save: 'Niveaus opslaan', saved: 'Opgeslagen: {changes}.', unchanged: 'Er is niets gewijzigd.', change: '{group} {level}',
  },
  en: {
    intro: 'For each group of data you decide who may see it. Public exports, open data and the public council report leave out what is not public. A stricter level applies from the next request on; every change goes into the audit trail.',
    levelsTitle: 'What the levels mean', groupsTitle: 'Level per group of data',
    level_public: 'Public', level_organisation: 'Organisation', level_coordinator_aggregate: 'Coordinator (aggregated)', level_secret: 'Secret',
    explain_public: 'Anyone may see it: it also goes into open data, public exports and the public council report.',
    explain_organisation: 'Only people with a role in this organisation see it; public exports leave it out.',
    explain_coordinator_aggregate: 'The organisation sees it; regional coordinators only as added-up counts, the public not at all.',
    explain_secret: 'It never leaves the organisation, not even added up; secret exact positions are seen exactly only by administrators and editors, by viewers and auditors to about 1 km.',
    group_identity: 'Identity', group_location_area: 'Area', group_location_exact: 'Exact position', group_network: 'Network', group_serial: 'Serial numbers', group_governance: 'Purpose and retention',
    fields_identity: 'Kind, brand, true maker, model, firmware, status, supplier, installer and installation date.',
    fields_location_area: 'Name and category of the site, and its position rounded to about 1 km.',
    fields_location_exact: 'Coordinates, address, postcode and BAG id of the site or device.',
    fields_network: 'IP and MAC address, network, internet connection and remote access.',
    fields_serial: 'Serial number, own reference and camaudit id.',
    fields_governance: 'Purpose, legal basis, retention period and video analytics.',
    chosen: 'Chosen: {level}.', current: '(set now)',
    save: 'Save levels', saved: 'Saved: {changes}.', unchanged: 'Nothing was changed.', change: '{group} {level}',
  },
});

export function PublicationSection({ title }: { title: string }) {
  const t = useT(messages);
  const org = useOrg();
  const settings = useApi<PublicationSettings>(orgPath(org.slug, '/settings'));
  const [chosen, setChosen] = useState<PublicationPolicy | undefined>(undefined);
  const [result, setResult] = useState<{ changed: FieldGroup[]; policy: PublicationPolicy } | undefined>(undefined);
  const save = useRun();
  const errorText = useErrorText();
  const inForce = settings.data?.publication;
  useEffect(() => {
    if (inForce) setChosen((c) => c ?? inForce);
  }, [inForce]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!chosen || !inForce) return;
    setResult(undefined);
    const change = changedLevels(inForce, chosen);
    if (Object.keys(change).length === 0) {
      setResult({ changed: [], policy: inForce });
      return;
    }
    const done = await save.run(() => api<PublicationSettings>(orgPath(org.slug, '/settings'), { method: 'PUT', body: { publication: change } }));
    if (done) {
      settings.reload();
      setChosen(done.publication);
      setResult({ changed: Object.keys(change) as FieldGroup[], policy: done.publication });
    }
  };

  const levelName = (level: PublicationLevel) => t(`level_${level}` as const);
  const savedText = (r: { changed: FieldGroup[]; policy: PublicationPolicy }) => (r.changed.length === 0 ? t('unchanged')
    : t('saved', { changes: r.changed.map((g) => t('change', { group: t(`group_${g}` as const), level: levelName(r.policy[g]).toLowerCase() })).join(', ') }));

  return (
    <Section title={title} id="admin-publication">
      <p className="utrecht-paragraph">{t('intro')}</p>
      <Loaded data={settings.data} error={settings.error}>
        {(s) => {
          const levels = s.publicationLevels.length ? s.publicationLevels : [...PUBLICATION_LEVELS];
          const current = chosen ?? s.publication;
          return (
            <>
              <h3 className="utrecht-heading-3 camaudit-admin__levels-title">{t('levelsTitle')}</h3>
              <dl className="camaudit-admin__levels">
                {levels.map((level) => (
                  <div key={level} className="camaudit-admin__level">
                    <dt>{levelName(level)}</dt>
                    <dd>{t(`explain_${level}` as const)}</dd>
                  </div>
                ))}
              </dl>
              <form className="camaudit-form camaudit-admin__form" onSubmit={(e) => void submit(e)} aria-labelledby="admin-publication-groups">
                <h3 className="utrecht-heading-3" id="admin-publication-groups">{t('groupsTitle')}</h3>
                {FIELD_GROUPS.map((group) => (
                  <Field
                    key={group}
                    label={t(`group_${group}` as const)}
                    hint={<>{t(`fields_${group}` as const)} <span data-testid={`level-explained-${group}`}>{t('chosen', { level: levelName(current[group]) })} {t(`explain_${current[group]}` as const)}</span></>}
                  >
                    {(p) => (
                      <select
                        {...p} name={group} className="utrecht-select utrecht-select--html-select" value={current[group]}
                        onChange={(e) => setChosen({ ...current, [group]: e.target.value as PublicationLevel })}
                      >
                        {levels.map((level) => (
                          <option key={level} value={level}>{levelName(level)}{level === s.publication[group] ? ` ${t('current')}` : ''}</option>
                        ))}
                      </select>
                    )}
                  </Field>
                ))}
                {save.error && <Alert type="error">{errorText(save.error)}</Alert>}
                {result && <Alert type="ok">{savedText(result)}</Alert>}
                <div className="camaudit-toolbar">
                  <button type="submit" className="utrecht-button utrecht-button--primary-action" disabled={save.busy || !chosen}>{t('save')}</button>
                </div>
              </form>
            </>
          );
        }}
      </Loaded>
    </Section>
  );
}
