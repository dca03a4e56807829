// The adopted plan as a timeline: the items counted per quarter of their due date, then the items
// themselves in due-date order, a page at a time, grouped under their quarter. Writers move an
// item one step (open → in progress → done) with an optional note; the server refuses any other
// step, and its answer replaces the item on screen.
import { useId, useMemo, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, orgPath } from '../../api';
import { Alert, ErrorAlert } from '../../components/feedback';
import { defineMessages, formatDate, formatMoney, formatNumber, useLang, useT, type Lang } from '../../i18n';
import { label } from '../../labels';
import { useOrg } from '../../session';
import { nextStatus, pageSlice, periodOf, periods, type ItemStatus } from './plan-logic';
import { deviceText, type DeviceLabel, type PlanItem } from './plan-types';

const PAGE_SIZE = 20;

const messages = defineMessages({
  nl: {
    overviewCaption: 'Planning per kwartaal', period: 'Kwartaal', periodValue: '{year} K{quarter}', actions: 'Maatregelen', cost: 'Kosten',
    open: 'Open', inProgress: 'Bezig', done: 'Gereed', overdue: 'Te laat',
    filterPeriod: 'Kwartaal', allPeriods: 'Alle kwartalen', filterStatus: 'Status', allStatuses: 'Alle statussen', onlyOverdue: 'Alleen te late maatregelen',
    itemsCaption: 'Maatregelen van het plan ({n}), op vervaldatum', due: 'Vervaldatum', device: 'Apparaat', action: 'Maatregel', status: 'Status', note: 'Notitie',
    update: 'Bijwerken', overdueMark: 'te laat', start: 'Starten', finish: 'Gereedmelden', noteLabel: 'Notitie (optioneel)', save: 'Opslaan', cancel: 'Annuleren',
    stepTo: '{action} voor {device} wordt “{status}”', saved: '{action} voor {device} is nu “{status}”.', retired: 'Het apparaat staat nu op “{status}”.',
    none: 'Geen maatregelen die aan deze keuze voldoen.', noPlan: 'Er is nog geen plan vastgesteld. Vergelijk hierboven de scenario’s en stel er een vast.',
    previous: 'Vorige', next: 'Volgende', page: 'Pagina {page} van {pages}', pager: 'Pagina’s van de maatregelen',
  },
  en: {
    overviewCaption: 'Plan per quarter', period: 'Quarter', periodValue: '{year} Q{quarter}', actions: 'Measures', cost: 'Cost',
    open: 'Open', inProgress: 'In progress', done: 'Done', overdue: 'Overdue',
    filterPeriod: 'Quarter', allPeriods: 'All quarters', filterStatus: 'Status', allStatuses: 'All statuses', onlyOverdue: 'Only overdue measures',
    itemsCaption: 'The plan’s measures ({n}), by due date', due: 'Due', device: 'Device', action: 'Measure', status: 'Status', note: 'Note',
    update: 'Update', overdueMark: 'overdue', start: 'Start', finish: 'Mark done', noteLabel: 'Note (optional)', save: 'Save', cancel: 'Cancel',
    stepTo: '{action} for {device} becomes “{status}”', saved: '{action} for {device} is now “{status}”.', retired: 'The device is now “{status}”.',
    none: 'No measures match this choice.', noPlan: 'No plan has been adopted yet. Compare the scenarios above and adopt one.',
    previous: 'Previous', next: 'Next', page: 'Page {page} of {pages}', pager: 'Pages of measures',
  },
});

/** A plan status in words. */
export function statusText(lang: Lang, status: ItemStatus): string {
  return label(lang, 'planStatus', status);
}

const SHAPE: Record<ItemStatus, string> = { planned: '○', in_progress: '◐', done: '●' };

export function StatusBadge({ status }: { status: ItemStatus }) {
  const { lang } = useLang();
  return <span className={`camaudit-plan-status camaudit-plan-status--${status}`}><span aria-hidden="true">{SHAPE[status]} </span>{statusText(lang, status)}</span>;
}

interface Advanced {
  item: PlanItem;
  deviceStatus: string | null;
}

