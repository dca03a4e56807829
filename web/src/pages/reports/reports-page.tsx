// Reports: the council report in Dutch or English, internal or public edition, read on the page
// or downloaded as HTML, Word, Markdown or PDF; and the register's exports (open data, hardware
// bill of materials, Camera in Beeld, device lists), each with a sentence on what it is for.
import { useId, useState } from 'react';
import { apiFile, orgPath, saveBlob, type Query } from '../../api';
import { ErrorAlert } from '../../components/feedback';
import { PageTitle, Section } from '../../components/page';
import { defineMessages, useLang, useT, type Lang } from '../../i18n';
import { useOrg } from '../../session';
import { withLinksInNewTabs } from './report-frame';
import './reports.css';

const messages = defineMessages({
  nl: {
    title: 'Rapportages', council: 'Raadsrapportage',
    councilIntro: 'De rapportage voor de gemeenteraad: inventaris, blootstelling, risico’s en opties, inkoopmaatregelen en een bijlage met de apparaten. De openbare editie laat weg wat het publicatiebeleid niet openbaar maakt.',
    reportLang: 'Taal van de rapportage', edition: 'Editie', internal: 'Intern', public: 'Openbaar',
    show: 'Rapportage tonen', hide: 'Rapportage verbergen', showing: 'De rapportage wordt opgehaald…', frame: 'Raadsrapportage ({lang}, {edition})',
    downloads: 'Downloaden', html: 'HTML', docx: 'Word (DOCX)', md: 'Markdown', pdf: 'PDF', downloading: '{file} wordt gemaakt…', downloaded: '{file} is gedownload.',
    exports: 'Exports', exportsIntro: 'Exports bevatten het hele register zoals het nu is. Met “openbare versie” past camaudit het publicatiebeleid toe: geen IP-adressen, MAC-adressen, serienummers of adressen, en posities zo grof als het beleid voorschrijft.',
    publicExport: 'Openbare versie (publicatiebeleid toegepast)',
    geojson: 'Open data (GeoJSON)', geojsonText: 'De locaties als GeoJSON (RFC 7946) met per locatie het aantal apparaten naar soort en makergroep, voor een kaart of open-dataportaal.',
    hbom: 'Hardware-stuklijst (CycloneDX)', hbomText: 'De apparaten als CycloneDX 1.6-stuklijst met hun werkelijke maker en firmware, voor leveranciersmanagement en kwetsbaarheidsbeheer.',
    cib: 'Camera in Beeld (CSV)', cibText: 'Eén regel per locatie met camera’s: eigenaar, adres, aantal camera’s, doel en bewaartermijn, in de vorm van het register “Camera in Beeld”.',
    csv: 'Apparaten (CSV)', csvText: 'Alle apparaten met hun velden als CSV; formules zijn onschadelijk gemaakt en de kolommen lezen terug bij een import.',
    xlsx: 'Apparaten (Excel)', xlsxText: 'Dezelfde apparatenlijst als Excel-werkmap.',
    download: '{name} downloaden',
  },
  en: {
    title: 'Reports', council: 'Council report',
    councilIntro: 'The report for the municipal council: inventory, exposure, risks and options, procurement measures and an appendix listing the devices. The public edition leaves out what the publication policy does not make public.',
    reportLang: 'Language of the report', edition: 'Edition', internal: 'Internal', public: 'Public',
    show: 'Show the report', hide: 'Hide the report', showing: 'Fetching the report…', frame: 'Council report ({lang}, {edition})',
    downloads: 'Download', html: 'HTML', docx: 'Word (DOCX)', md: 'Markdown', pdf: 'PDF', downloading: 'Making {file}…', downloaded: '{file} has been downloaded.',
    exports: 'Exports', exportsIntro: 'Exports hold the whole register as it is now. With “public version” camaudit applies the publication policy: no IP addresses, MAC addresses, serial numbers or addresses, and positions as coarse as the policy says.',
    publicExport: 'Public version (publication policy applied)',
    geojson: 'Open data (GeoJSON)', geojsonText: 'The sites as GeoJSON (RFC 7946) with per site the number of devices by kind and maker group, for a map or an open-data portal.',
    hbom: 'Hardware bill of materials (CycloneDX)', hbomText: 'The devices as a CycloneDX 1.6 bill of materials with their true maker and firmware, for supplier and vulnerability management.',
    cib: 'Camera in Beeld (CSV)', cibText: 'One row per site with cameras: owner, address, number of cameras, purpose and retention, in the shape of the Dutch “Camera in Beeld” register.',
    csv: 'Devices (CSV)', csvText: 'Every device with its fields as CSV; formulas are neutralised and the columns read back in an import.',
    xlsx: 'Devices (Excel)', xlsxText: 'The same device list as an Excel workbook.',
    download: 'Download {name}',
  },
});

const FORMATS = ['html', 'docx', 'md', 'pdf'] as const;
type Format = (typeof FORMATS)[number];

const EXPORTS = [
  { key: 'geojson', text: 'geojsonText', path: '/exports/sites.geojson' },
  { key: 'hbom', text: 'hbomText', path: '/exports/devices.cdx.json' },
  { key: 'cib', text: 'cibText', path: '/exports/camera-in-beeld.csv' },
  { key: 'csv', text: 'csvText', path: '/exports/devices.csv' },
  { key: 'xlsx', text: 'xlsxText', path: '/exports/devices.xlsx' },
] as const;

type Where = 'council' | 'exports';

