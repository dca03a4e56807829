// The device register: a server-paged, sortable, filterable table whose filters, order and page
// live in the address (links from the overview open a filtered list; back and forward work), a
// column chooser remembered in the browser, bulk edits (all or nothing) and exports of exactly
// the filtered view.
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, ApiError, apiFile, orgPath, saveBlob, useApi, type Page } from '../../api';
import { DataTable, type Column } from '../../components/data-table';
import { Alert, ErrorAlert, Loading } from '../../components/feedback';
import { PageTitle, Section } from '../../components/page';
import { defineMessages, formatDate, formatNumber, useLang, useT } from '../../i18n';
import { label, labelValues } from '../../labels';
import { useOrg } from '../../session';
import { deviceName, type DeviceRow, type FindingView } from './device-types';
import {
  bulkAllowed, chosenColumns, DEVICE_FILTER_KEYS, fieldErrors, filtersFrom, highestSeverity, otherMaker, PAGE_SIZES, positionFrom, SEVERITY_ORDER,
  withChanges, type DeviceFilterKey, type Filters,
} from './register-logic';
import { Field, PageSize, RULE_IDS, ruleName, SeverityBadge, UrlPager, useChoices, useVendors } from './shared';

const messages = defineMessages({
  nl: {
    title: 'Apparaten', caption: 'Apparaten in het register', filters: 'Filters', search: 'Zoeken', searchHint: 'Merk, model, serienummer, MAC, IP, referentie of locatie',
    kind: 'Soort', status: 'Status', manufacturer: 'Echte fabrikant', brand: 'Merk op het label', connectivity: 'Netwerkverbinding', site: 'Locatie',
    category: 'Soort locatie', remoteAccess: 'Toegang op afstand', oem: 'Alleen apparaten onder een ander merk verkocht (OEM)', rule: 'Bevinding', severity: 'Hoogste risico',
    any: 'Alle', noMaker: '(geen fabrikant vastgesteld)', apply: 'Filter toepassen', clear: 'Filters wissen',
    device: 'Apparaat', brandMaker: 'Merk (fabrikant)', madeBy: 'gemaakt door {maker}', model: 'Model', risk: 'Risico', network: 'Netwerk', ip: 'IP-adres', mac: 'MAC-adres',
    serial: 'Serienummer', firmware: 'Firmware', siteCategory: 'Soort locatie', confidence: 'Zekerheid fabrikant', updatedAt: 'Gewijzigd', createdAt: 'Toegevoegd',
    reference: 'Referentie', purpose: 'Doel', riskLoading: 'Risico wordt geladen', riskSee: 'Bevindingen', riskOf: 'Bevindingen van {device}',
    columns: 'Kolommen kiezen', columnsLegend: 'Zichtbare kolommen',
    total: '{n} apparaten voldoen aan de filters.', totalOne: '1 apparaat voldoet aan de filters.', onPage: '{n} apparaten op deze pagina.',
    exportTitle: 'Exporteren', exportCsv: 'Gefilterde lijst als CSV', exportXlsx: 'Gefilterde lijst als Excel (XLSX)', exporting: 'Export wordt gemaakt…', exported: '{file} is gedownload.',
    bulkTitle: 'Meerdere apparaten tegelijk wijzigen', selected: '{n} apparaten geselecteerd.', selectedNone: 'Geen apparaten geselecteerd. Kies rijen in de tabel.',
    selectMatching: 'Alle {n} apparaten die aan de filters voldoen selecteren', selectMatchingUnknown: 'Alle apparaten die aan de filters voldoen selecteren',
    tooMany: 'Er voldoen meer dan {max} apparaten aan de filters; één wijziging raakt er hoogstens {max}. Verfijn de filters.',
    clearSelection: 'Selectie wissen', field: 'Veld', value: 'Nieuwe waarde', emptyClears: 'Leeg laten wist het veld.', review: 'Wijziging controleren',
    confirm: 'Zet {field} op “{value}” voor {n} apparaten?', confirmHint: 'Alle apparaten worden gewijzigd, of geen enkele als er één niet kan.',
    apply_: 'Ja, wijzigen', cancel: 'Annuleren', bulkDone: '{n} apparaten verwerkt, {changed} gewijzigd.', empty: '(leeg)', noSite: '(geen locatie)', noNetwork: '(geen netwerk)',
    selecting: 'Apparaten worden geselecteerd…',
    f_status: 'Status', f_kind: 'Soort', f_siteId: 'Locatie', f_networkId: 'Netwerk', f_purpose: 'Doel', f_legalBasis: 'Grondslag', f_retentionDays: 'Bewaartermijn (dagen)',
    f_supplier: 'Leverancier', f_installer: 'Installateur',
  },
  en: {
    title: 'Devices', caption: 'Devices in the register', filters: 'Filters', search: 'Search', searchHint: 'Brand, model, serial number, MAC, IP, reference or site',
    kind: 'Kind', status: 'Status', manufacturer: 'True maker', brand: 'Brand on the label', connectivity: 'Network connection', site: 'Site',
    category: 'Site category', remoteAccess: 'Remote access', oem: 'Only devices sold under another brand (OEM)', rule: 'Finding', severity: 'Highest risk',
    any: 'Any', noMaker: '(no maker established)', apply: 'Apply filters', clear: 'Clear filters',
    device: 'Device', brandMaker: 'Brand (maker)', madeBy: 'made by {maker}', model: 'Model', risk: 'Risk', network: 'Network', ip: 'IP address', mac: 'MAC address',
    serial: 'Serial number', firmware: 'Firmware', siteCategory: 'Site category', confidence: 'Maker confidence', updatedAt: 'Changed', createdAt: 'Added',
    reference: 'Reference', purpose: 'Purpose', riskLoading: 'Loading risk', riskSee: 'Findings', riskOf: 'Findings of {device}',
    columns: 'Choose columns', columnsLegend: 'Visible columns',
    total: '{n} devices match the filters.', totalOne: '1 device matches the filters.', onPage: '{n} devices on this page.',
    exportTitle: 'Export', exportCsv: 'Filtered list as CSV', exportXlsx: 'Filtered list as Excel (XLSX)', exporting: 'Preparing the export…', exported: '{file} was downloaded.',
    bulkTitle: 'Change several devices at once', selected: '{n} devices selected.', selectedNone: 'No devices selected. Choose rows in the table.',
    selectMatching: 'Select all {n} devices matching the filters', selectMatchingUnknown: 'Select all devices matching the filters',
    tooMany: 'More than {max} devices match the filters; one change covers at most {max}. Narrow the filters.',
    clearSelection: 'Clear selection', field: 'Field', value: 'New value', emptyClears: 'Leaving it empty clears the field.', review: 'Review the change',
    confirm: 'Set {field} to “{value}” on {n} devices?', confirmHint: 'Every device is changed, or none if one cannot be.',
    apply_: 'Yes, change them', cancel: 'Cancel', bulkDone: '{n} devices processed, {changed} changed.', empty: '(empty)', noSite: '(no site)', noNetwork: '(no network)',
    selecting: 'Selecting devices…',
    f_status: 'Status', f_kind: 'Kind', f_siteId: 'Site', f_networkId: 'Network', f_purpose: 'Purpose', f_legalBasis: 'Legal basis', f_retentionDays: 'Retention (days)',
    f_supplier: 'Supplier', f_installer: 'Installer',
  },
});

