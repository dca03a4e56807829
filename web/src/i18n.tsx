// Dutch and English. Each page keeps its own messages next to it (defineMessages), so a page and
// its words change together; the chosen language is remembered in the browser and set on <html lang>.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

export const LANGS = ['nl', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export type Params = Record<string, string | number>;
export type Messages<K extends string> = { nl: Record<K, string>; en: Record<K, string> };
export type Translate<K extends string> = (key: K, params?: Params) => string;

const STORAGE_KEY = 'camaudit.lang';

/** Typed message tables: a key missing in one language is a compile error. */
export function defineMessages<K extends string>(messages: Messages<K>): Messages<K> {
  return messages;
}

/** Replaces {name} by params.name; numbers are formatted for the language. */
export function format(lang: Lang, template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? formatNumber(lang, value) : value;
  });
}

export const locale = (lang: Lang) => (lang === 'nl' ? 'nl-NL' : 'en-GB');

export function formatNumber(lang: Lang, value: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(locale(lang), options).format(value);
}

export function formatMoney(lang: Lang, euros: number): string {
  return new Intl.NumberFormat(locale(lang), { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 }).format(euros);
}

/** A date or timestamp (ISO) as the language writes it; the day only unless `time`. */
export function formatDate(lang: Lang, iso: string | null | undefined, time = false): string {
  if (!iso) return '—';
  const date = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(lang), time ? { dateStyle: 'medium', timeStyle: 'short' } : { dateStyle: 'medium', timeZone: iso.length === 10 ? 'UTC' : undefined }).format(date);
}

function initialLang(): Lang {
  const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);
  if (stored === 'nl' || stored === 'en') return stored;
  return typeof navigator !== 'undefined' && navigator.language.toLowerCase().startsWith('en') ? 'en' : 'nl';
}

interface LangState {
  lang: Lang;
  setLang(lang: Lang): void;
}

const LangContext = createContext<LangState>({ lang: 'nl', setLang: () => undefined });

export function LangProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLangState(next);
  }, []);
  const value = useMemo(() => ({ lang, setLang }), [lang, setLang]);
  return <LangContext.Provider value={value}>{children}</LangContext.Provider>;
}

export function useLang(): LangState {
  return useContext(LangContext);
}

/** The page's translate function in the chosen language. */
export function useT<K extends string>(messages: Messages<K>): Translate<K> {
  const { lang } = useLang();
  return useCallback((key: K, params?: Params) => format(lang, messages[lang][key], params), [lang, messages]);
}
