// The national view. A coordinating organisation's coordinators read the summary of the
// aggregates it received: headline figures, national totals, one row per municipality and the
// trend per month. Withheld counts stay withheld ("< 5", never 0) and sums that include them say
// "at least". An organisation's administrators preview the aggregate their organisation would
// publish and publish it to a coordinator.
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { api, orgPath, useApi } from '../../api';
import { Alert, ErrorAlert, Loaded } from '../../components/feedback';
import { PageTitle, Section } from '../../components/page';
import { defineMessages, formatDate, formatNumber, useLang, useT } from '../../i18n';
import { label } from '../../labels';
import { useOrg } from '../../session';
import { countText, sumText, type FigureWords, type Sum } from './coordinator-logic';
import './coordinator.css';

const GROUPS = ['hikvision', 'dahua', 'other_restricted', 'other', 'unknown'] as const;
type Group = (typeof GROUPS)[number];

const messages = defineMessages({
  nl: {
    title: 'Landelijk beeld', summary: 'Samenvatting van de ontvangen aggregaten', publish: 'Aggregaat publiceren',
    noAccess: 'Deze pagina is voor coördinatoren van een coördinerende organisatie en voor beheerders die het aggregaat van hun organisatie publiceren.',
    below: '< {threshold}', atLeast: 'minstens {value} ({suppressed} achtergehouden)',
    suppressionNote: '“< {threshold}” is een aantal dat de gemeente achterhoudt omdat het kleiner is dan de drempel; het is niet 0. Een totaal met “minstens” bevat zulke aantallen en telt elk als 1.',
    asOf: 'Stand tot en met {date}; drempel {threshold}.', none: 'Er zijn nog geen aggregaten ontvangen.',
    municipalities: 'Gemeenten', hikDahua: 'Met Hikvision of Dahua in gebruik', hikDahuaExposed: 'Daarvan bereikbaar vanaf internet', otherRestricted: 'Met andere beperkte fabrikanten',
    ofMunicipalities: 'van {n} gemeenten',
    national: 'Landelijke totalen per fabrikantgroep', group: 'Fabrikantgroep', devices: 'Apparaten', exposed: 'Bereikbaar vanaf internet', total: 'Totaal',
    hikvision: 'Hikvision', dahua: 'Dahua', other_restricted: 'Andere beperkte fabrikanten', other: 'Andere fabrikanten', unknown: 'Onbekende fabrikant',
    perMunicipality: 'Per gemeente', code: 'Code', name: 'Gemeente', period: 'Peildatum', critical: 'Kritiek', high: 'Hoog',
    trend: 'Verloop per maand', month: 'Maand', sources: 'Gemeenten', updated: 'Nieuw in de maand', hikDahuaInService: 'Hikvision/Dahua in gebruik',
    hikDahuaInternet: 'Hikvision/Dahua bereikbaar vanaf internet', withHikDahua: 'Gemeenten met Hikvision/Dahua',
    excluded: 'Buiten beschouwing (gepubliceerd met een lagere drempel)',
    previewTitle: 'Wat uw organisatie zou publiceren', previewIntro: 'Alleen aantallen per fabrikantgroep, soort locatie, netwerk, status en ernst; aantallen onder de drempel worden achtergehouden.',
    previewFor: '{name} ({code}), peildatum {period}, drempel {threshold}: {devices} apparaten, {cells} cellen waarvan {withheld} achtergehouden.',
    to: 'Naar', toHint: 'local:SLUG voor een coördinerende organisatie op deze server, of het https-adres van een andere camaudit-server.',
    token: 'Publicatietoken (alleen voor https)', periodField: 'Peildatum (leeg: vandaag)', threshold: 'Drempel (leeg: die van de server)',
    publishButton: 'Publiceren', publishing: 'Bezig met publiceren…', toRequired: 'Vul in waarheen u publiceert.',
    published: 'Aggregaat van {code} voor {period} gepubliceerd naar {to}.', replaced: 'Het vervangt het eerder gepubliceerde aggregaat voor die peildatum.',
    refresh: 'Voorbeeld vernieuwen', thresholdIs: 'drempel {threshold}',
  },
  en: {
    title: 'National view', summary: 'Summary of the aggregates received', publish: 'Publish the aggregate',
    noAccess: 'This page is for coordinators of a coordinating organisation and for administrators who publish their organisation’s aggregate.',
    below: '< {threshold}', atLeast: 'at least {value} ({suppressed} withheld)',
    suppressionNote: '“< {threshold}” is a count the municipality withholds because it is below the threshold; it is not 0. A total with “at least” includes such counts and counts each as 1.',
    asOf: 'As of {date}; threshold {threshold}.', none: 'No aggregates have been received yet.',
    municipalities: 'Municipalities', hikDahua: 'Running Hikvision or Dahua', hikDahuaExposed: 'Of those, reachable from the internet', otherRestricted: 'Running other restricted makers',
    ofMunicipalities: 'of {n} municipalities',
    national: 'National totals by maker group', group: 'Maker group', devices: 'Devices', exposed: 'Reachable from the internet', total: 'Total',
    hikvision: 'Hikvision', dahua: 'Dahua', other_restricted: 'Other restricted makers', other: 'Other makers', unknown: 'Unknown maker',
    perMunicipality: 'Per municipality', code: 'Code', name: 'Municipality', period: 'Period', critical: 'Critical', high: 'High',
    trend: 'Trend by month', month: 'Month', sources: 'Municipalities', updated: 'New that month', hikDahuaInService: 'Hikvision/Dahua in service',
    hikDahuaInternet: 'Hikvision/Dahua reachable from the internet', withHikDahua: 'Municipalities with Hikvision/Dahua',
    excluded: 'Left out (published with a lower threshold)',
    previewTitle: 'What your organisation would publish', previewIntro: 'Only counts by maker group, site category, network, status and severity; counts below the threshold are withheld.',
    previewFor: '{name} ({code}), period {period}, threshold {threshold}: {devices} devices, {cells} cells of which {withheld} withheld.',
    to: 'To', toHint: 'local:SLUG for a coordinating organisation on this server, or the https address of another camaudit server.',
    token: 'Publisher token (https only)', periodField: 'Period (empty: today)', threshold: 'Threshold (empty: the server’s)',
    publishButton: 'Publish', publishing: 'Publishing…', toRequired: 'Fill in where to publish to.',
    published: 'Aggregate of {code} for {period} published to {to}.', replaced: 'It replaces the aggregate published earlier for that period.',
    refresh: 'Refresh the preview', thresholdIs: 'threshold {threshold}',
  },
});