type Key = keyof typeof messages.en;

interface DeviceList extends Page<DeviceRow> {
  /** How many devices match the filters, when the server counts them. */
  total?: number;
}

/** The most devices one bulk edit may change (the API's limit). */
const MAX_BULK = 1000;
const COLUMNS_KEY = 'camaudit.devices.columns';
const ALL_COLUMNS = ['brand', 'model', 'kind', 'status', 'site', 'risk', 'connectivity', 'siteCategory', 'network', 'remoteAccess', 'ip', 'mac', 'serial', 'firmware', 'reference', 'purpose', 'confidence', 'updatedAt', 'createdAt'] as const;
type ColumnKey = (typeof ALL_COLUMNS)[number];
const DEFAULT_COLUMNS: readonly ColumnKey[] = ['brand', 'model', 'kind', 'status', 'site', 'risk', 'connectivity'];
const COLUMN_HEADER: Record<ColumnKey, Key> = {
  brand: 'brandMaker', model: 'model', kind: 'kind', status: 'status', site: 'site', risk: 'risk', connectivity: 'connectivity', siteCategory: 'siteCategory',
  network: 'network', remoteAccess: 'remoteAccess', ip: 'ip', mac: 'mac', serial: 'serial', firmware: 'firmware', reference: 'reference', purpose: 'purpose',
  confidence: 'confidence', updatedAt: 'updatedAt', createdAt: 'createdAt',
};

