// Importing a register: choose or drop a CSV or XLSX file; see how camaudit reads its columns and
// correct that (one column per target field); a dry run lists every row error and what would be
// created or updated; then the import itself, followed live through the job's event stream,
// ending with the result and the way to the device list. Only people who may write see this.
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { Link } from 'react-router';
import { api, orgPath } from '../../api';
import { Alert, ErrorAlert } from '../../components/feedback';
import { PageTitle, Section } from '../../components/page';
import { defineMessages, formatNumber, useLang, useT, type Translate } from '../../i18n';
import { useOrg } from '../../session';
import { assign, assignmentOf, mapParam, recordValue, safeFileName, type Assignment, type PreviewColumn, type PreviewRecord } from './import-logic';
import './import.css';

const messages = defineMessages({
  nl: {
    title: 'Register importeren',
    intro: 'Importeer een spreadsheet (CSV of XLSX) met camera’s en recorders. U ziet eerst hoe camaudit de kolommen leest en kunt dat aanpassen; een proefimport laat zien wat er zou veranderen en welke rijen fouten hebben, voordat er iets in het register komt.',
    notAllowed: 'Alleen wie het register beheert (beheerder of bewerker) kan importeren.',
    step1: '1. Bestand kiezen',
    chooseFile: 'Bestand (CSV of XLSX)',
    dropHint: 'Of sleep het bestand hierheen.',
    reading: 'Het bestand wordt gelezen…',
    fileInfo: '{name} · {format}{sheet} · {size}',
    sheet: ', werkblad “{sheet}”',
    step2: '2. Kolommen koppelen',
    mappingIntro: 'Kies per gegeven de kolom uit uw bestand die het bevat. Kolommen die u niet koppelt en die camaudit niet herkent, worden bewaard als extra gegevens; een herkende kolom die u ontkoppelt, wordt niet ingelezen.',
    mappingLegend: 'Koppeling van kolommen aan gegevens',
    notUsed: '— niet gebruikt —',
    mapped: 'Gekoppelde gegevens',
    unmapped: 'Overige gegevens',
    customColumns: 'Als extra gegevens bewaard: {columns}.',
    ignoredColumns: 'Niet ingelezen: {columns}.',
    updating: 'Voorbeeld wordt bijgewerkt…',
    notRegister: 'Zo leest camaudit dit bestand niet als register: {problem}',
    repeated: 'Dit bestand herhaalt per rij een blok kolommen ({n} blokken): elk blok wordt een apparaat.',
    previewCaption: 'De eerste {n} rijen zoals camaudit ze leest',
    row: 'Rij',
    problems: 'Fouten',
    none: '—',
    step3: '3. Proefimport',
    dryRunIntro: 'Een proefimport leest het hele bestand en schrijft niets.',
    dryRun: 'Proefimport uitvoeren',
    dryRunAgain: 'Proefimport opnieuw uitvoeren',
    dryRunStale: 'De koppeling is gewijzigd: voer de proefimport opnieuw uit.',
    step4: '4. Importeren',
    commit: 'Importeren',
    commitSkipping: 'Importeren zonder de {n} rijen met fouten',
    commitHint: 'Of verbeter de rijen in het bestand en kies het opnieuw.',
    queued: 'In de wachtrij…',
    running: 'Bezig: {rows} rijen gelezen',
    runningStart: 'Bezig…',
    progressLabel: 'Voortgang van de import',
    jobFailed: 'De import is mislukt: {error}',
    jobCancelled: 'De import is geannuleerd.',
    wouldCreate: 'Zou nieuw worden',
    created: 'Nieuw',
    wouldUpdate: 'Zou worden bijgewerkt',
    updated: 'Bijgewerkt',
    unchanged: 'Ongewijzigd',
    rejected: 'Rijen met fouten',
    dryRunResult: 'Uitkomst van de proefimport',
    result: 'Uitkomst van de import',
    committed: 'De import is voltooid: {created} nieuw, {updated} bijgewerkt, {unchanged} ongewijzigd.',
    notCommitted: 'Er is niets in het register gewijzigd.',
    toDevices: 'Naar de apparatenlijst',
    another: 'Nog een bestand importeren',
    errorsCaption: 'Fouten per rij ({n})',
    noErrors: 'Geen fouten gevonden.',
    column: 'Kolom',
    value: 'Waarde',
    message: 'Melding',
    warnings: 'Waarschuwingen',
  },
  en: {
    title: 'Import a register',
    intro: 'Import a spreadsheet (CSV or XLSX) of cameras and recorders. You first see how camaudit reads its columns and can correct that; a dry run shows what would change and which rows have errors, before anything enters the register.',
    notAllowed: 'Only people who maintain the register (administrators and editors) can import.',
    step1: '1. Choose a file',
    chooseFile: 'File (CSV or XLSX)',
    dropHint: 'Or drop the file here.',
    reading: 'Reading the file…',
    fileInfo: '{name} · {format}{sheet} · {size}',
    sheet: ', sheet “{sheet}”',
    step2: '2. Match the columns',
    mappingIntro: 'For each item, choose the column of your file that holds it. Columns you do not match and camaudit does not recognise are kept as extra data; a recognised column you unmatch is not read.',
    mappingLegend: 'Columns matched to items',
    notUsed: '— not used —',
    mapped: 'Matched items',
    unmapped: 'Other items',
    customColumns: 'Kept as extra data: {columns}.',
    ignoredColumns: 'Not read: {columns}.',
    updating: 'Updating the preview…',
    notRegister: 'Read like this, camaudit does not take the file for a register: {problem}',
    repeated: 'This file repeats a block of columns in each row ({n} blocks): each block becomes a device.',
    previewCaption: 'The first {n} rows as camaudit reads them',
    row: 'Row',
    problems: 'Errors',
    none: '—',
    step3: '3. Dry run',
    dryRunIntro: 'A dry run reads the whole file and writes nothing.',
    dryRun: 'Run a dry run',
    dryRunAgain: 'Run the dry run again',
    dryRunStale: 'The matching has changed: run the dry run again.',
    step4: '4. Import',
    commit: 'Import',
    commitSkipping: 'Import without the {n} rows with errors',
    commitHint: 'Or correct the rows in the file and choose it again.',
    queued: 'Queued…',
    running: 'Working: {rows} rows read',
    runningStart: 'Working…',
    progressLabel: 'Import progress',
    jobFailed: 'The import failed: {error}',
    jobCancelled: 'The import was cancelled.',
    wouldCreate: 'Would be new',
    created: 'New',
    wouldUpdate: 'Would be updated',
    updated: 'Updated',
    unchanged: 'Unchanged',
    rejected: 'Rows with errors',
    dryRunResult: 'Result of the dry run',
    result: 'Result of the import',
    committed: 'The import is complete: {created} new, {updated} updated, {unchanged} unchanged.',
    notCommitted: 'Nothing in the register was changed.',
    toDevices: 'Go to the device list',
    another: 'Import another file',
    errorsCaption: 'Errors by row ({n})',
    noErrors: 'No errors found.',
    column: 'Column',
    value: 'Value',
    message: 'Message',
    warnings: 'Warnings',
  },
});

