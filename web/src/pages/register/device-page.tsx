// One device: who really made it and on what evidence (each observation, the rule that read it,
// the knowledge-base source behind that rule), every field, its findings with why and sources and
// whether a waiver covers them, its plan items and waivers, and its history. Editors change fields
// here; waivers are granted on the risk page.
import { useMemo, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api, ApiError, orgPath, useApi, type Loaded as LoadState, type Page } from '../../api';
import { Pager, useCursorPaging } from '../../components/data-table';
import { Alert, ErrorAlert, Loaded, Loading } from '../../components/feedback';
import { PageTitle, Section } from '../../components/page';
import { defineMessages, formatDate, formatMoney, formatNumber, useLang, useT } from '../../i18n';
import { label, labelValues } from '../../labels';
import { useOrg } from '../../session';
import { deviceName, type DeviceDetail, type FindingView, type HistoryEntry } from './device-types';
import { changedFields, fieldErrors, highestSeverity, otherMaker, plainValue } from './register-logic';
import { actionName, Field, findingStatusName, planStatusName, ruleName, SeverityBadge, useChoices, useVendors } from './shared';

const messages = defineMessages({
  nl: {
    back: 'Terug naar de apparaten', summary: 'Samenvatting', maker: 'Echte fabrikant', soldAs: 'verkocht onder het merk {brand}', unknownMaker: 'Niet vastgesteld',
    risk: 'Hoogste risico', status: 'Status', site: 'Locatie', network: 'Netwerk',
    identity: 'Identificatie: wie heeft het gemaakt?', stated: 'Fabrikant zoals opgegeven', confidence: 'Zekerheid', kbVersion: 'Versie kennisbank',
    notIdentified: 'Dit apparaat is nog niet geïdentificeerd.', evidence: 'Bewijs voor de fabrikant', evidenceCaption: 'Waarnemingen en regels waarop de fabrikant berust',
    observation: 'Waarneming', rule: 'Regel', weight: 'Gewicht', source: 'Bron', note: 'Toelichting', checks: 'Nog te controleren', conflicts: 'Andere mogelijke fabrikanten',
    kbSources: 'Bronnen in de kennisbank over {maker}', brandSources: 'Bronnen voor het merk {brand}', score: 'score {score}',
    origin_kb: 'kennisbank', origin_local: 'eigen aanvulling',
    findings: 'Bevindingen', noFindings: 'Geen bevindingen bij de laatste beoordeling.', why: 'Waarom', findingEvidence: 'Onderbouwing', sources: 'Bronnen',
    action: 'Gevraagde actie', due: 'Uiterlijk', likelihood: 'Kans', impact: 'Impact', uncertain: 'Eerst nagaan', findingStatus: 'Stand',
    waiverBy: 'Waiver tot {until}, goedgekeurd door {approver}: {reason}', waiverLapsed: 'De waiver liep af op {until}; de bevinding telt weer.',
    manageWaiver: 'Risico accepteren of waivers beheren', level_high: 'hoog', level_medium: 'middel', level_low: 'laag',
    fields: 'Gegevens', edit: 'Gegevens wijzigen', save: 'Opslaan', cancel: 'Annuleren', saved: 'De wijzigingen zijn opgeslagen.', unchanged: 'Er is niets veranderd.',
    nothingChanged: 'U heeft niets gewijzigd.', noSite: '(geen locatie)', noNetwork: '(geen netwerk)',
    plan: 'Plan', planCaption: 'Acties voor dit apparaat in het vastgestelde plan', noPlan: 'Er staan geen acties voor dit apparaat in het plan.', year: 'Jaar', cost: 'Kosten',
    overdue: 'Te laat', yes: 'ja', no: 'nee',
    waivers: 'Waivers', waiversCaption: 'Geaccepteerde risico’s voor dit apparaat', noWaivers: 'Er zijn geen waivers voor dit apparaat.', until: 'Tot en met', approver: 'Goedgekeurd door',
    reason: 'Reden', state: 'Stand', state_in_force: 'Van kracht', state_expired: 'Verlopen', state_revoked: 'Ingetrokken',
    history: 'Geschiedenis', noHistory: 'Geen wijzigingen vastgelegd.', by: '{actor} via {source}', created: 'Aangemaakt', updated: 'Gewijzigd', deleted: 'Verwijderd',
    change: '{field}: {before} → {after}', initial: '{field}: {value}',
    f_kind: 'Soort', f_brand: 'Merk', f_manufacturer: 'Fabrikant (KB)', f_model: 'Model', f_firmware: 'Firmware', f_serial: 'Serienummer', f_mac: 'MAC-adres', f_ip: 'IP-adres',
    f_status: 'Status', f_siteId: 'Locatie', f_networkId: 'Netwerk', f_purpose: 'Doel', f_legalBasis: 'Grondslag', f_retentionDays: 'Bewaartermijn (dagen)',
    f_supplier: 'Leverancier', f_installer: 'Installateur', f_installDate: 'Installatiedatum', f_externalRef: 'Referentie', f_analytics: 'Analyse',
    f_connectivity: 'Netwerkverbinding', f_remoteAccess: 'Toegang op afstand', f_siteCategory: 'Soort locatie', f_position: 'Positie', f_custom: 'Eigen velden',
    f_createdAt: 'Toegevoegd', f_updatedAt: 'Gewijzigd', f_id: 'Id',
  },
  en: {
    back: 'Back to the devices', summary: 'Summary', maker: 'True maker', soldAs: 'sold under the brand {brand}', unknownMaker: 'Not established',
    risk: 'Highest risk', status: 'Status', site: 'Site', network: 'Network',
    identity: 'Identification: who made it?', stated: 'Maker as stated', confidence: 'Confidence', kbVersion: 'Knowledge base version',
    notIdentified: 'This device has not been identified yet.', evidence: 'Evidence for the maker', evidenceCaption: 'Observations and rules the maker rests on',
    observation: 'Observation', rule: 'Rule', weight: 'Weight', source: 'Source', note: 'Note', checks: 'Still to check', conflicts: 'Other possible makers',
    kbSources: 'Knowledge base sources on {maker}', brandSources: 'Sources for the brand {brand}', score: 'score {score}',
    origin_kb: 'knowledge base', origin_local: 'local addition',
    findings: 'Findings', noFindings: 'No findings in the latest assessment.', why: 'Why', findingEvidence: 'Evidence', sources: 'Sources',
    action: 'Action asked', due: 'Due by', likelihood: 'Likelihood', impact: 'Impact', uncertain: 'Check first', findingStatus: 'Standing',
    waiverBy: 'Waiver until {until}, approved by {approver}: {reason}', waiverLapsed: 'The waiver expired on {until}; the finding counts again.',
    manageWaiver: 'Accept the risk or manage waivers', level_high: 'high', level_medium: 'medium', level_low: 'low',
    fields: 'Details', edit: 'Edit details', save: 'Save', cancel: 'Cancel', saved: 'The changes were saved.', unchanged: 'Nothing changed.',
    nothingChanged: 'You changed nothing.', noSite: '(no site)', noNetwork: '(no network)',
    plan: 'Plan', planCaption: 'Actions for this device in the adopted plan', noPlan: 'The plan holds no actions for this device.', year: 'Year', cost: 'Cost',
    overdue: 'Overdue', yes: 'yes', no: 'no',
    waivers: 'Waivers', waiversCaption: 'Accepted risks for this device', noWaivers: 'There are no waivers for this device.', until: 'Until', approver: 'Approved by',
    reason: 'Reason', state: 'State', state_in_force: 'In force', state_expired: 'Expired', state_revoked: 'Revoked',
    history: 'History', noHistory: 'No changes recorded.', by: '{actor} via {source}', created: 'Created', updated: 'Changed', deleted: 'Deleted',
    change: '{field}: {before} → {after}', initial: '{field}: {value}',
    f_kind: 'Kind', f_brand: 'Brand', f_manufacturer: 'Maker (KB)', f_model: 'Model', f_firmware: 'Firmware', f_serial: 'Serial number', f_mac: 'MAC address', f_ip: 'IP address',
    f_status: 'Status', f_siteId: 'Site', f_networkId: 'Network', f_purpose: 'Purpose', f_legalBasis: 'Legal basis', f_retentionDays: 'Retention (days)',
    f_supplier: 'Supplier', f_installer: 'Installer', f_installDate: 'Installation date', f_externalRef: 'Reference', f_analytics: 'Analytics',
    f_connectivity: 'Network connection', f_remoteAccess: 'Remote access', f_siteCategory: 'Site category', f_position: 'Position', f_custom: 'Custom fields',
    f_createdAt: 'Added', f_updatedAt: 'Changed', f_id: 'Id',
  },
});

