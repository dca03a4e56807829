// What the register pages share: risk badges (word and shape, never colour alone), the makers'
// names from the knowledge base, rule names, site and network choices, paging held in the address,
// and form fields that show the API's message for them.
import { useEffect, useState, type ReactNode } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { api, orgPath, type Page } from '../../api';
import { defineMessages, useLang, useT, type Lang } from '../../i18n';
import { label } from '../../labels';
import { filtersFrom, positionFrom, withChanges, type Filters, type ListPosition, type VendorName } from './register-logic';
import './register.css';

const messages = defineMessages({
  nl: {
    noRisk: 'Geen bevindingen', first: 'Eerste pagina', previous: 'Vorige', next: 'Volgende', page: 'Pagina {n}', paging: 'Paginering, pagina {n}',
    perPage: 'Per pagina', open: 'Open', waived: 'Geaccepteerd (waiver)', lapsed: 'Waiver verlopen',
    record_legal_basis: 'Grondslag vastleggen', reduce_retention: 'Bewaartermijn verkorten', review: 'Beoordelen', identify: 'Fabrikant vaststellen',
    planned: 'Gepland',
  },
  en: {
    noRisk: 'No findings', first: 'First page', previous: 'Previous', next: 'Next', page: 'Page {n}', paging: 'Paging, page {n}',
    perPage: 'Per page', open: 'Open', waived: 'Accepted (waiver)', lapsed: 'Waiver expired',
    record_legal_basis: 'Record the legal basis', reduce_retention: 'Shorten retention', review: 'Review', identify: 'Identify the maker',
    planned: 'Planned',
  },
});

const ruleMessages = defineMessages({
  nl: {
    restricted_manufacturer: 'Fabrikant met beperkende maatregelen', human_rights: 'Betrokken bij mensenrechtenschendingen',
    known_exploited_vulnerability: 'Actief misbruikte kwetsbaarheid', vulnerability: 'Bekende kwetsbaarheid', firmware_unknown: 'Firmware onbekend',
    internet_exposed: 'Bereikbaar vanaf internet', vendor_cloud: 'Cloud van de leverancier', not_activated: 'Niet geactiveerd', telnet_open: 'Telnet staat open',
    sensitive_analytics: 'Gevoelige analyse (gezicht, kenteken)', sensitive_placement: 'Gevoelige plaatsing', end_of_support: 'Einde ondersteuning',
    manufacturer_unidentified: 'Fabrikant niet vastgesteld', no_legal_basis: 'Geen grondslag vastgelegd', retention_above_limit: 'Bewaartermijn boven de grens',
  },
  en: {
    restricted_manufacturer: 'Restricted manufacturer', human_rights: 'Implicated in human rights abuses',
    known_exploited_vulnerability: 'Known exploited vulnerability', vulnerability: 'Known vulnerability', firmware_unknown: 'Firmware unknown',
    internet_exposed: 'Reachable from the internet', vendor_cloud: 'Vendor cloud', not_activated: 'Not activated', telnet_open: 'Telnet open',
    sensitive_analytics: 'Sensitive analytics (face, number plate)', sensitive_placement: 'Sensitive placement', end_of_support: 'End of support',
    manufacturer_unidentified: 'Manufacturer not identified', no_legal_basis: 'No legal basis recorded', retention_above_limit: 'Retention above the limit',
  },
});

export type RuleId = keyof typeof ruleMessages.en;
export const RULE_IDS = Object.keys(ruleMessages.en) as RuleId[];

export function ruleName(lang: Lang, rule: string): string {
  return (ruleMessages[lang] as Record<string, string>)[rule] ?? rule;
}

/** Actions and plan states the shared labels do not (yet) name. */
export function actionName(lang: Lang, action: string): string {
  const own = (messages[lang] as Record<string, string>)[action];
  const shared = label(lang, 'action', action);
  return shared === action && own ? own : shared;
}

export function planStatusName(lang: Lang, status: string): string {
  const shared = label(lang, 'planStatus', status);
  return shared === status && status === 'planned' ? messages[lang].planned : shared;
}

export function findingStatusName(lang: Lang, status: string): string {
  return status === 'open' || status === 'waived' || status === 'lapsed' ? messages[lang][status] : status;
}

const SHAPES: Record<string, string> = { critical: '◆', high: '▲', medium: '●', low: '▼', info: 'ℹ' };

/** A severity as a badge: the word and a shape carry the meaning, the colour only repeats it. */
export function SeverityBadge({ severity }: { severity: string | null }) {
  const t = useT(messages);
  const { lang } = useLang();
  if (!severity) return <span className="camaudit-risk camaudit-risk--none"><span aria-hidden="true">○ </span>{t('noRisk')}</span>;
  return (
    <span className={`camaudit-risk camaudit-risk--${severity}`} data-severity={severity}>
      <span aria-hidden="true">{SHAPES[severity] ?? '■'} </span>{label(lang, 'severity', severity)}
    </span>
  );
}

// The knowledge base's makers change only with a KB update; one request per page load is enough.
let vendorRequest: Promise<Map<string, VendorName>> | null = null;