// The target fields in words; the API's field names stay the values.
const FIELD_NAMES = defineMessages({
  nl: {
    id: 'camaudit-id', externalRef: 'Referentie', kind: 'Soort apparaat', brand: 'Merk', manufacturer: 'Fabrikant', model: 'Model',
    firmware: 'Firmware', serial: 'Serienummer', mac: 'MAC-adres', ip: 'IP-adres', site: 'Locatie', siteCategory: 'Soort locatie',
    address: 'Adres', street: 'Straat', houseNumber: 'Huisnummer', houseNumberAddition: 'Huisnummertoevoeging', postcode: 'Postcode',
    city: 'Plaats', bagId: 'BAG-id', lat: 'Breedtegraad (WGS84)', lon: 'Lengtegraad (WGS84)', x: 'X (RD)', y: 'Y (RD)',
    network: 'Netwerk', connectivity: 'Verbinding', remoteAccess: 'Toegang op afstand', analytics: 'Beeldanalyse', status: 'Status',
    purpose: 'Doel', legalBasis: 'Grondslag', retentionDays: 'Bewaartermijn (dagen)', supplier: 'Leverancier', installer: 'Installateur',
    installDate: 'Installatiedatum',
  },
  en: {
    id: 'camaudit id', externalRef: 'Reference', kind: 'Device kind', brand: 'Brand', manufacturer: 'Manufacturer', model: 'Model',
    firmware: 'Firmware', serial: 'Serial number', mac: 'MAC address', ip: 'IP address', site: 'Site', siteCategory: 'Site category',
    address: 'Address', street: 'Street', houseNumber: 'House number', houseNumberAddition: 'House number addition', postcode: 'Postcode',
    city: 'City', bagId: 'BAG id', lat: 'Latitude (WGS84)', lon: 'Longitude (WGS84)', x: 'X (RD New)', y: 'Y (RD New)',
    network: 'Network', connectivity: 'Connectivity', remoteAccess: 'Remote access', analytics: 'Video analytics', status: 'Status',
    purpose: 'Purpose', legalBasis: 'Legal basis', retentionDays: 'Retention (days)', supplier: 'Supplier', installer: 'Installer',
    installDate: 'Installation date',
  },
});
type FieldName = keyof typeof FIELD_NAMES.nl;

