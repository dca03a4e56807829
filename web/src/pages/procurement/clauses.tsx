// The clause library: tender clauses with their legal basis (instrument, what it holds, caveats,
// sources), in the page's language, each one to copy into tender documents; the whole library as
// Word or Markdown for the organisation's lawyers.
import { useState } from 'react';
import { apiFile, saveBlob, useApi } from '../../api';
import { ErrorAlert, Loaded } from '../../components/feedback';
import { safeHref } from '../../components/safe-link';
import { defineMessages, useLang, useT } from '../../i18n';
import { kbDateText } from '../kb/kb-shared';

const messages = defineMessages({
  nl: {
    version: 'Clausulebibliotheek {version}, kennisbank {kb}.', caveats: 'Kanttekeningen bij de hele bibliotheek', basis: 'Grondslag', clauseCaveats: 'Kanttekeningen',
    examples: 'Voorbeelden', sources: 'Bronnen', verify: 'Nog te verifiëren in de primaire bron', analysis: 'Eigen analyse, geen rechtsregel',
    copy: 'Tekst kopiëren', copyLabel: 'Tekst kopiëren: {title}', copied: 'De tekst van “{title}” staat op het klembord.', copyFailed: 'Kopiëren lukte niet; selecteer de tekst en kopieer hem zelf.',
    docx: 'Bibliotheek downloaden (Word)', md: 'Bibliotheek downloaden (Markdown)', downloaded: '{file} is gedownload.', groundCaveats: 'Kanttekeningen bij deze grondslag',
  },
  en: {
    version: 'Clause library {version}, knowledge base {kb}.', caveats: 'Caveats for the whole library', basis: 'Legal basis', clauseCaveats: 'Caveats',
    examples: 'Examples', sources: 'Sources', verify: 'To be verified in the primary source', analysis: 'Own analysis, not a rule of law',
    copy: 'Copy text', copyLabel: 'Copy text: {title}', copied: 'The text of “{title}” is on the clipboard.', copyFailed: 'Copying did not work; select the text and copy it yourself.',
    docx: 'Download the library (Word)', md: 'Download the library (Markdown)', downloaded: '{file} has been downloaded.', groundCaveats: 'Caveats for this ground',
  },
});

interface Source { url?: string; ref?: string; title?: string; type?: string; date?: string; note?: string }
interface Basis { kbId: string | null; title: string; instrument: string | null; verify: boolean; analysis: boolean; summary: string | null; note: string | null; caveats: string[]; sources: Source[] }
interface Clause { id: string; title: string; text: string; basis: Basis[]; caveats: string[]; examples: string[] }
interface ClauseDocument { lang: string; version: string; kbVersion: string; guidance: string; caveats: string[]; categories: { id: string; title: string; intro: string; clauses: Clause[] }[] }

function SourceLinks({ sources }: { sources: readonly Source[] }) {
  const { lang } = useLang();
  return (
    <ul className="camaudit-procurement-source-list">
      {sources.map((s, i) => {
        const href = safeHref(s.url);
        return (
          <li key={i}>
            {href ? <a className="utrecht-link" href={href} target="_blank" rel="noopener noreferrer">{s.title ?? s.url}</a> : <span>{s.title ?? s.ref ?? s.url}</span>}
            {s.date ? ` (${kbDateText(lang, s.date)})` : ''}
          </li>
        );
      })}
    </ul>
  );
}

