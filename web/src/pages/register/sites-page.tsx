// The organisation's sites: a paged, sortable list filtered by category and text (kept in the
// address), each with its device count linking to those devices; editors add and change sites,
// and the API's objections are shown at the field they concern.
import { useRef, useState, type FormEvent, type RefObject } from 'react';
import { Link } from 'react-router';
import { api, ApiError, orgPath, useApi, type Page } from '../../api';
import { DataTable, type Column } from '../../components/data-table';
import { Alert, ErrorAlert, Loading } from '../../components/feedback';
import { PageTitle, Section } from '../../components/page';
import { defineMessages, formatNumber, useLang, useT } from '../../i18n';
import { label, labelValues } from '../../labels';
import { useOrg } from '../../session';
import { fieldErrors, PAGE_SIZES } from './register-logic';
import { Field, PageSize, UrlPager, useUrlList } from './shared';

const messages = defineMessages({
  nl: {
    title: 'Locaties', caption: 'Locaties met hun aantal apparaten', filters: 'Filters', search: 'Zoeken', searchHint: 'Naam, adres, postcode of plaats',
    category: 'Soort locatie', any: 'Alle', apply: 'Filter toepassen', clear: 'Filters wissen',
    name: 'Naam', address: 'Adres', postcode: 'Postcode', city: 'Plaats', bagId: 'BAG-id', devices: 'Apparaten', devicesAt: '{n} apparaten op {site}', actions: 'Acties',
    lat: 'Breedtegraad (WGS84)', lon: 'Lengtegraad (WGS84)', position: 'Positie', positionHint: 'In graden, bijvoorbeeld 52,97 en 6,45. Beide leeg: geen positie.',
    add: 'Locatie toevoegen', edit: 'Wijzigen', editNamed: '{name} wijzigen', newTitle: 'Nieuwe locatie', editTitle: 'Locatie “{name}” wijzigen',
    save: 'Opslaan', cancel: 'Annuleren', created: 'Locatie “{name}” is toegevoegd.', updated: 'Locatie “{name}” is gewijzigd.',
    onPage: '{n} locaties op deze pagina.', badNumber: 'Geef een getal, bijvoorbeeld 52.97.',
  },
  en: {
    title: 'Sites', caption: 'Sites with their number of devices', filters: 'Filters', search: 'Search', searchHint: 'Name, address, postcode or city',
    category: 'Site category', any: 'Any', apply: 'Apply filters', clear: 'Clear filters',
    name: 'Name', address: 'Address', postcode: 'Postcode', city: 'City', bagId: 'BAG id', devices: 'Devices', devicesAt: '{n} devices at {site}', actions: 'Actions',
    lat: 'Latitude (WGS84)', lon: 'Longitude (WGS84)', position: 'Position', positionHint: 'In degrees, for example 52.97 and 6.45. Both empty: no position.',
    add: 'Add a site', edit: 'Edit', editNamed: 'Edit {name}', newTitle: 'New site', editTitle: 'Edit site “{name}”',
    save: 'Save', cancel: 'Cancel', created: 'Site “{name}” was added.', updated: 'Site “{name}” was changed.',
    onPage: '{n} sites on this page.', badNumber: 'Give a number, for example 52.97.',
  },
});

export interface SiteRow {
  id: string;
  name: string;
  category: string;
  address: string | null;
  postcode: string | null;
  city: string | null;
  bagId: string | null;
  position: { lat: number; lon: number } | null;
  devices: number;
}

const FILTERS = ['q', 'category'] as const;
const SITE_FIELDS = ['name', 'category', 'address', 'postcode', 'city', 'bagId', 'position', 'lat', 'lon'] as const;