interface RowError { row: number; column: string; value: string; message: string }

interface Preview {
  fileName: string;
  format: string;
  sheet: string | null;
  notes: string[];
  columns: PreviewColumn[];
  repeatedBlocks: number;
  problem: string | null;
  rows: { row: number; records: PreviewRecord[]; errors: RowError[] }[];
  fields: string[];
}

interface ImportResult {
  dryRun: boolean;
  committed: boolean;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  errors: RowError[];
  warnings: string[];
}

interface Job {
  id: string;
  status: 'queued' | 'running' | 'cancelling' | 'succeeded' | 'failed' | 'cancelled';
  progress: { rowsRead?: number } | null;
  result: ImportResult | null;
  error: string | null;
}

interface Accepted { job: Job; links: { self: string; events: string } }

const UPLOAD_TYPES = ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'];
const PREVIEW_ROWS = 10;

const isFinal = (status: Job['status']) => status === 'succeeded' || status === 'failed' || status === 'cancelled';

/**
 * Follows a job through its event stream until it ends; should the stream break, asks for the
 * job once a second instead. Returns a function that stops following.
 */
function followJob(accepted: Accepted, onChange: (job: Job) => void): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const source = new EventSource(accepted.links.events);
  const seen = (job: Job) => {
    if (stopped) return;
    onChange(job);
    if (isFinal(job.status)) stop();
  };
  const poll = () => {
    if (stopped) return;
    api<Job>(accepted.links.self).then(seen, () => undefined).finally(() => {
      if (!stopped) timer = setTimeout(poll, 1000);
    });
  };
  const stop = () => {
    stopped = true;
    source.close();
    if (timer) clearTimeout(timer);
  };
  const read = (e: MessageEvent<string>) => seen(JSON.parse(e.data) as Job);
  source.addEventListener('progress', read);
  source.addEventListener('done', read);
  source.onerror = () => {
    // The stream ends after "done"; an error before that means it broke: fall back to polling.
    source.close();
    if (!stopped) poll();
  };
  return stop;
}

type Run = { kind: 'dry' | 'commit'; job: Job; mapKey: string };

export function ImportPage() {
  const t = useT(messages);
  const org = useOrg();
  return (
    <>
      <PageTitle title={t('title')}>{t('title')}</PageTitle>
      <p className="utrecht-paragraph">{t('intro')}</p>
      {org.can('write') ? <Importer /> : <Alert type="warning">{t('notAllowed')}</Alert>}
    </>
  );
}

