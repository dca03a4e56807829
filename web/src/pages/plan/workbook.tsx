// The plan workbook (XLSX: the scenarios compared, one sheet per scenario) is made by a report job
// on the server. The page starts the job, follows its events until it ends, then fetches the file
// and offers it as a download; progress and the outcome are announced.
import { useState } from 'react';
import { api, apiFile, orgPath, saveBlob } from '../../api';
import { Alert, ErrorAlert } from '../../components/feedback';
import { defineMessages, useLang, useT } from '../../i18n';
import { useOrg } from '../../session';
import type { PlanParams } from './plan-types';

const messages = defineMessages({
  nl: {
    intro: 'Het werkboek bevat de drie scenario’s naast elkaar en per scenario een blad met alle maatregelen, voor de budget en capaciteit van de laatste vergelijking.',
    pricesNote: 'Het werkboek rekent met de standaardprijzen, niet met de eigen prijzen van de vergelijking.',
    download: 'Planwerkboek downloaden (XLSX)', queued: 'Het werkboek wordt gemaakt…', ready: 'Het werkboek is klaar en gedownload ({file}).',
    failed: 'Het werkboek kon niet worden gemaakt: {error}', lost: 'De verbinding met de server viel weg voordat het werkboek klaar was.',
    readOnly: 'Het planwerkboek maken kan een bewerker of beheerder.',
  },
  en: {
    intro: 'The workbook holds the three scenarios side by side and, per scenario, a sheet with every measure, for the budget and capacity of the last comparison.',
    pricesNote: 'The workbook uses the default prices, not the comparison’s own prices.',
    download: 'Download the plan workbook (XLSX)', queued: 'Making the workbook…', ready: 'The workbook is ready and downloaded ({file}).',
    failed: 'The workbook could not be made: {error}', lost: 'The connection to the server was lost before the workbook was ready.',
    readOnly: 'Making the plan workbook is for an editor or administrator.',
  },
});

interface JobView { id: string; status: string; error: string | null }
interface Accepted { job: JobView; links: { self: string; events: string; download?: string } }

/** Resolves with the job as it ended, from the job's server-sent events. */
export function followJob(eventsUrl: string): Promise<JobView> {
  return new Promise((resolve, reject) => {
    const source = new EventSource(eventsUrl);
    source.addEventListener('done', (event) => {
      source.close();
      resolve(JSON.parse((event as MessageEvent<string>).data) as JobView);
    });
    source.addEventListener('error', (event) => {
      const data = (event as MessageEvent<unknown>).data;
      // The server's own error event carries a detail; a dropped connection ends the wait too,
      // rather than leaving the person looking at "making…" for ever.
      source.close();
      reject(new Error(typeof data === 'string' ? ((JSON.parse(data) as { detail?: string }).detail ?? data) : ''));
    });
  });
}

export function Workbook({ params }: { params: PlanParams | undefined }) {
  const t = useT(messages);
  const { lang } = useLang();
  const org = useOrg();
  const [state, setState] = useState<{ kind: 'idle' } | { kind: 'busy' } | { kind: 'ready'; file: string } | { kind: 'failed'; text: string } | { kind: 'error'; error: Error }>({ kind: 'idle' });
  if (!org.can('write')) return <p className="utrecht-paragraph">{t('readOnly')}</p>;

  const make = async () => {
    setState({ kind: 'busy' });
    try {
      const body = { ...(params?.budget !== undefined ? { budget: params.budget } : {}), ...(params?.capacity !== undefined ? { capacity: params.capacity } : {}), years: params?.years ?? 5, lang };
      const accepted = await api<Accepted>(orgPath(org.slug, '/reports/plan-workbook'), { method: 'POST', body });
      let job: JobView;
      try {
        job = await followJob(accepted.links.events);
      } catch (err) {
        setState({ kind: 'failed', text: (err as Error).message ? t('failed', { error: (err as Error).message }) : t('lost') });
        return;
      }
      if (job.status !== 'succeeded' || !accepted.links.download) {
        setState({ kind: 'failed', text: t('failed', { error: job.error ?? job.status }) });
        return;
      }
      const { blob, fileName } = await apiFile(accepted.links.download);
      const file = fileName ?? 'plan.xlsx';
      saveBlob(blob, file);
      setState({ kind: 'ready', file });
    } catch (err) {
      setState({ kind: 'error', error: err as Error });
    }
  };

  return (
    <>
      <p className="utrecht-paragraph">{t('intro')}</p>
      {params?.costs && <p className="utrecht-paragraph camaudit-hint">{t('pricesNote')}</p>}
      <button type="button" className="utrecht-button utrecht-button--primary-action" disabled={state.kind === 'busy'} onClick={() => void make()}>{t('download')}</button>
      <div role="status" className="camaudit-plan-job">
        {state.kind === 'busy' && <p className="utrecht-paragraph">{t('queued')}</p>}
        {state.kind === 'ready' && <p className="utrecht-paragraph">{t('ready', { file: state.file })}</p>}
      </div>
      {state.kind === 'failed' && <Alert type="error">{state.text}</Alert>}
      {state.kind === 'error' && <ErrorAlert error={state.error} />}
    </>
  );
}
