// The knowledge base in force: makers, brands with the true maker behind them, restriction
// measures and vulnerabilities, each section filtered by the server, and a search over all of it.
// Every record shows its sources and how certain it is, in words.
import { createContext, useContext, useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useApi, type Page, type Query } from '../../api';
import { Loaded } from '../../components/feedback';
import { PageTitle, Section } from '../../components/page';
import { Pager, useCursorPaging } from '../../components/data-table';
import { defineMessages, formatDate, formatNumber, useLang, useT } from '../../i18n';
import { Confidence, countryName, kbDateText, kbWord, measureStatus, Sources, type SourceView } from './kb-shared';

const messages = defineMessages({
  nl: {
    title: 'Kennisbank', version: 'Versie {version} van {date}.', gaps: 'Bekende leemtes', kevSnapshot: 'KEV-momentopname: {source}, catalogus {version}.',
    sections: 'Onderdelen', vendors: 'Fabrikanten', brands: 'Merken en OEM', measures: 'Maatregelen', vulnerabilities: 'Kwetsbaarheden', search: 'Zoeken',
    searchLabel: 'Zoek in de hele kennisbank', searchButton: 'Zoeken', results: 'Resultaten voor “{q}”', noResults: 'Niets gevonden voor “{q}”.',
    filter: 'Filteren', apply: 'Toepassen', words: 'Woorden', any: 'Alle',
    country: 'Land', uncertainOnly: 'Onzekerheid', uncertainYes: 'Alleen met onzekerheid', uncertainNo: 'Alleen zonder onzekerheid',
    relationship: 'Relatie', confidenceLabel: 'Zekerheid', scope: 'Soort maatregel', kevLabel: 'Op de KEV-lijst', yes: 'Ja', no: 'Nee', exploitationLabel: 'Misbruik',
    name: 'Naam', group: 'Concern', details: 'Toelichting', certainty: 'Zekerheid en twijfel', sourcesCol: 'Bronnen',
    brand: 'Merk', maker: 'Echte fabrikant', alternatives: 'mogelijk ook: {names}',
    jurisdiction: 'Rechtsgebied', body: 'Instantie', date: 'Datum', gap: 'Gezocht en niet gevonden (leemte)',
    cve: 'CVE', cvss: 'CVSS', kev: 'KEV', kevListed: 'Op de KEV-lijst sinds {date}', kevNot: 'Niet op de KEV-lijst', disputed: 'Betwist: {why}',
    section_vendor: 'Fabrikant', section_brand: 'Merk', section_measure: 'Maatregel', section_vulnerability: 'Kwetsbaarheid', section_legal: 'Juridische grond',
    verify: 'Nog te controleren: niet als vaststaand recht lezen', parent: 'onderdeel van {name}', noUncertainty: 'Geen twijfel vermeld',
    kind: 'Soort',
  },
  en: {
    title: 'Knowledge base', version: 'Version {version} of {date}.', gaps: 'Known gaps', kevSnapshot: 'KEV snapshot: {source}, catalogue {version}.',
    sections: 'Sections', vendors: 'Manufacturers', brands: 'Brands and OEM', measures: 'Measures', vulnerabilities: 'Vulnerabilities', search: 'Search',
    searchLabel: 'Search the whole knowledge base', searchButton: 'Search', results: 'Results for “{q}”', noResults: 'Nothing found for “{q}”.',
    filter: 'Filter', apply: 'Apply', words: 'Words', any: 'All',
    country: 'Country', uncertainOnly: 'Uncertainty', uncertainYes: 'Only with uncertainty', uncertainNo: 'Only without uncertainty',
    relationship: 'Relationship', confidenceLabel: 'Confidence', scope: 'Kind of measure', kevLabel: 'On the KEV list', yes: 'Yes', no: 'No', exploitationLabel: 'Exploitation',
    name: 'Name', group: 'Group', details: 'Details', certainty: 'Confidence and doubt', sourcesCol: 'Sources',
    brand: 'Brand', maker: 'True manufacturer', alternatives: 'possibly also: {names}',
    jurisdiction: 'Jurisdiction', body: 'Body', date: 'Date', gap: 'Searched for and not found (gap)',
    cve: 'CVE', cvss: 'CVSS', kev: 'KEV', kevListed: 'On the KEV list since {date}', kevNot: 'Not on the KEV list', disputed: 'Disputed: {why}',
    section_vendor: 'Manufacturer', section_brand: 'Brand', section_measure: 'Measure', section_vulnerability: 'Vulnerability', section_legal: 'Legal ground',
    verify: 'To be verified: do not read as settled law', parent: 'part of {name}', noUncertainty: 'No doubt stated',
    kind: 'Kind',
  },
});