type Key = keyof typeof messages.en;
type T = (key: Key, params?: Record<string, string | number>) => string;

interface PlanItem {
  id: string;
  action: string;
  year: number;
  dueDate: string;
  cost: number;
  status: string;
  overdue: boolean;
  note: string | null;
}

interface WaiverView {
  id: string;
  rule: string;
  reason: string;
  approver: string;
  until: string;
  state: 'in_force' | 'expired' | 'revoked';
}

interface KbSource {
  url: string;
  type?: string;
}

interface BrandRecord {
  id: string;
  brand: string;
  aliases: string[];
  evidence?: string;
  sources: KbSource[];
}

const EDIT_FIELDS = ['kind', 'brand', 'model', 'firmware', 'serial', 'mac', 'ip', 'status', 'siteId', 'networkId', 'purpose', 'legalBasis', 'retentionDays', 'supplier', 'installer', 'installDate', 'externalRef'] as const;
type EditField = (typeof EDIT_FIELDS)[number];

export function DevicePage() {
  const t = useT(messages);
  const org = useOrg();
  const { id = '' } = useParams();
  const device = useApi<DeviceDetail>(orgPath(org.slug, `/devices/${id}`));
  const findings = useApi<Page<FindingView>>(orgPath(org.slug, `/devices/${id}/findings`));
  const devicesLink = `/o/${encodeURIComponent(org.slug)}/devices`;
  if (device.error) {
    return (
      <>
        <PageTitle title={t('back')}>{id}</PageTitle>
        <ErrorAlert error={device.error} />
        <p className="utrecht-paragraph"><Link className="utrecht-link" to={devicesLink}>{t('back')}</Link></p>
      </>
    );
  }
  const d = device.data;
  if (!d) return <Loading />;
  return <DeviceView key={d.id} device={d} findings={findings} onChanged={() => {
    device.reload();
    findings.reload();
  }} devicesLink={devicesLink} />;
}