async function loadVendors(): Promise<Map<string, VendorName>> {
  const map = new Map<string, VendorName>();
  let cursor: string | null = null;
  do {
    const page: Page<VendorName> = await api<Page<VendorName>>('/api/v1/kb/vendors', { query: { limit: 1000, cursor } });
    for (const v of page.items) map.set(v.id, { id: v.id, name: v.name, aliases: v.aliases });
    cursor = page.nextCursor;
  } while (cursor);
  return map;
}

/** Makers by KB id (empty until loaded; a failed load leaves ids shown as they are). */
export function useVendors(): Map<string, VendorName> {
  const [vendors, setVendors] = useState<Map<string, VendorName>>(new Map());
  useEffect(() => {
    let live = true;
    vendorRequest ??= loadVendors().catch(() => {
      vendorRequest = null;
      return new Map<string, VendorName>();
    });
    void vendorRequest.then((v) => {
      if (live) setVendors(v);
    });
    return () => {
      live = false;
    };
  }, []);
  return vendors;
}

export interface Named {
  id: string;
  name: string;
}

/**
 * The organisation's sites or networks by name, for choices (the first 1,000, sorted by name),
 * fetched only once `wanted`: the lists count each one's devices, which in a large register is
 * work the server should do only when someone is about to choose.
 */
export function useChoices(org: string, what: 'sites' | 'networks', wanted = true, tick = 0): Named[] {
  const [items, setItems] = useState<Named[]>([]);
  useEffect(() => {
    if (!wanted) return;
    const controller = new AbortController();
    api<Page<Named>>(orgPath(org, `/${what}`), { query: { limit: 1000, sort: 'name' }, signal: controller.signal })
      .then((p) => setItems(p.items.map((i) => ({ id: i.id, name: i.name }))), () => undefined);
    return () => controller.abort();
  }, [org, what, wanted, tick]);
  return items;
}

interface PagingState {
  /** Cursors of the pages before this one, for "previous". */
  previous?: string[];
}

/**
 * Cursor paging kept in the address (`cursor`, `page`), so a page can be linked to and back and
 * forward move between pages; the way back is kept in the history entry's state.
 */
export function UrlPager({ position, nextCursor, search }: { position: ListPosition; nextCursor: string | null | undefined; search: URLSearchParams }) {
  const t = useT(messages);
  const navigate = useNavigate();
  const location = useLocation();
  const state = (location.state ?? {}) as PagingState;
  const previous = state.previous ?? [];
  const go = (cursor: string | undefined, page: number, stack: string[]) =>
    navigate({ search: withChanges(search, { cursor, page: page > 1 ? String(page) : undefined }, true) }, { state: { previous: stack } satisfies PagingState });
  const onFirst = position.page === 1;
  return (
    <nav className="camaudit-pager" aria-label={t('paging', { n: position.page })}>
      <button type="button" className="utrecht-button utrecht-button--secondary-action" disabled={onFirst} onClick={() => go(undefined, 1, [])}>{t('first')}</button>
      <button type="button" className="utrecht-button utrecht-button--secondary-action" disabled={onFirst}
        onClick={() => {
          const stack = previous.slice(0, -1);
          const back = previous[previous.length - 1];
          // Opened from a link to a later page: the way back is not known, so back to the start.
          if (back === undefined || position.page <= 2) go(undefined, 1, []);
          else go(back, position.page - 1, stack);
        }}>{t('previous')}</button>
      <span className="camaudit-pager__page" aria-current="page">{t('page', { n: position.page })}</span>
      <button type="button" className="utrecht-button utrecht-button--secondary-action" disabled={!nextCursor}
        onClick={() => nextCursor && go(nextCursor, position.page + 1, position.cursor ? [...previous, position.cursor] : [])}>{t('next')}</button>
    </nav>
  );
}

/** Page size choice, kept in the address. */
export function PageSize({ id, value, sizes, onChange }: { id: string; value: number; sizes: readonly number[]; onChange(limit: number): void }) {
  const t = useT(messages);
  return (
    <div className="utrecht-form-field">
      <label className="utrecht-form-label" htmlFor={id}>{t('perPage')}</label>
      <select id={id} className="utrecht-select utrecht-select--html-select" value={value} onChange={(e) => onChange(Number(e.target.value))}>
        {sizes.map((n) => <option key={n} value={n}>{n}</option>)}
      </select>
    </div>
  );
}

/** A labelled form field with its API error beside it (aria-describedby, aria-invalid). */
export function Field({ id, label: text, error, hint, children }: { id: string; label: string; error?: string; hint?: string; children: (a11y: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => ReactNode }) {
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`utrecht-form-field${error ? ' utrecht-form-field--invalid' : ''}`}>
      <label className="utrecht-form-label" htmlFor={id}>{text}</label>
      {hint && <p className="utrecht-form-field-description" id={`${id}-hint`}>{hint}</p>}
      {error && <p className="utrecht-form-field-error-message camaudit-field-error" id={`${id}-error`}>{error}</p>}
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': described })}
    </div>
  );
}

/** A list's filters, order and page as the address holds them, and a way to change them. */
export function useUrlList<K extends string>(keys: readonly K[], defaultLimit: number) {
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const filters: Filters<K> = filtersFrom(search, keys);
  const position = positionFrom(search, defaultLimit);
  const update = (changes: Record<string, string | undefined>) => navigate({ search: withChanges(search, changes) });
  return { search, filters, position, update };
}
