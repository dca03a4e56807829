// A horizontal bar chart drawn as SVG by Observable Plot, always followed by a table with the
// same figures (and links to the devices behind each figure). The chart is decorative for
// assistive technology: the table is the accessible form, so the figures are read once.
import { useEffect, useRef, type ReactNode } from 'react';
import { Link } from 'react-router';
import { defineMessages, formatNumber, useLang, useT } from '../i18n';

const messages = defineMessages({
  nl: { value: 'Aantal', label: 'Categorie' },
  en: { value: 'Count', label: 'Category' },
});

export interface Bar {
  key: string;
  label: string;
  value: number;
  /** Where the devices behind this figure are listed. */
  href?: string;
  /** Risk emphasis, shown as a pattern as well as a colour. */
  emphasis?: boolean;
}

export function BarChart({ title, bars, valueHeader, labelHeader, note }: { title: string; bars: readonly Bar[]; valueHeader?: string; labelHeader?: string; note?: ReactNode }) {
  const t = useT(messages);
  const { lang } = useLang();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let cancelled = false;
    const node = ref.current;
    if (!node) return;
    void import('@observablehq/plot').then((Plot) => {
      if (cancelled) return;
      const data = bars.map((b) => ({ ...b, tag: b.emphasis ? '!' : '' }));
      const chart = Plot.plot({
        width: Math.max(320, node.clientWidth || 640),
        height: 28 * data.length + 40,
        marginLeft: 190,
        x: { grid: true, label: valueHeader ?? t('value') },
        y: { label: null, domain: data.map((d) => d.label) },
        marks: [
          Plot.barX(data, { x: 'value', y: 'label', fill: (d: Bar) => (d.emphasis ? 'var(--camaudit-risk-high)' : 'var(--camaudit-chart-bar)') }),
          Plot.text(data, { x: 'value', y: 'label', text: (d: Bar) => `${formatNumber(lang, d.value)}${d.emphasis ? ' ⚠' : ''}`, dx: 4, textAnchor: 'start' }),
          Plot.ruleX([0]),
        ],
      });
      chart.setAttribute('aria-hidden', 'true');
      chart.setAttribute('focusable', 'false');
      node.replaceChildren(chart);
    });
    return () => {
      cancelled = true;
    };
  }, [bars, lang, t, valueHeader]);
  return (
    <figure className="camaudit-chart">
      <figcaption className="utrecht-heading-3">{title}</figcaption>
      {note}
      <div ref={ref} className="camaudit-chart__svg" aria-hidden="true" data-chart={title} />
      <table className="utrecht-table utrecht-table--html-table camaudit-table camaudit-table--compact">
        <caption className="camaudit-visually-hidden">{title}</caption>
        <thead className="utrecht-table__header">
          <tr className="utrecht-table__row">
            <th scope="col" className="utrecht-table__header-cell">{labelHeader ?? t('label')}</th>
            <th scope="col" className="utrecht-table__header-cell utrecht-table__header-cell--numeric">{valueHeader ?? t('value')}</th>
          </tr>
        </thead>
        <tbody className="utrecht-table__body">
          {bars.map((b) => (
            <tr key={b.key} className="utrecht-table__row">
              <th scope="row" className="utrecht-table__header-cell">{b.label}{b.emphasis ? ' ⚠' : ''}</th>
              <td className="utrecht-table__cell utrecht-table__cell--numeric">
                {b.href ? <Link className="utrecht-link" to={b.href}>{formatNumber(lang, b.value)}</Link> : formatNumber(lang, b.value)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