function Importer() {
  const t = useT(messages);
  const { lang } = useLang();
  const org = useOrg();
  const [file, setFile] = useState<File | null>(null);
  const [detected, setDetected] = useState<Preview | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [assignment, setAssignment] = useState<Assignment>({});
  const [busy, setBusy] = useState<'reading' | 'updating' | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [run, setRun] = useState<Run | null>(null);
  const [dragging, setDragging] = useState(false);
  const stopFollowing = useRef<(() => void) | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => () => stopFollowing.current?.(), []);

  const fileName = file ? safeFileName(file.name) : '';
  const map = detected ? mapParam(detected.columns, assignment) : null;
  const mapKey = JSON.stringify(map);

  const upload = useCallback((path: string, query: Record<string, string | number | boolean | undefined>, f: File) => api<unknown>(orgPath(org.slug, path), {
    method: 'POST', query: { fileName: safeFileName(f.name), ...query }, body: f,
    contentType: UPLOAD_TYPES.includes(f.type) ? f.type : 'application/octet-stream',
  }), [org.slug]);

  const choose = useCallback(async (f: File) => {
    stopFollowing.current?.();
    setFile(f);
    setRun(null);
    setError(null);
    setDetected(null);
    setPreview(null);
    setBusy('reading');
    try {
      const p = (await upload('/imports/preview', { rows: PREVIEW_ROWS }, f)) as Preview;
      setDetected(p);
      setPreview(p);
      setAssignment(assignmentOf(p.columns));
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(null);
    }
  }, [upload]);

  // A changed matching is read again through the server, so the preview shows what the import will do.
  useEffect(() => {
    if (!file || !detected) return;
    if (map === null) {
      setPreview(detected);
      return;
    }
    let current = true;
    setBusy('updating');
    upload('/imports/preview', { rows: PREVIEW_ROWS, map: mapKey }, file).then(
      (p) => { if (current) { setPreview(p as Preview); setError(null); } },
      (err: Error) => { if (current) setError(err); },
    ).finally(() => { if (current) setBusy(null); });
    return () => { current = false; };
    // mapKey is map as text: the effect runs when the matching really changed, not on every render.
  }, [file, detected, mapKey, upload]);

  const start = async (kind: 'dry' | 'commit', skipInvalid: boolean) => {
    if (!file) return;
    stopFollowing.current?.();
    setError(null);
    try {
      const accepted = (await upload('/imports', { dryRun: kind === 'dry', skipInvalid, map: map ? mapKey : undefined }, file)) as Accepted;
      setRun({ kind, job: accepted.job, mapKey });
      stopFollowing.current = followJob(accepted, (job) => setRun((r) => (r && r.job.id === job.id ? { ...r, job } : r)));
    } catch (err) {
      setError(err as Error);
    }
  };

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setDragging(false);
    const f = e.dataTransfer.files[0];
    if (f) void choose(f);
  };

  const reset = () => {
    stopFollowing.current?.();
    setFile(null);
    setDetected(null);
    setPreview(null);
    setRun(null);
    setError(null);
    if (input.current) input.current.value = '';
  };

  const dryResult = run?.kind === 'dry' && run.job.status === 'succeeded' ? run.job.result : null;
  const stale = run !== null && run.mapKey !== mapKey;
  const committedRun = run?.kind === 'commit' ? run : null;

  return (
    <>
      <Section title={t('step1')} id="import-file">
        <div className={`camaudit-dropzone${dragging ? ' camaudit-dropzone--active' : ''}`} data-testid="drop-zone"
          onDragOver={(e) => { e.preventDefault(); setDragging(true); }} onDragLeave={() => setDragging(false)} onDrop={onDrop}>
          <div className="utrecht-form-field">
            <label className="utrecht-form-label" htmlFor="import-file-input">{t('chooseFile')}</label>
            <input ref={input} id="import-file-input" type="file" className="camaudit-file-input"
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              aria-describedby="import-drop-hint" onChange={(e) => { const f = e.target.files?.[0]; if (f) void choose(f); }} />
          </div>
          <p className="utrecht-paragraph" id="import-drop-hint">{t('dropHint')}</p>
        </div>
        {busy === 'reading' && <p className="utrecht-paragraph" role="status">{t('reading')}</p>}
        {file && preview && (
          <p className="utrecht-paragraph" data-testid="file-info">
            {t('fileInfo', { name: fileName, format: preview.format.toUpperCase(), sheet: preview.sheet ? t('sheet', { sheet: preview.sheet }) : '', size: `${formatNumber(lang, Math.max(1, Math.round(file.size / 1024)))} KB` })}
          </p>
        )}
      </Section>
      {error && <ErrorAlert error={error} />}

      {detected && preview && (
        <Mapping detected={detected} preview={preview} assignment={assignment} onChange={(field, index) => setAssignment((a) => assign(a, field, index))} updating={busy === 'updating'} />
      )}

      {detected && preview && !committedRun && (
        <Section title={t('step3')} id="import-dry-run">
          <p className="utrecht-paragraph">{t('dryRunIntro')}</p>
          {stale && <Alert type="warning">{t('dryRunStale')}</Alert>}
          <div className="camaudit-toolbar">
            <button type="button" className="utrecht-button utrecht-button--primary-action" disabled={preview.problem !== null || busy !== null || (run !== null && !isFinal(run.job.status))}
              onClick={() => void start('dry', true)}>
              {run?.kind === 'dry' ? t('dryRunAgain') : t('dryRun')}
            </button>
          </div>
          {run?.kind === 'dry' && <JobState job={run.job} t={t} />}
          {dryResult && !stale && <ResultView result={dryResult} />}
        </Section>
      )}

      {dryResult && !stale && !committedRun && (
        <Section title={t('step4')} id="import-commit">
          <div className="camaudit-toolbar">
            <button type="button" className="utrecht-button utrecht-button--primary-action" disabled={dryResult.created + dryResult.updated + dryResult.unchanged === 0}
              onClick={() => void start('commit', dryResult.rejected > 0)}>
              {dryResult.rejected > 0 ? t('commitSkipping', { n: dryResult.rejected }) : t('commit')}
            </button>
          </div>
          {dryResult.rejected > 0 && <p className="utrecht-paragraph">{t('commitHint')}</p>}
        </Section>
      )}

      {committedRun && (
        <Section title={t('step4')} id="import-commit">
          <JobState job={committedRun.job} t={t} />
          {committedRun.job.status === 'succeeded' && committedRun.job.result && (
            <>
              <ResultView result={committedRun.job.result} />
              <div className="camaudit-toolbar">
                <Link className="utrecht-link" to={`/o/${encodeURIComponent(org.slug)}/devices`}>{t('toDevices')}</Link>
                <button type="button" className="utrecht-button utrecht-button--secondary-action" onClick={reset}>{t('another')}</button>
              </div>
            </>
          )}
        </Section>
      )}
    </>
  );
}

