// The council report as one self-contained HTML page: plain CSS in the style of NL Design System
// (readable type, clear tables), bar charts as inline SVG each followed by its table, every text
// escaped. No scripts, fonts or images are fetched, so the page prints to PDF as it is.
import type { Block, CouncilReport } from '../core/report/model.js';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;' })[c]!);
}

const CSS = `
body { font-family: "Segoe UI", Arial, sans-serif; font-size: 1rem; line-height: 1.5; color: #1a1a1a; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.8rem; color: #154273; } h2 { font-size: 1.4rem; color: #154273; border-bottom: 2px solid #154273; margin-top: 2.5rem; }
h3 { font-size: 1.1rem; margin-top: 1.5rem; } .subtitle { color: #555; font-style: italic; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1.5rem; font-size: 0.9rem; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.25rem; }
th, td { border: 1px solid #b4b4b4; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #e6eef6; } td.num { text-align: right; }
figure { margin: 1rem 0 0.5rem; } figcaption { font-weight: bold; } svg text { font-size: 12px; fill: #1a1a1a; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
`;

const BAR_HEIGHT = 20;
const LABEL_WIDTH = 220;
const BAR_WIDTH = 400;

/** A horizontal bar chart; the labels are register and KB text, so they are escaped like the rest. */
function chart(b: Extract<Block, { kind: 'chart' }>): string {
  const max = Math.max(1, ...b.bars.map((x) => x.value));
  const height = b.bars.length * (BAR_HEIGHT + 6) + 6;
  const bars = b.bars.map((x, i) => {
    const y = 6 + i * (BAR_HEIGHT + 6);
    const w = Math.round((x.value / max) * BAR_WIDTH);
    return `<text x="${LABEL_WIDTH - 6}" y="${y + 14}" text-anchor="end">${escapeHtml(x.label)}</text>`
      + `<rect x="${LABEL_WIDTH}" y="${y}" width="${w}" height="${BAR_HEIGHT}" fill="#154273"/>`
      + `<text x="${LABEL_WIDTH + w + 4}" y="${y + 14}">${x.value}</text>`;
  }).join('');
  return `<figure><figcaption>${escapeHtml(b.caption)}</figcaption>`
    + `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(b.caption)}" width="${LABEL_WIDTH + BAR_WIDTH + 60}" height="${height}">${bars}</svg></figure>`;
}

function block(b: Block): string {
  switch (b.kind) {
    case 'paragraph': return `<p>${escapeHtml(b.text)}</p>`;
    case 'heading': return `<h3>${escapeHtml(b.text)}</h3>`;
    case 'list': return `<ul>${b.items.map((i) => `<li>${i.url ? `<a href="${escapeHtml(i.url)}">${escapeHtml(i.text)}</a>` : escapeHtml(i.text)}</li>`).join('')}</ul>`;
    case 'chart': return chart(b);
    case 'table': return `<table><caption>${escapeHtml(b.caption)}</caption><thead><tr>${b.head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>`
      + b.rows.map((r) => `<tr>${r.map((c) => (typeof c === 'number' ? `<td class="num">${c}</td>` : `<td>${escapeHtml(c)}</td>`)).join('')}</tr>`).join('\n')
      + '</tbody></table>';
  }
}

export function councilHtml(report: CouncilReport): string {
  const body = report.sections.map((s) => `<section id="${s.id}"><h2>${escapeHtml(s.title)}</h2>\n${s.blocks.map(block).join('\n')}</section>`).join('\n');
  return `<!DOCTYPE html>\n<html lang="${report.lang}"><head><meta charset="utf-8"><title>${escapeHtml(report.title)}</title>`
    + `<meta name="viewport" content="width=device-width, initial-scale=1"><style>${CSS}</style></head>\n`
    + `<body><h1>${escapeHtml(report.title)}</h1><p class="subtitle">${escapeHtml(report.subtitle)}</p>\n${body}\n</body></html>\n`;
}
