// The map: every placed site as a marker (grouped where markers would overlap) coloured and
// shaped by the most serious finding still standing there, with a legend, the devices of the
// chosen site, and the same sites as a table for keyboard and screen-reader use. The background
// tiles are optional: without them (not configured, or failing to load) everything else works.
import { useCallback, useMemo, useRef, useState, type RefObject } from 'react';
import { Link } from 'react-router';
import { orgPath, useApi } from '../../api';
import { Alert, Loaded } from '../../components/feedback';
import { PageTitle, Section } from '../../components/page';
import { DataTable, type Column } from '../../components/data-table';
import { defineMessages, formatDate, formatNumber, useLang, useT, type Lang, type Translate } from '../../i18n';
import { label } from '../../labels';
import { useOrg, useSession } from '../../session';
import { compareBy, riskLevel, RISK_LEVELS, RISK_SHAPES, shapePath, type RiskLevel } from './cluster';
import { SiteMap, type SiteMapHandle, type SiteMapLabels } from './leaflet-map';
import type { MapAnswer, MapSite, Precision, SiteDevices } from './map-types';
import './map.css';

const messages = defineMessages({
  nl: {
    title: 'Kaart',
    intro: 'Elke locatie met een bekende positie staat op de kaart. Vorm, letter en kleur geven het hoogste risico dat er nog openstaat; locaties die elkaar zouden overlappen zijn gegroepeerd. Kies een locatie voor de apparaten die er staan. Onder de kaart staan dezelfde locaties in een tabel.',
    assessedOn: 'Risico volgens de beoordeling van {date}.',
    notAssessed: 'Er is nog geen beoordeling gedaan: de kaart toont nog geen risico.',
    approximateNotice: 'Van {n} locaties ziet u de positie bij benadering (op ongeveer 1 km): hun exacte positie is geheim en alleen zichtbaar voor wie het register beheert.',
    withheldNotice: 'Van {n} locaties is ook het gebied geheim; zij staan alleen in de tabel.',
    unplaced: '{n} locaties hebben geen positie en staan alleen in de tabel.',
    tilesFailed: 'De achtergrondkaart kan niet worden geladen. Locaties, groepen, legenda en tabel werken gewoon.',
    noTiles: 'Er is geen achtergrondkaart ingesteld. Locaties, groepen, legenda en tabel werken gewoon.',
    map: 'Kaart met locaties',
    zoomIn: 'Inzoomen',
    zoomOut: 'Uitzoomen',
    legend: 'Legenda',
    legendCluster: 'Groep locaties: het getal is het aantal locaties, vorm en letter het hoogste risico. Activeer om in te zoomen.',
    legendApproximate: 'Stippellijn: positie bij benadering (ongeveer 1 km).',
    legendRestricted: 'Beperkte fabrikant: apparaten van een fabrikant waartegen uw beleid een maatregel neemt.',
    noneWord: 'Geen open bevindingen',
    siteLabel: '{name}: hoogste risico {risk}; {devices} apparaten in gebruik; {restricted} van een beperkte fabrikant{approx}',
    approxSuffix: '; positie bij benadering',
    clusterLabel: 'Groep van {count} locaties, hoogste risico {risk}. Activeer om in te zoomen.',
    table: 'Locaties',
    tableCaption: 'Locaties met apparaten, hoogste risico en beperkte fabrikanten',
    site: 'Locatie',
    category: 'Categorie',
    devices: 'Apparaten in gebruik',
    risk: 'Hoogste risico',
    findings: 'Open bevindingen',
    restricted: 'Beperkte fabrikant',
    precision: 'Positie',
    exact: 'Exact',
    approximate: 'Bij benadering (±1 km)',
    withheld: 'Afgeschermd',
    none: 'Geen positie',
    ofTotal: '{n} van {total}',
    groupTitle: 'Groep van {n} locaties',
    groupIntro: 'Deze locaties liggen op dezelfde plek op de kaart. Kies er een.',
    siteDevices: 'Apparaten op deze locatie',
    allDevices: 'Deze locatie in de apparatenlijst',
    device: 'Apparaat',
    kind: 'Soort',
    brand: 'Merk (fabrikant)',
    model: 'Model',
    status: 'Status',
    yes: 'Ja',
    no: 'Nee',
    close: 'Sluiten',
    siteSummary: '{category} · {devices} apparaten in gebruik · positie: {precision}',
  },
  en: {
    title: 'Map',
    intro: 'Every site with a known position is on the map. Shape, letter and colour show the most serious risk still open there; sites that would overlap are grouped. Choose a site for the devices there. Below the map the same sites are listed in a table.',
    assessedOn: 'Risk as assessed on {date}.',
    notAssessed: 'No assessment has been run yet: the map shows no risk yet.',
    approximateNotice: 'For {n} sites you see an approximate position (to about 1 km): their exact position is secret and shown only to people who maintain the register.',
    withheldNotice: 'For {n} sites even the area is secret; they are in the table only.',
    unplaced: '{n} sites have no position and are in the table only.',
    tilesFailed: 'The background map cannot be loaded. Sites, groups, legend and table still work.',
    noTiles: 'No background map is configured. Sites, groups, legend and table still work.',
    map: 'Map of sites',
    zoomIn: 'Zoom in',
    zoomOut: 'Zoom out',
    legend: 'Legend',
    legendCluster: 'Group of sites: the number counts the sites, shape and letter give the most serious risk. Activate to zoom in.',
    legendApproximate: 'Dashed outline: approximate position (about 1 km).',
    legendRestricted: 'Restricted maker: devices from a maker your policy takes a measure against.',
    noneWord: 'No open findings',
    siteLabel: '{name}: most serious risk {risk}; {devices} devices in service; {restricted} from a restricted maker{approx}',
    approxSuffix: '; approximate position',
    clusterLabel: 'Group of {count} sites, most serious risk {risk}. Activate to zoom in.',
    table: 'Sites',
    tableCaption: 'Sites with devices, most serious risk and restricted makers',
    site: 'Site',
    category: 'Category',
    devices: 'Devices in service',
    risk: 'Most serious risk',
    findings: 'Open findings',
    restricted: 'Restricted maker',
    precision: 'Position',
    exact: 'Exact',
    approximate: 'Approximate (±1 km)',
    withheld: 'Withheld',
    none: 'No position',
    ofTotal: '{n} of {total}',
    groupTitle: 'Group of {n} sites',
    groupIntro: 'These sites lie on the same spot of the map. Choose one.',
    siteDevices: 'Devices at this site',
    allDevices: 'This site in the device list',
    device: 'Device',
    kind: 'Kind',
    brand: 'Brand (maker)',
    model: 'Model',
    status: 'Status',
    yes: 'Yes',
    no: 'No',
    close: 'Close',
    siteSummary: '{category} · {devices} devices in service · position: {precision}',
  },
});