function Mapping({ detected, preview, assignment, onChange, updating }: {
  detected: Preview; preview: Preview; assignment: Assignment; onChange(field: string, index: number | null): void; updating: boolean;
}) {
  const t = useT(messages);
  const name = useT(FIELD_NAMES);
  const fieldName = (f: string) => (f in FIELD_NAMES.nl ? name(f as FieldName) : f);
  const fields = detected.fields;
  const custom = preview.columns.filter((c) => c.custom !== null).map((c) => `“${c.header}”`);
  const assignedColumns = new Set(Object.values(assignment));
  const ignored = detected.columns.filter((c) => c.field !== null && !assignedColumns.has(c.index)).map((c) => `“${c.header}”`);
  const select = (f: string) => (
    <div key={f} className="utrecht-form-field camaudit-import-field">
      <label className="utrecht-form-label" htmlFor={`map-${f}`}>{fieldName(f)}</label>
      <select id={`map-${f}`} className="utrecht-select utrecht-select--html-select" data-field={f}
        value={assignment[f] ?? ''} onChange={(e) => onChange(f, e.target.value === '' ? null : Number(e.target.value))}>
        <option value="">{t('notUsed')}</option>
        {detected.columns.map((c) => <option key={c.index} value={c.index}>{c.header || `#${c.index + 1}`}</option>)}
      </select>
    </div>
  );
  // Fields camaudit recognised come first, the rest folded away; a field stays where it is when
  // its column changes, so focus never jumps.
  const recognised = new Set(detected.columns.flatMap((c) => (c.field ? [c.field] : [])));
  const shownFields = recognised.size > 0 ? fields.filter((f) => recognised.has(f)) : fields.slice(0, 6);
  const previewFields = fields.filter((f) => preview.columns.some((c) => c.field === f));
  return (
    <Section title={t('step2')} id="import-mapping">
      <p className="utrecht-paragraph">{t('mappingIntro')}</p>
      {preview.repeatedBlocks > 0 && <Alert>{t('repeated', { n: preview.repeatedBlocks })}</Alert>}
      <fieldset className="camaudit-import-mapping">
        <legend className="utrecht-heading-3">{t('mappingLegend')}</legend>
        <h3 className="utrecht-heading-4">{t('mapped')}</h3>
        <div className="camaudit-import-fields">{shownFields.map(select)}</div>
        <details className="camaudit-import-more">
          <summary>{t('unmapped')}</summary>
          <div className="camaudit-import-fields">{fields.filter((f) => !shownFields.includes(f)).map(select)}</div>
        </details>
      </fieldset>
      {custom.length > 0 && <p className="utrecht-paragraph">{t('customColumns', { columns: custom.join(', ') })}</p>}
      {ignored.length > 0 && <p className="utrecht-paragraph">{t('ignoredColumns', { columns: ignored.join(', ') })}</p>}
      <div aria-live="polite">{updating && <p className="utrecht-paragraph">{t('updating')}</p>}</div>
      {preview.problem && <Alert type="warning">{t('notRegister', { problem: preview.problem })}</Alert>}
      <div className="camaudit-table-scroll" tabIndex={0} role="region" aria-label={t('previewCaption', { n: preview.rows.length })}>
        <table className="utrecht-table utrecht-table--html-table camaudit-table camaudit-table--compact" data-testid="preview-table">
          <caption className="utrecht-table__caption">{t('previewCaption', { n: preview.rows.length })}</caption>
          <thead className="utrecht-table__header">
            <tr className="utrecht-table__row">
              <th scope="col" className="utrecht-table__header-cell">{t('row')}</th>
              {previewFields.map((f) => <th key={f} scope="col" className="utrecht-table__header-cell" data-field={f}>{fieldName(f)}</th>)}
              <th scope="col" className="utrecht-table__header-cell">{t('problems')}</th>
            </tr>
          </thead>
          <tbody className="utrecht-table__body">
            {preview.rows.map((r) => (
              <tr key={r.row} className="utrecht-table__row">
                <th scope="row" className="utrecht-table__header-cell">{r.row}</th>
                {previewFields.map((f) => <td key={f} className="utrecht-table__cell">{r.records.map((rec) => recordValue(rec, f)).filter(Boolean).join(' / ') || t('none')}</td>)}
                <td className="utrecht-table__cell">{r.errors.length === 0 ? t('none') : r.errors.map((e) => `${e.column}: ${e.message}`).join('; ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Section>
  );
}

function JobState({ job, t }: { job: Job; t: Translate<keyof typeof messages.nl> }) {
  if (job.status === 'failed') return <Alert type="error">{t('jobFailed', { error: job.error ?? '' })}</Alert>;
  if (job.status === 'cancelled') return <Alert type="warning">{t('jobCancelled')}</Alert>;
  if (job.status === 'succeeded') return null;
  const rows = job.progress?.rowsRead;
  return (
    <div role="status" className="camaudit-import-progress" data-testid="job-progress">
      <progress aria-label={t('progressLabel')} />
      {' '}{job.status === 'queued' ? t('queued') : rows ? t('running', { rows }) : t('runningStart')}
    </div>
  );
}

function ResultView({ result }: { result: ImportResult }) {
  const t = useT(messages);
  const { lang } = useLang();
  const figures = useMemo(() => [
    { key: result.dryRun ? 'wouldCreate' : 'created', value: result.created },
    { key: result.dryRun ? 'wouldUpdate' : 'updated', value: result.updated },
    { key: 'unchanged', value: result.unchanged },
    { key: 'rejected', value: result.rejected },
  ] as const, [result]);
  return (
    <div data-testid={result.dryRun ? 'dry-run-result' : 'import-result'}>
      <h3 className="utrecht-heading-3">{result.dryRun ? t('dryRunResult') : t('result')}</h3>
      {!result.dryRun && (
        result.committed
          ? <Alert type="ok">{t('committed', { created: result.created, updated: result.updated, unchanged: result.unchanged })}</Alert>
          : <Alert type="warning">{t('notCommitted')}</Alert>
      )}
      <dl className="camaudit-import-figures">
        {figures.map((f) => (
          <div key={f.key} className="camaudit-card">
            <dt>{t(f.key)}</dt>
            <dd className="camaudit-figure" data-figure={f.key}>{formatNumber(lang, f.value)}</dd>
          </div>
        ))}
      </dl>
      {result.warnings.length > 0 && (
        <>
          <h4 className="utrecht-heading-4">{t('warnings')}</h4>
          <ul>{result.warnings.map((w) => <li key={w}>{w}</li>)}</ul>
        </>
      )}
      {result.errors.length === 0 ? <p className="utrecht-paragraph">{t('noErrors')}</p> : (
        <div className="camaudit-table-scroll" tabIndex={0} role="region" aria-label={t('errorsCaption', { n: result.errors.length })}>
          <table className="utrecht-table utrecht-table--html-table camaudit-table camaudit-table--compact" data-testid="row-errors">
            <caption className="utrecht-table__caption">{t('errorsCaption', { n: result.errors.length })}</caption>
            <thead className="utrecht-table__header">
              <tr className="utrecht-table__row">
                {[t('row'), t('column'), t('value'), t('message')].map((h) => <th key={h} scope="col" className="utrecht-table__header-cell">{h}</th>)}
              </tr>
            </thead>
            <tbody className="utrecht-table__body">
              {result.errors.map((e, i) => (
                <tr key={`${e.row}-${e.column}-${i}`} className="utrecht-table__row">
                  <th scope="row" className="utrecht-table__header-cell">{e.row}</th>
                  <td className="utrecht-table__cell">{e.column}</td>
                  <td className="utrecht-table__cell">{e.value}</td>
                  <td className="utrecht-table__cell">{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