type Level = 'high' | 'medium' | 'low';
interface Vendor { id: string; name: string; country: string; parent: string | null; note?: string; listing?: string; uncertain?: string; sources: SourceView[] }
interface Brand {
  id: string; brand: string; vendor: string; relationship: string; evidence: string; scope_note?: string; confidence: Level; confidence_note?: string;
  uncertain?: string; sources: SourceView[]; maker?: { id: string; name: string | null }; alternativeMakers?: { id: string; name: string | null }[];
}
interface Measure {
  id: string; jurisdiction: string; body: string; date: string; scope: string[]; scope_detail: string; status: string; vendors: string[];
  confidence: Level; uncertain?: string; gap?: boolean; sources: SourceView[];
}
interface Vulnerability {
  id: string; vendor: string; title: string; published: string; cvss: { source: string; version: string; base_score: number }[];
  kev: { listed: boolean; date_added?: string }; exploitation: { status: string; detail: string }; dispute?: string; sources: SourceView[];
}
interface Legal { id: string; title: string; kind: string; jurisdiction: string; instrument: string; summary: string; verify: boolean; sources: SourceView[] }
type Hit =
  | { section: 'vendor'; id: string; label: string; record: Vendor }
  | { section: 'brand'; id: string; label: string; record: Brand }
  | { section: 'measure'; id: string; label: string; record: Measure }
  | { section: 'vulnerability'; id: string; label: string; record: Vulnerability }
  | { section: 'legal'; id: string; label: string; record: Legal };
interface KbInfo {
  version: string; date: string; description: string; knownGaps: string[];
  kevSnapshot: { source: string; catalog_version: string } | null;
}

/** Maker id → name, so records that name a maker by id read as its name. */
const MakerNames = createContext<ReadonlyMap<string, string>>(new Map());
const useMakerName = () => {
  const names = useContext(MakerNames);
  return (id: string) => names.get(id) ?? id;
};

const SECTIONS = ['vendors', 'brands', 'measures', 'vulnerabilities'] as const;
type SectionKey = (typeof SECTIONS)[number];
const PAGE = 50;

/** Filters of each section as the API takes them: name → allowed values (empty: free text). */
const FILTERS: Record<SectionKey, Record<string, readonly string[]>> = {
  vendors: { q: [], country: [], uncertain: ['true', 'false'] },
  brands: { q: [], relationship: ['own_brand', 'subsidiary', 'affiliate', 'former_subsidiary', 'oem_whitelabel'], confidence: ['high', 'medium', 'low'] },
  measures: { q: [], scope: ['procurement_ban', 'use_ban', 'removal', 'equipment_authorization_ban', 'export_control', 'divestment', 'designation', 'advisory', 'parliamentary', 'investigation', 'industry', 'no_measure_found'], confidence: ['high', 'medium', 'low'] },
  vulnerabilities: { q: [], kev: ['true', 'false'], exploitation: ['active', 'poc', 'none_reported', 'unknown'] },
};