interface MunicipalityRow {
  code: string; name: string; period: string; threshold: number; devices: number | null; makerGroup: Record<Group, number | null>;
  internetExposed: number | null; critical: number | null; high: number | null; hikvisionOrDahuaInService: Sum; hikvisionOrDahuaInternetExposed: Sum;
}
interface TrendRow { month: string; sources: number; updated: number; devices: Sum; hikvisionOrDahuaInService: Sum; hikvisionOrDahuaInternetExposed: Sum; municipalitiesWithHikvisionOrDahua: number }
interface Summary {
  threshold: number;
  asOf: string | null;
  excluded: { code: string; name: string; period: string; threshold: number }[];
  national: { devices: Sum; makerGroup: Record<Group, Sum>; makerGroupByConnectivity: Record<Group, Record<string, Sum>> };
  municipalities: MunicipalityRow[];
  trend: TrendRow[];
  headlines: { municipalities: number; hikvisionOrDahua: number; hikvisionOrDahuaInternetExposed: number; otherRestricted: number };
}
interface Aggregate {
  source: { code: string; name: string }; period: string; threshold: number;
  totals: { devices: number | null; makerGroup: Record<Group, number | null>; makerGroupByConnectivity: Record<Group, Record<string, number | null>> };
  cells: { suppressed?: true }[];
}

function useFigures() {
  const t = useT(messages);
  const { lang } = useLang();
  const words: FigureWords = { below: t('below'), atLeast: t('atLeast') };
  const n = (v: number) => formatNumber(lang, v);
  return { count: (v: number | null, threshold: number) => countText(v, threshold, words, n), sum: (s: Sum) => sumText(s, words, n), n };
}

function Th({ children, numeric }: { children: ReactNode; numeric?: boolean }) {
  return <th scope="col" className={`utrecht-table__header-cell${numeric ? ' utrecht-table__header-cell--numeric' : ''}`}>{children}</th>;
}
function Td({ children, numeric }: { children: ReactNode; numeric?: boolean }) {
  return <td className={`utrecht-table__cell${numeric ? ' utrecht-table__cell--numeric' : ''}`}>{children}</td>;
}

