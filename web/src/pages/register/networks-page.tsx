// The organisation's networks: how each is connected and reached from afar, its address ranges and
// device count; filters and order kept in the address. Editors add and change networks; address
// ranges decide what may be scanned, so only administrators set them (the server enforces it).
import { useRef, useState, type FormEvent, type RefObject } from 'react';
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
    title: 'Netwerken', caption: 'Netwerken met hun aantal apparaten', filters: 'Filters', search: 'Zoeken', searchHint: 'Naam van het netwerk',
    connectivity: 'Netwerkverbinding', remoteAccess: 'Toegang op afstand', any: 'Alle', apply: 'Filter toepassen', clear: 'Filters wissen',
    name: 'Naam', cidrs: 'Adresbereiken', devices: 'Apparaten', actions: 'Acties', none: '—',
    cidrsHint: 'Eén bereik per regel, bijvoorbeeld 10.20.0.0/16.', cidrsAdminOnly: 'Adresbereiken bepalen wat gescand mag worden; alleen een beheerder stelt ze in.',
    add: 'Netwerk toevoegen', edit: 'Wijzigen', editNamed: '{name} wijzigen', newTitle: 'Nieuw netwerk', editTitle: 'Netwerk “{name}” wijzigen',
    save: 'Opslaan', cancel: 'Annuleren', created: 'Netwerk “{name}” is toegevoegd.', updated: 'Netwerk “{name}” is gewijzigd.', onPage: '{n} netwerken op deze pagina.',
  },
  en: {
    title: 'Networks', caption: 'Networks with their number of devices', filters: 'Filters', search: 'Search', searchHint: 'Name of the network',
    connectivity: 'Network connection', remoteAccess: 'Remote access', any: 'Any', apply: 'Apply filters', clear: 'Clear filters',
    name: 'Name', cidrs: 'Address ranges', devices: 'Devices', actions: 'Actions', none: '—',
    cidrsHint: 'One range per line, for example 10.20.0.0/16.', cidrsAdminOnly: 'Address ranges decide what may be scanned; only an administrator sets them.',
    add: 'Add a network', edit: 'Edit', editNamed: 'Edit {name}', newTitle: 'New network', editTitle: 'Edit network “{name}”',
    save: 'Save', cancel: 'Cancel', created: 'Network “{name}” was added.', updated: 'Network “{name}” was changed.', onPage: '{n} networks on this page.',
  },
});

interface NetworkRow {
  id: string;
  name: string;
  cidrs: string[];
  connectivity: string;
  remoteAccess: string;
  devices: number;
}

const FILTERS = ['q', 'connectivity', 'remoteAccess'] as const;
const NETWORK_FIELDS = ['name', 'cidrs', 'connectivity', 'remoteAccess'] as const;

export function NetworksPage() {
  const t = useT(messages);
  const { lang } = useLang();
  const org = useOrg();
  const { search, filters, position, update } = useUrlList(FILTERS, 50);
  const list = useApi<Page<NetworkRow>>(orgPath(org.slug, '/networks'), { ...filters, sort: position.sort, limit: position.limit, cursor: position.cursor });
  const [editing, setEditing] = useState<NetworkRow | 'new' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const formHeading = useRef<HTMLHeadingElement>(null);
  const canWrite = org.can('write');
  const open = (target: NetworkRow | 'new') => {
    setNotice(null);
    setEditing(target);
    requestAnimationFrame(() => formHeading.current?.focus());
  };
  const columns: Column<NetworkRow>[] = [
    { key: 'name', header: t('name'), sort: 'name', render: (n) => n.name },
    { key: 'cidrs', header: t('cidrs'), render: (n) => (n.cidrs.length ? n.cidrs.join(', ') : t('none')) },
    { key: 'connectivity', header: t('connectivity'), sort: 'connectivity', render: (n) => label(lang, 'connectivity', n.connectivity) },
    { key: 'remoteAccess', header: t('remoteAccess'), sort: 'remoteAccess', render: (n) => label(lang, 'remoteAccess', n.remoteAccess) },
    { key: 'devices', header: t('devices'), numeric: true, render: (n) => formatNumber(lang, n.devices) },
    ...(canWrite ? [{
      key: 'actions', header: t('actions'),
      render: (n: NetworkRow) => <button type="button" className="utrecht-button utrecht-button--subtle" aria-label={t('editNamed', { name: n.name })} onClick={() => open(n)}>{t('edit')}</button>,
    }] : []),
  ];
  return (
    <>
      <PageTitle title={t('title')}>{t('title')}</PageTitle>
      <NetworkFilters key={search.toString()} filters={filters}
        onApply={(f) => update({ q: f.q, connectivity: f.connectivity, remoteAccess: f.remoteAccess })}
        onClear={() => update({ q: undefined, connectivity: undefined, remoteAccess: undefined })} />
      <div className="camaudit-toolbar">
        <PageSize id="networks-limit" value={position.limit} sizes={PAGE_SIZES} onChange={(limit) => update({ limit: String(limit) })} />
        {canWrite && <button type="button" className="utrecht-button utrecht-button--primary-action" onClick={() => open('new')}>{t('add')}</button>}
      </div>
      {notice && <Alert type="ok">{notice}</Alert>}
      {editing && (
        <Section title={editing === 'new' ? t('newTitle') : t('editTitle', { name: editing.name })} id="network-form">
          <NetworkForm key={editing === 'new' ? 'new' : editing.id} org={org.slug} network={editing === 'new' ? null : editing} isAdmin={org.can('admin')}
            headingRef={formHeading} onCancel={() => setEditing(null)}
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
          <DataTable caption={t('caption')} columns={columns} rows={list.data.items} rowKey={(n) => n.id} sort={position.sort ?? 'name'} onSort={(sort) => update({ sort })} />
          <UrlPager position={position} nextCursor={list.data.nextCursor} search={search} />
        </>
      )}
    </>
  );
}

