// The tender screening as an editable Word document: a summary table of the offered lines and
// their verdicts, then per line the reasons, the evidence and the KB sources behind each.
// Supplier text goes in as text runs, which the docx package writes XML-escaped; control
// characters, which XML cannot hold at all, are removed first.
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { SourceRef } from '../core/assess/types.js';
import { unquotedChecks } from '../core/screen/screen.js';
import type { ScreenedLine, Screening } from '../core/screen/types.js';
import type { Lang } from '../i18n/messages.js';
import { tScreen } from '../i18n/screen-messages.js';

// eslint-disable-next-line no-control-regex -- removing exactly these is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

function plain(text: string | null | undefined): string {
  return (text ?? '').replace(CONTROL, '');
}

function cell(text: string, bold = false): TableCell {
  return new TableCell({ children: [new Paragraph({ children: [new TextRun({ text: plain(text), bold })] })] });
}

export function sourceText(s: SourceRef): string {
  return [s.title, s.url, s.ref].filter((p) => p !== undefined && p !== '').join(' — ');
}

function summaryTable(screening: Screening, lang: Lang): Table {
  const head = (['row', 'brand', 'model', 'firmware', 'origin', 'maker', 'verdict'] as const).map((c) => cell(tScreen(lang, `screen.col.${c}`), true));
  const rows = screening.lines.map((s) => new TableRow({
    children: [
      cell(String(s.line.row)), cell(s.line.brand ?? s.line.manufacturer ?? '—'), cell(s.line.model ?? '—'), cell(s.line.firmware ?? '—'),
      cell(s.line.origin ?? '—'), cell(s.maker?.name ?? '?'), cell(tScreen(lang, `screen.verdict.${s.verdict}`), true),
    ],
  }));
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [new TableRow({ tableHeader: true, children: head }), ...rows] });
}

function lineSection(s: ScreenedLine, lang: Lang): Paragraph[] {
  const out: Paragraph[] = [
    new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(plain(`${tScreen(lang, 'screen.line', { row: s.line.row, brand: s.line.brand ?? s.line.manufacturer ?? '—', model: s.line.model ?? '—' })} — ${tScreen(lang, `screen.verdict.${s.verdict}`)}`))] }),
    new Paragraph({ children: [new TextRun(plain(s.maker ? tScreen(lang, 'screen.maker', { maker: s.maker.name, confidence: Math.round(s.maker.confidence * 100) }) : tScreen(lang, 'screen.makerUnknown')))] }),
  ];
  for (const e of s.maker?.evidence ?? []) {
    out.push(new Paragraph({ bullet: { level: 0 }, children: [new TextRun(plain(`${e.rule}: ${e.field} "${e.value}"${e.note ? ` — ${e.note}` : ''}`))] }));
    for (const src of e.sources) out.push(new Paragraph({ bullet: { level: 1 }, children: [new TextRun(plain(sourceText(src)))] }));
  }
  for (const c of unquotedChecks(s)) out.push(new Paragraph({ children: [new TextRun({ text: plain(tScreen(lang, 'screen.warning', { text: c })), italics: true })] }));
  for (const n of s.notes) out.push(new Paragraph({ children: [new TextRun({ text: plain(tScreen(lang, 'screen.note', { text: n[lang] })), italics: true })] }));
  if (s.reasons.length === 0) out.push(new Paragraph({ children: [new TextRun(tScreen(lang, 'screen.none'))] }));
  for (const r of s.reasons) {
    out.push(new Paragraph({ heading: HeadingLevel.HEADING_3, children: [new TextRun(`${tScreen(lang, `screen.verdict.${r.verdict}`)}: ${r.kind}${r.severity ? ` (${r.severity})` : ''}`)] }));
    out.push(new Paragraph({ children: [new TextRun(plain(r.why[lang]))] }));
    if (r.uncertain) out.push(new Paragraph({ children: [new TextRun({ text: plain(tScreen(lang, 'screen.uncertain', { text: r.uncertain })), italics: true })] }));
    if (r.evidence.length > 0) {
      out.push(new Paragraph({ children: [new TextRun({ text: tScreen(lang, 'screen.evidence'), bold: true })] }));
      for (const e of r.evidence) out.push(new Paragraph({ bullet: { level: 0 }, children: [new TextRun(plain(`${e.ref}: ${e.value}`))] }));
    }
    if (r.sources.length > 0) {
      out.push(new Paragraph({ children: [new TextRun({ text: tScreen(lang, 'screen.sources'), bold: true })] }));
      for (const src of r.sources) out.push(new Paragraph({ bullet: { level: 0 }, children: [new TextRun(plain(sourceText(src)))] }));
    }
  }
  return out;
}

export async function screeningDocx(screening: Screening, fileName: string, lang: Lang): Promise<Buffer> {
  const c = screening.counts;
  const doc = new Document({
    creator: 'camaudit',
    title: plain(tScreen(lang, 'screen.title', { file: fileName })),
    sections: [{
      children: [
        new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(plain(tScreen(lang, 'screen.title', { file: fileName })))] }),
        new Paragraph({ children: [new TextRun(plain(tScreen(lang, 'screen.meta', { date: screening.screenedAt.slice(0, 10), kb: screening.kbVersion, policy: screening.policy })))] }),
        new Paragraph({ children: [new TextRun({ text: tScreen(lang, 'screen.summary', { lines: screening.lines.length, ...c }), bold: true })] }),
        new Paragraph({ alignment: AlignmentType.LEFT, children: [new TextRun({ text: tScreen(lang, 'screen.disclaimer'), italics: true })] }),
        summaryTable(screening, lang),
        ...screening.lines.flatMap((s) => lineSection(s, lang)),
      ],
    }],
  });
  return Packer.toBuffer(doc);
}