type T = Translate<keyof typeof messages.nl>;

function riskWord(lang: Lang, t: T, level: RiskLevel): string {
  return level === 'none' ? t('noneWord') : label(lang, 'severity', level);
}

function riskLetter(lang: Lang, level: RiskLevel): string {
  return level === 'none' ? '–' : label(lang, 'severity', level).charAt(0).toUpperCase();
}

function precisionWord(t: T, precision: Precision | null): string {
  return t(precision ?? 'none');
}

/** A risk as a word with its shape and letter, never colour alone. */
export function RiskBadge({ severity }: { severity: string | null }) {
  const t = useT(messages);
  const { lang } = useLang();
  const level = riskLevel(severity);
  return (
    <span className={`camaudit-risk camaudit-risk--${level} camaudit-map-badge`}>
      <svg className="camaudit-map-symbol" width="14" height="14" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d={shapePath(RISK_SHAPES[level])} /></svg>
      {' '}{riskWord(lang, t, level)}
    </span>
  );
}

type Selection = { kind: 'site'; id: string } | { kind: 'group'; ids: string[] } | null;

const SORT_KEYS: Record<string, (s: MapSite) => string | number> = {
  name: (s) => s.name,
  category: (s) => s.category,
  inService: (s) => s.inService,
  risk: (s) => RISK_LEVELS.length - RISK_LEVELS.indexOf(riskLevel(s.highestSeverity)),
  openFindings: (s) => s.openFindings,
  restricted: (s) => s.restricted,
  precision: (s) => ['exact', 'approximate', 'withheld'].indexOf(s.precision ?? '') + 1 || 9,
};

