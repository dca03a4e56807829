// Revoking a waiver takes two presses: a revoked waiver stays on record and cannot be restored,
// so the second press confirms what the first one offered.
import { useState } from 'react';
import { api, orgPath } from '../../api';
import { ErrorAlert } from '../../components/feedback';
import { defineMessages, useT } from '../../i18n';
import { useOrg } from '../../session';

const messages = defineMessages({
  nl: { revoke: 'Waiver intrekken', confirm: 'Waiver voor {what} echt intrekken?', yes: 'Ja, intrekken', no: 'Annuleren', done: 'De waiver voor {what} is ingetrokken; de bevinding telt weer mee.', revokeOf: 'Waiver intrekken: {what}' },
  en: { revoke: 'Revoke waiver', confirm: 'Really revoke the waiver for {what}?', yes: 'Yes, revoke', no: 'Cancel', done: 'The waiver for {what} was revoked; the finding counts again.', revokeOf: 'Revoke waiver: {what}' },
});

export function RevokeButton({ waiverId, what, onRevoked }: { waiverId: string; what: string; onRevoked(message: string): void }) {
  const t = useT(messages);
  const org = useOrg();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Error | null>(null);

  async function revoke() {
    setProblem(null);
    setBusy(true);
    try {
      await api(orgPath(org.slug, `/waivers/${waiverId}`), { method: 'DELETE' });
      setConfirming(false);
      onRevoked(t('done', { what }));
    } catch (err) {
      setProblem(err as Error);
    } finally {
      setBusy(false);
    }
  }

  if (!confirming) {
    return <button type="button" className="utrecht-button utrecht-button--secondary-action" aria-label={t('revokeOf', { what })} onClick={() => setConfirming(true)}>{t('revoke')}</button>;
  }
  return (
    <span className="camaudit-inline-actions" role="group" aria-label={t('confirm', { what })}>
      <span>{t('confirm', { what })}</span>
      <button type="button" className="utrecht-button utrecht-button--primary-action" disabled={busy} onClick={() => void revoke()}>{t('yes')}</button>
      <button type="button" className="utrecht-button utrecht-button--subtle" onClick={() => setConfirming(false)}>{t('no')}</button>
      {problem && <ErrorAlert error={problem} />}
    </span>
  );
}
