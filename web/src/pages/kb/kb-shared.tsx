// How knowledge-base judgements are shown wherever they appear: the sources behind a record (each a
// link where it has an address), and confidence and doubt in words, never by colour alone.
import { useId, useState } from 'react';
import { defineMessages, useLang, useT, type Lang } from '../../i18n';
import './kb.css';

export const kbWords = defineMessages({
  nl: {
    sources: 'Bronnen ({n})', noUrl: 'geen webadres', confidence: 'Zekerheid: {level}', uncertain: 'Onzeker: {why}',
    high: 'hoog', medium: 'middel', low: 'laag',
    own_brand: 'eigen merk', subsidiary: 'dochteronderneming', affiliate: 'verbonden onderneming', former_subsidiary: 'voormalige dochter', oem_whitelabel: 'OEM / white label',
    active: 'actief misbruikt', poc: 'aanvalscode openbaar', none_reported: 'geen misbruik gemeld', unknown: 'onbekend',
  },
  en: {
    sources: 'Sources ({n})', noUrl: 'no web address', confidence: 'Confidence: {level}', uncertain: 'Uncertain: {why}',
    high: 'high', medium: 'medium', low: 'low',
    own_brand: 'own brand', subsidiary: 'subsidiary', affiliate: 'affiliate', former_subsidiary: 'former subsidiary', oem_whitelabel: 'OEM / white label',
    active: 'actively exploited', poc: 'public exploit code', none_reported: 'no exploitation reported', unknown: 'unknown',
  },
});

export type KbWord = keyof (typeof kbWords)['en'];

/** A KB word for a value, or the value itself when it has none. */
export function kbWord(lang: Lang, value: string): string {
  const table = kbWords[lang] as Record<string, string>;
  return table[value] ?? value;
}

/** A country code as the language names it (CN → China / China). */
export function countryName(lang: Lang, code: string | null | undefined): string {
  if (!code) return '—';
  try {
    return new Intl.DisplayNames([lang === 'nl' ? 'nl-NL' : 'en-GB'], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

export interface SourceView {
  url?: string | null;
  title?: string | null;
  ref?: string | null;
  date?: string | null;
}

/**
 * The sources behind a judgement, folded away until asked for (a page lists many records); each
 * opens at its address. Folded links are not rendered at all, so the keyboard order holds only
 * what can be seen.
 */
export function Sources({ sources }: { sources: readonly SourceView[] }) {
  const t = useT(kbWords);
  const [open, setOpen] = useState(false);
  const id = useId();
  if (sources.length === 0) return null;
  return (
    <div className="camaudit-sources">
      <button type="button" className="utrecht-button utrecht-button--subtle camaudit-sources__toggle" aria-expanded={open} aria-controls={id}
        onClick={() => setOpen(!open)}>
        <span aria-hidden="true">{open ? '▾ ' : '▸ '}</span>{t('sources', { n: sources.length })}
      </button>
      <ul className="utrecht-unordered-list" id={id} hidden={!open}>
        {open && sources.map((s, i) => {
          const text = s.title || s.url || s.ref || '';
          return (
            <li key={`${s.url ?? s.ref ?? ''}-${i}`}>
              {s.url ? <a className="utrecht-link" href={s.url} rel="noreferrer noopener">{text}</a> : <>{text} ({s.ref ?? t('noUrl')})</>}
              {s.date ? ` — ${s.date}` : ''}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** Confidence as a word with a shape, and the stated doubt when there is one. */
export function Confidence({ level, uncertain }: { level?: 'high' | 'medium' | 'low' | null; uncertain?: string | null }) {
  const t = useT(kbWords);
  const { lang } = useLang();
  return (
    <span className="camaudit-confidence">
      {level && <span className={`camaudit-confidence__level camaudit-confidence__level--${level}`}>
        <span aria-hidden="true">{level === 'high' ? '●' : level === 'medium' ? '◐' : '○'} </span>{t('confidence', { level: kbWord(lang, level) })}
      </span>}
      {uncertain && <span className="camaudit-confidence__doubt"><span aria-hidden="true">? </span>{t('uncertain', { why: uncertain })}</span>}
    </span>
  );
}
