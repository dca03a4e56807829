// The organisation at a glance, as the council asks about it: what we have, how exposed it is,
// what we do about it, and what we require of suppliers. Every number links to the device list
// filtered to exactly the devices behind it, and maker and vulnerability judgements show their
// knowledge-base sources.
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { orgPath, useApi } from '../../api';
import { BarChart } from '../../components/bar-chart';
import { Alert, Loaded } from '../../components/feedback';
import { PageTitle, Section } from '../../components/page';
import { defineMessages, formatDate, formatMoney, formatNumber, useLang, useT } from '../../i18n';
import { label } from '../../labels';
import { useOrg } from '../../session';
import { Confidence, countryName, kbDateText, kbWord, Sources } from '../kb/kb-shared';
import { devicesHref, distinctSources, percentage } from './overview-logic';
import type { ClauseDocument, Figure, Overview } from './overview-types';
import './overview.css';

const messages = defineMessages({
  nl: {
    title: 'Overzicht', intro: 'Cijfers over de apparaten in gebruik (status: {statuses}). Elk getal is een link naar de apparaten waar het over gaat.',
    stand: 'Stand van {date}. Laatste beoordeling: {assessed}, kennisbank {kb}, beleid “{policy}”.',
    notAssessed: 'Deze organisatie is nog niet beoordeeld: risico’s, kwetsbaarheden en bevindingen ontbreken daarom hieronder.', toRisk: 'Naar risico’s',
    q1: '1. Wat hebben we?', q2: '2. Hoe kwetsbaar is het?', q3: '3. Wat doen we eraan?', q4: '4. Wat vragen we van leveranciers?',
    devices: 'Apparaten in gebruik', sites: 'Locaties met apparaten', sitesOf: 'van {n} locaties in het register', makers: 'Fabrikanten',
    byMaker: 'Apparaten per echte fabrikant', maker: 'Fabrikant', count: 'Apparaten', unknownMaker: 'Fabrikant onbekend', restricted: 'beperkt',
    makerNote: 'De echte fabrikant, ook als er een ander merk op het apparaat staat. ⚠ = een maatregel in het beleid noemt deze fabrikant.',
    oemTitle: 'Merken van een andere fabrikant', oemIntro: '{n} apparaten dragen een merk dat niet de naam van de echte fabrikant is.',
    oemLine: '{brand} → gemaakt door {maker}', oemNone: 'Geen apparaten met een merk van een andere fabrikant.', noRecord: 'geen kennisbankrecord voor dit merk',
    devicesN: '{n} apparaten',
    byCategory: 'Apparaten per soort locatie', category: 'Soort locatie', noSite: 'Zonder locatie',
    publicVsBuildings: 'Openbare ruimte en gebouwen', publicSpace: 'In de openbare ruimte', buildings: 'In en bij gebouwen', sitesN: '{n} locaties',
    byConnectivity: 'Apparaten per netwerkverbinding', connectivity: 'Verbinding', noNetwork: 'Geen netwerk bekend',
    exposed: 'Blootstelling', internetExposed: 'Bereikbaar vanaf internet', vendorCloudNetworks: 'Op een netwerk met toegang via de cloud van de leverancier',
    vendorCloudFindings: 'Met een bevinding “cloud van de leverancier” (netwerk of scan)', kev: 'Met een kwetsbaarheid die aantoonbaar wordt misbruikt (CISA KEV)',
    kevTable: 'Misbruikte kwetsbaarheden bij fabrikanten in gebruik', cve: 'CVE', description: 'Omschrijving', exploitation: 'Misbruik', disputed: 'betwist: {why}',
    kevNone: 'De kennisbank kent geen misbruikte kwetsbaarheden van de fabrikanten in gebruik.',
    bySeverity: 'Apparaten naar hun ernstigste openstaande bevinding', severity: 'Ernst',
    findings: '{active} openstaande bevindingen ({open} open, {lapsed} met verlopen uitzondering) op {devices} apparaten; {waived} bevindingen door een uitzondering opzijgezet.',
    waivers: 'Uitzonderingen (geaccepteerde risico’s) van kracht: {n}', toWaivers: 'Bekijk bevindingen en uitzonderingen',
    plan: 'Uitfaseringsplan', noPlan: 'Er is nog geen plan vastgesteld.', toPlan: 'Naar het plan', planScenario: 'Vastgesteld scenario: {names}',
    planTable: 'Voortgang van het plan', status: 'Stand', items: 'Acties', planned: 'Gepland', in_progress: 'Bezig', done: 'Gereed', overdue: 'Over de termijn',
    budget: 'Budget', budgetPlanned: 'Begroot', budgetSpent: 'Besteed (gereed)', budgetRemaining: 'Resterend', amount: 'Bedrag',
    policy: 'Beleid “{name}” ({origin}).', origin_default: 'standaardbeleid van camaudit', origin_organisation: 'eigen beleid van de organisatie',
    unknownMeasures: 'Het beleid noemt maatregelen die de kennisbank niet (meer) kent: {ids}.',
    restrictedTitle: 'Fabrikanten die het beleid beperkt', restrictedIntro: 'Deze fabrikanten worden genoemd in maatregelen die het beleid volgt. {n} apparaten in gebruik hebben daardoor een bevinding.',
    country: 'Land', measures: 'Maatregelen', noRestricted: 'Het beleid volgt geen maatregelen die fabrikanten noemen.',
    clauses: 'De clausulebibliotheek heeft {n} aanbestedingsclausules om deze eisen aan leveranciers te stellen.', toProcurement: 'Naar inkoop en aanbestedingen',
  },
  en: {
    title: 'Overview', intro: 'Figures about the devices in service (status: {statuses}). Every number links to the devices it is about.',
    stand: 'As of {date}. Latest assessment: {assessed}, knowledge base {kb}, policy “{policy}”.',
    notAssessed: 'This organisation has not been assessed yet, so risks, vulnerabilities and findings are missing below.', toRisk: 'Go to risks',
    q1: '1. What do we have?', q2: '2. How exposed is it?', q3: '3. What are we doing about it?', q4: '4. What do we require of suppliers?',
    devices: 'Devices in service', sites: 'Sites with devices', sitesOf: 'of {n} sites in the register', makers: 'Manufacturers',
    byMaker: 'Devices by true manufacturer', maker: 'Manufacturer', count: 'Devices', unknownMaker: 'Manufacturer unknown', restricted: 'restricted',
    makerNote: 'The true manufacturer, also where another brand is on the device. ⚠ = a measure in the policy names this manufacturer.',
    oemTitle: 'Brands of another manufacturer', oemIntro: '{n} devices carry a brand that is not the name of their true manufacturer.',
    oemLine: '{brand} → made by {maker}', oemNone: 'No devices carry another manufacturer’s brand.', noRecord: 'no knowledge-base record for this brand',
    devicesN: '{n} devices',
    byCategory: 'Devices by kind of site', category: 'Kind of site', noSite: 'No site',
    publicVsBuildings: 'Public space and buildings', publicSpace: 'In public space', buildings: 'In and around buildings', sitesN: '{n} sites',
    byConnectivity: 'Devices by network connection', connectivity: 'Connection', noNetwork: 'No network known',
    exposed: 'Exposure', internetExposed: 'Reachable from the internet', vendorCloudNetworks: 'On a network reached through the vendor’s cloud',
    vendorCloudFindings: 'With a “vendor cloud” finding (network or scan)', kev: 'With a vulnerability known to be exploited (CISA KEV)',
    kevTable: 'Exploited vulnerabilities of manufacturers in use', cve: 'CVE', description: 'Description', exploitation: 'Exploitation', disputed: 'disputed: {why}',
    kevNone: 'The knowledge base holds no exploited vulnerabilities of the manufacturers in use.',
    bySeverity: 'Devices by their most serious standing finding', severity: 'Severity',
    findings: '{active} standing findings ({open} open, {lapsed} with an expired waiver) on {devices} devices; {waived} findings set aside by a waiver.',
    waivers: 'Waivers (accepted risks) in force: {n}', toWaivers: 'See findings and waivers',
    plan: 'Phase-out plan', noPlan: 'No plan has been adopted yet.', toPlan: 'Go to the plan', planScenario: 'Adopted scenario: {names}',
    planTable: 'Plan progress', status: 'Status', items: 'Actions', planned: 'Planned', in_progress: 'In progress', done: 'Done', overdue: 'Overdue',
    budget: 'Budget', budgetPlanned: 'Planned', budgetSpent: 'Spent (done)', budgetRemaining: 'Remaining', amount: 'Amount',
    policy: 'Policy “{name}” ({origin}).', origin_default: 'camaudit’s default policy', origin_organisation: 'the organisation’s own policy',
    unknownMeasures: 'The policy names measures the knowledge base does not (or no longer) hold: {ids}.',
    restrictedTitle: 'Manufacturers the policy restricts', restrictedIntro: 'Measures the policy adopts name these manufacturers. {n} devices in service have a finding because of it.',
    country: 'Country', measures: 'Measures', noRestricted: 'The policy adopts no measures naming manufacturers.',
    clauses: 'The clause library has {n} tender clauses to put these requirements to suppliers.', toProcurement: 'Go to procurement and tenders',
  },
});

