// The scenarios compared over the years: cost per year as grouped bars and the risk left at the
// end of each year as lines, drawn by Observable Plot (loaded with this page only). Scenarios are
// told apart by pattern and symbol as well as colour, and named at the end of each line; the
// table after the chart holds the same figures and is what assistive technology reads.
import { useEffect, useRef } from 'react';
import { defineMessages, formatMoney, formatNumber, useLang, useT } from '../../i18n';
import { yearRows } from './plan-logic';
import type { ScenarioSummary } from './plan-types';

const messages = defineMessages({
  nl: {
    costTitle: 'Kosten per jaar', riskTitle: 'Resterend risico aan het einde van elk jaar', year: 'Jaar', cost: 'Kosten', risk: 'Risico',
    table: 'Scenario’s per jaar: kosten en resterend risico', costOf: 'Kosten {scenario}', riskOf: 'Risico {scenario}',
  },
  en: {
    costTitle: 'Cost per year', riskTitle: 'Risk left at the end of each year', year: 'Year', cost: 'Cost', risk: 'Risk',
    table: 'Scenarios per year: cost and residual risk', costOf: 'Cost {scenario}', riskOf: 'Risk {scenario}',
  },
});

/** Per scenario: a colour, a bar pattern and a line dash and symbol, so no one depends on colour. */
const LOOK: Record<string, { colour: string; dash: string; symbol: string; mark: string }> = {
  replace_now: { colour: '#154273', dash: '0', symbol: 'circle', mark: '●' },
  end_of_life: { colour: '#8a5a00', dash: '6 3', symbol: 'square', mark: '■' },
  risk_based: { colour: '#2e6b30', dash: '2 2', symbol: 'triangle', mark: '▲' },
};
const lookOf = (name: string) => LOOK[name] ?? { colour: '#4a4a4a', dash: '0', symbol: 'diamond', mark: '◆' };

