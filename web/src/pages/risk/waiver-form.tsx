// Granting a waiver: one rule's risk on one device, accepted for a reason by a named person until a
// date. The server checks it exactly as `camaudit waive` does; each refusal is shown at the field
// it is about, so the form itself says what to correct.
import { useId, useRef, useState, type FormEvent } from 'react';
import { api, ApiError, orgPath } from '../../api';
import { ErrorAlert } from '../../components/feedback';
import { defineMessages, useT } from '../../i18n';
import { useOrg, useSession } from '../../session';
import type { Finding, Waiver } from './data';
import { todayInAmsterdam, waiverFieldOf, waiverProblemOf, type WaiverField } from './risk-logic';

const messages = defineMessages({
  nl: {
    title: 'Risico accepteren (waiver)',
    intro: 'Met een waiver accepteert de gemeente dit risico voor dit apparaat tot een datum. De bevinding telt dan als geaccepteerd; na de datum telt hij weer mee.',
    reason: 'Reden',
    reasonHint: 'Waarom de gemeente dit risico accepteert, bijvoorbeeld: vervanging staat gepland in het tweede kwartaal.',
    until: 'Geldig tot en met',
    untilHint: 'De laatste dag dat de waiver geldt (vandaag of later).',
    approver: 'Goedgekeurd door',
    approverHint: 'De persoon die het risico accepteert, met functie.',
    submit: 'Waiver vastleggen',
    cancel: 'Annuleren',
    busy: 'Bezig…',
    reasonMissing: 'Vul een reden in: waarom accepteert de gemeente dit risico?',
    untilFormat: 'Vul een geldige datum in.',
    untilPast: 'Deze datum ligt in het verleden; een waiver geldt tot vandaag of later.',
    approverMissing: 'Vul in wie het risico accepteert.',
    fieldError: 'Fout',
  },
  en: {
    title: 'Accept the risk (waiver)',
    intro: 'With a waiver the municipality accepts this risk for this device until a date. The finding then counts as accepted; after the date it counts again.',
    reason: 'Reason',
    reasonHint: 'Why the municipality accepts this risk, for example: replacement is planned for the second quarter.',
    until: 'Valid until and including',
    untilHint: 'The last day the waiver holds (today or later).',
    approver: 'Approved by',
    approverHint: 'The person who accepts the risk, with their position.',
    submit: 'Record the waiver',
    cancel: 'Cancel',
    busy: 'Working…',
    reasonMissing: 'Give a reason: why does the municipality accept this risk?',
    untilFormat: 'Give a valid date.',
    untilPast: 'This date lies in the past; a waiver holds until today or later.',
    approverMissing: 'Say who accepts the risk.',
    fieldError: 'Error',
  },
});

export function WaiverForm({ finding, title, onGranted, onCancel }: { finding: Finding; title: string; onGranted(waiver: Waiver): void; onCancel(): void }) {
  const t = useT(messages);
  const org = useOrg();
  const { session } = useSession();
  const id = useId();
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState('');
  const [approver, setApprover] = useState(session?.user.displayName ?? '');
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<{ field: WaiverField; text: string } | null>(null);
  const [problem, setProblem] = useState<Error | null>(null);
  const refs = { reason: useRef<HTMLTextAreaElement>(null), until: useRef<HTMLInputElement>(null), approver: useRef<HTMLInputElement>(null) };

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFieldError(null);
    setProblem(null);
    setBusy(true);
    try {
      const waiver = await api<Waiver>(orgPath(org.slug, '/waivers'), {
        method: 'POST', body: { device: finding.deviceId, rule: finding.rule, reason, until, approver },
      });
      onGranted(waiver);
    } catch (err) {
      const detail = err instanceof ApiError && err.status === 400 ? (err.detail ?? '') : '';
      const field = detail ? waiverFieldOf(detail) : null;
      if (field === 'reason' || field === 'until' || field === 'approver') {
        const known = waiverProblemOf(detail);
        setFieldError({ field, text: known ? t(known) : detail });
        refs[field].current?.focus();
      } else {
        setProblem(err as Error);
      }
    } finally {
      setBusy(false);
    }
  }

  const invalid = (field: WaiverField) => fieldError?.field === field;
  const describedBy = (field: WaiverField) => `${id}-${field}-hint${invalid(field) ? ` ${id}-${field}-error` : ''}`;
  const errorText = (field: WaiverField) => invalid(field) && (
    <p className="utrecht-form-field-error-message camaudit-field-error" id={`${id}-${field}-error`}>
      <span aria-hidden="true">✖ </span><span className="camaudit-visually-hidden">{t('fieldError')}: </span>{fieldError!.text}
    </p>
  );

  return (
    <form className="camaudit-form camaudit-card camaudit-waiver-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${id}-title`}>
      <h4 className="utrecht-heading-4" id={`${id}-title`}>{t('title')}: {title}</h4>
      <p className="utrecht-paragraph">{t('intro')}</p>
      <div className={`utrecht-form-field${invalid('reason') ? ' utrecht-form-field--invalid' : ''}`}>
        <label className="utrecht-form-label" htmlFor={`${id}-reason`}>{t('reason')}</label>
        <p className="camaudit-hint" id={`${id}-reason-hint`}>{t('reasonHint')}</p>
        {errorText('reason')}
        <textarea ref={refs.reason} id={`${id}-reason`} name="reason" rows={3} aria-required="true" aria-invalid={invalid('reason') || undefined}
          aria-describedby={describedBy('reason')} className="utrecht-textarea utrecht-textarea--html-textarea camaudit-waiver-form__reason"
          value={reason} onChange={(e) => setReason(e.target.value)} />
      </div>
      <div className={`utrecht-form-field${invalid('until') ? ' utrecht-form-field--invalid' : ''}`}>
        <label className="utrecht-form-label" htmlFor={`${id}-until`}>{t('until')}</label>
        <p className="camaudit-hint" id={`${id}-until-hint`}>{t('untilHint')}</p>
        {errorText('until')}
        <input ref={refs.until} id={`${id}-until`} name="until" type="date" min={todayInAmsterdam(new Date())} aria-required="true" aria-invalid={invalid('until') || undefined}
          aria-describedby={describedBy('until')} className="utrecht-textbox utrecht-textbox--html-input camaudit-date"
          value={until} onChange={(e) => setUntil(e.target.value)} />
      </div>
      <div className={`utrecht-form-field${invalid('approver') ? ' utrecht-form-field--invalid' : ''}`}>
        <label className="utrecht-form-label" htmlFor={`${id}-approver`}>{t('approver')}</label>
        <p className="camaudit-hint" id={`${id}-approver-hint`}>{t('approverHint')}</p>
        {errorText('approver')}
        <input ref={refs.approver} id={`${id}-approver`} name="approver" aria-required="true" aria-invalid={invalid('approver') || undefined}
          aria-describedby={describedBy('approver')} className="utrecht-textbox utrecht-textbox--html-input"
          value={approver} onChange={(e) => setApprover(e.target.value)} autoComplete="name" />
      </div>
      {problem && <ErrorAlert error={problem} />}
      <div className="camaudit-toolbar">
        <button type="submit" className="utrecht-button utrecht-button--primary-action" disabled={busy}>{busy ? t('busy') : t('submit')}</button>
        <button type="button" className="utrecht-button utrecht-button--subtle" onClick={onCancel}>{t('cancel')}</button>
      </div>
    </form>
  );
}
