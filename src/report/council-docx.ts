// The council report as an editable Word document. Charts are left out: each chart in the model
// is followed by a table with the same figures, and a Word table stays editable where an image
// would not. The docx package writes text as XML character data, so no escaping is needed here.
import { Document, ExternalHyperlink, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType, type ParagraphChild } from 'docx';
import type { Block, CouncilReport } from '../core/report/model.js';

const cellOf = (text: string, bold = false) => new TableCell({ children: [new Paragraph({ children: [new TextRun({ text, bold })] })] });

function block(b: Block): (Paragraph | Table)[] {
  switch (b.kind) {
    case 'paragraph': return [new Paragraph({ text: b.text })];
    case 'heading': return [new Paragraph({ text: b.text, heading: HeadingLevel.HEADING_2 })];
    case 'list': return b.items.map((i) => {
      const child: ParagraphChild = i.url
        ? new ExternalHyperlink({ link: i.url, children: [new TextRun({ text: i.text, style: 'Hyperlink' })] })
        : new TextRun({ text: i.text });
      return new Paragraph({ children: [child], bullet: { level: 0 } });
    });
    case 'chart': return [];
    case 'table': return [
      new Paragraph({ children: [new TextRun({ text: b.caption, bold: true })] }),
      new Table({
        width: { size: 100, type: WidthType.PERCENTAGE },
        rows: [
          new TableRow({ tableHeader: true, children: b.head.map((h) => cellOf(h, true)) }),
          ...b.rows.map((r) => new TableRow({ children: r.map((c) => cellOf(String(c))) })),
        ],
      }),
    ];
  }
}

export function councilDocx(report: CouncilReport): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [
    new Paragraph({ text: report.title, heading: HeadingLevel.TITLE }),
    new Paragraph({ children: [new TextRun({ text: report.subtitle, italics: true })] }),
  ];
  for (const s of report.sections) children.push(new Paragraph({ text: s.title, heading: HeadingLevel.HEADING_1 }), ...s.blocks.flatMap(block));
  return Packer.toBuffer(new Document({ title: report.title, creator: 'camaudit', sections: [{ children }] }));
}