export function Clauses() {
  const t = useT(messages);
  const { lang } = useLang();
  const library = useApi<ClauseDocument>('/api/v1/clauses', { lang });
  const [notice, setNotice] = useState<{ text: string; failed: boolean } | null>(null);
  const [error, setError] = useState<Error | undefined>();

  const copy = async (clause: Clause) => {
    try {
      await navigator.clipboard.writeText(clause.text);
      setNotice({ text: t('copied', { title: clause.title }), failed: false });
    } catch {
      setNotice({ text: t('copyFailed'), failed: true });
    }
  };
  const download = async (format: 'docx' | 'md') => {
    setError(undefined);
    try {
      const { blob, fileName } = await apiFile('/api/v1/clauses', { query: { lang, format } });
      const name = fileName ?? `camaudit-clauses-${lang}.${format}`;
      saveBlob(blob, name);
      setNotice({ text: t('downloaded', { file: name }), failed: false });
    } catch (err) {
      setError(err as Error);
    }
  };

  return (
    <Loaded data={library.data} error={library.error}>
      {(doc) => (
        <div data-testid="clause-library">
          <p className="utrecht-paragraph">{doc.guidance}</p>
          <p className="utrecht-paragraph camaudit-hint">{t('version', { version: doc.version, kb: doc.kbVersion })}</p>
          <div className="camaudit-toolbar">
            <button type="button" className="utrecht-button utrecht-button--secondary-action" onClick={() => void download('docx')}>{t('docx')}</button>
            <button type="button" className="utrecht-button utrecht-button--secondary-action" onClick={() => void download('md')}>{t('md')}</button>
          </div>
          <div role="status">{notice && !notice.failed && <p className="utrecht-paragraph">{notice.text}</p>}</div>
          <div role="alert">{notice?.failed && <p className="utrecht-paragraph">{notice.text}</p>}</div>
          {error && <ErrorAlert error={error} />}
          {doc.caveats.length > 0 && (
            <>
              <h3 className="utrecht-heading-3">{t('caveats')}</h3>
              <ul>{doc.caveats.map((c, i) => <li key={i}>{c}</li>)}</ul>
            </>
          )}
          {doc.categories.map((category) => (
            <section key={category.id} className="camaudit-procurement-category" aria-labelledby={`clauses-${category.id}`}>
              <h3 className="utrecht-heading-3" id={`clauses-${category.id}`}>{category.title}</h3>
              <p className="utrecht-paragraph">{category.intro}</p>
              {category.clauses.map((clause) => (
                <article key={clause.id} className="camaudit-card camaudit-procurement-clause" data-clause={clause.id} aria-labelledby={`clause-${clause.id}`}>
                  <h4 className="utrecht-heading-4" id={`clause-${clause.id}`}>{clause.title}</h4>
                  <blockquote className="camaudit-procurement-clause__text" lang={doc.lang}>{clause.text}</blockquote>
                  <button type="button" className="utrecht-button utrecht-button--subtle" aria-label={t('copyLabel', { title: clause.title })} onClick={() => void copy(clause)}>{t('copy')}</button>
                  <h5 className="camaudit-procurement-subhead">{t('basis')}</h5>
                  <ul className="camaudit-procurement-basis">
                    {clause.basis.map((b, i) => (
                      <li key={i}>
                        <strong>{b.title}</strong>{b.instrument ? ` — ${b.instrument}` : ''}
                        {b.verify && <span className="camaudit-procurement-mark"> ⚠ {t('verify')}</span>}
                        {b.analysis && <span className="camaudit-procurement-mark"> ◇ {t('analysis')}</span>}
                        {/* The knowledge base keeps summaries and caveats of legal grounds in English. */}
                        {b.summary && <p className="utrecht-paragraph" lang="en">{b.summary}</p>}
                        {b.note && <p className="utrecht-paragraph">{b.note}</p>}
                        {b.caveats.length > 0 && (
                          <ul className="camaudit-procurement-caveats" aria-label={t('groundCaveats')} lang="en">{b.caveats.map((c, j) => <li key={j}>{c}</li>)}</ul>
                        )}
                        {b.sources.length > 0 && <SourceLinks sources={b.sources} />}
                      </li>
                    ))}
                  </ul>
                  {clause.caveats.length > 0 && (
                    <>
                      <h5 className="camaudit-procurement-subhead">{t('clauseCaveats')}</h5>
                      <ul>{clause.caveats.map((c, i) => <li key={i}>{c}</li>)}</ul>
                    </>
                  )}
                  {clause.examples.length > 0 && (
                    <>
                      <h5 className="camaudit-procurement-subhead">{t('examples')}</h5>
                      <ul>{clause.examples.map((c, i) => <li key={i}>{c}</li>)}</ul>
                    </>
                  )}
                </article>
              ))}
            </section>
          ))}
        </div>
      )}
    </Loaded>
  );
}