/** A device's title: brand and model as people name it, with its reference. */
function titleOf(d: DeviceDetail): string {
  const name = [d.brand, d.model].filter(Boolean).join(' ');
  return name ? (d.externalRef ? `${name} (${d.externalRef})` : name) : deviceName(d);
}

function DeviceView({ device: d, findings, onChanged, devicesLink }: {
  device: DeviceDetail;
  findings: LoadState<Page<FindingView>>;
  onChanged(): void;
  devicesLink: string;
}) {
  const t = useT(messages);
  const { lang } = useLang();
  const org = useOrg();
  const vendors = useVendors();
  const maker = d.identity?.manufacturer ?? d.manufacturer;
  const makerName = maker ? (vendors.get(maker)?.name ?? maker) : null;
  const oem = otherMaker(d.brand, maker, vendors);
  const title = titleOf(d);
  return (
    <>
      <p className="utrecht-paragraph"><Link className="utrecht-link" to={devicesLink}>← {t('back')}</Link></p>
      <PageTitle title={title}>{title}</PageTitle>
      <dl className="camaudit-facts" aria-label={t('summary')}>
        <dt>{t('maker')}</dt>
        <dd data-testid="true-maker">{makerName ?? t('unknownMaker')}{oem && d.brand ? ` — ${t('soldAs', { brand: d.brand })}` : ''}</dd>
        <dt>{t('risk')}</dt>
        <dd>{findings.data ? <SeverityBadge severity={highestSeverity(findings.data.items)} /> : '…'}</dd>
        <dt>{t('status')}</dt>
        <dd>{label(lang, 'status', d.status)}</dd>
        <dt>{t('site')}</dt>
        <dd>{d.siteId ? <Link className="utrecht-link" to={`${devicesLink}?site=${d.siteId}`}>{d.siteName}</Link> : '—'}</dd>
        <dt>{t('network')}</dt>
        <dd>{d.networkName ?? '—'}{d.connectivity ? ` (${label(lang, 'connectivity', d.connectivity)})` : ''}</dd>
      </dl>

      <Findings org={org.slug} deviceId={d.id} findings={findings} />
      <Identity device={d} makerName={makerName} />
      <Details device={d} canWrite={org.can('write')} onChanged={onChanged} />
      <PlanItems org={org.slug} deviceId={d.id} />
      <Waivers org={org.slug} deviceId={d.id} />
      <History key={d.updatedAt} org={org.slug} deviceId={d.id} />
    </>
  );
}

