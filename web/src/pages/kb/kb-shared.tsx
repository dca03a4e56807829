// How knowledge-base judgements are shown wherever they appear: the sources behind a record (each a
// link where it has an address), and confidence and doubt in words, never by colour alone.
import { useId, useState } from 'react';
import { safeHref } from '../../components/safe-link';
import { defineMessages, useLang, useT, type Lang } from '../../i18n';
import { kbDate, measureStatusParts } from './kb-logic';
import './kb.css';

export const kbWords = defineMessages({
  nl: {
    sources: 'Bronnen ({n})', noUrl: 'geen webadres', confidence: 'Zekerheid: {level}', uncertain: 'Onzeker: {why}',
    high: 'hoog', medium: 'middel', low: 'laag',
    own_brand: 'eigen merk', subsidiary: 'dochteronderneming', affiliate: 'verbonden onderneming', former_subsidiary: 'voormalige dochter', oem_whitelabel: 'OEM / white label',
    active: 'actief misbruikt', poc: 'aanvalscode openbaar', none_reported: 'geen misbruik gemeld', unknown: 'onbekend',
    procurement_ban: 'inkoopverbod', use_ban: 'gebruiksverbod', removal: 'verwijdering', equipment_authorization_ban: 'verbod op toelating van apparatuur',
    export_control: 'exportbeperking', divestment: 'afstoting', designation: 'aanwijzing', advisory: 'advies', parliamentary: 'parlementair',
    investigation: 'onderzoek', industry: 'bedrijfsleven', no_measure_found: 'geen maatregel gevonden',
    status_investigation_announced: 'onderzoek aangekondigd', status_announced_in_progress: 'aangekondigd / in uitvoering', status_policy_statement: 'beleidsverklaring',
    status_in_progress: 'in uitvoering', status_in_force: 'van kracht', status_completed: 'afgerond', status_announced: 'aangekondigd', status_answered: 'beantwoord',
    status_informational: 'ter informatie', status_proposed: 'voorgesteld', status_advice: 'advies', status_mixed: 'wisselend', status_unknown: 'onbekend',
  },
  en: {
    sources: 'Sources ({n})', noUrl: 'no web address', confidence: 'Confidence: {level}', uncertain: 'Uncertain: {why}',
    high: 'high', medium: 'medium', low: 'low',
    own_brand: 'own brand', subsidiary: 'subsidiary', affiliate: 'affiliate', former_subsidiary: 'former subsidiary', oem_whitelabel: 'OEM / white label',
    active: 'actively exploited', poc: 'public exploit code', none_reported: 'no exploitation reported', unknown: 'unknown',
    procurement_ban: 'procurement ban', use_ban: 'ban on use', removal: 'removal', equipment_authorization_ban: 'equipment authorisation ban',
    export_control: 'export control', divestment: 'divestment', designation: 'designation', advisory: 'advisory', parliamentary: 'parliamentary',
    investigation: 'investigation', industry: 'industry', no_measure_found: 'no measure found',
    status_investigation_announced: 'investigation announced', status_announced_in_progress: 'announced / in progress', status_policy_statement: 'policy statement',
    status_in_progress: 'in progress', status_in_force: 'in force', status_completed: 'completed', status_announced: 'announced', status_answered: 'answered',
    status_informational: 'informational', status_proposed: 'proposed', status_advice: 'advice', status_mixed: 'mixed', status_unknown: 'unknown',
  },
});

export type KbWord = keyof (typeof kbWords)['en'];

/** A KB word for a value, or the value itself when it has none. */
export function kbWord(lang: Lang, value: string): string {
  const table = kbWords[lang] as Record<string, string>;
  return table[value] ?? value;
}

/** A date as the knowledge base records it (a day, a month, a year or `unknown`), in the language. */
export function kbDateText(lang: Lang, value: string | null | undefined): string {
  return kbDate(lang, value, kbWord(lang, 'unknown'));
}

/** A measure's status: its known opening word in the language, the source's qualification after it as recorded. */
export function measureStatus(lang: Lang, status: string): string {
  const parts = measureStatusParts(status);
  if (!parts) return status;
  const word = kbWord(lang, parts.key);
  return parts.rest ? `${word} ${parts.rest}` : word;
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
  const { lang } = useLang();
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
          const href = safeHref(s.url);
          return (
            <li key={`${s.url ?? s.ref ?? ''}-${i}`}>
              {href ? <a className="utrecht-link" href={href} rel="noreferrer noopener">{text}</a> : <>{text} ({s.ref ?? (s.url && s.url !== text ? s.url : t('noUrl'))})</>}
              {s.date ? ` — ${kbDateText(lang, s.date)}` : ''}
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