export function MapPage() {
  const t = useT(messages);
  const org = useOrg();
  const { ui } = useSession();
  const answer = useApi<MapAnswer>(orgPath(org.slug, '/map/sites'));
  return (
    <>
      <PageTitle title={t('title')}>{t('title')}</PageTitle>
      <p className="utrecht-paragraph">{t('intro')}</p>
      <Loaded data={ui === undefined ? undefined : answer.data} error={answer.error}>
        {(data) => <MapView data={data} tileUrl={ui?.map.tileUrl ?? null} attribution={ui?.map.attribution ?? ''} />}
      </Loaded>
    </>
  );
}

function MapView({ data, tileUrl, attribution }: { data: MapAnswer; tileUrl: string | null; attribution: string }) {
  const t = useT(messages);
  const { lang } = useLang();
  const [selection, setSelection] = useState<Selection>(null);
  const [tilesFailed, setTilesFailed] = useState(false);
  const [sort, setSort] = useState('-risk');
  const mapRef = useRef<SiteMapHandle>(null);
  const panelHeading = useRef<HTMLHeadingElement>(null);

  const byId = useMemo(() => new Map(data.sites.map((s) => [s.id, s])), [data.sites]);
  const counts = useMemo(() => ({
    approximate: data.sites.filter((s) => s.precision === 'approximate').length,
    withheld: data.sites.filter((s) => s.precision === 'withheld').length,
    unplaced: data.sites.filter((s) => s.precision === null).length,
  }), [data.sites]);

  const labels = useMemo<SiteMapLabels>(() => ({
    site: (s) => t('siteLabel', {
      name: s.name, risk: riskWord(lang, t, riskLevel(s.highestSeverity)), devices: s.inService, restricted: s.restricted,
      approx: s.precision === 'approximate' ? t('approxSuffix') : '',
    }),
    cluster: (count, worst) => t('clusterLabel', { count, risk: riskWord(lang, t, worst) }),
    letter: (level) => riskLetter(lang, level),
    region: t('map'), zoomIn: t('zoomIn'), zoomOut: t('zoomOut'),
  }), [lang, t]);

  const focusPanel = () => requestAnimationFrame(() => panelHeading.current?.focus());
  const select = useCallback((id: string) => {
    setSelection({ kind: 'site', id });
    focusPanel();
  }, []);
  const selectGroup = useCallback((ids: string[]) => {
    setSelection({ kind: 'group', ids });
    focusPanel();
  }, []);
  const onTileError = useCallback(() => setTilesFailed(true), []);

  const field = sort.replace(/^-/, '');
  const rows = useMemo(() => [...data.sites].sort(compareBy(SORT_KEYS[field] ?? SORT_KEYS.name!, sort.startsWith('-'))), [data.sites, field, sort]);

  const columns: Column<MapSite>[] = [
    {
      key: 'name', header: t('site'), sort: 'name',
      render: (s) => (
        <button type="button" className="utrecht-button utrecht-button--subtle camaudit-map-sitebutton" onClick={() => { select(s.id); mapRef.current?.show(s.id); }}>
          {s.name}
        </button>
      ),
    },
    { key: 'category', header: t('category'), sort: 'category', render: (s) => label(lang, 'category', s.category) },
    { key: 'inService', header: t('devices'), sort: 'inService', numeric: true, render: (s) => (s.devices === s.inService ? formatNumber(lang, s.inService) : t('ofTotal', { n: s.inService, total: s.devices })) },
    { key: 'risk', header: t('risk'), sort: 'risk', render: (s) => <RiskBadge severity={s.highestSeverity} /> },
    { key: 'openFindings', header: t('findings'), sort: 'openFindings', numeric: true, render: (s) => formatNumber(lang, s.openFindings) },
    { key: 'restricted', header: t('restricted'), sort: 'restricted', numeric: true, render: (s) => (s.restricted > 0 ? <strong>{formatNumber(lang, s.restricted)} ⚠</strong> : formatNumber(lang, 0)) },
    { key: 'precision', header: t('precision'), sort: 'precision', render: (s) => precisionWord(t, s.precision) },
  ];

  return (
    <>
      <p className="utrecht-paragraph">{data.assessment ? t('assessedOn', { date: formatDate(lang, data.assessment.at, true) }) : t('notAssessed')}</p>
      {counts.approximate > 0 && <Alert>{t('approximateNotice', { n: counts.approximate })}</Alert>}
      {counts.withheld > 0 && <Alert>{t('withheldNotice', { n: counts.withheld })}</Alert>}
      {counts.unplaced > 0 && <p className="utrecht-paragraph">{t('unplaced', { n: counts.unplaced })}</p>}
      <div aria-live="polite" data-testid="tile-notice">
        {tileUrl === null ? <Alert type="warning">{t('noTiles')}</Alert> : tilesFailed ? <Alert type="warning">{t('tilesFailed')}</Alert> : null}
      </div>
      <div className="camaudit-map-layout">
        <SiteMap ref={mapRef} sites={data.sites} tileUrl={tileUrl} attribution={attribution} labels={labels}
          selected={selection?.kind === 'site' ? selection.id : null} onSelect={select} onGroup={selectGroup} onTileError={onTileError} />
        <Legend />
      </div>
      {selection?.kind === 'site' && byId.has(selection.id) && (
        <SitePanel site={byId.get(selection.id)!} headingRef={panelHeading} onClose={() => setSelection(null)} />
      )}
      {selection?.kind === 'group' && (
        <section className="camaudit-section camaudit-map-panel" aria-labelledby="map-group-title">
          <h2 className="utrecht-heading-2" id="map-group-title" tabIndex={-1} ref={panelHeading}>{t('groupTitle', { n: selection.ids.length })}</h2>
          <p className="utrecht-paragraph">{t('groupIntro')}</p>
          <ul className="camaudit-map-grouplist">
            {selection.ids.map((id) => byId.get(id)).filter((s): s is MapSite => s !== undefined).map((s) => (
              <li key={s.id}>
                <button type="button" className="utrecht-button utrecht-button--secondary-action" onClick={() => select(s.id)}>{s.name}</button>
                {' '}<RiskBadge severity={s.highestSeverity} />
              </li>
            ))}
          </ul>
          <button type="button" className="utrecht-button utrecht-button--subtle" onClick={() => setSelection(null)}>{t('close')}</button>
        </section>
      )}
      <Section title={t('table')} id="map-table">
        <DataTable caption={t('tableCaption')} columns={columns} rows={rows} rowKey={(s) => s.id} sort={sort} onSort={setSort} />
      </Section>
    </>
  );
}

