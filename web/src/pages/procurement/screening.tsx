// Tender screening: the supplier's equipment list (CSV or XLSX) goes to the server as it is, and
// each line comes back with its true maker, a verdict (restricted, flagged, incomplete, clear —
// in words and with a shape, never by colour alone), the reasons, the evidence and the sources.
// Nothing is stored; the same file can be fetched again as a Word report.
import { useId, useMemo, useState, type FormEvent } from 'react';
import { apiFile, api, orgPath, saveBlob } from '../../api';
import { Alert, ErrorAlert } from '../../components/feedback';
import { safeHref } from '../../components/safe-link';
import { defineMessages, formatDate, formatNumber, useLang, useT } from '../../i18n';
import { useOrg } from '../../session';
import { bidContentType, numberSources, safeFileName } from './procurement-logic';

const messages = defineMessages({
  nl: {
    intro: 'Upload de lijst met apparatuur uit een inschrijving (CSV of Excel). camaudit zoekt per regel de werkelijke fabrikant, toetst die aan het beleid van de gemeente en de kennisbank, en zegt wat er ontbreekt. Er wordt niets opgeslagen.',
    file: 'Lijst met apparatuur (CSV of XLSX)', screen: 'Lijst toetsen', screening: 'De lijst wordt getoetst…', chooseFile: 'Kies eerst een bestand.',
    summary: 'Uitkomst voor {file}: {lines} regels, getoetst op {date} met kennisbank {kb} en beleid “{policy}”.',
    counts: 'Aantallen per oordeel', verdict: 'Oordeel', lines: 'Regels',
    restricted: 'Niet toegestaan', flagged: 'Aandacht nodig', incomplete: 'Onvolledig', clear: 'Geen bezwaar',
    caption: 'Getoetste regels', row: 'Regel', offered: 'Aangeboden', maker: 'Werkelijke fabrikant', reasons: 'Redenen en bewijs',
    confidence: 'zekerheid {pct}', unknownMaker: 'onbekend', evidence: 'Bewijs', sourcesOf: 'Bronnen', checks: 'Nog na te gaan', noReasons: 'Geen bezwaren gevonden.',
    brand: 'merk', model: 'type', firmware: 'firmware', origin: 'herkomst', components: 'componenten',
    sourceList: 'Bronnen', notes: 'Opmerkingen bij het lezen van het bestand', docx: 'Als Word-rapport downloaden', downloaded: '{file} is gedownload.',
    uncertain: 'Onzeker: {text}',
  },
  en: {
    intro: 'Upload the equipment list of a bid (CSV or Excel). For each line camaudit finds the true maker, checks it against the municipality’s policy and the knowledge base, and says what is missing. Nothing is stored.',
    file: 'Equipment list (CSV or XLSX)', screen: 'Screen the list', screening: 'Screening the list…', chooseFile: 'Choose a file first.',
    summary: 'Outcome for {file}: {lines} lines, screened on {date} with knowledge base {kb} and policy “{policy}”.',
    counts: 'Count per verdict', verdict: 'Verdict', lines: 'Lines',
    restricted: 'Restricted', flagged: 'Flagged', incomplete: 'Incomplete', clear: 'Clear',
    caption: 'Screened lines', row: 'Row', offered: 'Offered', maker: 'True maker', reasons: 'Reasons and evidence',
    confidence: 'confidence {pct}', unknownMaker: 'unknown', evidence: 'Evidence', sourcesOf: 'Sources', checks: 'Still to check', noReasons: 'No objections found.',
    brand: 'brand', model: 'model', firmware: 'firmware', origin: 'origin', components: 'components',
    sourceList: 'Sources', notes: 'Notes on reading the file', docx: 'Download as a Word report', downloaded: '{file} has been downloaded.',
    uncertain: 'Uncertain: {text}',
  },
});

const VERDICTS = ['restricted', 'flagged', 'incomplete', 'clear'] as const;
type Verdict = (typeof VERDICTS)[number];
const LOOK: Record<Verdict, { shape: string; risk: string }> = {
  restricted: { shape: '⛔', risk: 'critical' },
  flagged: { shape: '⚠', risk: 'high' },
  incomplete: { shape: '?', risk: 'medium' },
  clear: { shape: '✓', risk: 'low' },
};

