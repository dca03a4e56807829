// Loading, error and notice states, announced to screen readers.
import type { ReactNode } from 'react';
import { ApiError } from '../api';
import { defineMessages, useT } from '../i18n';

const messages = defineMessages({
  nl: { loading: 'Bezig met laden…', error: 'Er ging iets mis', forbidden: 'U heeft hier geen toegang toe.', notFound: 'Niet gevonden.', signedOut: 'U bent niet meer ingelogd.' },
  en: { loading: 'Loading…', error: 'Something went wrong', forbidden: 'You do not have access to this.', notFound: 'Not found.', signedOut: 'You are no longer signed in.' },
});

export function Loading() {
  const t = useT(messages);
  return <p className="utrecht-paragraph camaudit-loading" role="status">{t('loading')}</p>;
}

export function Alert({ type = 'info', children }: { type?: 'info' | 'ok' | 'warning' | 'error'; children: ReactNode }) {
  return (
    <div className={`utrecht-alert utrecht-alert--${type}`} role={type === 'error' ? 'alert' : 'status'}>
      <div className="utrecht-alert__content"><div className="utrecht-alert__message">{children}</div></div>
    </div>
  );
}

/** An API or other error as a person can read it: the server's problem detail when it gave one. */
export function ErrorAlert({ error }: { error: Error }) {
  const t = useT(messages);
  let text = error.message;
  if (error instanceof ApiError) {
    if (error.status === 401) text = t('signedOut');
    else if (error.status === 403) text = t('forbidden');
    else if (error.status === 404 && !error.detail) text = t('notFound');
  }
  return <Alert type="error"><strong>{t('error')}:</strong> {text}</Alert>;
}

/** Renders children once data is there; loading and error states otherwise. */
export function Loaded<T>({ data, error, children }: { data: T | undefined; error: Error | undefined; children: (data: T) => ReactNode }) {
  if (error) return <ErrorAlert error={error} />;
  if (data === undefined) return <Loading />;
  return <>{children(data)}</>;
}