function Legend() {
  const t = useT(messages);
  const { lang } = useLang();
  return (
    <aside className="camaudit-map-legend" aria-labelledby="map-legend-title">
      <h2 className="utrecht-heading-3" id="map-legend-title">{t('legend')}</h2>
      <ul className="camaudit-map-legend__list">
        {RISK_LEVELS.map((level) => (
          <li key={level} className={`camaudit-map-legend__item camaudit-map-marker--${level}`}>
            <span className="camaudit-map-legend__symbol" aria-hidden="true">
              <svg className="camaudit-map-symbol" width="22" height="22" viewBox="0 0 24 24" focusable="false"><path d={shapePath(RISK_SHAPES[level])} /></svg>
              <span className="camaudit-map-legend__letter">{riskLetter(lang, level)}</span>
            </span>
            {riskWord(lang, t, level)}
          </li>
        ))}
        <li className="camaudit-map-legend__item">
          <span className="camaudit-map-legend__symbol camaudit-map-legend__cluster" aria-hidden="true">5</span>
          {t('legendCluster')}
        </li>
        <li className="camaudit-map-legend__item">
          <span className="camaudit-map-legend__symbol camaudit-map-legend__approx" aria-hidden="true" />
          {t('legendApproximate')}
        </li>
        <li className="camaudit-map-legend__item">
          <span className="camaudit-map-legend__symbol" aria-hidden="true">⚠</span>
          {t('legendRestricted')}
        </li>
      </ul>
    </aside>
  );
}