const BULK_FIELDS = ['status', 'kind', 'siteId', 'networkId', 'purpose', 'legalBasis', 'retentionDays', 'supplier', 'installer'] as const;
type BulkField = (typeof BULK_FIELDS)[number];

function useColumns(): [ColumnKey[], (key: ColumnKey, on: boolean) => void] {
  const [columns, setColumns] = useState<ColumnKey[]>(() => chosenColumns(localStorage.getItem(COLUMNS_KEY), ALL_COLUMNS, DEFAULT_COLUMNS) as ColumnKey[]);
  const toggle = useCallback((key: ColumnKey, on: boolean) => {
    setColumns((current) => {
      const next = ALL_COLUMNS.filter((k) => (k === key ? on : current.includes(k)));
      localStorage.setItem(COLUMNS_KEY, JSON.stringify(next));
      return next;
    });
  }, []);
  return [columns, toggle];
}

/**
 * In registers larger than this the page does not ask each device's findings for its risk: every
 * such request reads the organisation's findings whole, and fifty of them would hold up the server.
 */
const RISK_LOOKUP_MAX = 2_000;

/**
 * The highest severity per device on the page: from the list when the server gives it, else from
 * each device's findings (only while the risk column is shown, and in registers small enough);
 * null when the risk is not looked up here.
 */
function useRisk(org: string, rows: readonly DeviceRow[] | undefined, wanted: boolean): Map<string, string | null> | null {
  const fromList = rows !== undefined && rows.length > 0 && rows.every((r) => 'severity' in r);
  // The register's size (one device asked for, with the count): only when the list gives no risk.
  const size = useApi<DeviceList>(wanted && rows !== undefined && !fromList ? orgPath(org, '/devices') : null, { limit: 1 });
  const enabled = wanted && size.data !== undefined && (size.data.total === undefined || size.data.total <= RISK_LOOKUP_MAX);
  const [risk, setRisk] = useState<Map<string, string | null>>(new Map());
  const ids = rows?.map((r) => r.id).join(',') ?? '';
  useEffect(() => {
    if (!enabled || fromList || ids === '') return;
    const controller = new AbortController();
    const queue = ids.split(',');
    const found = new Map<string, string | null>();
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        const page = await api<Page<FindingView>>(orgPath(org, `/devices/${id}/findings`), { signal: controller.signal });
        found.set(id, highestSeverity(page.items));
        setRisk(new Map(found));
      }
    };
    void Promise.all(Array.from({ length: 4 }, worker)).catch(() => undefined);
    return () => controller.abort();
  }, [org, ids, enabled, fromList]);
  if (fromList) return new Map(rows.map((r) => [r.id, r.severity ?? null]));
  if (wanted && size.data === undefined && !size.error) return new Map();
  return enabled ? risk : null;
}

