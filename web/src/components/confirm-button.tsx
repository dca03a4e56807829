// Irreversible acts take two presses, and the keyboard must not lose its place on the way: the
// question takes focus at its "yes" button, cancelling gives focus back to the button that asked,
// and a success is announced in a live region that is always on the page (a region mounted
// together with its text is not reliably read out) and that takes focus, since the button that
// was pressed is usually gone by then.
import { useCallback, useEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { ErrorAlert } from './feedback';
import { defineMessages, useT } from '../i18n';

const messages = defineMessages({
  nl: { cancel: 'Annuleren' },
  en: { cancel: 'Cancel' },
});

/**
 * A button whose first press asks `question` and whose second press (on `confirm`) acts. While
 * `onConfirm` runs the "yes" button is disabled; when it fails, the error is shown and the question
 * stays open; when it succeeds the question closes and focus is left to the caller (to a notice).
 */
export function ConfirmButton({ children, question, confirm, onConfirm, label, disabled, variant = 'secondary-action' }: {
  children: ReactNode;
  question: string;
  confirm: string;
  onConfirm(): Promise<void> | void;
  /** Accessible name of the first button when its text alone does not say what it acts on. */
  label?: string;
  disabled?: boolean;
  variant?: 'secondary-action' | 'subtle';
}) {
  const t = useT(messages);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Error | null>(null);
  const yes = useRef<HTMLButtonElement>(null);
  const start = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);

  useEffect(() => {
    if (asking) yes.current?.focus();
    else if (returnFocus.current) start.current?.focus();
    returnFocus.current = false;
  }, [asking]);

  const cancel = () => {
    returnFocus.current = true;
    setProblem(null);
    setAsking(false);
  };

  const act = async () => {
    setProblem(null);
    setBusy(true);
    try {
      await onConfirm();
      setAsking(false);
    } catch (err) {
      setProblem(err as Error);
      yes.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  if (!asking) {
    return (
      <button type="button" ref={start} className={`utrecht-button utrecht-button--${variant}`} aria-label={label} disabled={disabled}
        onClick={() => setAsking(true)}>{children}</button>
    );
  }
  return (
    <span className="camaudit-inline-actions" role="group" aria-label={question}>
      <span>{question}</span>
      <button type="button" ref={yes} className="utrecht-button utrecht-button--primary-action" disabled={busy} data-confirm="yes"
        onClick={() => void act()}>{confirm}</button>
      <button type="button" className="utrecht-button utrecht-button--subtle" onClick={cancel}>{t('cancel')}</button>
      {problem && <ErrorAlert error={problem} />}
    </span>
  );
}

export interface Notice {
  text: string;
  ref: RefObject<HTMLDivElement | null>;
  /** Says `text` (empty clears the notice); with `focus`, moves focus to it once it is on the page. */
  announce(text: string, focus?: boolean): void;
}

/** The state behind a `NoticeRegion`. */
export function useNotice(): Notice {
  const [state, setState] = useState<{ text: string; focus: boolean; n: number }>({ text: '', focus: false, n: 0 });
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (state.focus && state.text) ref.current?.focus();
  }, [state]);
  const announce = useCallback((text: string, focus = false) => setState((s) => ({ text, focus, n: s.n + 1 })), []);
  return { text: state.text, ref, announce };
}

/** A live region that is always present and empty until there is something to say. */
export function NoticeRegion({ notice, testId }: { notice: Notice; testId?: string }) {
  return (
    <div ref={notice.ref} role="status" tabIndex={-1} className="camaudit-notice" data-testid={testId}>
      {notice.text && (
        <div className="utrecht-alert utrecht-alert--ok">
          <div className="utrecht-alert__content"><div className="utrecht-alert__message">{notice.text}</div></div>
        </div>
      )}
    </div>
  );
}