interface Text { nl: string; en: string }
interface Source { url?: string; title?: string; ref?: string }
interface Line {
  line: { row: number; brand: string | null; manufacturer: string | null; model: string | null; kind: string | null; components: string | null; firmware: string | null; origin: string | null; description: string | null };
  maker: { id: string; name: string; confidence: number; evidence: { rule: string; field: string; value: string; note?: string; sources: string[] }[]; checks: string[] } | null;
  verdict: Verdict;
  reasons: { kind: string; verdict: Verdict; severity: string | null; why: Text; evidence: { ref: string; value: string }[]; sources: string[]; uncertain?: string }[];
  notes: Text[];
}
interface ScreeningAnswer {
  fileName: string;
  notes: string[];
  screenedAt: string;
  kbVersion: string;
  policy: string;
  counts: Record<Verdict, number>;
  sources: Record<string, Source>;
  lines: Line[];
}

export function VerdictBadge({ verdict }: { verdict: Verdict }) {
  const t = useT(messages);
  return <span className={`camaudit-risk camaudit-risk--${LOOK[verdict].risk}`} data-verdict={verdict}><span aria-hidden="true">{LOOK[verdict].shape} </span>{t(verdict)}</span>;
}

export function Screening() {
  const t = useT(messages);
  const { lang } = useLang();
  const org = useOrg();
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  const [missing, setMissing] = useState(false);
  const [result, setResult] = useState<{ file: File; answer: ScreeningAnswer } | null>(null);
  const [downloaded, setDownloaded] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) {
      setMissing(true);
      return;
    }
    setMissing(false);
    setBusy(true);
    setError(undefined);
    setDownloaded(null);
    try {
      const answer = await api<ScreeningAnswer>(orgPath(org.slug, '/screenings'), {
        method: 'POST', query: { fileName: safeFileName(file.name) }, body: file, contentType: bidContentType(file.name),
      });
      setResult({ file, answer });
    } catch (err) {
      setResult(null);
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };

  const docx = async () => {
    if (!result) return;
    setError(undefined);
    try {
      const { blob, fileName } = await apiFile(orgPath(org.slug, '/screenings'), {
        method: 'POST', query: { fileName: safeFileName(result.file.name), format: 'docx', lang }, body: result.file, contentType: bidContentType(result.file.name),
      });
      const name = fileName ?? 'screening.docx';
      saveBlob(blob, name);
      setDownloaded(t('downloaded', { file: name }));
    } catch (err) {
      setError(err as Error);
    }
  };

  const answer = result?.answer;
  const numbers = useMemo(() => numberSources(answer?.lines.flatMap((l) => [...(l.maker?.evidence.map((e) => e.sources) ?? []), ...l.reasons.map((r) => r.sources)]) ?? []), [answer]);
  const cite = (ids: readonly string[]) => [...new Set(ids)].sort((a, b) => (numbers.get(a) ?? 0) - (numbers.get(b) ?? 0)).map((s) => (
    <a key={s} className="utrecht-link camaudit-procurement-cite" href={`#${id}-source-${s}`}>[{numbers.get(s)}]</a>
  ));

  return (
    <>
      <p className="utrecht-paragraph">{t('intro')}</p>
      <form className="camaudit-toolbar" onSubmit={(e) => void submit(e)} noValidate>
        <div className="utrecht-form-field">
          <label className="utrecht-form-label" htmlFor={`${id}-file`}>{t('file')}</label>
          <input id={`${id}-file`} name="file" type="file" className="camaudit-procurement-file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(e) => { setFile(e.target.files?.[0] ?? null); setMissing(false); }} />
        </div>
        <button type="submit" className="utrecht-button utrecht-button--primary-action" disabled={busy}>{t('screen')}</button>
      </form>
      {missing && <p className="camaudit-plan-invalid" role="alert">{t('chooseFile')}</p>}
      <div role="status">
        {busy && <p className="utrecht-paragraph">{t('screening')}</p>}
        {downloaded && <p className="utrecht-paragraph">{downloaded}</p>}
      </div>
      {error && <ErrorAlert error={error} />}
      {answer && (
        <div data-testid="screening-result">
          <Alert type={answer.counts.restricted > 0 ? 'warning' : 'info'}>
            {t('summary', { file: answer.fileName, lines: answer.lines.length, date: formatDate(lang, answer.screenedAt, true), kb: answer.kbVersion, policy: answer.policy })}
          </Alert>
          <table className="utrecht-table utrecht-table--html-table camaudit-table camaudit-table--compact camaudit-procurement-counts">
            <caption className="utrecht-table__caption">{t('counts')}</caption>
            <thead className="utrecht-table__header">
              <tr className="utrecht-table__row">
                <th scope="col" className="utrecht-table__header-cell">{t('verdict')}</th>
                <th scope="col" className="utrecht-table__header-cell utrecht-table__header-cell--numeric">{t('lines')}</th>
              </tr>
            </thead>
            <tbody className="utrecht-table__body">
              {VERDICTS.map((v) => (
                <tr key={v} className="utrecht-table__row">
                  <th scope="row" className="utrecht-table__header-cell"><VerdictBadge verdict={v} /></th>
                  <td className="utrecht-table__cell utrecht-table__cell--numeric" data-count={v}>{formatNumber(lang, answer.counts[v])}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="camaudit-toolbar">
            <button type="button" className="utrecht-button utrecht-button--secondary-action" onClick={() => void docx()}>{t('docx')}</button>
          </div>
          <div className="camaudit-table-scroll" tabIndex={0} role="region" aria-label={t('caption')}>
            <table className="utrecht-table utrecht-table--html-table camaudit-table" data-testid="screening-lines">
              <caption className="utrecht-table__caption">{t('caption')}</caption>
              <thead className="utrecht-table__header">
                <tr className="utrecht-table__row">
                  <th scope="col" className="utrecht-table__header-cell">{t('row')}</th>
                  <th scope="col" className="utrecht-table__header-cell">{t('offered')}</th>
                  <th scope="col" className="utrecht-table__header-cell">{t('maker')}</th>
                  <th scope="col" className="utrecht-table__header-cell">{t('verdict')}</th>
                  <th scope="col" className="utrecht-table__header-cell">{t('reasons')}</th>
                </tr>
              </thead>
              <tbody className="utrecht-table__body">
                {answer.lines.map((l) => (
                  <tr key={l.line.row} className="utrecht-table__row" data-row={l.line.row}>
                    <th scope="row" className="utrecht-table__header-cell">{l.line.row}</th>
                    <td className="utrecht-table__cell">
                      <dl className="camaudit-procurement-offered">
                        {(['brand', 'model', 'firmware', 'origin', 'components'] as const).filter((f) => l.line[f]).map((f) => (
                          <div key={f}><dt>{t(f)}</dt><dd>{l.line[f]}</dd></div>
                        ))}
                      </dl>
                    </td>
                    <td className="utrecht-table__cell">
                      {l.maker ? (
                        <>
                          <strong>{l.maker.name}</strong> ({t('confidence', { pct: formatNumber(lang, l.maker.confidence, { style: 'percent' }) })})
                          <ul className="camaudit-procurement-evidence">
                            {l.maker.evidence.map((e, i) => <li key={i}>{e.field}: {e.value}{e.note ? ` — ${e.note}` : ''} {cite(e.sources)}</li>)}
                          </ul>
                          {l.maker.checks.length > 0 && <p className="utrecht-paragraph">{t('checks')}: {l.maker.checks.join('; ')}</p>}
                        </>
                      ) : t('unknownMaker')}
                    </td>
                    <td className="utrecht-table__cell"><VerdictBadge verdict={l.verdict} /></td>
                    <td className="utrecht-table__cell">
                      {l.reasons.length === 0 && <p className="utrecht-paragraph">{t('noReasons')}</p>}
                      {l.reasons.map((r, i) => (
                        <div key={i} className="camaudit-procurement-reason">
                          <p className="utrecht-paragraph"><VerdictBadge verdict={r.verdict} /> {r.why[lang]}</p>
                          {r.uncertain && <p className="utrecht-paragraph">{t('uncertain', { text: r.uncertain })}</p>}
                          {r.evidence.length > 0 && (
                            <p className="utrecht-paragraph camaudit-hint">{t('evidence')}: {r.evidence.map((e) => `${e.ref} = ${e.value}`).join('; ')}</p>
                          )}
                          {r.sources.length > 0 && <p className="utrecht-paragraph camaudit-hint">{t('sourcesOf')}: {cite(r.sources)}</p>}
                        </div>
                      ))}
                      {l.notes.map((n, i) => <p key={`n${i}`} className="utrecht-paragraph camaudit-hint">{n[lang]}</p>)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {answer.notes.length > 0 && (
            <>
              <h3 className="utrecht-heading-3">{t('notes')}</h3>
              <ul>{answer.notes.map((n, i) => <li key={i}>{n}</li>)}</ul>
            </>
          )}
          <h3 className="utrecht-heading-3">{t('sourceList')}</h3>
          <ol className="camaudit-procurement-sources" data-testid="screening-sources">
            {[...numbers.entries()].map(([sid, n]) => {
              const s = answer.sources[sid] ?? {};
              const href = safeHref(s.url);
              return (
                <li key={sid} id={`${id}-source-${sid}`} value={n}>
                  {href ? <a className="utrecht-link" href={href} target="_blank" rel="noopener noreferrer">{s.title ?? s.url}</a> : (s.title ?? s.ref ?? s.url)}
                  {href && s.title ? '' : s.ref && s.title ? ` (${s.ref})` : ''}
                </li>
              );
            })}
          </ol>
        </div>
      )}
    </>
  );
}
