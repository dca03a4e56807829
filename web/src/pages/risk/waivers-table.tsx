// Waivers on record: in force, expired and (when asked) revoked, each with who accepted what until
// when; a writer revokes one here (it stays on record and its finding counts again).
import { useEffect, useId, useState } from 'react';
import { Link } from 'react-router';
import { orgPath, useApi, type Page } from '../../api';
import { DataTable, Pager, useCursorPaging, type Column } from '../../components/data-table';
import { Loaded } from '../../components/feedback';
import { defineMessages, formatDate, useLang, useT } from '../../i18n';
import { useOrg } from '../../session';
import type { DeviceName, Waiver } from './data';
import { ruleWord } from './risk-logic';
import { RevokeButton } from './revoke-button';

const messages = defineMessages({
  nl: {
    caption: 'Waivers',
    filter: 'Toon waivers',
    current: 'Geldig en verlopen',
    in_force: 'Geldig',
    expired: 'Verlopen',
    revoked: 'Ingetrokken',
    all: 'Alle, ook ingetrokken',
    device: 'Apparaat',
    rule: 'Bevinding',
    reason: 'Reden',
    approver: 'Goedgekeurd door',
    until: 'Tot en met',
    state: 'Staat',
    granted: 'Vastgelegd',
    actions: 'Acties',
    grantedBy: '{date} door {who}',
    revokedOn: 'Ingetrokken op {date} door {who}',
  },
  en: {
    caption: 'Waivers',
    filter: 'Show waivers',
    current: 'In force and expired',
    in_force: 'In force',
    expired: 'Expired',
    revoked: 'Revoked',
    all: 'All, revoked included',
    device: 'Device',
    rule: 'Finding',
    reason: 'Reason',
    approver: 'Approved by',
    until: 'Until and including',
    state: 'State',
    granted: 'Recorded',
    actions: 'Actions',
    grantedBy: '{date} by {who}',
    revokedOn: 'Revoked on {date} by {who}',
  },
});

const STATE_FILTERS = { current: '', in_force: 'in_force', expired: 'expired', revoked: 'revoked', all: 'in_force,expired,revoked' } as const;
type StateFilter = keyof typeof STATE_FILTERS;

export function WaiversTable({ devices, reloadKey, onChanged }: { devices: Map<string, DeviceName> | undefined; reloadKey: number; onChanged(message: string): void }) {
  const t = useT(messages);
  const { lang } = useLang();
  const org = useOrg();
  const id = useId();
  const paging = useCursorPaging();
  const [filter, setFilter] = useState<StateFilter>('current');
  const [sort, setSort] = useState('until');
  const waivers = useApi<Page<Waiver>>(orgPath(org.slug, '/waivers'), { limit: 50, cursor: paging.cursor, sort, state: STATE_FILTERS[filter] });
  const { reload } = waivers;
  useEffect(() => {
    if (reloadKey > 0) reload();
  }, [reloadKey, reload]);

  const stateWord = (state: string) => (state === 'in_force' || state === 'expired' || state === 'revoked' ? t(state) : state);
  const columns: Column<Waiver>[] = [
    { key: 'device', header: t('device'), sort: 'device', render: (w) => <Link className="utrecht-link" to={`/o/${org.slug}/devices/${w.deviceId}`}>{devices?.get(w.deviceId)?.name ?? w.deviceId.slice(0, 8)}</Link> },
    { key: 'rule', header: t('rule'), sort: 'rule', render: (w) => ruleWord(lang, w.rule) },
    { key: 'reason', header: t('reason'), render: (w) => w.reason },
    { key: 'approver', header: t('approver'), render: (w) => w.approver },
    { key: 'until', header: t('until'), sort: 'until', render: (w) => formatDate(lang, w.until) },
    { key: 'state', header: t('state'), render: (w) => (w.revokedAt ? t('revokedOn', { date: formatDate(lang, w.revokedAt), who: w.revokedBy ?? '—' }) : stateWord(w.state)) },
    { key: 'granted', header: t('granted'), sort: 'createdAt', render: (w) => t('grantedBy', { date: formatDate(lang, w.createdAt), who: w.createdBy }) },
  ];
  if (org.can('write')) {
    columns.push({
      key: 'actions', header: t('actions'),
      render: (w) => (w.state === 'revoked' ? null : (
        <RevokeButton waiverId={w.id} what={`${ruleWord(lang, w.rule)} — ${devices?.get(w.deviceId)?.name ?? w.deviceId.slice(0, 8)}`} onRevoked={onChanged} />
      )),
    });
  }

  return (
    <>
      <div className="camaudit-toolbar">
        <div className="utrecht-form-field">
          <label className="utrecht-form-label" htmlFor={`${id}-state`}>{t('filter')}</label>
          <select id={`${id}-state`} className="utrecht-select utrecht-select--html-select" value={filter} onChange={(e) => { setFilter(e.target.value as StateFilter); paging.reset(); }}>
            {(Object.keys(STATE_FILTERS) as StateFilter[]).map((k) => <option key={k} value={k}>{t(k)}</option>)}
          </select>
        </div>
      </div>
      <Loaded data={waivers.data} error={waivers.error}>
        {(page) => (
          <>
            <DataTable caption={t('caption')} columns={columns} rows={page.items} rowKey={(w) => w.id} sort={sort} onSort={(s) => { setSort(s); paging.reset(); }} />
            <Pager paging={paging} nextCursor={page.nextCursor} />
          </>
        )}
      </Loaded>
    </>
  );
}
