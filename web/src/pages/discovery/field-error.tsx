// A refusal shown at the field it is about: the field points at it (aria-describedby) and says it
// is invalid (aria-invalid), so a screen reader reads the reason on arriving there.
import { defineMessages, useT } from '../../i18n';

const messages = defineMessages({
  nl: { error: 'Fout' },
  en: { error: 'Error' },
});

export interface FieldProblem<F extends string> {
  field: F;
  text: string;
}

export function FieldError({ id, text }: { id: string; text: string }) {
  const t = useT(messages);
  return (
    <p className="utrecht-form-field-error-message camaudit-discovery-error" id={id}>
      <span aria-hidden="true">✖ </span><span className="camaudit-visually-hidden">{t('error')}: </span>{text}
    </p>
  );
}

/** The ARIA attributes of a field that may carry an error, next to the ids of what else describes it. */
export function fieldAria(errorId: string, invalid: boolean, ...describedBy: string[]) {
  const ids = [...describedBy, ...(invalid ? [errorId] : [])].join(' ');
  return { 'aria-invalid': invalid || undefined, 'aria-describedby': ids || undefined };
}
