// Revoking a waiver takes two presses: a revoked waiver stays on record and cannot be restored,
// so the second press confirms what the first one offered.
import { api, orgPath } from '../../api';
import { ConfirmButton } from '../../components/confirm-button';
import { defineMessages, useT } from '../../i18n';
import { useOrg } from '../../session';

const messages = defineMessages({
  nl: { revoke: 'Waiver intrekken', confirm: 'Waiver voor {what} echt intrekken?', yes: 'Ja, intrekken', done: 'De waiver voor {what} is ingetrokken; de bevinding telt weer mee.', revokeOf: 'Waiver intrekken: {what}' },
  en: { revoke: 'Revoke waiver', confirm: 'Really revoke the waiver for {what}?', yes: 'Yes, revoke', done: 'The waiver for {what} was revoked; the finding counts again.', revokeOf: 'Revoke waiver: {what}' },
});

export function RevokeButton({ waiverId, what, onRevoked }: { waiverId: string; what: string; onRevoked(message: string): void }) {
  const t = useT(messages);
  const org = useOrg();
  return (
    <ConfirmButton label={t('revokeOf', { what })} question={t('confirm', { what })} confirm={t('yes')}
      onConfirm={async () => {
        await api(orgPath(org.slug, `/waivers/${waiverId}`), { method: 'DELETE' });
        onRevoked(t('done', { what }));
      }}>
      {t('revoke')}
    </ConfirmButton>
  );
}