export function SitesPage() {
  const t = useT(messages);
  const { lang } = useLang();
  const org = useOrg();
  const { search, filters, position, update } = useUrlList(FILTERS, 50);
  const list = useApi<Page<SiteRow>>(orgPath(org.slug, '/sites'), { ...filters, sort: position.sort, limit: position.limit, cursor: position.cursor });
  const [editing, setEditing] = useState<SiteRow | 'new' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const formHeading = useRef<HTMLHeadingElement>(null);
  const canWrite = org.can('write');
  const open = (target: SiteRow | 'new') => {
    setNotice(null);
    setEditing(target);
    requestAnimationFrame(() => formHeading.current?.focus());
  };
  const devicesPath = `/o/${encodeURIComponent(org.slug)}/devices`;
  const columns: Column<SiteRow>[] = [
    { key: 'name', header: t('name'), sort: 'name', render: (s) => s.name },
    { key: 'category', header: t('category'), sort: 'category', render: (s) => label(lang, 'category', s.category) },
    { key: 'address', header: t('address'), render: (s) => s.address ?? '—' },
    { key: 'postcode', header: t('postcode'), render: (s) => s.postcode ?? '—' },
    { key: 'city', header: t('city'), sort: 'city', render: (s) => s.city ?? '—' },
    {
      key: 'devices', header: t('devices'), numeric: true,
      render: (s) => <Link className="utrecht-link" to={`${devicesPath}?site=${s.id}`} aria-label={t('devicesAt', { n: s.devices, site: s.name })}>{formatNumber(lang, s.devices)}</Link>,
    },
    ...(canWrite ? [{
      key: 'actions', header: t('actions'),
      render: (s: SiteRow) => <button type="button" className="utrecht-button utrecht-button--subtle" aria-label={t('editNamed', { name: s.name })} onClick={() => open(s)}>{t('edit')}</button>,
    }] : []),
  ];
  return (
    <>
      <PageTitle title={t('title')}>{t('title')}</PageTitle>
      <ListFilters key={search.toString()} filters={filters} onApply={(f) => update({ q: f.q, category: f.category })} onClear={() => update({ q: undefined, category: undefined })} />
      <div className="camaudit-toolbar">
        <PageSize id="sites-limit" value={position.limit} sizes={PAGE_SIZES} onChange={(limit) => update({ limit: String(limit) })} />
        {canWrite && <button type="button" className="utrecht-button utrecht-button--primary-action" onClick={() => open('new')}>{t('add')}</button>}
      </div>
      {notice && <Alert type="ok">{notice}</Alert>}
      {editing && (
        <Section title={editing === 'new' ? t('newTitle') : t('editTitle', { name: editing.name })} id="site-form">
          <SiteForm key={editing === 'new' ? 'new' : editing.id} org={org.slug} site={editing === 'new' ? null : editing} headingRef={formHeading}
            onCancel={() => setEditing(null)}
            onSaved={(name, created) => {
              setEditing(null);
              setNotice(created ? t('created', { name }) : t('updated', { name }));
              list.reload();
            }} />
        </Section>
      )}
      {list.error && <ErrorAlert error={list.error} />}
      {!list.data && !list.error && <Loading />}
      {list.data && (
        <>
          <p className="utrecht-paragraph" role="status">{t('onPage', { n: list.data.items.length })}</p>
          <DataTable caption={t('caption')} columns={columns} rows={list.data.items} rowKey={(s) => s.id} sort={position.sort ?? 'name'} onSort={(sort) => update({ sort })} />
          <UrlPager position={position} nextCursor={list.data.nextCursor} search={search} />
        </>
      )}
    </>
  );
}

function ListFilters({ filters, onApply, onClear }: { filters: { q?: string; category?: string }; onApply(f: { q?: string; category?: string }): void; onClear(): void }) {
  const t = useT(messages);
  const { lang } = useLang();
  const [q, setQ] = useState(filters.q ?? '');
  const [category, setCategory] = useState(filters.category ?? '');
  return (
    <form role="search" aria-label={t('filters')} onSubmit={(e) => {
      e.preventDefault();
      onApply({ q: q.trim() || undefined, category: category || undefined });
    }}>
      <div className="camaudit-filters">
        <div className="utrecht-form-field">
          <label className="utrecht-form-label" htmlFor="sites-q">{t('search')}</label>
          <input id="sites-q" type="search" className="utrecht-textbox utrecht-textbox--html-input" value={q} onChange={(e) => setQ(e.target.value)} aria-describedby="sites-q-hint" />
          <span id="sites-q-hint" className="camaudit-visually-hidden">{t('searchHint')}</span>
        </div>
        <div className="utrecht-form-field">
          <label className="utrecht-form-label" htmlFor="sites-category">{t('category')}</label>
          <select id="sites-category" className="utrecht-select utrecht-select--html-select" value={category} onChange={(e) => setCategory(e.target.value)}>
            <option value="">{t('any')}</option>
            {labelValues('category').map((c) => <option key={c} value={c}>{label(lang, 'category', c)}</option>)}
          </select>
        </div>
      </div>
      <div className="camaudit-filters__actions">
        <button type="submit" className="utrecht-button utrecht-button--primary-action">{t('apply')}</button>
        <button type="button" className="utrecht-button utrecht-button--secondary-action" onClick={onClear}>{t('clear')}</button>
      </div>
    </form>
  );
}

type SiteField = (typeof SITE_FIELDS)[number];