/** The trend as lines (Hikvision/Dahua in service, and exposed), drawn lazily; the table after it is the accessible form. */
function TrendChart({ trend }: { trend: readonly TrendRow[] }) {
  const t = useT(messages);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let cancelled = false;
    void import('@observablehq/plot').then((Plot) => {
      const node = ref.current;
      if (cancelled || !node) return;
      const data = trend.flatMap((r) => [
        { month: new Date(`${r.month}-01T00:00:00Z`), series: t('hikDahuaInService'), value: r.hikvisionOrDahuaInService.value },
        { month: new Date(`${r.month}-01T00:00:00Z`), series: t('hikDahuaInternet'), value: r.hikvisionOrDahuaInternetExposed.value },
      ]);
      const chart = Plot.plot({
        width: Math.max(360, node.clientWidth || 720), height: 240, marginLeft: 60, marginRight: 220,
        x: { type: 'utc', label: t('month') }, y: { grid: true, zero: true, label: t('devices') },
        color: { range: ['#154273', '#b3261e'] }, symbol: { range: ['circle', 'triangle'] },
        marks: [
          // Solid for in service, dashed for exposed: the two lines differ by more than colour.
          Plot.line(data.filter((d) => d.series === t('hikDahuaInService')), { x: 'month', y: 'value', stroke: 'series', strokeWidth: 2 }),
          Plot.line(data.filter((d) => d.series === t('hikDahuaInternet')), { x: 'month', y: 'value', stroke: 'series', strokeWidth: 2, strokeDasharray: '5 3' }),
          Plot.dot(data, { x: 'month', y: 'value', stroke: 'series', fill: 'series', symbol: 'series', r: 4 }),
          Plot.text(data, Plot.selectLast({ x: 'month', y: 'value', z: 'series', text: 'series', dx: 8, textAnchor: 'start' })),
        ],
      });
      chart.setAttribute('aria-hidden', 'true');
      chart.setAttribute('focusable', 'false');
      node.replaceChildren(chart);
    });
    return () => {
      cancelled = true;
    };
  }, [trend, t]);
  return <div ref={ref} className="camaudit-chart__svg" aria-hidden="true" data-chart="trend" />;
}