type FilterValues = { q?: string; connectivity?: string; remoteAccess?: string };

function NetworkFilters({ filters, onApply, onClear }: { filters: FilterValues; onApply(f: FilterValues): void; onClear(): void }) {
  const t = useT(messages);
  const { lang } = useLang();
  const [draft, setDraft] = useState<FilterValues>(filters);
  const choose = (k: 'connectivity' | 'remoteAccess') => (
    <div className="utrecht-form-field">
      <label className="utrecht-form-label" htmlFor={`networks-${k}`}>{t(k)}</label>
      <select id={`networks-${k}`} className="utrecht-select utrecht-select--html-select" value={draft[k] ?? ''} onChange={(e) => setDraft((d) => ({ ...d, [k]: e.target.value || undefined }))}>
        <option value="">{t('any')}</option>
        {labelValues(k).map((v) => <option key={v} value={v}>{label(lang, k, v)}</option>)}
      </select>
    </div>
  );
  return (
    <form role="search" aria-label={t('filters')} onSubmit={(e) => {
      e.preventDefault();
      onApply({ ...draft, q: draft.q?.trim() || undefined });
    }}>
      <div className="camaudit-filters">
        <div className="utrecht-form-field">
          <label className="utrecht-form-label" htmlFor="networks-q">{t('search')}</label>
          <input id="networks-q" type="search" className="utrecht-textbox utrecht-textbox--html-input" value={draft.q ?? ''} aria-describedby="networks-q-hint"
            onChange={(e) => setDraft((d) => ({ ...d, q: e.target.value }))} />
          <span id="networks-q-hint" className="camaudit-visually-hidden">{t('searchHint')}</span>
        </div>
        {choose('connectivity')}
        {choose('remoteAccess')}
      </div>
      <div className="camaudit-filters__actions">
        <button type="submit" className="utrecht-button utrecht-button--primary-action">{t('apply')}</button>
        <button type="button" className="utrecht-button utrecht-button--secondary-action" onClick={onClear}>{t('clear')}</button>
      </div>
    </form>
  );
}

function NetworkForm({ org, network, isAdmin, headingRef, onCancel, onSaved }: {
  org: string;
  network: NetworkRow | null;
  isAdmin: boolean;
  headingRef: RefObject<HTMLHeadingElement | null>;
  onCancel(): void;
  onSaved(name: string, created: boolean): void;
}) {
  const t = useT(messages);
  const { lang } = useLang();
  const [values, setValues] = useState({
    name: network?.name ?? '', connectivity: network?.connectivity ?? 'unknown', remoteAccess: network?.remoteAccess ?? 'none', cidrs: network?.cidrs.join('\n') ?? '',
  });
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const errors = error instanceof ApiError ? fieldErrors(error.detail, NETWORK_FIELDS) : null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body: Record<string, unknown> = { name: values.name, connectivity: values.connectivity, remoteAccess: values.remoteAccess };
    const cidrs = values.cidrs.split(/[\n,]+/).map((c) => c.trim()).filter(Boolean);
    if (isAdmin && cidrs.join('\n') !== (network?.cidrs ?? []).join('\n')) body.cidrs = cidrs;
    setBusy(true);
    setError(null);
    try {
      const saved = await api<NetworkRow>(orgPath(org, network ? `/networks/${network.id}` : '/networks'), { method: network ? 'PATCH' : 'POST', body });
      onSaved(saved.name, network === null);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  const choose = (k: 'connectivity' | 'remoteAccess') => (
    <Field id={`network-${k}`} label={t(k)} error={errors?.byField[k]}>
      {(a11y) => (
        <select {...a11y} name={k} className="utrecht-select utrecht-select--html-select" value={values[k]} onChange={(e) => setValues((v) => ({ ...v, [k]: e.target.value }))}>
          {labelValues(k).map((v) => <option key={v} value={v}>{label(lang, k, v)}</option>)}
        </select>
      )}
    </Field>
  );
  return (
    <form className="camaudit-form" noValidate onSubmit={(e) => void submit(e)}>
      <h3 className="camaudit-visually-hidden" tabIndex={-1} ref={headingRef}>{network ? t('editTitle', { name: network.name }) : t('newTitle')}</h3>
      {errors && errors.general.length > 0 && <Alert type="error">{errors.general.join('; ')}</Alert>}
      {error && !(error instanceof ApiError && error.detail) && <ErrorAlert error={error} />}
      <Field id="network-name" label={t('name')} error={errors?.byField.name}>
        {(a11y) => <input {...a11y} name="name" required className="utrecht-textbox utrecht-textbox--html-input" value={values.name} onChange={(e) => setValues((v) => ({ ...v, name: e.target.value }))} />}
      </Field>
      {choose('connectivity')}
      {choose('remoteAccess')}
      <Field id="network-cidrs" label={t('cidrs')} error={errors?.byField.cidrs} hint={isAdmin ? t('cidrsHint') : t('cidrsAdminOnly')}>
        {(a11y) => (
          <textarea {...a11y} name="cidrs" rows={3} className="utrecht-textarea utrecht-textbox utrecht-textbox--html-input" value={values.cidrs} readOnly={!isAdmin}
            onChange={(e) => setValues((v) => ({ ...v, cidrs: e.target.value }))} />
        )}
      </Field>
      <div className="camaudit-filters__actions">
        <button type="submit" className="utrecht-button utrecht-button--primary-action" disabled={busy}>{t('save')}</button>
        <button type="button" className="utrecht-button utrecht-button--secondary-action" onClick={onCancel}>{t('cancel')}</button>
      </div>
    </form>
  );
}