export function DevicesPage() {
  const t = useT(messages);
  const { lang } = useLang();
  const org = useOrg();
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const filters = useMemo(() => filtersFrom(search, DEVICE_FILTER_KEYS), [search]);
  const position = positionFrom(search, 50);
  const filterKey = JSON.stringify(filters);
  const query = { ...filters, sort: position.sort, limit: position.limit, cursor: position.cursor };
  const list = useApi<DeviceList>(orgPath(org.slug, '/devices'), query);
  const vendors = useVendors();
  const [columns, toggleColumn] = useColumns();
  const risk = useRisk(org.slug, list.data?.items, columns.includes('risk'));
  const canWrite = org.can('write');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  useEffect(() => setSelected(new Set()), [filterKey]);
  const [sitesTick, setSitesTick] = useState(0);
  // Sites and networks are listed only when a choice among them is about to be made.
  const [wantSites, setWantSites] = useState(false);
  const [wantNetworks, setWantNetworks] = useState(false);
  const sites = useChoices(org.slug, 'sites', wantSites, sitesTick);
  const networks = useChoices(org.slug, 'networks', wantNetworks, sitesTick);
  const filteredSite = useApi<{ id: string; name: string }>(filters.site && !wantSites ? orgPath(org.slug, `/sites/${filters.site}`) : null);

  const setSearch = (changes: Record<string, string | undefined>) => navigate({ search: withChanges(search, changes) });

  const columnDefs: Column<DeviceRow>[] = [
    { key: 'device', header: t('device'), render: (d) => <Link className="utrecht-link camaudit-nowrap" to={`/o/${encodeURIComponent(org.slug)}/devices/${d.id}`}>{deviceName(d)}</Link> },
    ...ALL_COLUMNS.filter((k) => columns.includes(k)).map((k): Column<DeviceRow> => ({
      key: k, header: t(COLUMN_HEADER[k]), sort: SORTABLE[k], numeric: k === 'confidence',
      render: (d) => cell(k, d),
    })),
  ];

  function cell(k: ColumnKey, d: DeviceRow) {
    switch (k) {
      case 'brand': {
        const maker = otherMaker(d.brand, d.manufacturer, vendors);
        return <>{d.brand ?? '—'}{maker && <span className="camaudit-maker">{t('madeBy', { maker })}</span>}</>;
      }
      case 'model': return d.model ?? '—';
      case 'kind': return label(lang, 'kind', d.kind);
      case 'status': return label(lang, 'status', d.status);
      case 'site': return d.siteName ?? '—';
      case 'risk': {
        if (!risk) {
          return <Link className="utrecht-link" to={`/o/${encodeURIComponent(org.slug)}/devices/${d.id}#findings`} aria-label={t('riskOf', { device: deviceName(d) })}>{t('riskSee')}</Link>;
        }
        if (!risk.has(d.id)) return <span className="camaudit-loading">{t('riskLoading')}</span>;
        return <SeverityBadge severity={risk.get(d.id) ?? null} />;
      }
      case 'connectivity': return label(lang, 'connectivity', d.connectivity);
      case 'siteCategory': return label(lang, 'category', d.siteCategory);
      case 'network': return d.networkName ?? '—';
      case 'remoteAccess': return label(lang, 'remoteAccess', d.remoteAccess);
      case 'ip': return d.ip ?? '—';
      case 'mac': return d.mac ?? '—';
      case 'serial': return d.serial ?? '—';
      case 'firmware': return d.firmware ?? '—';
      case 'reference': return d.externalRef ?? '—';
      case 'purpose': return d.purpose ?? '—';
      case 'confidence': return d.identity ? formatNumber(lang, d.identity.confidence, { style: 'percent' }) : '—';
      case 'updatedAt': return formatDate(lang, d.updatedAt, true);
      case 'createdAt': return formatDate(lang, d.createdAt, true);
    }
  }

  const data = list.data;
  const total = typeof data?.total === 'number' ? data.total : undefined;
  return (
    <>
      <PageTitle title={t('title')}>{t('title')}</PageTitle>
      <FilterForm key={filterKey} filters={filters} vendors={[...vendors.values()]} onWantSites={() => setWantSites(true)}
        sites={wantSites ? sites : filteredSite.data ? [filteredSite.data] : []}
        onApply={(next) => setSearch(Object.fromEntries(DEVICE_FILTER_KEYS.map((k) => [k, next[k]])))}
        onClear={() => setSearch(Object.fromEntries(DEVICE_FILTER_KEYS.map((k) => [k, undefined])))} />

      <div className="camaudit-toolbar">
        <PageSize id="devices-limit" value={position.limit} sizes={PAGE_SIZES} onChange={(limit) => setSearch({ limit: String(limit) })} />
        <ColumnChooser columns={columns} onToggle={toggleColumn} header={(k) => t(COLUMN_HEADER[k])} />
      </div>

      {list.error && <ErrorAlert error={list.error} />}
      {data && (
        <p className="utrecht-paragraph" role="status" data-testid="device-count">
          {total !== undefined ? (total === 1 ? t('totalOne') : t('total', { n: total })) : t('onPage', { n: data.items.length })}
        </p>
      )}
      {!data && !list.error && <Loading />}
      {data && (
        <>
          <DataTable caption={t('caption')} columns={columnDefs} rows={data.items} rowKey={(d) => d.id} rowLabel={deviceName}
            sort={position.sort ?? 'id'} onSort={(sort) => setSearch({ sort })}
            selected={canWrite ? selected : undefined}
            onSelect={canWrite ? (keys, on) => setSelected((s) => {
              const next = new Set(s);
              for (const k of keys) if (on) next.add(k); else next.delete(k);
              return next;
            }) : undefined} />
          <UrlPager position={position} nextCursor={data.nextCursor} search={search} />
        </>
      )}

      {canWrite && data && (
        <BulkEdit org={org.slug} filters={filters} total={total} selected={selected} setSelected={setSelected} sites={sites} networks={networks}
          onWant={(field) => (field === 'siteId' ? setWantSites(true) : field === 'networkId' ? setWantNetworks(true) : undefined)}
          onDone={() => {
            list.reload();
            setSitesTick((n) => n + 1);
          }} />
      )}
      <ExportButtons org={org.slug} filters={filters} />
    </>
  );
}

