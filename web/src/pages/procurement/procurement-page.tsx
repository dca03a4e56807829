// Procurement: screen a supplier's equipment list before awarding, and the tender clauses that
// keep restricted makers out, with their legal basis.
import { PageTitle, Section } from '../../components/page';
import { defineMessages, useT } from '../../i18n';
import { Clauses } from './clauses';
import { Screening } from './screening';
import './procurement.css';

const messages = defineMessages({
  nl: { title: 'Inkoop', screening: 'Inschrijving toetsen', clauses: 'Clausulebibliotheek' },
  en: { title: 'Procurement', screening: 'Screen a bid', clauses: 'Clause library' },
});

export function ProcurementPage() {
  const t = useT(messages);
  return (
    <>
      <PageTitle title={t('title')}>{t('title')}</PageTitle>
      <Section title={t('screening')} id="screening">
        <Screening />
      </Section>
      <Section title={t('clauses')} id="clauses">
        <Clauses />
      </Section>
    </>
  );
}
