// Risk: the findings of the latest assessment, most serious first, each with why (in the reader's
// language), its evidence and sources, the device, and where it stands (open, waived, lapsed).
// Filters live in the address (?device=ID from a device page, ?severity=high, …), so a view can be
// linked to. Writers accept a finding's risk with a waiver, revoke one, and re-assess.
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, orgPath, useApi } from '../../api';
import { Pager, useCursorPaging } from '../../components/data-table';
import { NoticeRegion, useNotice } from '../../components/confirm-button';
import { Alert, ErrorAlert, Loaded } from '../../components/feedback';
import { PageTitle, Section } from '../../components/page';
import { defineMessages, formatDate, formatNumber, useLang, useT } from '../../i18n';
import { label } from '../../labels';
import { useOrg } from '../../session';
import { useJobEvents, type AcceptedJob } from '../discovery/job-events';
import { useAllPages, useDeviceNames, type DeviceName, type Finding, type FindingPage } from './data';
import { RevokeButton } from './revoke-button';
import {
  countBySeverity, FINDING_STATUSES, filterParams, kbRecordOf, readFilters, RULES, ruleWord, SEVERITIES, sourceLink, type RiskFilters,
} from './risk-logic';
import { SeverityBadge } from './severity-badge';
import { WaiverForm } from './waiver-form';
import { WaiversTable } from './waivers-table';
import './risk.css';

const messages = defineMessages({
  nl: {
    title: 'Risico\'s',
    intro: 'De bevindingen van de laatste beoordeling, de ernstigste eerst. Elke bevinding zegt waarom, op grond waarvan en wat te doen.',
    assessment: 'Beoordeeld op {date} met beleid "{policy}" en kennisbank {kb}: {devices} apparaten, {findings} bevindingen.',
    notAssessed: 'Er is nog geen beoordeling gedaan.',
    reassess: 'Opnieuw beoordelen',
    reassessing: 'Bezig met beoordelen…',
    reassessed: 'De beoordeling is bijgewerkt.',
    reassessFailed: 'De beoordeling is mislukt: {error}',
    summary: 'Overzicht naar ernst',
    summaryCaption: 'Bevindingen naar ernst en staat',
    severity: 'Ernst',
    total: 'Totaal',
    open: 'Open',
    waived: 'Geaccepteerd (waiver)',
    lapsed: 'Waiver verlopen',
    showSeverity: '{n} bevindingen met ernst {severity} tonen',
    filters: 'Filters',
    filterSeverity: 'Ernst',
    filterStatus: 'Staat',
    filterRule: 'Soort bevinding',
    filterDevice: 'Apparaat',
    any: 'Alle',
    clear: 'Filters wissen',
    findings: 'Bevindingen',
    count: '{n} bevindingen met deze filters.',
    none: 'Geen bevindingen met deze filters.',
    device: 'Apparaat',
    openDevice: 'Naar het apparaat',
    due: 'Uiterlijk {date}',
    action: 'Actie: {action}',
    likelihood: 'Kans {likelihood}, impact {impact}',
    status: 'Staat: {status}',
    waivedBy: 'Geaccepteerd tot en met {until} door {approver}: {reason}',
    lapsedBy: 'Geaccepteerd tot en met {until} door {approver} (verlopen): {reason}',
    uncertain: 'Eerst controleren',
    details: 'Bewijs en bronnen',
    detailsOf: 'Bewijs en bronnen: {what}',
    evidence: 'Bewijs',
    sources: 'Bronnen',
    kbLink: 'in de kennisbank',
    waive: 'Waiver geven',
    waiveOf: 'Waiver geven: {what}',
    granted: 'Waiver vastgelegd voor {what} tot en met {until}; de bevinding telt nu als geaccepteerd.',
    waivers: 'Waivers',
    level_high: 'hoog',
    level_medium: 'middel',
    level_low: 'laag',
  },
  en: {
    title: 'Risks',
    intro: 'The findings of the latest assessment, most serious first. Every finding says why, on what grounds and what to do.',
    assessment: 'Assessed on {date} with policy "{policy}" and knowledge base {kb}: {devices} devices, {findings} findings.',
    notAssessed: 'No assessment has been made yet.',
    reassess: 'Re-assess',
    reassessing: 'Assessing…',
    reassessed: 'The assessment was updated.',
    reassessFailed: 'The assessment failed: {error}',
    summary: 'Summary by severity',
    summaryCaption: 'Findings by severity and state',
    severity: 'Severity',
    total: 'Total',
    open: 'Open',
    waived: 'Accepted (waiver)',
    lapsed: 'Waiver expired',
    showSeverity: 'Show {n} findings of severity {severity}',
    filters: 'Filters',
    filterSeverity: 'Severity',
    filterStatus: 'State',
    filterRule: 'Kind of finding',
    filterDevice: 'Device',
    any: 'All',
    clear: 'Clear filters',
    findings: 'Findings',
    count: '{n} findings with these filters.',
    none: 'No findings with these filters.',
    device: 'Device',
    openDevice: 'To the device',
    due: 'Due {date}',
    action: 'Action: {action}',
    likelihood: 'Likelihood {likelihood}, impact {impact}',
    status: 'State: {status}',
    waivedBy: 'Accepted until {until} by {approver}: {reason}',
    lapsedBy: 'Accepted until {until} by {approver} (expired): {reason}',
    uncertain: 'Check first',
    details: 'Evidence and sources',
    detailsOf: 'Evidence and sources: {what}',
    evidence: 'Evidence',
    sources: 'Sources',
    kbLink: 'in the knowledge base',
    waive: 'Grant a waiver',
    waiveOf: 'Grant a waiver: {what}',
    granted: 'Waiver recorded for {what} until {until}; the finding now counts as accepted.',
    waivers: 'Waivers',
    level_high: 'high',
    level_medium: 'medium',
    level_low: 'low',
  },
});