const SORTABLE: Partial<Record<ColumnKey, string>> = {
  brand: 'brand', model: 'model', kind: 'kind', status: 'status', site: 'site', updatedAt: 'updatedAt', createdAt: 'createdAt',
};

function FilterForm({ filters, vendors, sites, onWantSites, onApply, onClear }: {
  filters: Filters<DeviceFilterKey>;
  vendors: { id: string; name: string }[];
  sites: { id: string; name: string }[];
  onWantSites(): void;
  onApply(next: Filters<DeviceFilterKey>): void;
  onClear(): void;
}) {
  const t = useT(messages);
  const { lang } = useLang();
  const [draft, setDraft] = useState<Filters<DeviceFilterKey>>(filters);
  const set = (k: DeviceFilterKey, v: string) => setDraft((d) => ({ ...d, [k]: v || undefined }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onApply(draft);
  };
  const makers = [...vendors].sort((a, b) => a.name.localeCompare(b.name));
  if (draft.manufacturer && draft.manufacturer !== 'none' && !makers.some((m) => m.id === draft.manufacturer)) makers.unshift({ id: draft.manufacturer, name: draft.manufacturer });
  const siteOptions = [...sites];
  if (draft.site && !siteOptions.some((s) => s.id === draft.site)) siteOptions.unshift({ id: draft.site, name: draft.site });
  const select = (k: Exclude<DeviceFilterKey, 'q'>, options: { value: string; text: string }[], onFocus?: () => void) => (
    <div className="utrecht-form-field">
      <label className="utrecht-form-label" htmlFor={`filter-${k}`}>{t(k)}</label>
      <select id={`filter-${k}`} name={k} className="utrecht-select utrecht-select--html-select" value={draft[k] ?? ''} onChange={(e) => set(k, e.target.value)}
        onFocus={onFocus} onMouseDown={onFocus}>
        <option value="">{t('any')}</option>
        {options.map((o) => <option key={o.value} value={o.value}>{o.text}</option>)}
      </select>
    </div>
  );
  const fromLabels = (group: 'kind' | 'status' | 'connectivity' | 'category' | 'remoteAccess') => labelValues(group).map((v) => ({ value: v, text: label(lang, group, v) }));
  return (
    <form role="search" aria-label={t('filters')} onSubmit={submit}>
      <div className="camaudit-filters">
        <div className="utrecht-form-field">
          <label className="utrecht-form-label" htmlFor="filter-q">{t('search')}</label>
          <input id="filter-q" name="q" type="search" className="utrecht-textbox utrecht-textbox--html-input" value={draft.q ?? ''} aria-describedby="filter-q-hint"
            onChange={(e) => set('q', e.target.value)} />
          <span id="filter-q-hint" className="camaudit-visually-hidden">{t('searchHint')}</span>
        </div>
        {select('manufacturer', [...makers.map((m) => ({ value: m.id, text: m.name })), { value: 'none', text: t('noMaker') }])}
        <div className="utrecht-form-field">
          <label className="utrecht-form-label" htmlFor="filter-brand">{t('brand')}</label>
          <input id="filter-brand" name="brand" className="utrecht-textbox utrecht-textbox--html-input" value={draft.brand ?? ''} onChange={(e) => set('brand', e.target.value)} />
        </div>
        {select('kind', fromLabels('kind'))}
        {select('status', fromLabels('status'))}
        {select('site', siteOptions.map((s) => ({ value: s.id, text: s.name })), onWantSites)}
        {select('category', fromLabels('category'))}
        {select('connectivity', fromLabels('connectivity'))}
        {select('remoteAccess', fromLabels('remoteAccess'))}
        {select('severity', SEVERITY_ORDER.map((s) => ({ value: s, text: label(lang, 'severity', s) })))}
        {select('rule', RULE_IDS.map((r) => ({ value: r, text: ruleName(lang, r) })))}
        <div className="camaudit-check">
          <input id="filter-oem" type="checkbox" className="utrecht-checkbox utrecht-checkbox--html-input" checked={draft.oem === 'true'}
            onChange={(e) => set('oem', e.target.checked ? 'true' : '')} />
          <label className="utrecht-form-label" htmlFor="filter-oem">{t('oem')}</label>
        </div>
      </div>
      <div className="camaudit-filters__actions">
        <button type="submit" className="utrecht-button utrecht-button--primary-action">{t('apply')}</button>
        <button type="button" className="utrecht-button utrecht-button--secondary-action" onClick={onClear}>{t('clear')}</button>
      </div>
    </form>
  );
}

function ColumnChooser({ columns, onToggle, header }: { columns: readonly ColumnKey[]; onToggle(k: ColumnKey, on: boolean): void; header(k: ColumnKey): string }) {
  const t = useT(messages);
  // The choices exist only while open, so closed they are neither in the tab order nor read out.
  const [open, setOpen] = useState(false);
  return (
    <details className="camaudit-columns" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t('columns')}</summary>
      {open && <fieldset>
        <legend className="camaudit-visually-hidden">{t('columnsLegend')}</legend>
        {ALL_COLUMNS.map((k) => (
          <div key={k} className="camaudit-check">
            <input id={`column-${k}`} type="checkbox" className="utrecht-checkbox utrecht-checkbox--html-input" checked={columns.includes(k)}
              onChange={(e) => onToggle(k, e.target.checked)} />
            <label htmlFor={`column-${k}`}>{header(k)}</label>
          </div>
        ))}
      </fieldset>}
    </details>
  );
}

