// The plan's money per year: what it plans to spend, what the finished items cost, what is under
// way and what the year still needs. Figures come from the plan items as they stand.
import { defineMessages, formatMoney, useLang, useT } from '../../i18n';
import { budgetByYear } from './plan-logic';
import type { PlanItem } from './plan-types';

const messages = defineMessages({
  nl: {
    caption: 'Budget per jaar: gepland, uitgegeven (gereed) en resterend', year: 'Jaar', planned: 'Gepland', spent: 'Uitgegeven (gereed)', inProgress: 'Onderweg (bezig)',
    remaining: 'Resterend', total: 'Totaal', none: 'Zonder vastgesteld plan is er geen budget te tonen.',
  },
  en: {
    caption: 'Budget per year: planned, spent (done) and remaining', year: 'Year', planned: 'Planned', spent: 'Spent (done)', inProgress: 'Under way (in progress)',
    remaining: 'Remaining', total: 'Total', none: 'Without an adopted plan there is no budget to show.',
  },
});

export function Budget({ items }: { items: readonly PlanItem[] }) {
  const t = useT(messages);
  const { lang } = useLang();
  if (items.length === 0) return <p className="utrecht-paragraph">{t('none')}</p>;
  const { rows, total } = budgetByYear(items);
  const cells = (r: { planned: number; spent: number; inProgress: number; remaining: number }) => (
    <>
      <td className="utrecht-table__cell utrecht-table__cell--numeric">{formatMoney(lang, r.planned)}</td>
      <td className="utrecht-table__cell utrecht-table__cell--numeric">{formatMoney(lang, r.spent)}</td>
      <td className="utrecht-table__cell utrecht-table__cell--numeric">{formatMoney(lang, r.inProgress)}</td>
      <td className="utrecht-table__cell utrecht-table__cell--numeric">{formatMoney(lang, r.remaining)}</td>
    </>
  );
  return (
    <div className="camaudit-table-scroll" tabIndex={0} role="region" aria-label={t('caption')}>
      <table className="utrecht-table utrecht-table--html-table camaudit-table" data-testid="plan-budget">
        <caption className="utrecht-table__caption">{t('caption')}</caption>
        <thead className="utrecht-table__header">
          <tr className="utrecht-table__row">
            <th scope="col" className="utrecht-table__header-cell">{t('year')}</th>
            <th scope="col" className="utrecht-table__header-cell utrecht-table__header-cell--numeric">{t('planned')}</th>
            <th scope="col" className="utrecht-table__header-cell utrecht-table__header-cell--numeric">{t('spent')}</th>
            <th scope="col" className="utrecht-table__header-cell utrecht-table__header-cell--numeric">{t('inProgress')}</th>
            <th scope="col" className="utrecht-table__header-cell utrecht-table__header-cell--numeric">{t('remaining')}</th>
          </tr>
        </thead>
        <tbody className="utrecht-table__body">
          {rows.map((r) => (
            <tr key={r.year} className="utrecht-table__row" data-year={r.year}>
              <th scope="row" className="utrecht-table__header-cell">{r.year}</th>
              {cells(r)}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr className="utrecht-table__row camaudit-plan-total">
            <th scope="row" className="utrecht-table__header-cell">{t('total')}</th>
            {cells(total)}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