function SitePanel({ site, headingRef, onClose }: { site: MapSite; headingRef: RefObject<HTMLHeadingElement | null>; onClose(): void }) {
  const t = useT(messages);
  const { lang } = useLang();
  const org = useOrg();
  const devices = useApi<SiteDevices>(orgPath(org.slug, `/map/sites/${site.id}/devices`));
  const base = `/o/${encodeURIComponent(org.slug)}`;
  return (
    <section className="camaudit-section camaudit-map-panel" aria-labelledby="map-site-title" data-testid="site-panel">
      <h2 className="utrecht-heading-2" id="map-site-title" tabIndex={-1} ref={headingRef}>{site.name}</h2>
      <p className="utrecht-paragraph">
        {t('siteSummary', { category: label(lang, 'category', site.category), devices: site.inService, precision: precisionWord(t, site.precision) })}
        {' · '}<RiskBadge severity={site.highestSeverity} />
      </p>
      <p className="utrecht-paragraph">
        <Link className="utrecht-link" to={`${base}/devices?site=${encodeURIComponent(site.id)}`}>{t('allDevices')}</Link>
      </p>
      <Loaded data={devices.data} error={devices.error}>
        {(d) => (
          <div className="camaudit-table-scroll">
            <table className="utrecht-table utrecht-table--html-table camaudit-table">
              <caption className="utrecht-table__caption">{t('siteDevices')}</caption>
              <thead className="utrecht-table__header">
                <tr className="utrecht-table__row">
                  {[t('device'), t('kind'), t('brand'), t('model'), t('status'), t('risk'), t('restricted')].map((h) => (
                    <th key={h} scope="col" className="utrecht-table__header-cell">{h}</th>
                  ))}
                </tr>
              </thead>
              <tbody className="utrecht-table__body">
                {d.items.map((dev) => (
                  <tr key={dev.id} className="utrecht-table__row">
                    <th scope="row" className="utrecht-table__header-cell">
                      <Link className="utrecht-link" to={`${base}/devices/${dev.id}`}>{dev.externalRef ?? dev.id.slice(0, 8)}</Link>
                    </th>
                    <td className="utrecht-table__cell">{label(lang, 'kind', dev.kind)}</td>
                    <td className="utrecht-table__cell">{dev.brand ?? '—'}{dev.manufacturer && dev.manufacturer.toLowerCase() !== (dev.brand ?? '').toLowerCase() ? ` (${dev.manufacturer})` : ''}</td>
                    <td className="utrecht-table__cell">{dev.model ?? '—'}</td>
                    <td className="utrecht-table__cell">{label(lang, 'status', dev.status)}</td>
                    <td className="utrecht-table__cell"><RiskBadge severity={dev.highestSeverity} /></td>
                    <td className="utrecht-table__cell">{dev.restricted ? <strong>{t('yes')} ⚠</strong> : t('no')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
      <button type="button" className="utrecht-button utrecht-button--subtle" onClick={onClose}>{t('close')}</button>
    </section>
  );
}