type Key = keyof (typeof messages)['en'];
const PAGE_SIZE = 25;
const STATUS_SHAPES: Readonly<Record<string, string>> = { open: '○', waived: '✓', lapsed: '⚠' };

export function RiskPage() {
  const t = useT(messages);
  const { lang } = useLang();
  const org = useOrg();
  const [search, setSearch] = useSearchParams();
  const filters = useMemo(() => readFilters(search), [search]);
  const paging = useCursorPaging();
  const [tick, setTick] = useState(0);
  const notice = useNotice();
  const devices = useDeviceNames(org.slug);

  const findings = useApi<FindingPage>(orgPath(org.slug, '/findings'), {
    limit: PAGE_SIZE, cursor: paging.cursor, severity: filters.severity, status: filters.status, rule: filters.rule, device: filters.device,
  });
  // The counts cover the rule and device chosen, every severity and state: they show what the other filters would give.
  const all = useAllPages<Finding>(orgPath(org.slug, '/findings'), { rule: filters.rule, device: filters.device }, tick);
  const counts = useMemo(() => all.items && countBySeverity(all.items), [all.items]);
  const { reload } = findings;
  const { announce } = notice;
  // A change made from a finding or a waiver is announced, and focus goes to the announcement: the
  // button that made it has gone (a waived finding offers no waiver, a revoked one no revoking).
  const changed = useCallback((message?: string) => {
    announce(message ?? '', message !== undefined);
    setTick((n) => n + 1);
    reload();
  }, [reload, announce]);

  const setFilters = (next: RiskFilters) => {
    paging.reset();
    setSearch(filterParams(next), { replace: false });
  };

  return (
    <>
      <PageTitle title={t('title')}>{t('title')}</PageTitle>
      <p className="utrecht-paragraph">{t('intro')}</p>
      {findings.data && (
        <p className="utrecht-paragraph camaudit-hint" data-testid="assessment">
          {findings.data.assessment ? t('assessment', {
            date: formatDate(lang, findings.data.assessment.at, true), policy: findings.data.assessment.policyName, kb: findings.data.assessment.kbVersion,
            devices: findings.data.assessment.assessed, findings: findings.data.assessment.findings,
          }) : t('notAssessed')}
        </p>
      )}
      {org.can('write') && <Reassess onDone={() => changed()} />}
      <NoticeRegion notice={notice} testId="risk-notice" />

      <Section title={t('summary')} id="risk-summary">
        {all.error ? <ErrorAlert error={all.error} /> : counts === undefined ? null : (
          <table className="utrecht-table utrecht-table--html-table camaudit-table camaudit-table--compact camaudit-risk-summary" data-testid="risk-summary">
            <caption className="utrecht-table__caption">{t('summaryCaption')}</caption>
            <thead className="utrecht-table__header">
              <tr className="utrecht-table__row">
                {(['severity', 'total', 'open', 'waived', 'lapsed'] as const).map((k) => (
                  <th key={k} scope="col" className={`utrecht-table__header-cell${k === 'severity' ? '' : ' utrecht-table__header-cell--numeric'}`}>{t(k)}</th>
                ))}
              </tr>
            </thead>
            <tbody className="utrecht-table__body">
              {counts.map((c) => (
                <tr key={c.severity} className="utrecht-table__row" data-severity={c.severity}>
                  <th scope="row" className="utrecht-table__header-cell"><SeverityBadge severity={c.severity} /></th>
                  <td className="utrecht-table__cell utrecht-table__cell--numeric">
                    {c.total > 0 ? (
                      <button type="button" className="camaudit-linkbutton" aria-label={t('showSeverity', { n: c.total, severity: label(lang, 'severity', c.severity) })}
                        onClick={() => setFilters({ ...filters, severity: [c.severity] })}>{formatNumber(lang, c.total)}</button>
                    ) : formatNumber(lang, 0)}
                  </td>
                  <td className="utrecht-table__cell utrecht-table__cell--numeric" data-count="open">{formatNumber(lang, c.open)}</td>
                  <td className="utrecht-table__cell utrecht-table__cell--numeric" data-count="waived">{formatNumber(lang, c.waived)}</td>
                  <td className="utrecht-table__cell utrecht-table__cell--numeric" data-count="lapsed">{formatNumber(lang, c.lapsed)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>

      <Section title={t('findings')} id="risk-findings">
        <Filters filters={filters} devices={devices} onChange={setFilters} />
        <Loaded data={findings.data} error={findings.error}>
          {(page) => (
            <>
              {page.items.length === 0 ? <p className="utrecht-paragraph" role="status">{t('none')}</p> : (
                <ul className="camaudit-findings" aria-label={t('findings')}>
                  {page.items.map((f) => (
                    <li key={f.id}><FindingItem finding={f} device={devices?.get(f.deviceId)} onChanged={changed} /></li>
                  ))}
                </ul>
              )}
              <Pager paging={paging} nextCursor={page.nextCursor} />
            </>
          )}
        </Loaded>
      </Section>

      <Section title={t('waivers')} id="risk-waivers">
        <WaiversTable devices={devices} reloadKey={tick} onChanged={changed} />
      </Section>
    </>
  );
}

function Filters({ filters, devices, onChange }: { filters: RiskFilters; devices: Map<string, DeviceName> | undefined; onChange(f: RiskFilters): void }) {
  const t = useT(messages);
  const { lang } = useLang();
  const id = useId();
  const deviceOptions = useMemo(() => [...(devices?.values() ?? [])].sort((a, b) => a.name.localeCompare(b.name, lang)), [devices, lang]);
  const statusWord = (s: string) => (s === 'open' || s === 'waived' || s === 'lapsed' ? t(s) : s);
  return (
    <form className="camaudit-toolbar camaudit-risk-filters" role="search" aria-label={t('filters')} onSubmit={(e) => e.preventDefault()}>
      <div className="utrecht-form-field">
        <label className="utrecht-form-label" htmlFor={`${id}-severity`}>{t('filterSeverity')}</label>
        <select id={`${id}-severity`} name="severity" className="utrecht-select utrecht-select--html-select" value={filters.severity.length === 1 ? filters.severity[0] : ''}
          onChange={(e) => onChange({ ...filters, severity: e.target.value ? [e.target.value as (typeof SEVERITIES)[number]] : [] })}>
          <option value="">{filters.severity.length > 1 ? filters.severity.map((s) => label(lang, 'severity', s)).join(', ') : t('any')}</option>
          {SEVERITIES.map((s) => <option key={s} value={s}>{label(lang, 'severity', s)}</option>)}
        </select>
      </div>
      <div className="utrecht-form-field">
        <label className="utrecht-form-label" htmlFor={`${id}-status`}>{t('filterStatus')}</label>
        <select id={`${id}-status`} name="status" className="utrecht-select utrecht-select--html-select" value={filters.status.length === 1 ? filters.status[0] : ''}
          onChange={(e) => onChange({ ...filters, status: e.target.value ? [e.target.value as (typeof FINDING_STATUSES)[number]] : [] })}>
          <option value="">{filters.status.length > 1 ? filters.status.map(statusWord).join(', ') : t('any')}</option>
          {FINDING_STATUSES.map((s) => <option key={s} value={s}>{statusWord(s)}</option>)}
        </select>
      </div>
      <div className="utrecht-form-field">
        <label className="utrecht-form-label" htmlFor={`${id}-rule`}>{t('filterRule')}</label>
        <select id={`${id}-rule`} name="rule" className="utrecht-select utrecht-select--html-select" value={filters.rule} onChange={(e) => onChange({ ...filters, rule: e.target.value })}>
          <option value="">{t('any')}</option>
          {RULES.map((r) => <option key={r} value={r}>{ruleWord(lang, r)}</option>)}
        </select>
      </div>
      <div className="utrecht-form-field">
        <label className="utrecht-form-label" htmlFor={`${id}-device`}>{t('filterDevice')}</label>
        <select id={`${id}-device`} name="device" className="utrecht-select utrecht-select--html-select camaudit-risk-filters__device" value={filters.device}
          onChange={(e) => onChange({ ...filters, device: e.target.value })}>
          <option value="">{t('any')}</option>
          {filters.device && !devices?.has(filters.device) && <option value={filters.device}>{filters.device.slice(0, 8)}</option>}
          {deviceOptions.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
        </select>
      </div>
      <div>
        <button type="button" className="utrecht-button utrecht-button--subtle" onClick={() => onChange({ severity: [], status: [], rule: '', device: '' })}>{t('clear')}</button>
      </div>
    </form>
  );
}

function FindingItem({ finding: f, device, onChanged }: { finding: Finding; device: DeviceName | undefined; onChanged(message?: string): void }) {
  const t = useT(messages);
  const { lang } = useLang();
  const org = useOrg();
  const id = useId();
  const [waiving, setWaiving] = useState(false);
  const [open, setOpen] = useState(false);
  // Cancelling the waiver form gives focus back to the button that opened it.
  const waiveButton = useRef<HTMLButtonElement>(null);
  const refocus = useRef(false);
  useEffect(() => {
    if (!waiving && refocus.current) waiveButton.current?.focus();
    refocus.current = false;
  }, [waiving]);
  const deviceText = device?.name ?? f.deviceId.slice(0, 8);
  const what = `${ruleWord(lang, f.rule)} — ${deviceText}`;
  const level = (v: string) => (v === 'high' || v === 'medium' || v === 'low' ? t(`level_${v}` as Key) : v);
  const statusWord = f.status === 'open' || f.status === 'waived' || f.status === 'lapsed' ? t(f.status) : f.status;
  return (
    <article className={`camaudit-finding camaudit-finding--${f.status}`} aria-labelledby={`${id}-title`} data-finding={f.id} data-status={f.status}>
      <h3 className="utrecht-heading-3 camaudit-finding__title" id={`${id}-title`}>{ruleWord(lang, f.rule)} <span className="camaudit-finding__device">— {deviceText}</span></h3>
      <p className="camaudit-finding__meta">
        <SeverityBadge severity={f.severity} />
        <span className={`camaudit-status camaudit-status--${f.status}`}><span aria-hidden="true">{STATUS_SHAPES[f.status] ?? '○'} </span>{t('status', { status: statusWord })}</span>
        <span>{t('likelihood', { likelihood: level(f.likelihood), impact: level(f.impact) })}</span>
        <span>{t('action', { action: label(lang, 'action', f.action) })}</span>
        {f.dueDate && <span>{t('due', { date: formatDate(lang, f.dueDate) })}</span>}
      </p>
      <p className="utrecht-paragraph">{f.why[lang]}</p>
      {f.waiver && (
        <p className="utrecht-paragraph camaudit-finding__waiver">
          {t(f.status === 'lapsed' ? 'lapsedBy' : 'waivedBy', { until: formatDate(lang, f.waiver.until), approver: f.waiver.approver, reason: f.waiver.reason })}
        </p>
      )}
      {/* Filled only when opened: a page of findings carries hundreds of sources. */}
      <details className="camaudit-details" onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary aria-label={t('detailsOf', { what })}>{t('details')}</summary>
        {open && (
          <>
            {f.uncertain && <p className="utrecht-paragraph"><strong>{t('uncertain')}:</strong> {f.uncertain}</p>}
            <h4 className="utrecht-heading-4">{t('evidence')}</h4>
            <ul className="camaudit-evidence">
              {f.evidence.map((e, i) => {
                const kb = kbRecordOf(e.ref);
                return (
                  <li key={i}>
                    <code className="camaudit-code">{e.ref}</code>: {e.value}
                    {kb && <> (<Link className="utrecht-link" to={`/o/${org.slug}/kb?${new URLSearchParams({ q: kb.id, section: kb.section }).toString()}`}>{t('kbLink')}</Link>)</>}
                  </li>
                );
              })}
            </ul>
            <h4 className="utrecht-heading-4">{t('sources')}</h4>
            <ul className="camaudit-evidence">
              {f.sources.map((s, i) => {
                const link = sourceLink(s);
                return <li key={i}>{link.href ? <a className="utrecht-link" href={link.href} rel="noreferrer noopener" target="_blank">{link.text}</a> : link.text}</li>;
              })}
            </ul>
          </>
        )}
      </details>
      <div className="camaudit-toolbar camaudit-finding__actions">
        <Link className="utrecht-link" to={`/o/${org.slug}/devices/${f.deviceId}`}>{t('openDevice')}<span className="camaudit-visually-hidden">: {deviceText}</span></Link>
        {org.can('write') && f.status !== 'waived' && !waiving && (
          <button type="button" ref={waiveButton} className="utrecht-button utrecht-button--secondary-action" aria-label={t('waiveOf', { what })} onClick={() => setWaiving(true)}>{t('waive')}</button>
        )}
        {org.can('write') && f.status === 'waived' && f.waiver && <RevokeButton waiverId={f.waiver.id} what={what} onRevoked={onChanged} />}
      </div>
      {waiving && (
        <WaiverForm finding={f} title={what} onCancel={() => { refocus.current = true; setWaiving(false); }}
          onGranted={(w) => { setWaiving(false); onChanged(t('granted', { what, until: formatDate(lang, w.until) })); }} />
      )}
    </article>
  );
}

function Reassess({ onDone }: { onDone(): void }) {
  const t = useT(messages);
  const org = useOrg();
  const [events, setEvents] = useState<string | null>(null);
  const [problem, setProblem] = useState<Error | null>(null);
  const follow = useJobEvents(events);
  const reported = useRef<string | null>(null);
  const status = follow.job?.status;
  const running = events !== null && !follow.finished;

  useEffect(() => {
    if (follow.finished && follow.job && reported.current !== follow.job.id) {
      reported.current = follow.job.id;
      if (follow.job.status === 'succeeded') onDone();
    }
  }, [follow.finished, follow.job, onDone]);

  async function start() {
    setProblem(null);
    try {
      const accepted = await api<AcceptedJob>(orgPath(org.slug, '/assessments'), { method: 'POST', body: {} });
      setEvents(accepted.links.events);
    } catch (err) {
      setProblem(err as Error);
    }
  }

  return (
    <div className="camaudit-toolbar">
      <button type="button" className="utrecht-button utrecht-button--secondary-action" disabled={running} onClick={() => void start()}>{running ? t('reassessing') : t('reassess')}</button>
      <p className="utrecht-paragraph camaudit-reassess" role="status" data-testid="reassess-status">
        {running ? t('reassessing') : follow.finished && status === 'succeeded' ? t('reassessed') : ''}
      </p>
      {follow.finished && status && status !== 'succeeded' && <Alert type="error">{t('reassessFailed', { error: follow.job?.error ?? follow.error ?? status })}</Alert>}
      {follow.error && !follow.finished && <Alert type="error">{t('reassessFailed', { error: follow.error })}</Alert>}
      {problem && <ErrorAlert error={problem} />}
    </div>
  );
}
