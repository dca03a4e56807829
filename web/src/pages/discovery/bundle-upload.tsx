// A signed scan bundle from a closed network: checked first (a dry run identifies the devices and
// records nothing), then imported as a run. The server verifies the signature against the enrolled
// agents; its refusal (altered, unknown signer, already imported) is shown as it gives it.
import { useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, orgPath } from '../../api';
import { Alert, ErrorAlert } from '../../components/feedback';
import { defineMessages, formatNumber, useLang, useT } from '../../i18n';
import { useOrg } from '../../session';
import { bundleFileName } from './scan-logic';
import type { FoundDevice } from './types';

const messages = defineMessages({
  nl: {
    intro: 'Een agent in een gesloten netwerk maakt met camaudit scan --out een ondertekende bundel. Controleer de bundel eerst; pas bij importeren wordt de scanronde vastgelegd en het register bijgewerkt.',
    file: 'Scanbundel',
    check: 'Controleren (niets vastleggen)',
    import: 'Importeren',
    busy: 'Bezig…',
    noFile: 'Kies eerst een bundelbestand.',
    checked: 'Controle van {file}: {hosts} adressen, waarvan {identified} met herkende fabrikant. Ondertekend door agent {agent}. Er is niets vastgelegd.',
    imported: '{file} is geïmporteerd: {hosts} adressen; {created} nieuwe, {updated} bijgewerkte en {unchanged} ongewijzigde apparaten in het register.',
    unsigned: 'onbekend',
    openRun: 'Bekijk de scanronde',
    devices: 'Apparaten in de bundel',
    ip: 'Adres',
    maker: 'Fabrikant',
    model: 'Model',
    firmware: 'Firmware',
  },
  en: {
    intro: 'An agent in a closed network makes a signed bundle with camaudit scan --out. Check the bundle first; only importing records the scan run and updates the register.',
    file: 'Scan bundle',
    check: 'Check (record nothing)',
    import: 'Import',
    busy: 'Working…',
    noFile: 'Choose a bundle file first.',
    checked: 'Check of {file}: {hosts} addresses, {identified} with a recognised maker. Signed by agent {agent}. Nothing was recorded.',
    imported: '{file} was imported: {hosts} addresses; {created} new, {updated} updated and {unchanged} unchanged devices in the register.',
    unsigned: 'unknown',
    openRun: 'See the scan run',
    devices: 'Devices in the bundle',
    ip: 'Address',
    maker: 'Maker',
    model: 'Model',
    firmware: 'Firmware',
  },
});

interface ImportReport {
  file: string;
  dryRun: boolean;
  committed: boolean;
  runId: string | null;
  agent: string | null;
  hosts: number;
  identified: number;
  created: number | null;
  updated: number | null;
  unchanged: number | null;
  devices: FoundDevice[];
  notices: { nl: string; en: string }[];
}

export function BundleUpload({ onImported, vendorName }: { onImported(): void; vendorName(id: string | null): string }) {
  const t = useT(messages);
  const { lang } = useLang();
  const org = useOrg();
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [problem, setProblem] = useState<Error | null>(null);

  async function send(dryRun: boolean) {
    setProblem(null);
    setReport(null);
    if (!file) return setProblem(new Error(t('noFile')));
    setBusy(true);
    try {
      const answer = await api<ImportReport>(orgPath(org.slug, '/bundles'), {
        method: 'POST', body: file, contentType: 'application/octet-stream', query: { fileName: bundleFileName(file.name), dryRun },
      });
      setReport(answer);
      if (!dryRun) onImported();
    } catch (err) {
      setProblem(err as Error);
    } finally {
      setBusy(false);
    }
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void send(true);
  };
  const n = (value: number | null) => formatNumber(lang, value ?? 0);

  return (
    <form className="camaudit-form" onSubmit={submit} aria-busy={busy}>
      <p className="utrecht-paragraph">{t('intro')}</p>
      <div className="utrecht-form-field">
        <label className="utrecht-form-label" htmlFor={`${id}-file`}>{t('file')}</label>
        <input id={`${id}-file`} type="file" name="bundle" className="camaudit-file" onChange={(e) => { setFile(e.target.files?.[0] ?? null); setReport(null); setProblem(null); }} />
      </div>
      <div className="camaudit-toolbar">
        <button type="submit" className="utrecht-button utrecht-button--secondary-action" disabled={busy}>{busy ? t('busy') : t('check')}</button>
        <button type="button" className="utrecht-button utrecht-button--primary-action" disabled={busy || !report?.dryRun} onClick={() => void send(false)}>{t('import')}</button>
      </div>
      {problem && <ErrorAlert error={problem} />}
      {report && (
        <div className="camaudit-bundle-report">
          <Alert type="ok">
            {report.dryRun
              ? t('checked', { file: report.file, hosts: n(report.hosts), identified: n(report.identified), agent: report.agent ?? t('unsigned') })
              : t('imported', { file: report.file, hosts: n(report.hosts), created: n(report.created), updated: n(report.updated), unchanged: n(report.unchanged) })}
            {report.notices.map((notice, i) => <span key={i} className="camaudit-notice"> {notice[lang]}</span>)}
            {!report.dryRun && report.runId && <> <Link className="utrecht-link" to={`/o/${org.slug}/discovery/${report.runId}`}>{t('openRun')}</Link></>}
          </Alert>
          {report.devices.length > 0 && (
            <div className="camaudit-table-scroll" tabIndex={0} role="region" aria-label={t('devices')}>
              <table className="utrecht-table utrecht-table--html-table camaudit-table camaudit-table--compact">
                <caption className="utrecht-table__caption">{t('devices')}</caption>
                <thead className="utrecht-table__header">
                  <tr className="utrecht-table__row">
                    <th scope="col" className="utrecht-table__header-cell">{t('ip')}</th>
                    <th scope="col" className="utrecht-table__header-cell">{t('maker')}</th>
                    <th scope="col" className="utrecht-table__header-cell">{t('model')}</th>
                    <th scope="col" className="utrecht-table__header-cell">{t('firmware')}</th>
                  </tr>
                </thead>
                <tbody className="utrecht-table__body">
                  {report.devices.map((d) => (
                    <tr key={d.ip} className="utrecht-table__row">
                      <th scope="row" className="utrecht-table__header-cell">{d.ip}</th>
                      <td className="utrecht-table__cell">{vendorName(d.manufacturer)}</td>
                      <td className="utrecht-table__cell">{d.model ?? '—'}</td>
                      <td className="utrecht-table__cell">{d.firmware ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </form>
  );
}