export function ScenarioChart({ scenarios }: { scenarios: readonly ScenarioSummary[] }) {
  const t = useT(messages);
  const { lang } = useLang();
  const costRef = useRef<HTMLDivElement>(null);
  const riskRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let cancelled = false;
    void import('@observablehq/plot').then((Plot) => {
      if (cancelled || !costRef.current || !riskRef.current) return;
      const titleOf = (name: string) => scenarios.find((s) => s.name === name)?.title[lang] ?? name;
      const costs = scenarios.flatMap((s) => s.costPerYear.map((c) => ({ scenario: s.name, label: `${lookOf(s.name).mark} ${s.title[lang]}`, year: String(c.year), cost: c.cost })));
      const risks = scenarios.flatMap((s) => s.residualRisk.map((r) => ({ scenario: s.name, year: r.year, risk: r.risk })));
      const width = Math.max(360, costRef.current.clientWidth || 720);
      const colour = { domain: scenarios.map((s) => s.name), range: scenarios.map((s) => lookOf(s.name).colour) };
      const costChart = Plot.plot({
        width, height: 260, marginLeft: 70,
        fx: { label: t('year') },
        x: { axis: null, domain: scenarios.map((s) => s.name) },
        y: { grid: true, label: `${t('cost')} (€)`, tickFormat: (v: number) => formatNumber(lang, v) },
        color: colour,
        marks: [
          Plot.barY(costs, { fx: 'year', x: 'scenario', y: 'cost', fill: 'scenario' }),
          Plot.text(costs, { fx: 'year', x: 'scenario', y: 'cost', text: (d: { scenario: string }) => lookOf(d.scenario).mark, dy: -8 }),
          Plot.ruleY([0]),
        ],
      });
      const last = scenarios.map((s) => ({ scenario: s.name, ...s.residualRisk[s.residualRisk.length - 1] }));
      const riskChart = Plot.plot({
        width, height: 260, marginLeft: 70, marginRight: 180,
        x: { label: t('year'), tickFormat: (v: number) => String(v), ticks: [...new Set(risks.map((r) => r.year))] },
        y: { grid: true, label: t('risk'), zero: true },
        color: colour,
        symbol: { domain: scenarios.map((s) => s.name), range: scenarios.map((s) => lookOf(s.name).symbol) },
        marks: [
          ...scenarios.map((s) => Plot.line(risks.filter((r) => r.scenario === s.name), { x: 'year', y: 'risk', stroke: 'scenario', strokeWidth: 2, strokeDasharray: lookOf(s.name).dash })),
          Plot.dot(risks, { x: 'year', y: 'risk', stroke: 'scenario', fill: 'scenario', symbol: 'scenario', r: 4 }),
          Plot.text(last, { x: 'year', y: 'risk', text: (d: { scenario: string }) => `${lookOf(d.scenario).mark} ${titleOf(d.scenario)}`, dx: 8, textAnchor: 'start', lineWidth: 14 }),
        ],
      });
      for (const chart of [costChart, riskChart]) {
        chart.setAttribute('aria-hidden', 'true');
        chart.setAttribute('focusable', 'false');
      }
      costRef.current.replaceChildren(costChart);
      riskRef.current.replaceChildren(riskChart);
    });
    return () => {
      cancelled = true;
    };
  }, [scenarios, lang, t]);
  const rows = yearRows(scenarios);
  return (
    <figure className="camaudit-chart camaudit-plan-chart">
      <figcaption className="utrecht-heading-3">{t('costTitle')} · {t('riskTitle')}</figcaption>
      <ul className="camaudit-plan-legend" aria-hidden="true">
        {scenarios.map((s) => (
          <li key={s.name}><span style={{ color: lookOf(s.name).colour }}>{lookOf(s.name).mark}</span> {s.title[lang]}</li>
        ))}
      </ul>
      <div className="camaudit-plan-chart__pair">
        <div>
          <p className="utrecht-paragraph camaudit-plan-chart__title" aria-hidden="true">{t('costTitle')}</p>
          <div ref={costRef} className="camaudit-chart__svg" aria-hidden="true" data-chart="cost" />
        </div>
        <div>
          <p className="utrecht-paragraph camaudit-plan-chart__title" aria-hidden="true">{t('riskTitle')}</p>
          <div ref={riskRef} className="camaudit-chart__svg" aria-hidden="true" data-chart="risk" />
        </div>
      </div>
      <div className="camaudit-table-scroll" tabIndex={0} role="region" aria-label={t('table')}>
        <table className="utrecht-table utrecht-table--html-table camaudit-table camaudit-table--compact" data-testid="scenario-years">
          <caption className="utrecht-table__caption">{t('table')}</caption>
          <thead className="utrecht-table__header">
            <tr className="utrecht-table__row">
              <th scope="col" className="utrecht-table__header-cell">{t('year')}</th>
              {scenarios.map((s) => (
                <th key={`c-${s.name}`} scope="col" className="utrecht-table__header-cell utrecht-table__header-cell--numeric">{t('costOf', { scenario: s.title[lang] })}</th>
              ))}
              {scenarios.map((s) => (
                <th key={`r-${s.name}`} scope="col" className="utrecht-table__header-cell utrecht-table__header-cell--numeric">{t('riskOf', { scenario: s.title[lang] })}</th>
              ))}
            </tr>
          </thead>
          <tbody className="utrecht-table__body">
            {rows.map((row) => (
              <tr key={row.year} className="utrecht-table__row">
                <th scope="row" className="utrecht-table__header-cell">{row.year}</th>
                {scenarios.map((s) => (
                  <td key={`c-${s.name}`} className="utrecht-table__cell utrecht-table__cell--numeric">{formatMoney(lang, row.values[s.name]?.cost ?? 0)}</td>
                ))}
                {scenarios.map((s) => (
                  <td key={`r-${s.name}`} className="utrecht-table__cell utrecht-table__cell--numeric">{formatNumber(lang, row.values[s.name]?.risk ?? 0)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
