// The clause library as a Word document, built from the same resolved view as the Markdown, so
// both carry the guidance note first and every clause's basis, sources and caveats. The docx
// package writes text as XML character data, so clause and KB text needs no escaping here.
import { Document, ExternalHyperlink, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import type { BasisView, ClauseDocument } from '../core/clauses/document.js';
import { CLAUSE_LABELS } from '../core/clauses/labels.js';
import type { Source } from '../kb/source.js';

type Labels = (typeof CLAUSE_LABELS)['nl' | 'en'];

const bullet = (children: (TextRun | ExternalHyperlink)[], level = 0) => new Paragraph({ children, bullet: { level } });
const text = (value: string, bold = false) => new TextRun({ text: value, bold });

function sourceRun(s: Source): TextRun | ExternalHyperlink {
  const label = s.title ?? s.url ?? s.ref ?? '';
  if (s.url) return new ExternalHyperlink({ link: s.url, children: [new TextRun({ text: label, style: 'Hyperlink' })] });
  return text(s.title && s.ref ? `${s.title} (${s.ref})` : label);
}

function basisParagraphs(b: BasisView, labels: Labels): Paragraph[] {
  const head = [text(b.title, true)];
  if (b.instrument) head.push(text(` — ${b.instrument}`));
  if (b.kbId) head.push(text(` — ${labels.kbRecord}: ${b.kbId}`));
  if (b.analysis) head.push(text(` — ${labels.analysis}`, true));
  if (b.verify) head.push(text(` — ${labels.verify}`, true));
  const out = [bullet(head)];
  if (b.summary) out.push(bullet([text(`${labels.summary}: ${b.summary}`)], 1));
  if (b.note) out.push(bullet([text(b.note)], 1));
  if (b.caveats.length) out.push(bullet([text(`${labels.kbCaveats}:`)], 1), ...b.caveats.map((c) => bullet([text(c)], 2)));
  out.push(bullet([text(`${labels.sources}:`)], 1), ...b.sources.map((s) => bullet([sourceRun(s)], 2)));
  return out;
}

const list = (heading: string, items: readonly string[]) =>
  items.length ? [new Paragraph({ children: [text(heading, true)] }), ...items.map((i) => bullet([text(i)]))] : [];

export function clausesDocxDocument(doc: ClauseDocument): Document {
  const labels = CLAUSE_LABELS[doc.lang];
  const children: Paragraph[] = [
    new Paragraph({ text: labels.title, heading: HeadingLevel.TITLE }),
    new Paragraph({ children: [new TextRun({ text: labels.version(doc.version, doc.kbVersion), italics: true })] }),
    new Paragraph({ children: [text(`${labels.guidance}: `, true), text(doc.guidance)] }),
    ...list(labels.generalCaveats, doc.caveats),
  ];
  for (const cat of doc.categories) {
    children.push(new Paragraph({ text: cat.title, heading: HeadingLevel.HEADING_1 }), new Paragraph({ text: cat.intro }));
    for (const c of cat.clauses) {
      children.push(
        new Paragraph({ text: `${c.title} (${c.id})`, heading: HeadingLevel.HEADING_2 }),
        new Paragraph({ text: c.text }),
        new Paragraph({ children: [text(labels.basis, true)] }),
        ...c.basis.flatMap((b) => basisParagraphs(b, labels)),
        ...list(labels.caveats, c.caveats),
        ...list(labels.examples, c.examples),
      );
    }
  }
  return new Document({ title: labels.title, creator: 'camaudit', sections: [{ children }] });
}

export function clausesDocx(doc: ClauseDocument): Promise<Buffer> {
  return Packer.toBuffer(clausesDocxDocument(doc));
}