export function Timeline({ items, devices, onChanged }: { items: readonly PlanItem[]; devices: ReadonlyMap<string, DeviceLabel>; onChanged(item: PlanItem, deviceStatus: string | null): void }) {
  const t = useT(messages);
  const { lang } = useLang();
  const org = useOrg();
  const id = useId();
  const [period, setPeriod] = useState('');
  const [status, setStatus] = useState<'' | ItemStatus>('');
  const [onlyOverdue, setOnlyOverdue] = useState(false);
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>();
  const [message, setMessage] = useState<string | null>(null);

  const summary = useMemo(() => periods(items), [items]);
  const filtered = useMemo(() => items
    .filter((i) => (period === '' || periodOf(i) === period) && (status === '' || i.status === status) && (!onlyOverdue || i.overdue))
    .sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.id.localeCompare(b.id)), [items, period, status, onlyOverdue]);
  const shown = pageSlice(filtered, page, PAGE_SIZE);
  const periodName = (key: string) => t('periodValue', { year: key.slice(0, 4), quarter: key.slice(6) });
  const actionText = (item: PlanItem) => label(lang, 'action', item.action);

  if (items.length === 0) return <p className="utrecht-paragraph">{t('noPlan')}</p>;

  const save = async (e: FormEvent, item: PlanItem) => {
    e.preventDefault();
    const to = nextStatus(item.status);
    if (!to) return;
    setBusy(true);
    setError(undefined);
    setMessage(null);
    try {
      const answer = await api<Advanced>(orgPath(org.slug, `/plan/items/${encodeURIComponent(item.id)}`), {
        method: 'PATCH', body: { status: to, ...(note.trim() ? { note: note.trim() } : {}) },
      });
      const device = deviceText(devices.get(item.deviceId), item.deviceId);
      const changed = { ...item, ...answer.item, overdue: answer.item.status !== 'done' && item.overdue };
      setMessage(`${t('saved', { action: actionText(item), device, status: statusText(lang, answer.item.status) })}${answer.deviceStatus ? ` ${t('retired', { status: label(lang, 'status', answer.deviceStatus) })}` : ''}`);
      setEditing(null);
      setNote('');
      onChanged(changed, answer.deviceStatus);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };

  let lastPeriod = '';
  const columns = org.can('write') ? 7 : 6;
  return (
    <>
      <div className="camaudit-table-scroll" tabIndex={0} role="region" aria-label={t('overviewCaption')}>
        <table className="utrecht-table utrecht-table--html-table camaudit-table camaudit-table--compact" data-testid="plan-periods">
          <caption className="utrecht-table__caption">{t('overviewCaption')}</caption>
          <thead className="utrecht-table__header">
            <tr className="utrecht-table__row">
              <th scope="col" className="utrecht-table__header-cell">{t('period')}</th>
              <th scope="col" className="utrecht-table__header-cell utrecht-table__header-cell--numeric">{t('actions')}</th>
              <th scope="col" className="utrecht-table__header-cell utrecht-table__header-cell--numeric">{t('cost')}</th>
              <th scope="col" className="utrecht-table__header-cell utrecht-table__header-cell--numeric">{t('open')}</th>
              <th scope="col" className="utrecht-table__header-cell utrecht-table__header-cell--numeric">{t('inProgress')}</th>
              <th scope="col" className="utrecht-table__header-cell utrecht-table__header-cell--numeric">{t('done')}</th>
              <th scope="col" className="utrecht-table__header-cell utrecht-table__header-cell--numeric">{t('overdue')}</th>
            </tr>
          </thead>
          <tbody className="utrecht-table__body">
            {summary.map((p) => (
              <tr key={p.key} className="utrecht-table__row">
                <th scope="row" className="utrecht-table__header-cell">{periodName(p.key)}</th>
                <td className="utrecht-table__cell utrecht-table__cell--numeric">{formatNumber(lang, p.actions)}</td>
                <td className="utrecht-table__cell utrecht-table__cell--numeric">{formatMoney(lang, p.cost)}</td>
                <td className="utrecht-table__cell utrecht-table__cell--numeric">{formatNumber(lang, p.planned)}</td>
                <td className="utrecht-table__cell utrecht-table__cell--numeric">{formatNumber(lang, p.inProgress)}</td>
                <td className="utrecht-table__cell utrecht-table__cell--numeric">{formatNumber(lang, p.done)}</td>
                <td className="utrecht-table__cell utrecht-table__cell--numeric">{p.overdue > 0 ? `⚠ ${formatNumber(lang, p.overdue)}` : '0'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <div className="camaudit-toolbar">
        <div className="utrecht-form-field">
          <label className="utrecht-form-label" htmlFor={`${id}-period`}>{t('filterPeriod')}</label>
          <select id={`${id}-period`} className="utrecht-select utrecht-select--html-select" value={period} onChange={(e) => { setPeriod(e.target.value); setPage(1); }}>
            <option value="">{t('allPeriods')}</option>
            {summary.map((p) => <option key={p.key} value={p.key}>{periodName(p.key)}</option>)}
          </select>
        </div>
        <div className="utrecht-form-field">
          <label className="utrecht-form-label" htmlFor={`${id}-status`}>{t('filterStatus')}</label>
          <select id={`${id}-status`} className="utrecht-select utrecht-select--html-select" value={status} onChange={(e) => { setStatus(e.target.value as '' | ItemStatus); setPage(1); }}>
            <option value="">{t('allStatuses')}</option>
            {(['planned', 'in_progress', 'done'] as const).map((s) => <option key={s} value={s}>{statusText(lang, s)}</option>)}
          </select>
        </div>
        <div className="camaudit-plan-check">
          <input type="checkbox" id={`${id}-overdue`} className="utrecht-checkbox utrecht-checkbox--html-input" checked={onlyOverdue}
            onChange={(e) => { setOnlyOverdue(e.target.checked); setPage(1); }} />
          <label htmlFor={`${id}-overdue`}>{t('onlyOverdue')}</label>
        </div>
      </div>

      {error && <ErrorAlert error={error} />}
      {message && <Alert type="ok">{message}</Alert>}

      <div className="camaudit-table-scroll" tabIndex={0} role="region" aria-label={t('itemsCaption', { n: filtered.length })}>
        <table className="utrecht-table utrecht-table--html-table camaudit-table" data-testid="plan-items">
          <caption className="utrecht-table__caption">{t('itemsCaption', { n: filtered.length })}</caption>
          <thead className="utrecht-table__header">
            <tr className="utrecht-table__row">
              <th scope="col" className="utrecht-table__header-cell">{t('due')}</th>
              <th scope="col" className="utrecht-table__header-cell">{t('device')}</th>
              <th scope="col" className="utrecht-table__header-cell">{t('action')}</th>
              <th scope="col" className="utrecht-table__header-cell utrecht-table__header-cell--numeric">{t('cost')}</th>
              <th scope="col" className="utrecht-table__header-cell">{t('status')}</th>
              <th scope="col" className="utrecht-table__header-cell">{t('note')}</th>
              {org.can('write') && <th scope="col" className="utrecht-table__header-cell">{t('update')}</th>}
            </tr>
          </thead>
          <tbody className="utrecht-table__body">
            {shown.rows.length === 0 && (
              <tr className="utrecht-table__row"><td className="utrecht-table__cell" colSpan={columns}>{t('none')}</td></tr>
            )}
            {shown.rows.flatMap((item) => {
              const rows = [];
              const key = periodOf(item);
              if (key !== lastPeriod) {
                lastPeriod = key;
                rows.push(
                  <tr key={`p-${key}`} className="utrecht-table__row camaudit-plan-period">
                    <th scope="colgroup" colSpan={columns} className="utrecht-table__header-cell">{periodName(key)}</th>
                  </tr>,
                );
              }
              const device = deviceText(devices.get(item.deviceId), item.deviceId);
              const to = nextStatus(item.status);
              rows.push(
                <tr key={item.id} className="utrecht-table__row" data-item={item.id}>
                  <td className="utrecht-table__cell">
                    {formatDate(lang, item.dueDate)}
                    {item.overdue && <strong className="camaudit-plan-overdue"> ⚠ {t('overdueMark')}</strong>}
                  </td>
                  <td className="utrecht-table__cell"><Link className="utrecht-link" to={`/o/${encodeURIComponent(org.slug)}/devices/${item.deviceId}`}>{device}</Link></td>
                  <td className="utrecht-table__cell">{actionText(item)}</td>
                  <td className="utrecht-table__cell utrecht-table__cell--numeric">{formatMoney(lang, item.cost)}</td>
                  <td className="utrecht-table__cell"><StatusBadge status={item.status} /></td>
                  <td className="utrecht-table__cell">{item.note ?? ''}</td>
                  {org.can('write') && (
                    <td className="utrecht-table__cell">
                      {to && editing !== item.id && (
                        <button type="button" className="utrecht-button utrecht-button--secondary-action" aria-label={`${to === 'in_progress' ? t('start') : t('finish')}: ${actionText(item)} · ${device}`}
                          onClick={() => { setEditing(item.id); setNote(''); setMessage(null); }}>
                          {to === 'in_progress' ? t('start') : t('finish')}
                        </button>
                      )}
                    </td>
                  )}
                </tr>,
              );
              if (editing === item.id && to) {
                rows.push(
                  <tr key={`e-${item.id}`} className="utrecht-table__row camaudit-plan-edit">
                    <td className="utrecht-table__cell" colSpan={columns}>
                      <form onSubmit={(e) => void save(e, item)} aria-label={t('stepTo', { action: actionText(item), device, status: statusText(lang, to) })}>
                        <p className="utrecht-paragraph">{t('stepTo', { action: actionText(item), device, status: statusText(lang, to) })}</p>
                        <div className="utrecht-form-field">
                          <label className="utrecht-form-label" htmlFor={`${id}-note`}>{t('noteLabel')}</label>
                          <textarea id={`${id}-note`} name="note" className="utrecht-textarea utrecht-textarea--html-textarea" rows={2} maxLength={2000} value={note}
                            onChange={(e) => setNote(e.target.value)} autoFocus />
                        </div>
                        <div className="camaudit-toolbar">
                          <button type="submit" className="utrecht-button utrecht-button--primary-action" disabled={busy}>{t('save')}</button>
                          <button type="button" className="utrecht-button utrecht-button--secondary-action" onClick={() => setEditing(null)}>{t('cancel')}</button>
                        </div>
                      </form>
                    </td>
                  </tr>,
                );
              }
              return rows;
            })}
          </tbody>
        </table>
      </div>
      {shown.pages > 1 && (
        <nav className="camaudit-pager" aria-label={t('pager')}>
          <button type="button" className="utrecht-button utrecht-button--secondary-action" disabled={shown.page === 1} onClick={() => setPage(shown.page - 1)}>{t('previous')}</button>
          <span className="camaudit-pager__page" aria-live="polite">{t('page', { page: shown.page, pages: shown.pages })}</span>
          <button type="button" className="utrecht-button utrecht-button--secondary-action" disabled={shown.page === shown.pages} onClick={() => setPage(shown.page + 1)}>{t('next')}</button>
        </nav>
      )}
    </>
  );
}