export function KbPage() {
  const t = useT(messages);
  const { lang } = useLang();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const section = (SECTIONS as readonly string[]).includes(params.get('section') ?? '') ? (params.get('section') as SectionKey) : 'brands';
  const info = useApi<KbInfo>('/api/v1/kb');
  const vendors = useApi<Page<Vendor>>('/api/v1/kb/vendors', { limit: 1000 });
  const names = useMemo(() => new Map((vendors.data?.items ?? []).map((v) => [v.id, v.name])), [vendors.data]);
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);
  const search = (e: FormEvent) => {
    e.preventDefault();
    setParams(text.trim() ? { q: text.trim() } : { section });
  };
  return (
    <>
      <PageTitle title={t('title')}>{t('title')}</PageTitle>
      <Loaded data={info.data} error={info.error}>{(kb) => (
        <div>
          <p className="utrecht-paragraph">{t('version', { version: kb.version, date: formatDate(lang, kb.date) })} {kb.description}</p>
          {kb.kevSnapshot && <p className="utrecht-paragraph">{t('kevSnapshot', { source: kb.kevSnapshot.source, version: kb.kevSnapshot.catalog_version })}</p>}
          {kb.knownGaps.length > 0 && (
            <details className="camaudit-sources camaudit-kb-gaps">
              <summary>{t('gaps')} ({kb.knownGaps.length})</summary>
              <ul>{kb.knownGaps.map((g) => <li key={g}>{g}</li>)}</ul>
            </details>
          )}
        </div>
      )}</Loaded>
      <form role="search" className="camaudit-toolbar" onSubmit={search}>
        <div className="utrecht-form-field">
          <label className="utrecht-form-label" htmlFor="kb-search">{t('searchLabel')}</label>
          <input id="kb-search" name="q" type="search" className="utrecht-textbox utrecht-textbox--html-input" value={text} onChange={(e) => setText(e.target.value)} />
        </div>
        <button type="submit" className="utrecht-button utrecht-button--primary-action">{t('searchButton')}</button>
      </form>
      <nav aria-label={t('sections')}>
        <ul className="camaudit-kb-sections">
          {SECTIONS.map((s) => (
            <li key={s}><Link className="utrecht-link" to={`?section=${s}`} aria-current={!q && s === section ? 'page' : undefined}>{t(s)}</Link></li>
          ))}
        </ul>
      </nav>
      <MakerNames.Provider value={names}>
        {q ? <SearchResults q={q} key={q} /> : <SectionList section={section} key={section} />}
      </MakerNames.Provider>
    </>
  );
}

function SearchResults({ q }: { q: string }) {
  const t = useT(messages);
  const paging = useCursorPaging();
  const hits = useApi<Page<Hit>>('/api/v1/kb/search', { q, limit: PAGE, cursor: paging.cursor });
  return (
    <Section id="kb-results" title={t('results', { q })}>
      <Loaded data={hits.data} error={hits.error}>{(page) => page.items.length === 0
        ? <p className="utrecht-paragraph" role="status">{t('noResults', { q })}</p>
        : (
          <>
            <RecordTable caption={t('results', { q })} rows={page.items.map((h) => ({ key: `${h.section}:${h.id}`, section: h.section, ...rowOf(h) }))} withKind />
            <Pager paging={paging} nextCursor={page.nextCursor} />
          </>
        )}</Loaded>
    </Section>
  );
}

