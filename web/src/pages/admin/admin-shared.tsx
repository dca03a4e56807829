// Pieces every administration section uses: running a request with its busy and error state, a
// field with its label, hint and error tied together for assistive technology, and a destructive
// button that asks again before acting.
import { useCallback, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { ApiError } from '../../api';
import { defineMessages, useT } from '../../i18n';

const messages = defineMessages({
  nl: { sure: 'Weet u het zeker? {what}', cancel: 'Annuleren', forbidden: 'U heeft hier geen toegang toe.', signedOut: 'U bent niet meer ingelogd.' },
  en: { sure: 'Are you sure? {what}', cancel: 'Cancel', forbidden: 'You do not have access to this.', signedOut: 'You are no longer signed in.' },
});

export interface Run {
  busy: boolean;
  error: Error | undefined;
  /** Runs the request; its error is kept for display and the promise gives undefined instead. */
  run<T>(request: () => Promise<T>): Promise<T | undefined>;
  clear(): void;
}

export function useRun(): Run {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>(undefined);
  const run = useCallback(async <T,>(request: () => Promise<T>) => {
    setBusy(true);
    setError(undefined);
    try {
      return await request();
    } catch (err) {
      setError(err as Error);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  const clear = useCallback(() => setError(undefined), []);
  return { busy, error, run, clear };
}

/** The text of an error as the person should read it next to the field it is about. */
export function useErrorText(): (error: Error) => string {
  const t = useT(messages);
  return (error) => {
    if (error instanceof ApiError) {
      if (error.status === 401) return t('signedOut');
      if (error.status === 403) return t('forbidden');
      return error.detail ?? error.title;
    }
    return error.message;
  };
}

export function Field({ label, hint, error, children }: {
  label: string;
  hint?: ReactNode;
  error?: string;
  children: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: true }) => ReactNode;
}) {
  const id = useId();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className={`utrecht-form-field camaudit-admin__field${error ? ' utrecht-form-field--invalid' : ''}`}>
      <label className="utrecht-form-label" htmlFor={id}>{label}</label>
      {hint && <p className="utrecht-form-field-description camaudit-admin__hint" id={`${id}-hint`}>{hint}</p>}
      {error && <p className="utrecht-form-field-error-message camaudit-admin__error" id={`${id}-error`}><span aria-hidden="true">⚠ </span>{error}</p>}
      {children({ id, ...(described ? { 'aria-describedby': described } : {}), ...(error ? { 'aria-invalid': true as const } : {}) })}
    </div>
  );
}

/** A button for an irreversible act: the first press asks, the second (on "confirm") acts. */
export function ConfirmButton({ children, confirm, question, onConfirm, disabled }: {
  children: ReactNode;
  confirm: string;
  question: string;
  onConfirm(): void;
  disabled?: boolean;
}) {
  const t = useT(messages);
  const [asking, setAsking] = useState(false);
  const yes = useRef<HTMLButtonElement>(null);
  const start = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);
  useEffect(() => {
    if (asking) yes.current?.focus();
    else if (wasAsking.current) start.current?.focus();
    wasAsking.current = asking;
  }, [asking]);
  if (!asking) {
    return <button type="button" ref={start} className="utrecht-button utrecht-button--secondary-action" disabled={disabled} onClick={() => setAsking(true)}>{children}</button>;
  }
  return (
    <span role="group" aria-label={question} className="camaudit-admin__confirm">
      <span>{t('sure', { what: question })}</span>
      <button type="button" ref={yes} className="utrecht-button utrecht-button--primary-action camaudit-admin__danger" onClick={() => { setAsking(false); onConfirm(); }}>{confirm}</button>
      <button type="button" className="utrecht-button utrecht-button--subtle" onClick={() => setAsking(false)}>{t('cancel')}</button>
    </span>
  );
}
