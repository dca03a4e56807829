// A running scan as it goes: addresses done of all, hosts found, rate and time left, with a
// progress bar and one status line in a live region, so a screen reader hears how far it is.
import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api, orgPath } from '../../api';
import { Alert, ErrorAlert } from '../../components/feedback';
import { defineMessages, formatNumber, useLang, useT } from '../../i18n';
import { useOrg } from '../../session';
import { useJobEvents, type JobView } from './job-events';
import { clock, isFinalStatus, percentDone, scanProgressOf } from './scan-logic';

const messages = defineMessages({
  nl: {
    title: 'Voortgang van de scan',
    bar: 'Gescande adressen',
    waiting: 'De scan staat in de wachtrij…',
    starting: 'De scan begint…',
    running: '{done} van {total} adressen gescand ({pct}%), {found} apparaten gevonden.',
    speed: '{rate} adressen per seconde, nog ongeveer {eta}.',
    cancelling: 'De scan wordt gestopt…',
    succeeded: 'De scan is klaar: {done} van {total} adressen gescand, {found} apparaten gevonden.',
    cancelled: 'De scan is gestopt na {done} van {total} adressen; {found} apparaten gevonden. Wat gevonden is, is bewaard.',
    failed: 'De scan is mislukt: {error}',
    cancel: 'Scan stoppen',
    openRun: 'Bekijk de gevonden apparaten van deze scan',
    streamError: 'De voortgang kan niet meer gevolgd worden: {error}',
  },
  en: {
    title: 'Scan progress',
    bar: 'Addresses scanned',
    waiting: 'The scan is queued…',
    starting: 'The scan is starting…',
    running: '{done} of {total} addresses scanned ({pct}%), {found} devices found.',
    speed: '{rate} addresses per second, about {eta} left.',
    cancelling: 'Stopping the scan…',
    succeeded: 'The scan is finished: {done} of {total} addresses scanned, {found} devices found.',
    cancelled: 'The scan was stopped after {done} of {total} addresses; {found} devices found. What was found is kept.',
    failed: 'The scan failed: {error}',
    cancel: 'Stop scan',
    openRun: 'See the devices this scan found',
    streamError: 'The progress can no longer be followed: {error}',
  },
});

export function ScanProgressPanel({ job: started, eventsUrl, onFinished }: { job: JobView; eventsUrl: string; onFinished(job: JobView): void }) {
  const t = useT(messages);
  const { lang } = useLang();
  const org = useOrg();
  const id = useId();
  const follow = useJobEvents(eventsUrl);
  const job = follow.job ?? started;
  const [cancelError, setCancelError] = useState<Error | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const reported = useRef<string | null>(null);

  const final = isFinalStatus(job.status);
  useEffect(() => {
    if (final && reported.current !== job.id) {
      reported.current = job.id;
      onFinished(job);
    }
  }, [final, job, onFinished]);

  const figures = scanProgressOf(job.result) ?? scanProgressOf(job.progress);
  const runId = figures?.runId ?? null;
  const params = figures ? { done: figures.done, total: figures.total, found: figures.found, pct: percentDone(figures.done, figures.total) } : { done: 0, total: 0, found: 0, pct: 0 };

  let line: string;
  if (job.status === 'queued') line = t('waiting');
  else if (job.status === 'cancelling') line = t('cancelling');
  else if (job.status === 'succeeded') line = t('succeeded', params);
  else if (job.status === 'cancelled') line = t('cancelled', params);
  else if (job.status === 'failed') line = t('failed', { error: job.error ?? '' });
  else line = figures ? t('running', params) : t('starting');

  async function cancel() {
    setCancelError(null);
    setCancelling(true);
    try {
      await api(orgPath(org.slug, `/jobs/${job.id}/cancel`), { method: 'POST' });
    } catch (err) {
      setCancelError(err as Error);
    } finally {
      setCancelling(false);
    }
  }

  return (
    <section className="camaudit-section camaudit-card camaudit-scan-progress" aria-labelledby={`${id}-title`} data-job-status={job.status}>
      <h2 className="utrecht-heading-2" id={`${id}-title`}>{t('title')}</h2>
      <div className="utrecht-form-field">
        <label className="utrecht-form-label" htmlFor={`${id}-bar`}>{t('bar')}</label>
        <progress id={`${id}-bar`} className="camaudit-progress" max={Math.max(1, figures?.total ?? 1)} value={figures?.done ?? (final ? 1 : 0)}
          aria-valuetext={figures ? `${formatNumber(lang, params.pct)}%` : undefined} />
      </div>
      {job.status === 'failed'
        ? <Alert type="error">{line}</Alert>
        : <p className="utrecht-paragraph camaudit-scan-progress__line" role="status" aria-live="polite" data-testid="scan-status">{line}</p>}
      {figures && !final && figures.etaSeconds !== null && (
        <p className="utrecht-paragraph camaudit-hint">{t('speed', { rate: formatNumber(lang, Math.round(figures.rate)), eta: clock(figures.etaSeconds) })}</p>
      )}
      {follow.error && <Alert type="error">{t('streamError', { error: follow.error })}</Alert>}
      {cancelError && <ErrorAlert error={cancelError} />}
      <div className="camaudit-toolbar">
        {!final && org.can('write') && (
          <button type="button" className="utrecht-button utrecht-button--secondary-action" onClick={() => void cancel()} disabled={cancelling || job.status === 'cancelling'}>{t('cancel')}</button>
        )}
        {final && runId && <Link className="utrecht-link" to={`/o/${org.slug}/discovery/${runId}`}>{t('openRun')}</Link>}
      </div>
    </section>
  );
}
