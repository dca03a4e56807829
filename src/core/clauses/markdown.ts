import type { Source } from '../../kb/source.js';
import type { BasisView, ClauseDocument } from './document.js';
import { CLAUSE_LABELS } from './labels.js';

// The clause library as Markdown: guidance note first, then one heading per category and per
// clause, each clause with its legal basis, sources and caveats.

/** Text as literal Markdown: characters that would start markup or raw HTML are escaped. */
export function mdText(text: string): string {
  return text.replace(/[\\`*_[\]<>#|]/g, (c) => `\\${c}`);
}

/** A link target Markdown cannot misread: angle-bracketed, with the brackets themselves encoded. */
const mdUrl = (url: string) => `<${url.replace(/</g, '%3C').replace(/>/g, '%3E').replace(/\s/g, '%20')}>`;

function source(s: Source): string {
  const title = mdText(s.title ?? s.url ?? s.ref ?? '');
  if (s.url) return `[${title}](${mdUrl(s.url)})`;
  return s.title ? `${title} (${mdText(s.ref ?? '')})` : mdText(s.ref ?? '');
}

function basisLines(b: BasisView, labels: (typeof CLAUSE_LABELS)['nl' | 'en']): string[] {
  const head = [`**${mdText(b.title)}**`];
  if (b.instrument) head.push(mdText(b.instrument));
  if (b.kbId) head.push(`${labels.kbRecord}: \`${b.kbId}\``);
  if (b.analysis) head.push(`**${labels.analysis}**`);
  if (b.verify) head.push(`**${labels.verify}**`);
  const lines = [`- ${head.join(' — ')}`];
  if (b.summary) lines.push(`  - ${labels.summary}: ${mdText(b.summary)}`);
  if (b.note) lines.push(`  - ${mdText(b.note)}`);
  if (b.caveats.length) lines.push(`  - ${labels.kbCaveats}:`, ...b.caveats.map((c) => `    - ${mdText(c)}`));
  lines.push(`  - ${labels.sources}:`, ...b.sources.map((s) => `    - ${source(s)}`));
  return lines;
}

export function clausesMarkdown(doc: ClauseDocument): string {
  const labels = CLAUSE_LABELS[doc.lang];
  const out = [`# ${labels.title}`, '', `_${labels.version(doc.version, doc.kbVersion)}_`, '', `> **${labels.guidance}:** ${mdText(doc.guidance)}`, ''];
  if (doc.caveats.length) out.push(`**${labels.generalCaveats}**`, '', ...doc.caveats.map((c) => `- ${mdText(c)}`), '');
  for (const cat of doc.categories) {
    out.push(`## ${mdText(cat.title)}`, '', mdText(cat.intro), '');
    for (const c of cat.clauses) {
      out.push(`### ${mdText(c.title)} (\`${c.id}\`)`, '', mdText(c.text), '', `**${labels.basis}**`, '');
      for (const b of c.basis) out.push(...basisLines(b, labels));
      out.push('');
      if (c.caveats.length) out.push(`**${labels.caveats}**`, '', ...c.caveats.map((x) => `- ${mdText(x)}`), '');
      if (c.examples.length) out.push(`**${labels.examples}**`, '', ...c.examples.map((x) => `- ${mdText(x)}`), '');
    }
  }
  return out.join('\n').trimEnd() + '\n';
}