function SourceLinks({ sources }: { sources: readonly { url?: string; title?: string; ref?: string; type?: string }[] }) {
  return (
    <ul>
      {sources.map((s, i) => (
        <li key={`${s.url ?? s.ref ?? ''}${i}`}>
          {s.url ? <a className="utrecht-link" href={s.url} rel="noreferrer noopener" target="_blank">{s.title ?? s.url}</a> : (s.title ?? s.ref)}
          {s.type ? ` (${s.type})` : ''}
        </li>
      ))}
    </ul>
  );
}

function Identity({ device: d, makerName }: { device: DeviceDetail; makerName: string | null }) {
  const t = useT(messages);
  const { lang } = useLang();
  const identity = d.identity;
  const maker = identity?.manufacturer ?? null;
  const vendor = useApi<{ name: string; sources: KbSource[] }>(maker ? `/api/v1/kb/vendors/${encodeURIComponent(maker)}` : null);
  const brands = useApi<Page<BrandRecord>>(maker ? '/api/v1/kb/brands' : null, { maker: maker ?? undefined, limit: 1000 });
  const brandOf = (value: string) => brands.data?.items.find((b) => [b.brand, ...b.aliases].some((n) => n.toLowerCase() === value.toLowerCase()));
  const brandRecords = (identity?.evidence ?? []).filter((e) => e.rule.startsWith('kb:brand:')).map((e) => brandOf(e.value)).filter((b): b is BrandRecord => b !== undefined);
  return (
    <Section title={t('identity')} id="identity">
      {!identity ? <p className="utrecht-paragraph">{t('notIdentified')}</p> : (
        <>
          <dl className="camaudit-facts">
            <dt>{t('maker')}</dt><dd>{makerName ?? t('unknownMaker')}</dd>
            <dt>{t('stated')}</dt><dd>{identity.statedManufacturer ?? '—'}</dd>
            <dt>{t('confidence')}</dt><dd>{formatNumber(lang, identity.confidence, { style: 'percent' })}</dd>
            <dt>{t('kbVersion')}</dt><dd>{identity.kbVersion}</dd>
          </dl>
          <div className="camaudit-table-scroll" tabIndex={0} role="region" aria-label={t('evidenceCaption')}>
            <table className="utrecht-table utrecht-table--html-table camaudit-table" data-testid="identity-evidence">
              <caption className="utrecht-table__caption">{t('evidenceCaption')}</caption>
              <thead className="utrecht-table__header">
                <tr className="utrecht-table__row">
                  <th scope="col" className="utrecht-table__header-cell">{t('observation')}</th>
                  <th scope="col" className="utrecht-table__header-cell">{t('rule')}</th>
                  <th scope="col" className="utrecht-table__header-cell">{t('weight')}</th>
                  <th scope="col" className="utrecht-table__header-cell">{t('source')}</th>
                  <th scope="col" className="utrecht-table__header-cell">{t('note')}</th>
                </tr>
              </thead>
              <tbody className="utrecht-table__body">
                {identity.evidence.map((e, i) => (
                  <tr key={`${e.rule}${i}`} className="utrecht-table__row">
                    <th scope="row" className="utrecht-table__header-cell"><span className="camaudit-code">{e.protocol} · {e.field} = {e.value}</span></th>
                    <td className="utrecht-table__cell"><span className="camaudit-code">{e.rule}</span></td>
                    <td className="utrecht-table__cell">{e.weight}</td>
                    <td className="utrecht-table__cell">{e.origin === 'kb' ? t('origin_kb') : e.origin === 'local' ? t('origin_local') : e.origin}</td>
                    <td className="utrecht-table__cell">{e.note ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {identity.checks.length > 0 && (
            <>
              <h3 className="utrecht-heading-3">{t('checks')}</h3>
              <ul>{identity.checks.map((c) => <li key={c}>{c}</li>)}</ul>
            </>
          )}
          {identity.conflicts.length > 0 && (
            <>
              <h3 className="utrecht-heading-3">{t('conflicts')}</h3>
              <ul>{identity.conflicts.map((c) => <li key={c.manufacturer}>{c.manufacturer} ({t('score', { score: formatNumber(lang, c.score) })})</li>)}</ul>
            </>
          )}
          {brandRecords.map((b) => (
            <div key={b.id}>
              <h3 className="utrecht-heading-3">{t('brandSources', { brand: b.brand })}</h3>
              {b.evidence && <p className="utrecht-paragraph">{b.evidence}</p>}
              <SourceLinks sources={b.sources} />
            </div>
          ))}
          {vendor.data && vendor.data.sources.length > 0 && (
            <>
              <h3 className="utrecht-heading-3">{t('kbSources', { maker: vendor.data.name })}</h3>
              <SourceLinks sources={vendor.data.sources} />
            </>
          )}
        </>
      )}
    </Section>
  );
}

function Findings({ org, deviceId, findings }: { org: string; deviceId: string; findings: LoadState<Page<FindingView>> }) {
  const t = useT(messages);
  const { lang } = useLang();
  const level = (l: string) => (l === 'high' || l === 'medium' || l === 'low' ? t(`level_${l}`) : l);
  return (
    <Section title={t('findings')} id="findings">
      <Loaded data={findings.data} error={findings.error}>
        {(page) => page.items.length === 0 ? <p className="utrecht-paragraph">{t('noFindings')}</p> : (
          <>
            {page.items.map((f) => (
              <article key={f.id} className={`camaudit-finding camaudit-finding--${f.severity}`} data-rule={f.rule} aria-labelledby={`finding-${f.rule}`}>
                <h3 className="utrecht-heading-3" id={`finding-${f.rule}`}>{ruleName(lang, f.rule)}</h3>
                <div className="camaudit-finding__meta">
                  <SeverityBadge severity={f.severity} />
                  <span>{t('findingStatus')}: <strong>{findingStatusName(lang, f.status)}</strong></span>
                  <span>{t('likelihood')}: {level(f.likelihood)}, {t('impact')}: {level(f.impact)}</span>
                </div>
                <h4 className="utrecht-heading-4">{t('why')}</h4>
                <p className="utrecht-paragraph" data-testid="finding-why">{f.why[lang]}</p>
                {f.uncertain && <p className="utrecht-paragraph"><strong>{t('uncertain')}:</strong> {f.uncertain}</p>}
                <p className="utrecht-paragraph">
                  <strong>{t('action')}:</strong> {actionName(lang, f.action)}
                  {f.dueDate ? <> — {t('due')} {formatDate(lang, f.dueDate)}</> : null}
                </p>
                {f.status === 'waived' && f.waiver && (
                  <Alert type="info">{t('waiverBy', { until: formatDate(lang, f.waiver.until), approver: f.waiver.approver, reason: f.waiver.reason })}</Alert>
                )}
                {f.status === 'lapsed' && f.waiver && <Alert type="warning">{t('waiverLapsed', { until: formatDate(lang, f.waiver.until) })}</Alert>}
                <details>
                  <summary>{t('findingEvidence')} ({f.evidence.length})</summary>
                  <ul>{f.evidence.map((e, i) => <li key={`${e.ref}${i}`}><span className="camaudit-code">{e.ref}</span>: {e.value}</li>)}</ul>
                </details>
                {f.sources.length > 0 && (
                  <>
                    <h4 className="utrecht-heading-4">{t('sources')}</h4>
                    <SourceLinks sources={f.sources} />
                  </>
                )}
                <p className="utrecht-paragraph">
                  <Link className="utrecht-link" to={`/o/${encodeURIComponent(org)}/risk?device=${deviceId}`}>{t('manageWaiver')}</Link>
                </p>
              </article>
            ))}
          </>
        )}
      </Loaded>
    </Section>
  );
}

function fieldText(lang: 'nl' | 'en', d: DeviceDetail, field: string): string {
  switch (field) {
    case 'kind': return label(lang, 'kind', d.kind);
    case 'status': return label(lang, 'status', d.status);
    case 'siteId': return d.siteName ?? '—';
    case 'networkId': return d.networkName ?? '—';
    case 'connectivity': return label(lang, 'connectivity', d.connectivity);
    case 'remoteAccess': return label(lang, 'remoteAccess', d.remoteAccess);
    case 'siteCategory': return label(lang, 'category', d.siteCategory);
    case 'installDate': return formatDate(lang, d.installDate);
    case 'createdAt': case 'updatedAt': return formatDate(lang, d[field], true);
    case 'position':
      if (d.lat === null || d.lon === null) return '—';
      return d.positionPrecision === 'approximate' ? `${d.lat}, ${d.lon} (${lang === 'nl' ? 'bij benadering, ± 1 km' : 'approximate, ± 1 km'})` : `${d.lat}, ${d.lon}`;
    case 'custom': return Object.keys(d.custom).length ? Object.entries(d.custom).map(([k, v]) => `${k}: ${v}`).join('; ') : '—';
    default: return plainValue((d as unknown as Record<string, unknown>)[field]);
  }
}

const SHOWN_FIELDS = [
  'kind', 'brand', 'manufacturer', 'model', 'firmware', 'serial', 'mac', 'ip', 'status', 'siteId', 'siteCategory', 'networkId', 'connectivity', 'remoteAccess',
  'position', 'purpose', 'legalBasis', 'retentionDays', 'analytics', 'supplier', 'installer', 'installDate', 'externalRef', 'custom', 'createdAt', 'updatedAt', 'id',
] as const;

function Details({ device: d, canWrite, onChanged }: { device: DeviceDetail; canWrite: boolean; onChanged(): void }) {
  const t = useT(messages);
  const { lang } = useLang();
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState<boolean | null>(null);
  return (
    <Section title={t('fields')} id="fields">
      {saved !== null && <Alert type="ok">{saved ? t('saved') : t('unchanged')}</Alert>}
      {editing ? (
        <EditForm device={d} onCancel={() => setEditing(false)} onSaved={(changed) => {
          setEditing(false);
          setSaved(changed);
          onChanged();
        }} />
      ) : (
        <>
          <dl className="camaudit-facts" data-testid="device-fields">
            {SHOWN_FIELDS.map((f) => (
              <div key={f} style={{ display: 'contents' }}>
                <dt>{t(`f_${f}`)}</dt>
                <dd>{fieldText(lang, d, f)}</dd>
              </div>
            ))}
          </dl>
          {canWrite && (
            <p className="utrecht-paragraph">
              <button type="button" className="utrecht-button utrecht-button--secondary-action" onClick={() => {
                setSaved(null);
                setEditing(true);
              }}>{t('edit')}</button>
            </p>
          )}
        </>
      )}
    </Section>
  );
}

function initialValues(d: DeviceDetail): Record<EditField, string> {
  const text = (v: string | number | null) => (v === null ? '' : String(v));
  return {
    kind: d.kind, brand: text(d.brand), model: text(d.model), firmware: text(d.firmware), serial: text(d.serial), mac: text(d.mac), ip: text(d.ip), status: d.status,
    siteId: text(d.siteId), networkId: text(d.networkId), purpose: text(d.purpose), legalBasis: text(d.legalBasis), retentionDays: text(d.retentionDays),
    supplier: text(d.supplier), installer: text(d.installer), installDate: text(d.installDate), externalRef: text(d.externalRef),
  };
}

function EditForm({ device: d, onCancel, onSaved }: { device: DeviceDetail; onCancel(): void; onSaved(changed: boolean): void }) {
  const t = useT(messages);
  const { lang } = useLang();
  const org = useOrg();
  const sites = useChoices(org.slug, 'sites');
  const networks = useChoices(org.slug, 'networks');
  const initial = useMemo(() => initialValues(d), [d]);
  const [values, setValues] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const [nothing, setNothing] = useState(false);
  const errors = error instanceof ApiError ? fieldErrors(error.detail, [...EDIT_FIELDS, 'site']) : null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const changes = Object.fromEntries(EDIT_FIELDS.filter((f) => values[f] !== initial[f]).map((f) => [f, values[f] === '' ? null : values[f]]));
    if (Object.keys(changes).length === 0) {
      setNothing(true);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const answer = await api<{ changed: boolean }>(orgPath(org.slug, `/devices/${d.id}`), { method: 'PATCH', body: changes });
      onSaved(answer.changed);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };
  const choices = (f: EditField): { value: string; text: string }[] | null => {
    if (f === 'kind' || f === 'status') return labelValues(f).map((v) => ({ value: v, text: label(lang, f, v) }));
    if (f === 'siteId') return [{ value: '', text: t('noSite') }, ...sites.map((s) => ({ value: s.id, text: s.name }))];
    if (f === 'networkId') return [{ value: '', text: t('noNetwork') }, ...networks.map((s) => ({ value: s.id, text: s.name }))];
    return null;
  };
  return (
    <form className="camaudit-form" onSubmit={(e) => void submit(e)} noValidate>
      {errors && errors.general.length > 0 && <Alert type="error">{errors.general.join('; ')}</Alert>}
      {error && !(error instanceof ApiError && error.detail) && <ErrorAlert error={error} />}
      {nothing && <Alert type="info">{t('nothingChanged')}</Alert>}
      {EDIT_FIELDS.map((f) => {
        const options = choices(f);
        const fieldError = errors?.byField[f] ?? (f === 'siteId' ? errors?.byField.site : undefined);
        return (
          <Field key={f} id={`edit-${f}`} label={t(`f_${f}`)} error={fieldError}>
            {(a11y) => options ? (
              <select {...a11y} name={f} className="utrecht-select utrecht-select--html-select" value={values[f]} onChange={(e) => setValues((v) => ({ ...v, [f]: e.target.value }))}>
                {options.map((o) => <option key={o.value} value={o.value}>{o.text}</option>)}
              </select>
            ) : (
              <input {...a11y} name={f} type={f === 'installDate' ? 'date' : 'text'} className="utrecht-textbox utrecht-textbox--html-input" value={values[f]}
                onChange={(e) => setValues((v) => ({ ...v, [f]: e.target.value }))} />
            )}
          </Field>
        );
      })}
      <div className="camaudit-filters__actions">
        <button type="submit" className="utrecht-button utrecht-button--primary-action" disabled={busy}>{t('save')}</button>
        <button type="button" className="utrecht-button utrecht-button--secondary-action" onClick={onCancel}>{t('cancel')}</button>
      </div>
    </form>
  );
}

function PlanItems({ org, deviceId }: { org: string; deviceId: string }) {
  const t = useT(messages);
  const { lang } = useLang();
  const plan = useApi<Page<PlanItem>>(orgPath(org, '/plan'), { device: deviceId, limit: 100 });
  return (
    <Section title={t('plan')} id="plan">
      <Loaded data={plan.data} error={plan.error}>
        {(page) => page.items.length === 0 ? <p className="utrecht-paragraph">{t('noPlan')}</p> : (
          <SimpleTable caption={t('planCaption')} headers={[t('action'), t('year'), t('due'), t('cost'), t('status'), t('overdue')]}
            rows={page.items.map((i) => [actionName(lang, i.action), String(i.year), formatDate(lang, i.dueDate), formatMoney(lang, i.cost), planStatusName(lang, i.status), i.overdue ? `⚠ ${t('yes')}` : t('no')])} />
        )}
      </Loaded>
    </Section>
  );
}

function Waivers({ org, deviceId }: { org: string; deviceId: string }) {
  const t = useT(messages);
  const { lang } = useLang();
  const waivers = useApi<Page<WaiverView>>(orgPath(org, '/waivers'), { device: deviceId, state: 'in_force,expired,revoked', limit: 100 });
  return (
    <Section title={t('waivers')} id="waivers">
      <Loaded data={waivers.data} error={waivers.error}>
        {(page) => page.items.length === 0 ? <p className="utrecht-paragraph">{t('noWaivers')}</p> : (
          <SimpleTable caption={t('waiversCaption')} headers={[t('rule'), t('until'), t('approver'), t('reason'), t('state')]}
            rows={page.items.map((w) => [ruleName(lang, w.rule), formatDate(lang, w.until), w.approver, w.reason, t(`state_${w.state}`)])} />
        )}
      </Loaded>
      <p className="utrecht-paragraph"><Link className="utrecht-link" to={`/o/${encodeURIComponent(org)}/risk?device=${deviceId}`}>{t('manageWaiver')}</Link></p>
    </Section>
  );
}

function SimpleTable({ caption, headers, rows }: { caption: string; headers: string[]; rows: string[][] }) {
  return (
    <div className="camaudit-table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table className="utrecht-table utrecht-table--html-table camaudit-table">
        <caption className="utrecht-table__caption">{caption}</caption>
        <thead className="utrecht-table__header">
          <tr className="utrecht-table__row">{headers.map((h) => <th key={h} scope="col" className="utrecht-table__header-cell">{h}</th>)}</tr>
        </thead>
        <tbody className="utrecht-table__body">
          {rows.map((r, i) => (
            <tr key={i} className="utrecht-table__row">
              <th scope="row" className="utrecht-table__header-cell">{r[0]}</th>
              {r.slice(1).map((c, j) => <td key={j} className="utrecht-table__cell">{c}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function History({ org, deviceId }: { org: string; deviceId: string }) {
  const t = useT(messages) as T;
  const { lang } = useLang();
  const paging = useCursorPaging();
  const history = useApi<Page<HistoryEntry>>(orgPath(org, `/devices/${deviceId}/history`), { limit: 20, cursor: paging.cursor });
  const fieldLabel = (f: string) => {
    const key = `f_${f}` as Key;
    return key in messages.en ? t(key) : f;
  };
  const actionWord = (a: string) => (a === 'create' ? t('created') : a === 'update' ? t('updated') : a === 'delete' ? t('deleted') : a);
  return (
    <Section title={t('history')} id="history">
      <Loaded data={history.data} error={history.error}>
        {(page) => page.items.length === 0 ? <p className="utrecht-paragraph">{t('noHistory')}</p> : (
          <>
            <ol className="camaudit-timeline" data-testid="history">
              {page.items.map((e) => (
                <li key={e.seq}>
                  <strong>{actionWord(e.action)}</strong> — <time dateTime={e.at}>{formatDate(lang, e.at, true)}</time>, {t('by', { actor: e.actor, source: e.source })}
                  <ul>
                    {changedFields(e.before, e.after).slice(0, 40).map((c) => (
                      <li key={c.field}>
                        {e.before === null
                          ? t('initial', { field: fieldLabel(c.field), value: plainValue(c.after) })
                          : t('change', { field: fieldLabel(c.field), before: plainValue(c.before), after: plainValue(c.after) })}
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ol>
            {(paging.page > 1 || page.nextCursor) && <Pager paging={paging} nextCursor={page.nextCursor} />}
          </>
        )}
      </Loaded>
    </Section>
  );
}
