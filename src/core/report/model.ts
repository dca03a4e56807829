// The council report as data: sections of paragraphs, lists, tables and bar charts, already in
// one language. Every renderer (Markdown, HTML, DOCX, PDF) draws the same model, so the formats
// cannot disagree about a count, and a test can read the figures without parsing a document.

export type Cell = string | number;

/** A line of text, with the page it cites when there is one (KB sources). */
export interface Link {
  text: string;
  url?: string;
}

export type Block =
  | { kind: 'paragraph'; text: string }
  | { kind: 'heading'; text: string }
  | { kind: 'list'; items: Link[] }
  | { kind: 'table'; caption: string; head: string[]; rows: Cell[][] }
  /** Always followed by a table with the same figures: the chart is never the only way to read them. */
  | { kind: 'chart'; caption: string; bars: { label: string; value: number }[] };

export interface ReportSection {
  id: 'summary' | 'inventory' | 'exposure' | 'risk' | 'procurement' | 'appendix';
  title: string;
  blocks: Block[];
}

/** The counts the text states, for whoever checks the report against the register. */
export interface ReportFigures {
  devices: number;
  sites: number;
  makers: number;
  byMaker: Record<string, number>;
  publicSpaceDevices: number;
  vendorCloudDevices: number;
  kevDevices: number;
  findings: number;
}

export interface CouncilReport {
  lang: 'nl' | 'en';
  edition: 'public' | 'internal';
  title: string;
  subtitle: string;
  sections: ReportSection[];
  figures: ReportFigures;
}