function SummaryView({ summary }: { summary: Summary }) {
  const t = useT(messages);
  const { lang } = useLang();
  const f = useFigures();
  if (summary.municipalities.length === 0) return <p className="utrecht-paragraph">{t('none')}</p>;
  const h = summary.headlines;
  return (
    <div data-testid="national-summary">
      <p className="utrecht-paragraph">{t('asOf', { date: formatDate(lang, summary.asOf), threshold: summary.threshold })}</p>
      <ul className="camaudit-grid camaudit-coordinator-headlines" data-testid="headlines">
        <li className="camaudit-card"><span className="camaudit-figure">{f.n(h.municipalities)}</span> {t('municipalities')}</li>
        <li className="camaudit-card"><span className="camaudit-figure">{f.n(h.hikvisionOrDahua)}</span> {t('hikDahua')} <span className="camaudit-hint">{t('ofMunicipalities', { n: h.municipalities })}</span></li>
        <li className="camaudit-card"><span className="camaudit-figure">{f.n(h.hikvisionOrDahuaInternetExposed)}</span> {t('hikDahuaExposed')}</li>
        <li className="camaudit-card"><span className="camaudit-figure">{f.n(h.otherRestricted)}</span> {t('otherRestricted')}</li>
      </ul>
      <p className="utrecht-paragraph camaudit-hint">{t('suppressionNote', { threshold: summary.threshold })}</p>

      <h3 className="utrecht-heading-3">{t('national')}</h3>
      <table className="utrecht-table utrecht-table--html-table camaudit-table camaudit-table--compact" data-testid="national-totals">
        <caption className="utrecht-table__caption">{t('national')}</caption>
        <thead className="utrecht-table__header"><tr className="utrecht-table__row"><Th>{t('group')}</Th><Th numeric>{t('devices')}</Th><Th numeric>{t('exposed')}</Th></tr></thead>
        <tbody className="utrecht-table__body">
          {GROUPS.map((g) => (
            <tr key={g} className="utrecht-table__row">
              <th scope="row" className="utrecht-table__header-cell">{t(g)}</th>
              <Td numeric>{f.sum(summary.national.makerGroup[g])}</Td>
              <Td numeric>{summary.national.makerGroupByConnectivity[g]?.internet_exposed ? f.sum(summary.national.makerGroupByConnectivity[g].internet_exposed) : '—'}</Td>
            </tr>
          ))}
        </tbody>
        <tfoot><tr className="utrecht-table__row"><th scope="row" className="utrecht-table__header-cell">{t('total')}</th><Td numeric>{f.sum(summary.national.devices)}</Td><Td numeric>{''}</Td></tr></tfoot>
      </table>

      <h3 className="utrecht-heading-3">{t('perMunicipality')}</h3>
      <div className="camaudit-table-scroll" tabIndex={0} role="region" aria-label={t('perMunicipality')}>
        <table className="utrecht-table utrecht-table--html-table camaudit-table camaudit-table--compact" data-testid="municipalities">
          <caption className="utrecht-table__caption">{t('perMunicipality')}</caption>
          <thead className="utrecht-table__header">
            <tr className="utrecht-table__row">
              <Th>{t('code')}</Th><Th>{t('name')}</Th><Th>{t('period')}</Th><Th numeric>{t('devices')}</Th>
              {GROUPS.map((g) => <Th key={g} numeric>{t(g)}</Th>)}
              <Th numeric>{t('exposed')}</Th><Th numeric>{label(lang, 'severity', 'critical')}</Th><Th numeric>{label(lang, 'severity', 'high')}</Th>
            </tr>
          </thead>
          <tbody className="utrecht-table__body">
            {summary.municipalities.map((m) => (
              <tr key={m.code} className="utrecht-table__row" data-code={m.code}>
                <Td>{m.code}</Td>
                <th scope="row" className="utrecht-table__header-cell">{m.name}</th>
                <Td>{formatDate(lang, m.period)}</Td>
                <Td numeric>{f.count(m.devices, m.threshold)}</Td>
                {GROUPS.map((g) => <Td key={g} numeric>{f.count(m.makerGroup[g], m.threshold)}</Td>)}
                <Td numeric>{f.count(m.internetExposed, m.threshold)}</Td>
                <Td numeric>{f.count(m.critical, m.threshold)}</Td>
                <Td numeric>{f.count(m.high, m.threshold)}</Td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h3 className="utrecht-heading-3">{t('trend')}</h3>
      <figure className="camaudit-chart">
        <TrendChart trend={summary.trend} />
        <div className="camaudit-table-scroll" tabIndex={0} role="region" aria-label={t('trend')}>
          <table className="utrecht-table utrecht-table--html-table camaudit-table camaudit-table--compact" data-testid="trend">
            <caption className="utrecht-table__caption">{t('trend')}</caption>
            <thead className="utrecht-table__header">
              <tr className="utrecht-table__row">
                <Th>{t('month')}</Th><Th numeric>{t('sources')}</Th><Th numeric>{t('updated')}</Th><Th numeric>{t('devices')}</Th>
                <Th numeric>{t('hikDahuaInService')}</Th><Th numeric>{t('hikDahuaInternet')}</Th><Th numeric>{t('withHikDahua')}</Th>
              </tr>
            </thead>
            <tbody className="utrecht-table__body">
              {summary.trend.map((r) => (
                <tr key={r.month} className="utrecht-table__row">
                  <th scope="row" className="utrecht-table__header-cell">{r.month}</th>
                  <Td numeric>{f.n(r.sources)}</Td><Td numeric>{f.n(r.updated)}</Td><Td numeric>{f.sum(r.devices)}</Td>
                  <Td numeric>{f.sum(r.hikvisionOrDahuaInService)}</Td><Td numeric>{f.sum(r.hikvisionOrDahuaInternetExposed)}</Td><Td numeric>{f.n(r.municipalitiesWithHikvisionOrDahua)}</Td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </figure>
      {summary.excluded.length > 0 && (
        <>
          <h3 className="utrecht-heading-3">{t('excluded')}</h3>
          <ul>{summary.excluded.map((e) => <li key={`${e.code}-${e.period}`}>{e.name} ({e.code}), {formatDate(lang, e.period)}, {t('thresholdIs', { threshold: e.threshold })}</li>)}</ul>
        </>
      )}
    </div>
  );
}

interface Published { source: { code: string; name: string }; period: string; kind: string; coordinator?: string; url?: string; receipt?: { replaced: boolean } }

function PublishView() {
  const t = useT(messages);
  const { lang } = useLang();
  const org = useOrg();
  const id = useId();
  const f = useFigures();
  const preview = useApi<Aggregate>(orgPath(org.slug, '/federation/preview'));
  const [to, setTo] = useState('');
  const [token, setToken] = useState('');
  const [period, setPeriod] = useState('');
  const [threshold, setThreshold] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  const [missing, setMissing] = useState(false);
  const [done, setDone] = useState<Published | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!to.trim()) {
      setMissing(true);
      return;
    }
    setMissing(false);
    setBusy(true);
    setError(undefined);
    setDone(null);
    try {
      const body = { to: to.trim(), ...(token ? { token } : {}), ...(period ? { period } : {}), ...(threshold.trim() ? { threshold: Number(threshold) } : {}) };
      setDone(await api<Published>(orgPath(org.slug, '/federation/publish'), { method: 'POST', body }));
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h3 className="utrecht-heading-3">{t('previewTitle')}</h3>
      <p className="utrecht-paragraph">{t('previewIntro')}</p>
      <Loaded data={preview.data} error={preview.error}>
        {(p) => (
          <div data-testid="aggregate-preview">
            <p className="utrecht-paragraph">{t('previewFor', {
              name: p.source.name, code: p.source.code, period: formatDate(lang, p.period), threshold: p.threshold, devices: f.count(p.totals.devices, p.threshold),
              cells: p.cells.length, withheld: p.cells.filter((c) => c.suppressed).length,
            })}</p>
            <table className="utrecht-table utrecht-table--html-table camaudit-table camaudit-table--compact">
              <caption className="utrecht-table__caption">{t('previewTitle')}</caption>
              <thead className="utrecht-table__header"><tr className="utrecht-table__row"><Th>{t('group')}</Th><Th numeric>{t('devices')}</Th><Th numeric>{t('exposed')}</Th></tr></thead>
              <tbody className="utrecht-table__body">
                {GROUPS.map((g) => (
                  <tr key={g} className="utrecht-table__row">
                    <th scope="row" className="utrecht-table__header-cell">{t(g)}</th>
                    <Td numeric>{f.count(p.totals.makerGroup[g], p.threshold)}</Td>
                    <Td numeric>{f.count(p.totals.makerGroupByConnectivity[g]?.internet_exposed ?? null, p.threshold)}</Td>
                  </tr>
                ))}
              </tbody>
            </table>
            <button type="button" className="utrecht-button utrecht-button--subtle" onClick={preview.reload}>{t('refresh')}</button>
          </div>
        )}
      </Loaded>
      <form className="camaudit-form camaudit-coordinator-form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="utrecht-form-field">
          <label className="utrecht-form-label" htmlFor={`${id}-to`}>{t('to')}</label>
          <input id={`${id}-to`} name="to" className="utrecht-textbox utrecht-textbox--html-input" value={to} aria-describedby={`${id}-to-hint`} onChange={(e) => setTo(e.target.value)} required />
          <span id={`${id}-to-hint`} className="camaudit-hint">{t('toHint')}</span>
        </div>
        <div className="utrecht-form-field">
          <label className="utrecht-form-label" htmlFor={`${id}-token`}>{t('token')}</label>
          <input id={`${id}-token`} name="token" type="password" autoComplete="off" className="utrecht-textbox utrecht-textbox--html-input" value={token} onChange={(e) => setToken(e.target.value)} />
        </div>
        <div className="utrecht-form-field">
          <label className="utrecht-form-label" htmlFor={`${id}-period`}>{t('periodField')}</label>
          <input id={`${id}-period`} name="period" type="date" className="utrecht-textbox utrecht-textbox--html-input" value={period} onChange={(e) => setPeriod(e.target.value)} />
        </div>
        <div className="utrecht-form-field">
          <label className="utrecht-form-label" htmlFor={`${id}-threshold`}>{t('threshold')}</label>
          <input id={`${id}-threshold`} name="threshold" inputMode="numeric" className="utrecht-textbox utrecht-textbox--html-input" value={threshold} onChange={(e) => setThreshold(e.target.value)} />
        </div>
        {missing && <p className="camaudit-coordinator-invalid" role="alert">{t('toRequired')}</p>}
        <div><button type="submit" className="utrecht-button utrecht-button--primary-action" disabled={busy}>{t('publishButton')}</button></div>
      </form>
      <div role="status">{busy && <p className="utrecht-paragraph">{t('publishing')}</p>}</div>
      {error && <ErrorAlert error={error} />}
      {done && (
        <Alert type="ok">
          {t('published', { code: done.source.code, period: formatDate(lang, done.period), to: done.coordinator ?? done.url ?? to })}
          {done.receipt?.replaced ? ` ${t('replaced')}` : ''}
        </Alert>
      )}
    </>
  );
}

export function CoordinatorPage() {
  const t = useT(messages);
  const org = useOrg();
  const coordinates = org.can('coordinate');
  const summary = useApi<Summary>(coordinates ? orgPath(org.slug, '/federation/summary') : null);
  return (
    <>
      <PageTitle title={t('title')}>{t('title')}</PageTitle>
      {!coordinates && !org.can('admin') && <Alert type="info">{t('noAccess')}</Alert>}
      {coordinates && (
        <Section title={t('summary')} id="national-summary">
          <Loaded data={summary.data} error={summary.error}>{(s) => <SummaryView summary={s} />}</Loaded>
        </Section>
      )}
      {org.can('admin') && (
        <Section title={t('publish')} id="publish">
          <PublishView />
        </Section>
      )}
    </>
  );
}