/** Every device id matching the filters, up to one more than the bulk limit (to tell "too many"). */
async function matchingIds(org: string, filters: Filters<DeviceFilterKey>): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page: DeviceList = await api<DeviceList>(orgPath(org, '/devices'), { query: { ...filters, limit: 1000, cursor } });
    ids.push(...page.items.map((d) => d.id));
    cursor = page.nextCursor;
  } while (cursor && ids.length <= MAX_BULK);
  return ids;
}

function BulkEdit({ org, filters, total, selected, setSelected, sites, networks, onWant, onDone }: {
  org: string;
  filters: Filters<DeviceFilterKey>;
  total: number | undefined;
  selected: Set<string>;
  setSelected(s: Set<string>): void;
  sites: { id: string; name: string }[];
  networks: { id: string; name: string }[];
  onWant(field: BulkField): void;
  onDone(): void;
}) {
  const t = useT(messages);
  const { lang } = useLang();
  const [field, setField] = useState<BulkField>('status');
  const [value, setValue] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ devices: number; changed: number } | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const choices: { value: string; text: string }[] | null =
    field === 'status' ? labelValues('status').map((v) => ({ value: v, text: label(lang, 'status', v) }))
      : field === 'kind' ? labelValues('kind').map((v) => ({ value: v, text: label(lang, 'kind', v) }))
        : field === 'siteId' ? [{ value: '', text: t('noSite') }, ...sites.map((s) => ({ value: s.id, text: s.name }))]
          : field === 'networkId' ? [{ value: '', text: t('noNetwork') }, ...networks.map((s) => ({ value: s.id, text: s.name }))]
            : null;
  const effective = choices && value === '' && (field === 'status' || field === 'kind') ? choices[0]!.value : value;
  const valueText = choices ? (choices.find((c) => c.value === effective)?.text ?? effective) : effective || t('empty');
  const errors = error instanceof ApiError ? fieldErrors(error.detail, [...BULK_FIELDS, 'ids', 'set']) : null;
  const valueError = errors?.byField[field];

  const selectMatching = async () => {
    setNotice(t('selecting'));
    setError(null);
    try {
      const ids = await matchingIds(org, filters);
      if (!bulkAllowed(ids.length, MAX_BULK)) {
        setNotice(t('tooMany', { max: MAX_BULK }));
        return;
      }
      setSelected(new Set(ids));
      setNotice(null);
    } catch (err) {
      setNotice(null);
      setError(err as Error);
    }
  };

  const apply = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const answer = await api<{ devices: number; changed: number }>(orgPath(org, '/devices'), {
        method: 'PATCH', body: { ids: [...selected], set: { [field]: effective === '' ? null : effective } },
      });
      setResult(answer);
      setConfirming(false);
      setSelected(new Set());
      onDone();
    } catch (err) {
      setError(err as Error);
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section title={t('bulkTitle')} id="bulk">
      <div className="camaudit-bulk">
        <p className="utrecht-paragraph" role="status">{selected.size > 0 ? t('selected', { n: selected.size }) : t('selectedNone')}</p>
        <div className="camaudit-filters__actions">
          {(total === undefined || total > 0) && (
            <button type="button" className="utrecht-button utrecht-button--secondary-action" onClick={() => void selectMatching()}
              disabled={total !== undefined && !bulkAllowed(total, MAX_BULK)}>
              {total !== undefined ? t('selectMatching', { n: total }) : t('selectMatchingUnknown')}
            </button>
          )}
          {selected.size > 0 && <button type="button" className="utrecht-button utrecht-button--subtle" onClick={() => setSelected(new Set())}>{t('clearSelection')}</button>}
        </div>
        {total !== undefined && total > MAX_BULK && <p className="utrecht-paragraph">{t('tooMany', { max: MAX_BULK })}</p>}
        {notice && <Alert type="info">{notice}</Alert>}
        {selected.size > 0 && !confirming && (
          <form className="camaudit-bulk__row" onSubmit={(e) => {
            e.preventDefault();
            setResult(null);
            setError(null);
            setConfirming(true);
          }}>
            <div className="utrecht-form-field">
              <label className="utrecht-form-label" htmlFor="bulk-field">{t('field')}</label>
              <select id="bulk-field" className="utrecht-select utrecht-select--html-select" value={field}
                onChange={(e) => {
                  setField(e.target.value as BulkField);
                  onWant(e.target.value as BulkField);
                  setValue('');
                  setError(null);
                }}>
                {BULK_FIELDS.map((f) => <option key={f} value={f}>{t(`f_${f}`)}</option>)}
              </select>
            </div>
            <Field id="bulk-value" label={t('value')} error={valueError} hint={choices ? undefined : t('emptyClears')}>
              {(a11y) => choices ? (
                <select {...a11y} className="utrecht-select utrecht-select--html-select" value={effective} onChange={(e) => setValue(e.target.value)}>
                  {choices.map((c) => <option key={c.value} value={c.value}>{c.text}</option>)}
                </select>
              ) : (
                <input {...a11y} className="utrecht-textbox utrecht-textbox--html-input" value={value} onChange={(e) => setValue(e.target.value)} />
              )}
            </Field>
            <button type="submit" className="utrecht-button utrecht-button--primary-action">{t('review')}</button>
          </form>
        )}
        {confirming && (
          <div role="alertdialog" aria-labelledby="bulk-confirm" aria-describedby="bulk-confirm-hint" className="camaudit-card">
            <p className="utrecht-paragraph" id="bulk-confirm"><strong>{t('confirm', { field: t(`f_${field}`), value: valueText, n: selected.size })}</strong></p>
            <p className="utrecht-paragraph" id="bulk-confirm-hint">{t('confirmHint')}</p>
            <div className="camaudit-filters__actions">
              <button type="button" className="utrecht-button utrecht-button--primary-action" disabled={busy} onClick={() => void apply()} autoFocus>{t('apply_')}</button>
              <button type="button" className="utrecht-button utrecht-button--secondary-action" onClick={() => setConfirming(false)}>{t('cancel')}</button>
            </div>
          </div>
        )}
        {result && <Alert type="ok">{t('bulkDone', { n: result.devices, changed: result.changed })}</Alert>}
        {error && <ErrorAlert error={error} />}
      </div>
    </Section>
  );
}

function ExportButtons({ org, filters }: { org: string; filters: Filters<DeviceFilterKey> }) {
  const t = useT(messages);
  const [state, setState] = useState<{ busy?: boolean; done?: string; error?: Error }>({});
  const download = async (format: 'csv' | 'xlsx') => {
    setState({ busy: true });
    try {
      const { blob, fileName } = await apiFile(orgPath(org, `/exports/devices.${format}`), { query: { ...filters } });
      const name = fileName ?? `${org}-devices.${format}`;
      saveBlob(blob, name);
      setState({ done: name });
    } catch (err) {
      setState({ error: err as Error });
    }
  };
  return (
    <Section title={t('exportTitle')} id="export">
      <div className="camaudit-filters__actions">
        <button type="button" className="utrecht-button utrecht-button--secondary-action" disabled={state.busy} onClick={() => void download('csv')}>{t('exportCsv')}</button>
        <button type="button" className="utrecht-button utrecht-button--secondary-action" disabled={state.busy} onClick={() => void download('xlsx')}>{t('exportXlsx')}</button>
      </div>
      <div role="status">{state.busy ? t('exporting') : state.done ? t('exported', { file: state.done }) : null}</div>
      {state.error && <ErrorAlert error={state.error} />}
    </Section>
  );
}
