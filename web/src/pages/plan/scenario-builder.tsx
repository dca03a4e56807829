// Building a plan scenario: budget, capacity, years and (optionally) contract prices in; the three
// strategies computed side by side by the server (nothing is written); the person compares them
// in the chart and the table and, with writing rights, adopts one as the plan. What is adopted is
// exactly what was compared: the parameters are kept with the comparison, not read from the form.
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { api, orgPath } from '../../api';
import { NoticeRegion, useNotice } from '../../components/confirm-button';
import { ErrorAlert, Loading } from '../../components/feedback';
import { defineMessages, formatDate, formatMoney, formatNumber, useLang, useT } from '../../i18n';
import { label } from '../../labels';
import { useOrg } from '../../session';
import { parseWholeNumber } from './plan-logic';
import type { CostModel, PlanParams, ScenarioComparison, ScenarioName } from './plan-types';
import { ScenarioChart } from './scenario-chart';

const messages = defineMessages({
  nl: {
    intro: 'Vul het budget en de capaciteit per jaar in en het aantal jaren, en vergelijk de drie strategieën. Vergelijken verandert niets; pas bij “Vaststellen” wordt het gekozen scenario het plan.',
    budget: 'Budget per jaar (euro)', budgetHint: 'Leeg: geen grens.', capacity: 'Capaciteit per jaar (apparaten te vervangen)', capacityHint: 'Leeg: geen grens.',
    years: 'Aantal jaren', yearsHint: '1 tot en met 30.', compare: 'Scenario’s vergelijken', comparing: 'Scenario’s worden berekend…',
    invalidBudget: 'Het budget moet een heel getal van 0 of meer zijn, of leeg.', invalidCapacity: 'De capaciteit moet een heel getal van 0 of meer zijn, of leeg.', invalidYears: 'Het aantal jaren moet tussen 1 en 30 liggen.',
    prices: 'Prijzen (kostenmodel)', pricesIntro: 'Standaard rekent camaudit met planningsaannames. Vervang ze door uw contractprijzen (hele euro’s, exclusief btw) en vergelijk opnieuw.',
    pricesEdited: 'Eigen prijzen in gebruik.', pricesDefault: 'Standaardprijzen in gebruik.', resetPrices: 'Standaardprijzen herstellen',
    kindPrices: 'Prijzen per soort apparaat', kind: 'Soort', hardware: 'Hardware', installation: 'Installatie', disposal: 'Afvoer',
    actionPrices: 'Arbeid per maatregel', action: 'Maatregel', price: 'Prijs', lifetime: 'Levensduur van een nieuw apparaat (jaren)',
    basis: 'Berekend op de beoordeling van {date} ({findings} bevindingen), voor {from}–{to}; budget {budget}, capaciteit {capacity}. Risico nu: {risk}.',
    unlimited: 'onbeperkt', perYear: '{n} per jaar',
    tableCaption: 'Scenario’s vergeleken', scenario: 'Scenario', totalCost: 'Totale kosten', actions: 'Maatregelen', devices: 'Apparaten aangepakt',
    residual: 'Resterend risico aan het eind', unresolved: 'Niet bereikt (budget, capaciteit of jaren)', outside: 'Werk buiten het plan',
    adoptLegend: 'Welk scenario wordt het plan?', adopt: 'Vaststellen als plan', adopting: 'Plan wordt vastgesteld…',
    adopted: '“{scenario}” is vastgesteld als plan: {created} nieuw, {updated} bijgewerkt, {unchanged} ongewijzigd, {removed} vervallen, {kept} behouden omdat er al aan gewerkt is.',
    readOnly: 'U kunt scenario’s vergelijken; een scenario vaststellen kan een bewerker of beheerder.',
    changed: 'De invoer is gewijzigd sinds de laatste vergelijking: vergelijk opnieuw om vast te stellen wat u ziet.',
    fieldError: 'Fout',
  },
  en: {
    intro: 'Enter the budget and capacity per year and the number of years, and compare the three strategies. Comparing changes nothing; only “Adopt” makes the chosen scenario the plan.',
    budget: 'Budget per year (euros)', budgetHint: 'Empty: no limit.', capacity: 'Capacity per year (devices to replace)', capacityHint: 'Empty: no limit.',
    years: 'Number of years', yearsHint: '1 to 30.', compare: 'Compare scenarios', comparing: 'Computing the scenarios…',
    invalidBudget: 'The budget must be a whole number of 0 or more, or empty.', invalidCapacity: 'The capacity must be a whole number of 0 or more, or empty.', invalidYears: 'The number of years must be between 1 and 30.',
    prices: 'Prices (cost model)', pricesIntro: 'By default camaudit uses planning assumptions. Replace them with your contract prices (whole euros, excluding VAT) and compare again.',
    pricesEdited: 'Your own prices are in use.', pricesDefault: 'Default prices are in use.', resetPrices: 'Restore the default prices',
    kindPrices: 'Prices per kind of device', kind: 'Kind', hardware: 'Hardware', installation: 'Installation', disposal: 'Disposal',
    actionPrices: 'Labour per measure', action: 'Measure', price: 'Price', lifetime: 'Lifetime of a new device (years)',
    basis: 'Computed from the assessment of {date} ({findings} findings), for {from}–{to}; budget {budget}, capacity {capacity}. Risk now: {risk}.',
    unlimited: 'unlimited', perYear: '{n} a year',
    tableCaption: 'Scenarios compared', scenario: 'Scenario', totalCost: 'Total cost', actions: 'Measures', devices: 'Devices handled',
    residual: 'Risk left at the end', unresolved: 'Not reached (budget, capacity or years)', outside: 'Work outside the plan',
    adoptLegend: 'Which scenario becomes the plan?', adopt: 'Adopt as the plan', adopting: 'Adopting the plan…',
    adopted: '“{scenario}” is now the plan: {created} new, {updated} updated, {unchanged} unchanged, {removed} dropped, {kept} kept because work on them has started.',
    readOnly: 'You can compare scenarios; adopting one is for an editor or administrator.',
    changed: 'The input changed since the last comparison: compare again to adopt what you see.',
    fieldError: 'Error',
  },
});

