// The council report as Markdown: headings, paragraphs, lists and pipe tables. Charts become
// their tables (Markdown has no images that stay self-contained), which the model always has.
import type { Block, Cell, CouncilReport } from '../core/report/model.js';

/** Text that cannot open Markdown or HTML markup: register values are whatever people typed. */
function inline(text: string): string {
  return text.replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

const cell = (c: Cell) => (typeof c === 'number' ? String(c) : inline(c));

function block(b: Block): string {
  switch (b.kind) {
    case 'paragraph': return inline(b.text);
    case 'heading': return `### ${inline(b.text)}`;
    case 'list': return b.items.map((i) => (i.url ? `- [${inline(i.text)}](<${i.url.replace(/[<>\s]/g, encodeURIComponent)}>)` : `- ${inline(i.text)}`)).join('\n');
    case 'chart': return '';
    case 'table': return [
      `**${inline(b.caption)}**`, '',
      `| ${b.head.map(inline).join(' | ')} |`, `|${b.head.map(() => ' --- |').join('')}`,
      ...b.rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
    ].join('\n');
  }
}

export function councilMarkdown(report: CouncilReport): string {
  const parts = [`# ${inline(report.title)}`, `*${inline(report.subtitle)}*`];
  for (const s of report.sections) parts.push(`## ${inline(s.title)}`, ...s.blocks.map(block).filter((t) => t !== ''));
  return parts.join('\n\n') + '\n';
}