/** A number that opens the device list behind it. */
function FigureLink({ figure, children }: { figure: Figure; children?: ReactNode }) {
  const { slug } = useOrg();
  const { lang } = useLang();
  return <Link className="utrecht-link" to={devicesHref(slug, figure.filter)}>{children ?? formatNumber(lang, figure.count)}</Link>;
}

function Card({ title, figure, value, note }: { title: string; figure?: Figure; value?: string; note?: ReactNode }) {
  return (
    <div className="camaudit-card">
      <p className="utrecht-paragraph camaudit-overview__card-title">{title}</p>
      <p className="camaudit-figure">{figure ? <FigureLink figure={figure} /> : value}</p>
      {note}
    </div>
  );
}

export function OverviewPage() {
  const org = useOrg();
  const t = useT(messages);
  const overview = useApi<Overview>(orgPath(org.slug, '/overview'));
  return (
    <>
      <PageTitle title={t('title')}>{t('title')} — {org.name}</PageTitle>
      <Loaded data={overview.data} error={overview.error}>{(o) => <OverviewBody o={o} />}</Loaded>
    </>
  );
}

function OverviewBody({ o }: { o: Overview }) {
  const t = useT(messages);
  const { lang } = useLang();
  const org = useOrg();
  const href = (f: Figure) => devicesHref(org.slug, f.filter);
  const inv = o.inventory;
  return (
    <div className="camaudit-overview">
      <p className="utrecht-paragraph">{t('intro', { statuses: o.inService.map((s) => label(lang, 'status', s)).join(', ') })}</p>
      {o.assessment
        ? <p className="utrecht-paragraph">{t('stand', { date: formatDate(lang, o.at, true), assessed: formatDate(lang, o.assessment.at, true), kb: o.assessment.kbVersion, policy: o.assessment.policyName })}</p>
        : <Alert type="warning">{t('notAssessed')} <Link className="utrecht-link" to={`/o/${encodeURIComponent(org.slug)}/risk`}>{t('toRisk')}</Link></Alert>}

      <Section id="have" title={t('q1')}>
        <div className="camaudit-grid">
          <Card title={t('devices')} figure={inv.devices} />
          <Card title={t('sites')} value={formatNumber(lang, inv.sites.withDevices)}
            note={<p className="utrecht-paragraph"><Link className="utrecht-link" to={`/o/${encodeURIComponent(org.slug)}/sites`}>{t('sitesOf', { n: inv.sites.register })}</Link></p>} />
          <Card title={t('makers')} value={formatNumber(lang, inv.makers.filter((m) => m.known).length)} />
        </div>
        <BarChart title={t('byMaker')} labelHeader={t('maker')} valueHeader={t('count')}
          note={<p className="utrecht-paragraph">{t('makerNote')}</p>}
          bars={inv.makers.map((m) => ({
            key: m.key, value: m.count, href: href(m), emphasis: m.restricted,
            label: `${m.known ? m.name ?? m.key : t('unknownMaker')}${m.restricted ? ` — ${t('restricted')}` : ''}`,
          }))} />

        <h3 className="utrecht-heading-3">{t('oemTitle')}</h3>
        {inv.oem.count === 0 ? <p className="utrecht-paragraph">{t('oemNone')}</p> : (
          <>
            <p className="utrecht-paragraph"><FigureLink figure={inv.oem}>{t('oemIntro', { n: inv.oem.count })}</FigureLink></p>
            <ul className="camaudit-overview__oem">
              {inv.oem.brands.map((b) => (
                <li key={`${b.maker.id}:${b.brand}`}>
                  <strong>{t('oemLine', { brand: b.brand, maker: b.maker.name })}</strong>{' — '}
                  <FigureLink figure={b}>{t('devicesN', { n: b.count })}</FigureLink>
                  {b.record ? (
                    <div className="camaudit-overview__record">
                      <span>{kbWord(lang, b.record.relationship)}</span>
                      <Confidence level={b.record.confidence} uncertain={b.record.uncertain} />
                      <Sources sources={distinctSources(b.record.sources)} />
                    </div>
                  ) : <div className="camaudit-overview__record">{t('noRecord')}</div>}
                </li>
              ))}
            </ul>
          </>
        )}

        <BarChart title={t('byCategory')} labelHeader={t('category')} valueHeader={t('count')}
          bars={inv.categories.map((c) => ({ key: c.key, value: c.count, href: href(c), label: c.key === 'none' ? t('noSite') : label(lang, 'category', c.key) }))} />
        <h3 className="utrecht-heading-3">{t('publicVsBuildings')}</h3>
        <ul className="camaudit-overview__list">
          <li>{t('publicSpace')}: <FigureLink figure={inv.publicSpace}>{t('devicesN', { n: inv.publicSpace.count })}</FigureLink>, {t('sitesN', { n: inv.publicSpace.sites })} ({percentage(inv.publicSpace.count, inv.devices.count)}%)</li>
          <li>{t('buildings')}: <FigureLink figure={inv.buildings}>{t('devicesN', { n: inv.buildings.count })}</FigureLink>, {t('sitesN', { n: inv.buildings.sites })} ({percentage(inv.buildings.count, inv.devices.count)}%)</li>
          <li>{t('noSite')}: <FigureLink figure={inv.noSite}>{t('devicesN', { n: inv.noSite.count })}</FigureLink></li>
        </ul>
      </Section>

      <Section id="exposed" title={t('q2')}>
        <BarChart title={t('byConnectivity')} labelHeader={t('connectivity')} valueHeader={t('count')}
          bars={o.exposure.connectivity.map((c) => ({
            key: c.key, value: c.count, href: href(c), emphasis: c.key === 'internet_exposed',
            label: c.key === 'none' ? t('noNetwork') : label(lang, 'connectivity', c.key),
          }))} />
        <h3 className="utrecht-heading-3">{t('exposed')}</h3>
        <ul className="camaudit-overview__list">
          <li>{t('internetExposed')}: <FigureLink figure={o.exposure.internetExposed}>{t('devicesN', { n: o.exposure.internetExposed.count })}</FigureLink></li>
          <li>{t('vendorCloudNetworks')}: <FigureLink figure={o.exposure.vendorCloudNetworks}>{t('devicesN', { n: o.exposure.vendorCloudNetworks.count })}</FigureLink></li>
          {o.assessment && <li>{t('vendorCloudFindings')}: <FigureLink figure={o.exposure.vendorCloudFindings}>{t('devicesN', { n: o.exposure.vendorCloudFindings.count })}</FigureLink></li>}
          {o.assessment && <li>{t('kev')}: <FigureLink figure={o.exposure.kev}>{t('devicesN', { n: o.exposure.kev.count })}</FigureLink></li>}
        </ul>
        {o.exposure.kev.vulnerabilities.length === 0 ? <p className="utrecht-paragraph">{t('kevNone')}</p> : (
          <div className="camaudit-table-scroll">
            <table className="utrecht-table utrecht-table--html-table camaudit-table camaudit-table--compact">
              <caption className="utrecht-table__caption">{t('kevTable')}</caption>
              <thead className="utrecht-table__header">
                <tr className="utrecht-table__row">
                  {[t('cve'), t('maker'), t('description'), t('exploitation')].map((h) => <th key={h} scope="col" className="utrecht-table__header-cell">{h}</th>)}
                </tr>
              </thead>
              <tbody className="utrecht-table__body">
                {o.exposure.kev.vulnerabilities.map((v) => (
                  <tr key={v.id} className="utrecht-table__row">
                    <th scope="row" className="utrecht-table__header-cell">{v.id}</th>
                    <td className="utrecht-table__cell">{v.maker.name}</td>
                    <td className="utrecht-table__cell">{v.title}{v.dispute ? ` (${t('disputed', { why: v.dispute })})` : ''}<Sources sources={distinctSources(v.sources)} /></td>
                    <td className="utrecht-table__cell">{kbWord(lang, v.exploitation)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>

      <Section id="do" title={t('q3')}>
        {o.assessment && (
          <>
            <BarChart title={t('bySeverity')} labelHeader={t('severity')} valueHeader={t('count')}
              bars={o.risk.bySeverity.map((b) => ({ key: b.key, value: b.count, href: href(b), emphasis: b.key === 'critical' || b.key === 'high', label: label(lang, 'severity', b.key) }))} />
            <p className="utrecht-paragraph">{t('findings', { ...o.risk.findings, devices: o.risk.devicesWithFindings })}</p>
            <p className="utrecht-paragraph">{t('waivers', { n: o.risk.waiversInForce })} — <Link className="utrecht-link" to={`/o/${encodeURIComponent(org.slug)}/risk`}>{t('toWaivers')}</Link></p>
          </>
        )}
        <h3 className="utrecht-heading-3">{t('plan')}</h3>
        {!o.plan.adopted ? (
          <Alert type="info">{t('noPlan')} <Link className="utrecht-link" to={`/o/${encodeURIComponent(org.slug)}/plan`}>{t('toPlan')}</Link></Alert>
        ) : (
          <>
            <p className="utrecht-paragraph">{t('planScenario', { names: o.plan.scenarios.join(', ') })} — <Link className="utrecht-link" to={`/o/${encodeURIComponent(org.slug)}/plan`}>{t('toPlan')}</Link></p>
            <div className="camaudit-grid">
              <table className="utrecht-table utrecht-table--html-table camaudit-table camaudit-table--compact">
                <caption className="utrecht-table__caption">{t('planTable')}</caption>
                <thead className="utrecht-table__header">
                  <tr className="utrecht-table__row"><th scope="col" className="utrecht-table__header-cell">{t('status')}</th><th scope="col" className="utrecht-table__header-cell utrecht-table__header-cell--numeric">{t('items')}</th></tr>
                </thead>
                <tbody className="utrecht-table__body">
                  {(['planned', 'in_progress', 'done', 'overdue'] as const).map((k) => (
                    <tr key={k} className="utrecht-table__row">
                      <th scope="row" className="utrecht-table__header-cell">{t(k)}{k === 'overdue' && o.plan.overdue > 0 ? ' ⚠' : ''}</th>
                      <td className="utrecht-table__cell utrecht-table__cell--numeric">{formatNumber(lang, k === 'overdue' ? o.plan.overdue : o.plan.items[k])}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <table className="utrecht-table utrecht-table--html-table camaudit-table camaudit-table--compact">
                <caption className="utrecht-table__caption">{t('budget')}</caption>
                <thead className="utrecht-table__header">
                  <tr className="utrecht-table__row"><th scope="col" className="utrecht-table__header-cell">{t('budget')}</th><th scope="col" className="utrecht-table__header-cell utrecht-table__header-cell--numeric">{t('amount')}</th></tr>
                </thead>
                <tbody className="utrecht-table__body">
                  {(['planned', 'spent', 'remaining'] as const).map((k) => (
                    <tr key={k} className="utrecht-table__row">
                      <th scope="row" className="utrecht-table__header-cell">{t(k === 'planned' ? 'budgetPlanned' : k === 'spent' ? 'budgetSpent' : 'budgetRemaining')}</th>
                      <td className="utrecht-table__cell utrecht-table__cell--numeric">{formatMoney(lang, o.plan.budget[k])}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </Section>

      <Section id="require" title={t('q4')}>
        <Procurement o={o} />
      </Section>
    </div>
  );
}

function Procurement({ o }: { o: Overview }) {
  const t = useT(messages);
  const { lang } = useLang();
  const org = useOrg();
  const clauses = useApi<ClauseDocument>('/api/v1/clauses', { lang });
  const p = o.procurement;
  return (
    <>
      <p className="utrecht-paragraph">{t('policy', { name: p.policy.name, origin: t(p.policy.origin === 'default' ? 'origin_default' : 'origin_organisation') })}</p>
      {p.policy.unknownMeasures.length > 0 && <Alert type="warning">{t('unknownMeasures', { ids: p.policy.unknownMeasures.join(', ') })}</Alert>}
      <h3 className="utrecht-heading-3">{t('restrictedTitle')}</h3>
      {p.restrictedMakers.length === 0 ? <p className="utrecht-paragraph">{t('noRestricted')}</p> : (
        <>
          <p className="utrecht-paragraph">{o.assessment
            ? <FigureLink figure={p.restrictedDevices}>{t('restrictedIntro', { n: p.restrictedDevices.count })}</FigureLink>
            : t('restrictedIntro', { n: p.restrictedDevices.count })}</p>
          <div className="camaudit-table-scroll">
            <table className="utrecht-table utrecht-table--html-table camaudit-table camaudit-table--compact">
              <caption className="utrecht-table__caption">{t('restrictedTitle')}</caption>
              <thead className="utrecht-table__header">
                <tr className="utrecht-table__row">
                  {[t('maker'), t('country'), t('count'), t('measures')].map((h) => <th key={h} scope="col" className="utrecht-table__header-cell">{h}</th>)}
                </tr>
              </thead>
              <tbody className="utrecht-table__body">
                {p.restrictedMakers.map((m) => (
                  <tr key={m.id} className="utrecht-table__row">
                    <th scope="row" className="utrecht-table__header-cell">{m.name}</th>
                    <td className="utrecht-table__cell">{countryName(lang, m.country)}</td>
                    <td className="utrecht-table__cell utrecht-table__cell--numeric"><FigureLink figure={m} /></td>
                    <td className="utrecht-table__cell">
                      <ul className="camaudit-overview__measures">
                        {m.measures.map((r) => (
                          <li key={r.id}>
                            {r.jurisdiction}, {r.body} ({kbDateText(lang, r.date)}) <Confidence level={r.confidence} uncertain={r.uncertain} />
                            <Sources sources={distinctSources(r.sources)} />
                          </li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      <p className="utrecht-paragraph">
        {clauses.data && <>{t('clauses', { n: clauses.data.categories.reduce((n, c) => n + c.clauses.length, 0) })} </>}
        <Link className="utrecht-link" to={`/o/${encodeURIComponent(org.slug)}/procurement`}>{t('toProcurement')}</Link>
      </p>
    </>
  );
}