interface Compared {
  params: PlanParams;
  result: ScenarioComparison;
}

type FormField = 'budget' | 'capacity' | 'years';

interface SaveCounts { created: number; updated: number; unchanged: number; removed: number; kept: number }

export function ScenarioBuilder({ onAdopted, onCompared }: { onAdopted(): void; onCompared(params: PlanParams): void }) {
  const t = useT(messages);
  const { lang } = useLang();
  const org = useOrg();
  const id = useId();
  const [budget, setBudget] = useState('');
  const [capacity, setCapacity] = useState('');
  const [years, setYears] = useState('5');
  const [costs, setCosts] = useState<CostModel | undefined>(undefined);
  const [defaults, setDefaults] = useState<CostModel | undefined>(undefined);
  const [invalid, setInvalid] = useState<{ field: FormField; text: string } | null>(null);
  // Focus goes to a refused field once it carries its error, so the error is read on arrival.
  useEffect(() => {
    if (invalid) document.getElementById(`${id}-${invalid.field}`)?.focus();
  }, [invalid, id]);
  const [busy, setBusy] = useState<'compare' | 'adopt' | null>(null);
  const [error, setError] = useState<Error | undefined>();
  const [compared, setCompared] = useState<Compared | undefined>();
  const [choice, setChoice] = useState<ScenarioName>('risk_based');
  const adopted = useNotice();
  const [dirty, setDirty] = useState(false);
  const [pricesOpen, setPricesOpen] = useState(false);

  const compare = useCallback(async (params: PlanParams) => {
    setBusy('compare');
    setError(undefined);
    try {
      const result = await api<ScenarioComparison>(orgPath(org.slug, '/plan/scenarios'), { method: 'POST', body: { ...params, actions: false } });
      setCompared({ params, result });
      setDefaults((d) => d ?? (params.costs ? undefined : result.costs));
      setDirty(false);
      onCompared(params);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(null);
    }
  }, [org.slug, onCompared]);

  useEffect(() => {
    void compare({ years: 5 });
  }, [compare]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const b = parseWholeNumber(budget);
    const c = parseWholeNumber(capacity);
    const y = parseWholeNumber(years);
    if (b === null) return setInvalid({ field: 'budget', text: t('invalidBudget') });
    if (c === null) return setInvalid({ field: 'capacity', text: t('invalidCapacity') });
    if (y === null || y === undefined || y < 1 || y > 30) return setInvalid({ field: 'years', text: t('invalidYears') });
    setInvalid(null);
    adopted.announce('');
    void compare({ ...(b !== undefined ? { budget: b } : {}), ...(c !== undefined ? { capacity: c } : {}), years: y, ...(costs ? { costs } : {}) });
  };

  const adopt = async (e: FormEvent) => {
    e.preventDefault();
    if (!compared) return;
    setBusy('adopt');
    setError(undefined);
    adopted.announce('');
    try {
      const answer = await api<{ saved: SaveCounts; scenario: { title: { nl: string; en: string } } }>(orgPath(org.slug, '/plan'), {
        method: 'PUT', body: { ...compared.params, scenario: choice },
      });
      adopted.announce(t('adopted', { scenario: answer.scenario.title[lang], ...answer.saved }));
      onAdopted();
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(null);
    }
  };

  const edit = (setter: (v: string) => void) => (value: string) => {
    setter(value);
    setDirty(true);
  };
  const model = costs ?? defaults;
  const setPrice = (path: ['kinds', string, 'hardware' | 'installation' | 'disposal'] | ['actions', string] | ['lifetimeYears'], text: string) => {
    if (!model) return;
    const parsed = parseWholeNumber(text);
    if (parsed === null) return;
    const n = parsed ?? 0;
    const next: CostModel = { ...model, kinds: { ...model.kinds }, actions: { ...model.actions } };
    if (path[0] === 'kinds') next.kinds[path[1]] = { ...next.kinds[path[1]]!, [path[2]]: n };
    else if (path[0] === 'actions') next.actions[path[1]] = n;
    else next.lifetimeYears = Math.max(1, n);
    setCosts(next);
    setDirty(true);
  };

  const fieldAria = (field: FormField) => ({
    'aria-invalid': invalid?.field === field || undefined,
    'aria-describedby': `${id}-${field}-hint${invalid?.field === field ? ` ${id}-${field}-error` : ''}`,
  });
  const fieldError = (field: FormField) => invalid?.field === field && (
    <p id={`${id}-${field}-error`} className="utrecht-form-field-error-message camaudit-plan-invalid">
      <span aria-hidden="true">✖ </span><span className="camaudit-visually-hidden">{t('fieldError')}: </span>{invalid.text}
    </p>
  );

  const result = compared?.result;
  return (
    <>
      <p className="utrecht-paragraph">{t('intro')}</p>
      <form className="camaudit-plan-form" onSubmit={submit} noValidate>
        <div className="camaudit-plan-form__fields">
          <div className={`utrecht-form-field${invalid?.field === 'budget' ? ' utrecht-form-field--invalid' : ''}`}>
            <label className="utrecht-form-label" htmlFor={`${id}-budget`}>{t('budget')}</label>
            <input id={`${id}-budget`} name="budget" className="utrecht-textbox utrecht-textbox--html-input" inputMode="numeric" value={budget}
              {...fieldAria('budget')} onChange={(e) => edit(setBudget)(e.target.value)} />
            <span id={`${id}-budget-hint`} className="camaudit-hint">{t('budgetHint')}</span>
            {fieldError('budget')}
          </div>
          <div className={`utrecht-form-field${invalid?.field === 'capacity' ? ' utrecht-form-field--invalid' : ''}`}>
            <label className="utrecht-form-label" htmlFor={`${id}-capacity`}>{t('capacity')}</label>
            <input id={`${id}-capacity`} name="capacity" className="utrecht-textbox utrecht-textbox--html-input" inputMode="numeric" value={capacity}
              {...fieldAria('capacity')} onChange={(e) => edit(setCapacity)(e.target.value)} />
            <span id={`${id}-capacity-hint`} className="camaudit-hint">{t('capacityHint')}</span>
            {fieldError('capacity')}
          </div>
          <div className={`utrecht-form-field${invalid?.field === 'years' ? ' utrecht-form-field--invalid' : ''}`}>
            <label className="utrecht-form-label" htmlFor={`${id}-years`}>{t('years')}</label>
            <input id={`${id}-years`} name="years" className="utrecht-textbox utrecht-textbox--html-input" inputMode="numeric" value={years}
              {...fieldAria('years')} onChange={(e) => edit(setYears)(e.target.value)} />
            <span id={`${id}-years-hint`} className="camaudit-hint">{t('yearsHint')}</span>
            {fieldError('years')}
          </div>
        </div>
        {model && (
          <details className="camaudit-plan-prices" onToggle={(e) => setPricesOpen(e.currentTarget.open)}>
            <summary>{t('prices')} — {costs ? t('pricesEdited') : t('pricesDefault')}</summary>
            {/* The price fields exist only while the section is open: closed, they are no stops for the keyboard. */}
            {pricesOpen && <>
            <p className="utrecht-paragraph">{t('pricesIntro')}</p>
            <table className="utrecht-table utrecht-table--html-table camaudit-table camaudit-table--compact">
              <caption className="utrecht-table__caption">{t('kindPrices')}</caption>
              <thead className="utrecht-table__header">
                <tr className="utrecht-table__row">
                  <th scope="col" className="utrecht-table__header-cell">{t('kind')}</th>
                  {(['hardware', 'installation', 'disposal'] as const).map((f) => <th key={f} scope="col" className="utrecht-table__header-cell">{t(f)}</th>)}
                </tr>
              </thead>
              <tbody className="utrecht-table__body">
                {Object.entries(model.kinds).map(([kind, prices]) => (
                  <tr key={kind} className="utrecht-table__row">
                    <th scope="row" className="utrecht-table__header-cell">{label(lang, 'kind', kind)}</th>
                    {(['hardware', 'installation', 'disposal'] as const).map((f) => (
                      <td key={f} className="utrecht-table__cell">
                        <input className="utrecht-textbox utrecht-textbox--html-input camaudit-plan-price" inputMode="numeric" value={String(prices[f])}
                          aria-label={`${t(f)} · ${label(lang, 'kind', kind)}`} onChange={(e) => setPrice(['kinds', kind, f], e.target.value)} />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
            <table className="utrecht-table utrecht-table--html-table camaudit-table camaudit-table--compact">
              <caption className="utrecht-table__caption">{t('actionPrices')}</caption>
              <thead className="utrecht-table__header">
                <tr className="utrecht-table__row">
                  <th scope="col" className="utrecht-table__header-cell">{t('action')}</th>
                  <th scope="col" className="utrecht-table__header-cell">{t('price')}</th>
                </tr>
              </thead>
              <tbody className="utrecht-table__body">
                {Object.entries(model.actions).map(([action, price]) => (
                  <tr key={action} className="utrecht-table__row">
                    <th scope="row" className="utrecht-table__header-cell">{label(lang, 'action', action)}</th>
                    <td className="utrecht-table__cell">
                      <input className="utrecht-textbox utrecht-textbox--html-input camaudit-plan-price" inputMode="numeric" value={String(price)}
                        aria-label={`${t('price')} · ${label(lang, 'action', action)}`} onChange={(e) => setPrice(['actions', action], e.target.value)} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="utrecht-form-field">
              <label className="utrecht-form-label" htmlFor={`${id}-lifetime`}>{t('lifetime')}</label>
              <input id={`${id}-lifetime`} className="utrecht-textbox utrecht-textbox--html-input camaudit-plan-price" inputMode="numeric" value={String(model.lifetimeYears)}
                onChange={(e) => setPrice(['lifetimeYears'], e.target.value)} />
            </div>
            {costs && (
              <button type="button" className="utrecht-button utrecht-button--subtle" onClick={() => { setCosts(undefined); setDirty(true); }}>{t('resetPrices')}</button>
            )}
            </>}
          </details>
        )}
        <div className="camaudit-toolbar">
          <button type="submit" className="utrecht-button utrecht-button--primary-action" disabled={busy !== null}>{t('compare')}</button>
        </div>
      </form>
      {busy === 'compare' && <Loading />}
      {busy === 'compare' && <p className="camaudit-visually-hidden" role="status">{t('comparing')}</p>}
      {error && <ErrorAlert error={error} />}
      {result && (
        <>
          <p className="utrecht-paragraph" data-testid="scenario-basis">
            {t('basis', {
              date: formatDate(lang, result.assessment.at, true), findings: result.assessment.findings, from: String(result.startYear), to: String(result.startYear + result.years - 1),
              budget: result.budget === null ? t('unlimited') : t('perYear', { n: formatMoney(lang, result.budget) }),
              capacity: result.capacity === null ? t('unlimited') : t('perYear', { n: result.capacity }), risk: result.riskNow,
            })}
          </p>
          <div className="camaudit-table-scroll" tabIndex={0} role="region" aria-label={t('tableCaption')}>
            <table className="utrecht-table utrecht-table--html-table camaudit-table" data-testid="scenario-comparison">
              <caption className="utrecht-table__caption">{t('tableCaption')}</caption>
              <thead className="utrecht-table__header">
                <tr className="utrecht-table__row">
                  <th scope="col" className="utrecht-table__header-cell">{t('scenario')}</th>
                  <th scope="col" className="utrecht-table__header-cell utrecht-table__header-cell--numeric">{t('totalCost')}</th>
                  <th scope="col" className="utrecht-table__header-cell utrecht-table__header-cell--numeric">{t('actions')}</th>
                  <th scope="col" className="utrecht-table__header-cell utrecht-table__header-cell--numeric">{t('devices')}</th>
                  <th scope="col" className="utrecht-table__header-cell utrecht-table__header-cell--numeric">{t('residual')}</th>
                  <th scope="col" className="utrecht-table__header-cell utrecht-table__header-cell--numeric">{t('unresolved')}</th>
                  <th scope="col" className="utrecht-table__header-cell utrecht-table__header-cell--numeric">{t('outside')}</th>
                </tr>
              </thead>
              <tbody className="utrecht-table__body">
                {result.comparison.map((s) => (
                  <tr key={s.name} className="utrecht-table__row" data-scenario={s.name}>
                    <th scope="row" className="utrecht-table__header-cell">{s.title[lang]}</th>
                    <td className="utrecht-table__cell utrecht-table__cell--numeric">{formatMoney(lang, s.totalCost)}</td>
                    <td className="utrecht-table__cell utrecht-table__cell--numeric">{formatNumber(lang, s.actions)}</td>
                    <td className="utrecht-table__cell utrecht-table__cell--numeric">{formatNumber(lang, s.devices)}</td>
                    <td className="utrecht-table__cell utrecht-table__cell--numeric">{s.residualRiskAtEnd === null ? '—' : formatNumber(lang, s.residualRiskAtEnd)}</td>
                    <td className="utrecht-table__cell utrecht-table__cell--numeric">{formatNumber(lang, s.unresolved)}</td>
                    <td className="utrecht-table__cell utrecht-table__cell--numeric">{formatNumber(lang, s.outsidePlan)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <ScenarioChart scenarios={result.comparison} />
          {org.can('write') ? (
            <form className="camaudit-plan-adopt" onSubmit={adopt}>
              <div className="utrecht-form-field">
                <label className="utrecht-form-label" htmlFor={`${id}-choice`}>{t('adoptLegend')}</label>
                <select id={`${id}-choice`} name="scenario" className="utrecht-select utrecht-select--html-select" value={choice} onChange={(e) => setChoice(e.target.value as ScenarioName)}>
                  {result.comparison.map((s) => <option key={s.name} value={s.name}>{s.title[lang]} — {formatMoney(lang, s.totalCost)}</option>)}
                </select>
              </div>
              {dirty && <p className="utrecht-paragraph camaudit-hint">{t('changed')}</p>}
              <button type="submit" className="utrecht-button utrecht-button--primary-action" disabled={busy !== null || dirty}>{t('adopt')}</button>
            </form>
          ) : (
            <p className="utrecht-paragraph">{t('readOnly')}</p>
          )}
          {busy === 'adopt' && <p role="status" className="utrecht-paragraph">{t('adopting')}</p>}
          <NoticeRegion notice={adopted} testId="plan-adopted" />
        </>
      )}
    </>
  );
}
