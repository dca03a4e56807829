// The organisation's audit trail: every change, newest first, who made it and through what; the
// entries about one thing; the verdict on the hash chain (intact, or every problem by position);
// and the whole chain as CSV or JSON to keep elsewhere and verify there.
import { useState, type FormEvent } from 'react';
import { api, apiFile, orgPath, saveBlob, useApi, type Page } from '../../api';
import { DataTable, Pager, useCursorPaging, type Column } from '../../components/data-table';
import { Alert, Loaded } from '../../components/feedback';
import { defineMessages, formatDate, formatNumber, useLang, useT } from '../../i18n';
import { useOrg } from '../../session';
import { describeProblem, summariseChange, type ChainProblemView } from './admin-logic';
import { Field, useErrorText, useRun } from './admin-shared';

const messages = defineMessages({
  nl: {
    intro: 'Elke wijziging in het register, de rollen, tokens en instellingen komt als regel in een hashketen: een regel die later wordt gewijzigd, verwijderd of verplaatst, valt bij controle op.',
    verifyTitle: 'Keten controleren', verify: 'Keten controleren', verifying: 'Bezig met controleren…',
    intact: 'De keten is intact: {n} regels, alle hashes en verwijzingen kloppen.', head: 'Laatste hash: {hash}',
    broken: 'De keten is niet intact: {n} probleem/problemen gevonden.',
    exportTitle: 'Exporteren', exportCsv: 'Exporteren als CSV', exportJson: 'Exporteren als JSON', exported: '{file} is gedownload.',
    exportHint: 'De export bevat de hele keten met de kop, zodat hij ook buiten camaudit te controleren is.',
    entriesTitle: 'Regels', filter: 'Onderwerp (id)', filterHint: 'Het id van een apparaat, locatie, persoon, token of ander onderwerp; leeg voor alle regels.',
    apply: 'Filteren', clear: 'Filter wissen', filtered: 'Alleen regels over {id}.',
    caption: 'Audittrail van {org}, nieuwste eerst', seq: 'Nr.', at: 'Wanneer', actor: 'Wie', source: 'Via', action: 'Actie', entity: 'Onderwerp', change: 'Wijziging',
    onlyThis: 'Alleen regels over {type} {id}', noChange: '—',
  },
  en: {
    intro: 'Every change to the register, roles, tokens and settings becomes an entry in a hash chain: an entry changed, deleted or moved afterwards shows when the chain is verified.',
    verifyTitle: 'Verify the chain', verify: 'Verify the chain', verifying: 'Verifying…',
    intact: 'The chain is intact: {n} entries, every hash and link holds.', head: 'Last hash: {hash}',
    broken: 'The chain is not intact: {n} problem(s) found.',
    exportTitle: 'Export', exportCsv: 'Export as CSV', exportJson: 'Export as JSON', exported: '{file} has been downloaded.',
    exportHint: 'The export holds the whole chain with its head, so it can be verified outside camaudit too.',
    entriesTitle: 'Entries', filter: 'Subject (id)', filterHint: 'The id of a device, site, person, token or other subject; empty for every entry.',
    apply: 'Filter', clear: 'Clear filter', filtered: 'Only entries about {id}.',
    caption: 'Audit trail of {org}, newest first', seq: 'No.', at: 'When', actor: 'Who', source: 'Through', action: 'Action', entity: 'Subject', change: 'Change',
    onlyThis: 'Only entries about {type} {id}', noChange: '—',
  },
});

interface AuditRecord {
  seq: number;
  at: string;
  actor: string;
  source: string;
  action: string;
  entityType: string;
  entityId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  hash: string;
}

interface Verification {
  intact: boolean;
  entries: number;
  head: { entries: number; lastHash: string } | null;
  problems: ChainProblemView[];
}

const PAGE_SIZE = 25;