function SiteForm({ org, site, headingRef, onCancel, onSaved }: {
  org: string;
  site: SiteRow | null;
  headingRef: RefObject<HTMLHeadingElement | null>;
  onCancel(): void;
  onSaved(name: string, created: boolean): void;
}) {
  const t = useT(messages);
  const { lang } = useLang();
  const [values, setValues] = useState({
    name: site?.name ?? '', category: site?.category ?? 'other', address: site?.address ?? '', postcode: site?.postcode ?? '', city: site?.city ?? '',
    bagId: site?.bagId ?? '', lat: site?.position ? String(site.position.lat) : '', lon: site?.position ? String(site.position.lon) : '',
  });
  const [error, setError] = useState<Error | null>(null);
  const [local, setLocal] = useState<Partial<Record<SiteField, string>>>({});
  const [busy, setBusy] = useState(false);
  const errors = error instanceof ApiError ? fieldErrors(error.detail, SITE_FIELDS) : null;
  const errorOf = (f: SiteField) => local[f] ?? errors?.byField[f];
  const positionError = errors?.byField.position;
  const set = (f: keyof typeof values) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [f]: e.target.value }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const number = (s: string) => Number(s.trim().replace(',', '.'));
    const bad: Partial<Record<SiteField, string>> = {};
    for (const f of ['lat', 'lon'] as const) if (values[f].trim() && !Number.isFinite(number(values[f]))) bad[f] = t('badNumber');
    setLocal(bad);
    if (Object.keys(bad).length > 0) return;
    const hasPosition = values.lat.trim() !== '' || values.lon.trim() !== '';
    const body: Record<string, unknown> = {
      name: values.name, category: values.category, address: values.address || null, postcode: values.postcode || null, city: values.city || null, bagId: values.bagId || null,
    };
    if (hasPosition) body.position = { lat: number(values.lat || 'x'), lon: number(values.lon || 'x') };
    else if (site?.position) body.position = null;
    setBusy(true);
    setError(null);
    try {
      const saved = await api<SiteRow>(orgPath(org, site ? `/sites/${site.id}` : '/sites'), { method: site ? 'PATCH' : 'POST', body });
      onSaved(saved.name, site === null);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  const text = (f: 'name' | 'address' | 'postcode' | 'city' | 'bagId' | 'lat' | 'lon', extra?: { required?: boolean; inputMode?: 'decimal' }) => (
    <Field id={`site-${f}`} label={t(f)} error={errorOf(f)}>
      {(a11y) => <input {...a11y} name={f} className="utrecht-textbox utrecht-textbox--html-input" value={values[f]} onChange={set(f)} required={extra?.required} inputMode={extra?.inputMode} />}
    </Field>
  );
  return (
    <form className="camaudit-form" noValidate onSubmit={(e) => void submit(e)}>
      <h3 className="camaudit-visually-hidden" tabIndex={-1} ref={headingRef}>{site ? t('editTitle', { name: site.name }) : t('newTitle')}</h3>
      {errors && errors.general.length > 0 && <Alert type="error">{errors.general.join('; ')}</Alert>}
      {error && !(error instanceof ApiError && error.detail) && <ErrorAlert error={error} />}
      {text('name', { required: true })}
      <Field id="site-category" label={t('category')} error={errorOf('category')}>
        {(a11y) => (
          <select {...a11y} name="category" className="utrecht-select utrecht-select--html-select" value={values.category} onChange={set('category')}>
            {labelValues('category').map((c) => <option key={c} value={c}>{label(lang, 'category', c)}</option>)}
          </select>
        )}
      </Field>
      {text('address')}
      {text('postcode')}
      {text('city')}
      {text('bagId')}
      <fieldset className="utrecht-form-fieldset" aria-describedby={positionError ? 'site-position-error site-position-hint' : 'site-position-hint'}>
        <legend className="utrecht-form-label">{t('position')}</legend>
        <p className="utrecht-form-field-description" id="site-position-hint">{t('positionHint')}</p>
        {positionError && <p className="camaudit-field-error" id="site-position-error">{positionError}</p>}
        {text('lat', { inputMode: 'decimal' })}
        {text('lon', { inputMode: 'decimal' })}
      </fieldset>
      <div className="camaudit-filters__actions">
        <button type="submit" className="utrecht-button utrecht-button--primary-action" disabled={busy}>{t('save')}</button>
        <button type="button" className="utrecht-button utrecht-button--secondary-action" onClick={onCancel}>{t('cancel')}</button>
      </div>
    </form>
  );
}