function SectionList({ section }: { section: SectionKey }) {
  const t = useT(messages);
  const { lang } = useLang();
  const paging = useCursorPaging();
  const [filters, setFilters] = useState<Record<string, string>>({});
  const [draft, setDraft] = useState<Record<string, string>>({});
  const query: Query = { ...filters, limit: PAGE, cursor: paging.cursor };
  const list = useApi<Page<Vendor | Brand | Measure | Vulnerability>>(`/api/v1/kb/${section}`, query);
  const apply = (e: FormEvent) => {
    e.preventDefault();
    paging.reset();
    setFilters(Object.fromEntries(Object.entries(draft).filter(([, v]) => v !== '')));
  };
  const optionLabel = (name: string, value: string) => {
    if (name === 'uncertain') return t(value === 'true' ? 'uncertainYes' : 'uncertainNo');
    if (name === 'kev') return t(value === 'true' ? 'yes' : 'no');
    return kbWord(lang, value).replace(/_/g, ' ');
  };
  const fieldLabel: Record<string, string> = {
    q: t('words'), country: t('country'), uncertain: t('uncertainOnly'), relationship: t('relationship'), confidence: t('confidenceLabel'),
    scope: t('scope'), kev: t('kevLabel'), exploitation: t('exploitationLabel'),
  };
  return (
    <Section id="kb-section" title={t(section)}>
      <form className="camaudit-toolbar" onSubmit={apply} aria-label={t('filter')}>
        {Object.entries(FILTERS[section]).map(([name, values]) => (
          <div key={name} className="utrecht-form-field">
            <label className="utrecht-form-label" htmlFor={`kb-filter-${name}`}>{fieldLabel[name]}</label>
            {values.length === 0 ? (
              <input id={`kb-filter-${name}`} className="utrecht-textbox utrecht-textbox--html-input" value={draft[name] ?? ''}
                maxLength={name === 'country' ? 2 : 200} onChange={(e) => setDraft({ ...draft, [name]: name === 'country' ? e.target.value.toUpperCase() : e.target.value })} />
            ) : (
              <select id={`kb-filter-${name}`} className="utrecht-select utrecht-select--html-select" value={draft[name] ?? ''} onChange={(e) => setDraft({ ...draft, [name]: e.target.value })}>
                <option value="">{t('any')}</option>
                {values.map((v) => <option key={v} value={v}>{optionLabel(name, v)}</option>)}
              </select>
            )}
          </div>
        ))}
        <button type="submit" className="utrecht-button utrecht-button--secondary-action">{t('apply')}</button>
      </form>
      <Loaded data={list.data} error={list.error}>{(page) => (
        <>
          <RecordTable caption={t(section)} rows={page.items.map((r) => ({ key: (r as { id: string }).id, ...rowOf(sectionHit(section, r)) }))} />
          <Pager paging={paging} nextCursor={page.nextCursor} />
        </>
      )}</Loaded>
    </Section>
  );
}

function sectionHit(section: SectionKey, record: Vendor | Brand | Measure | Vulnerability): Hit {
  const id = (record as { id: string }).id;
  if (section === 'vendors') return { section: 'vendor', id, label: (record as Vendor).name, record: record as Vendor };
  if (section === 'brands') return { section: 'brand', id, label: (record as Brand).brand, record: record as Brand };
  if (section === 'measures') return { section: 'measure', id, label: (record as Measure).jurisdiction, record: record as Measure };
  return { section: 'vulnerability', id, label: id, record: record as Vulnerability };
}

interface Row {
  key: string;
  section?: Hit['section'];
  name: ReactNode;
  details: ReactNode;
  certainty: ReactNode;
  sources: readonly SourceView[];
}

function rowOf(hit: Hit): Omit<Row, 'key' | 'section'> {
  return { name: <RecordName hit={hit} />, details: <RecordDetails hit={hit} />, certainty: <RecordCertainty hit={hit} />, sources: hit.record.sources };
}

function RecordName({ hit }: { hit: Hit }) {
  const t = useT(messages);
  const { lang } = useLang();
  const makerName = useMakerName();
  switch (hit.section) {
    case 'vendor': return <>{hit.record.name} <span className="camaudit-kb-id">({countryName(lang, hit.record.country)})</span></>;
    case 'brand': return <>{t('brand')}: {hit.record.brand} → {t('maker')}: {hit.record.maker?.name ?? makerName(hit.record.vendor)}</>;
    case 'measure': return <>{hit.record.jurisdiction}: {hit.record.body}</>;
    case 'vulnerability': return <>{hit.record.id}</>;
    case 'legal': return <>{hit.record.title}</>;
  }
}