export function AuditSection({ title }: { title: string }) {
  const t = useT(messages);
  const { lang } = useLang();
  const org = useOrg();
  const paging = useCursorPaging();
  const [entity, setEntity] = useState('');
  const [typed, setTyped] = useState('');
  const entries = useApi<Page<AuditRecord>>(orgPath(org.slug, '/audit/entries'), { limit: PAGE_SIZE, cursor: paging.cursor, entity: entity || undefined });
  const verify = useRun();
  const [verdict, setVerdict] = useState<Verification | undefined>(undefined);
  const exporting = useRun();
  const [exported, setExported] = useState<string | undefined>(undefined);
  const errorText = useErrorText();

  const filterOn = (id: string) => {
    setTyped(id);
    setEntity(id);
    paging.reset();
  };
  const submitFilter = (e: FormEvent) => {
    e.preventDefault();
    filterOn(typed.trim());
  };
  const runVerify = async () => {
    setVerdict(undefined);
    const v = await verify.run(() => api<Verification>(orgPath(org.slug, '/audit/verification')));
    if (v) setVerdict(v);
  };
  const runExport = async (format: 'csv' | 'json') => {
    setExported(undefined);
    const file = await exporting.run(() => apiFile(orgPath(org.slug, '/audit/export'), { query: { format } }));
    if (file) {
      const name = file.fileName ?? `audit-${org.slug}.${format}`;
      saveBlob(file.blob, name);
      setExported(name);
    }
  };

  const columns: Column<AuditRecord>[] = [
    { key: 'seq', header: t('seq'), numeric: true, render: (r) => formatNumber(lang, r.seq, { useGrouping: false }) },
    { key: 'at', header: t('at'), render: (r) => formatDate(lang, r.at, true) },
    { key: 'actor', header: t('actor'), render: (r) => <span className="camaudit-admin__break">{r.actor}</span> },
    { key: 'source', header: t('source'), render: (r) => <span className="camaudit-admin__break">{r.source}</span> },
    { key: 'action', header: t('action'), render: (r) => r.action },
    {
      key: 'entity', header: t('entity'),
      render: (r) => (
        <>
          {r.entityType}<br />
          {entity === r.entityId ? <code className="camaudit-admin__id">{r.entityId}</code> : (
            <button type="button" className="camaudit-admin__link-button" onClick={() => filterOn(r.entityId)} aria-label={t('onlyThis', { type: r.entityType, id: r.entityId })}>
              <code className="camaudit-admin__id">{r.entityId}</code>
            </button>
          )}
        </>
      ),
    },
    {
      key: 'change', header: t('change'),
      render: (r) => {
        const lines = summariseChange(r.before, r.after);
        return lines.length === 0 ? t('noChange') : <ul className="camaudit-admin__changes">{lines.map((l, i) => <li key={i}>{l}</li>)}</ul>;
      },
    },
  ];

  return (
    <section className="camaudit-section" aria-labelledby="admin-audit-title">
      <h2 className="utrecht-heading-2" id="admin-audit-title">{title}</h2>
      <p className="utrecht-paragraph">{t('intro')}</p>
      <div className="camaudit-grid camaudit-admin__pair">
        <div className="camaudit-card">
          <h3 className="utrecht-heading-3">{t('verifyTitle')}</h3>
          <div className="camaudit-toolbar">
            <button type="button" className="utrecht-button utrecht-button--primary-action" disabled={verify.busy} onClick={() => void runVerify()} data-testid="verify-chain">
              {verify.busy ? t('verifying') : t('verify')}
            </button>
          </div>
          {verify.error && <Alert type="error">{errorText(verify.error)}</Alert>}
          {verdict && (verdict.intact ? (
            <Alert type="ok">
              <span aria-hidden="true">✓ </span>{t('intact', { n: verdict.entries })}
              {verdict.head && <><br /><span className="camaudit-admin__break">{t('head', { hash: verdict.head.lastHash })}</span></>}
            </Alert>
          ) : (
            <Alert type="error">
              <span aria-hidden="true">✕ </span>{t('broken', { n: verdict.problems.length })}
              <ul>{verdict.problems.map((p, i) => <li key={i}>{describeProblem(lang, p)}</li>)}</ul>
            </Alert>
          ))}
        </div>
        <div className="camaudit-card">
          <h3 className="utrecht-heading-3">{t('exportTitle')}</h3>
          <p className="utrecht-paragraph">{t('exportHint')}</p>
          <div className="camaudit-toolbar">
            <button type="button" className="utrecht-button utrecht-button--secondary-action" disabled={exporting.busy} onClick={() => void runExport('csv')}>{t('exportCsv')}</button>
            <button type="button" className="utrecht-button utrecht-button--secondary-action" disabled={exporting.busy} onClick={() => void runExport('json')}>{t('exportJson')}</button>
          </div>
          {exporting.error && <Alert type="error">{errorText(exporting.error)}</Alert>}
          {exported && <Alert type="ok">{t('exported', { file: exported })}</Alert>}
        </div>
      </div>

      <h3 className="utrecht-heading-3">{t('entriesTitle')}</h3>
      <form className="camaudit-toolbar camaudit-admin__filter" onSubmit={submitFilter} role="search" aria-label={t('filter')}>
        <Field label={t('filter')} hint={t('filterHint')}>
          {(p) => <input {...p} name="entity" type="text" autoComplete="off" className="utrecht-textbox utrecht-textbox--html-input" value={typed} onChange={(e) => setTyped(e.target.value)} />}
        </Field>
        <button type="submit" className="utrecht-button utrecht-button--secondary-action">{t('apply')}</button>
        {entity && <button type="button" className="utrecht-button utrecht-button--subtle" onClick={() => filterOn('')}>{t('clear')}</button>}
      </form>
      {entity && <p className="utrecht-paragraph" role="status">{t('filtered', { id: entity })}</p>}
      <Loaded data={entries.data} error={entries.error}>
        {(page) => (
          <>
            <DataTable caption={t('caption', { org: org.name })} columns={columns} rows={page.items} rowKey={(r) => String(r.seq)} />
            <Pager paging={paging} nextCursor={page.nextCursor} />
          </>
        )}
      </Loaded>
    </section>
  );
}
