// The organisation's scan runs, newest first: where they came from, how they ended, what they
// looked at and found; each opens its own page.
import { useEffect, useId, useState } from 'react';
import { Link } from 'react-router';
import { orgPath, useApi, type Page } from '../../api';
import { DataTable, Pager, useCursorPaging, type Column } from '../../components/data-table';
import { Loaded } from '../../components/feedback';
import { defineMessages, formatDate, formatNumber, useLang, useT } from '../../i18n';
import { useOrg } from '../../session';
import { ORIGINS, RUN_STATUSES, runWordKey, runWords } from './run-words';
import { addressesOf, hostsOf, listParam } from './scan-logic';
import type { ScanRun } from './types';

const messages = defineMessages({
  nl: {
    caption: 'Scanrondes',
    started: 'Gestart',
    origin: 'Herkomst',
    status: 'Status',
    targets: 'Doelen',
    addresses: 'Adressen',
    hosts: 'Gevonden',
    all: 'Alle',
    filterOrigin: 'Herkomst',
    filterStatus: 'Status',
  },
  en: {
    caption: 'Scan runs',
    started: 'Started',
    origin: 'Origin',
    status: 'Status',
    targets: 'Targets',
    addresses: 'Addresses',
    hosts: 'Found',
    all: 'All',
    filterOrigin: 'Origin',
    filterStatus: 'Status',
  },
});

export function RunsTable({ reloadKey }: { reloadKey: number }) {
  const t = useT(messages);
  const w = useT(runWords);
  const { lang } = useLang();
  const org = useOrg();
  const id = useId();
  const paging = useCursorPaging();
  const [sort, setSort] = useState('-startedAt');
  const [origin, setOrigin] = useState('');
  const [status, setStatus] = useState('');
  const runs = useApi<Page<ScanRun>>(orgPath(org.slug, '/scans'), { limit: 20, cursor: paging.cursor, sort, origin, status });
  const { reload } = runs;
  // A scan that ended or a bundle that was imported is a new run: show it.
  useEffect(() => {
    if (reloadKey > 0) reload();
  }, [reloadKey, reload]);

  const word = (kind: 'origin' | 'status', value: string) => {
    const key = runWordKey(kind, value);
    return key ? w(key) : value;
  };
  const count = (n: number | null) => (n === null ? '—' : formatNumber(lang, n));
  const columns: Column<ScanRun>[] = [
    { key: 'started', header: t('started'), sort: 'startedAt', render: (r) => <Link className="utrecht-link" to={`/o/${org.slug}/discovery/${r.id}`}>{formatDate(lang, r.startedAt, true)}</Link> },
    { key: 'origin', header: t('origin'), sort: 'origin', render: (r) => word('origin', r.origin) },
    { key: 'status', header: t('status'), sort: 'status', render: (r) => word('status', r.status) },
    { key: 'targets', header: t('targets'), render: (r) => listParam(r.params, 'targets').join(', ') || '—' },
    { key: 'addresses', header: t('addresses'), numeric: true, render: (r) => count(addressesOf(r.stats)) },
    { key: 'hosts', header: t('hosts'), numeric: true, render: (r) => count(hostsOf(r.stats)) },
  ];

  return (
    <>
      <div className="camaudit-toolbar">
        <div className="utrecht-form-field">
          <label className="utrecht-form-label" htmlFor={`${id}-origin`}>{t('filterOrigin')}</label>
          <select id={`${id}-origin`} className="utrecht-select utrecht-select--html-select" value={origin} onChange={(e) => { setOrigin(e.target.value); paging.reset(); }}>
            <option value="">{t('all')}</option>
            {ORIGINS.map((o) => <option key={o} value={o}>{word('origin', o)}</option>)}
          </select>
        </div>
        <div className="utrecht-form-field">
          <label className="utrecht-form-label" htmlFor={`${id}-status`}>{t('filterStatus')}</label>
          <select id={`${id}-status`} className="utrecht-select utrecht-select--html-select" value={status} onChange={(e) => { setStatus(e.target.value); paging.reset(); }}>
            <option value="">{t('all')}</option>
            {RUN_STATUSES.map((s) => <option key={s} value={s}>{word('status', s)}</option>)}
          </select>
        </div>
      </div>
      <Loaded data={runs.data} error={runs.error}>
        {(page) => (
          <>
            <DataTable caption={t('caption')} columns={columns} rows={page.items} rowKey={(r) => r.id} sort={sort} onSort={(s) => { setSort(s); paging.reset(); }} />
            <Pager paging={paging} nextCursor={page.nextCursor} />
          </>
        )}
      </Loaded>
    </>
  );
}