export function ReportsPage() {
  const t = useT(messages);
  const { lang } = useLang();
  const org = useOrg();
  const id = useId();
  const [reportLang, setReportLang] = useState<Lang>(lang);
  const [publicEdition, setPublicEdition] = useState(false);
  const [publicExport, setPublicExport] = useState(false);
  const [shown, setShown] = useState<{ html: string; title: string } | null>(null);
  // What is being fetched and what came of it, announced in the section it belongs to.
  const [busy, setBusy] = useState<{ where: Where; text: string } | null>(null);
  const [done, setDone] = useState<{ where: Where; text: string } | null>(null);
  const [error, setError] = useState<{ where: Where; error: Error } | null>(null);

  const councilQuery = (format: Format): Query => ({ lang: reportLang, format, public: publicEdition });
  const edition = publicEdition ? t('public') : t('internal');

  const fetchFile = async (where: Where, path: string, query: Query, text: string, fallback: string) => {
    setBusy({ where, text });
    setDone(null);
    setError(null);
    try {
      const { blob, fileName } = await apiFile(orgPath(org.slug, path), { query });
      return { blob, fileName: fileName ?? fallback };
    } catch (err) {
      setError({ where, error: err as Error });
      return null;
    } finally {
      setBusy(null);
    }
  };

  const show = async () => {
    const file = await fetchFile('council', '/reports/council', councilQuery('html'), t('showing'), 'council-report.html');
    if (file) setShown({ html: withLinksInNewTabs(await file.blob.text()), title: t('frame', { lang: reportLang.toUpperCase(), edition }) });
  };

  const download = async (where: Where, path: string, query: Query, fallback: string) => {
    const file = await fetchFile(where, path, query, t('downloading', { file: fallback }), fallback);
    if (!file) return;
    saveBlob(file.blob, file.fileName);
    setDone({ where, text: t('downloaded', { file: file.fileName }) });
  };

  const status = (where: Where) => (
    <div role="status" className="camaudit-reports-status">
      {busy?.where === where && <p className="utrecht-paragraph">{busy.text}</p>}
      {done?.where === where && <p className="utrecht-paragraph">{done.text}</p>}
    </div>
  );

  return (
    <>
      <PageTitle title={t('title')}>{t('title')}</PageTitle>
      <Section title={t('council')} id="council">
        <p className="utrecht-paragraph">{t('councilIntro')}</p>
        <div className="camaudit-toolbar">
          <div className="utrecht-form-field">
            <label className="utrecht-form-label" htmlFor={`${id}-lang`}>{t('reportLang')}</label>
            <select id={`${id}-lang`} className="utrecht-select utrecht-select--html-select" value={reportLang} onChange={(e) => { setReportLang(e.target.value as Lang); setShown(null); }}>
              <option value="nl" lang="nl">Nederlands</option>
              <option value="en" lang="en">English</option>
            </select>
          </div>
          <div className="utrecht-form-field">
            <label className="utrecht-form-label" htmlFor={`${id}-edition`}>{t('edition')}</label>
            <select id={`${id}-edition`} className="utrecht-select utrecht-select--html-select" value={publicEdition ? 'public' : 'internal'}
              onChange={(e) => { setPublicEdition(e.target.value === 'public'); setShown(null); }}>
              <option value="internal">{t('internal')}</option>
              <option value="public">{t('public')}</option>
            </select>
          </div>
          {shown ? (
            <button type="button" className="utrecht-button utrecht-button--secondary-action" onClick={() => setShown(null)}>{t('hide')}</button>
          ) : (
            <button type="button" className="utrecht-button utrecht-button--primary-action" disabled={busy !== null} onClick={() => void show()}>{t('show')}</button>
          )}
        </div>
        <div className="camaudit-reports-downloads" role="group" aria-label={t('downloads')}>
          <span className="camaudit-reports-downloads__label" aria-hidden="true">{t('downloads')}:</span>
          {FORMATS.map((f) => (
            <button key={f} type="button" className="utrecht-button utrecht-button--secondary-action" disabled={busy !== null} data-format={f}
              aria-label={t('download', { name: `${t('council')} · ${t(f)}` })}
              onClick={() => void download('council', '/reports/council', councilQuery(f), `council-report.${f}`)}>
              {t(f)}
            </button>
          ))}
        </div>
        {status('council')}
        {error?.where === 'council' && <ErrorAlert error={error.error} />}
        {shown && (
          // The report as the server wrote it, in a sandbox that runs no scripts and has an origin of its own
          // (nothing here reaches into the frame); its links open in new tabs, outside the sandbox. srcdoc,
          // because this page's content security policy refuses blob: frames.
          <iframe className="camaudit-reports-frame" title={shown.title} sandbox="allow-popups allow-popups-to-escape-sandbox" srcDoc={shown.html} data-testid="council-frame" />
        )}
      </Section>
      <Section title={t('exports')} id="exports">
        <p className="utrecht-paragraph">{t('exportsIntro')}</p>
        <div className="camaudit-reports-check">
          <input type="checkbox" id={`${id}-public`} className="utrecht-checkbox utrecht-checkbox--html-input" checked={publicExport} onChange={(e) => setPublicExport(e.target.checked)} />
          <label htmlFor={`${id}-public`}>{t('publicExport')}</label>
        </div>
        {status('exports')}
        {error?.where === 'exports' && <ErrorAlert error={error.error} />}
        <ul className="camaudit-reports-exports">
          {EXPORTS.map((x) => (
            <li key={x.key} className="camaudit-card">
              <h3 className="utrecht-heading-3">{t(x.key)}</h3>
              <p className="utrecht-paragraph">{t(x.text)}</p>
              <button type="button" className="utrecht-button utrecht-button--secondary-action" disabled={busy !== null} data-export={x.key}
                onClick={() => void download('exports', x.path, { public: publicExport }, x.path.slice(x.path.lastIndexOf('/') + 1))}>
                {t('download', { name: t(x.key) })}
              </button>
            </li>
          ))}
        </ul>
      </Section>
    </>
  );
}