function RecordDetails({ hit }: { hit: Hit }) {
  const t = useT(messages);
  const { lang } = useLang();
  const makerName = useMakerName();
  switch (hit.section) {
    case 'vendor': {
      const v = hit.record;
      return <>{v.parent ? `${t('parent', { name: makerName(v.parent) })}. ` : ''}{v.note ?? v.listing ?? ''}</>;
    }
    case 'brand': {
      const b = hit.record;
      return (
        <>
          <strong>{kbWord(lang, b.relationship)}</strong>. {b.evidence}{b.scope_note ? ` ${b.scope_note}` : ''}
          {b.alternativeMakers && b.alternativeMakers.length > 0 ? ` (${t('alternatives', { names: b.alternativeMakers.map((m) => m.name ?? makerName(m.id)).join(', ') })})` : ''}
        </>
      );
    }
    case 'measure': {
      const r = hit.record;
      return <>{kbDateText(lang, r.date)}: {r.scope.map((s) => kbWord(lang, s)).join(', ')} — {r.scope_detail} {measureStatus(lang, r.status)}{r.gap ? ` (${t('gap')})` : ''}</>;
    }
    case 'vulnerability': {
      const c = hit.record;
      const best = c.cvss.reduce((m, s) => Math.max(m, s.base_score), -1);
      return (
        <>
          {c.title} ({makerName(c.vendor)}, {kbDateText(lang, c.published)}). {t('cvss')}: {best >= 0 ? formatNumber(lang, best, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) : '—'}.{' '}
          <strong>{c.kev.listed ? t('kevListed', { date: kbDateText(lang, c.kev.date_added) }) : t('kevNot')}</strong>. {t('exploitationLabel')}: {kbWord(lang, c.exploitation.status)}.
        </>
      );
    }
    case 'legal': return <>{hit.record.jurisdiction}, {hit.record.instrument}: {hit.record.summary}</>;
  }
}

function RecordCertainty({ hit }: { hit: Hit }) {
  const t = useT(messages);
  switch (hit.section) {
    case 'vendor': return hit.record.uncertain ? <Confidence uncertain={hit.record.uncertain} /> : <>{t('noUncertainty')}</>;
    case 'brand': return <Confidence level={hit.record.confidence} uncertain={hit.record.uncertain ?? hit.record.confidence_note} />;
    case 'measure': return <Confidence level={hit.record.confidence} uncertain={hit.record.uncertain} />;
    case 'vulnerability': return hit.record.dispute ? <Confidence uncertain={t('disputed', { why: hit.record.dispute })} /> : <>{t('noUncertainty')}</>;
    case 'legal': return hit.record.verify ? <Confidence uncertain={t('verify')} /> : <>{t('noUncertainty')}</>;
  }
}

function RecordTable({ caption, rows, withKind }: { caption: string; rows: readonly Row[]; withKind?: boolean }) {
  const t = useT(messages);
  const headers = [...(withKind ? [t('kind')] : []), t('name'), t('details'), t('certainty'), t('sourcesCol')];
  return (
    <div className="camaudit-table-scroll">
      <table className="utrecht-table utrecht-table--html-table camaudit-table">
        <caption className="utrecht-table__caption">{caption}</caption>
        <thead className="utrecht-table__header">
          <tr className="utrecht-table__row">{headers.map((h) => <th key={h} scope="col" className="utrecht-table__header-cell">{h}</th>)}</tr>
        </thead>
        <tbody className="utrecht-table__body">
          {rows.map((r) => (
            <tr key={r.key} className="utrecht-table__row">
              {withKind && <td className="utrecht-table__cell">{r.section ? t(`section_${r.section}`) : ''}</td>}
              <th scope="row" className="utrecht-table__header-cell">{r.name}</th>
              <td className="utrecht-table__cell">{r.details}</td>
              <td className="utrecht-table__cell">{r.certainty}</td>
              <td className="utrecht-table__cell"><Sources sources={r.sources} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
