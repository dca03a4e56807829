// The council report from the store to bytes, for the CLI and the API alike: read the register
// and the latest assessment, compute the phase-out scenarios as `camaudit plan` does, build the
// model and render it in the format asked for.
import { DEFAULT_COST_MODEL } from '../core/plan/costs.js';
import { buildScenarios } from '../core/plan/plan.js';
import type { Organisation } from '../core/model.js';
import { clauseDocument } from '../core/clauses/document.js';
import { buildCouncilReport } from '../core/report/council.js';
import type { CouncilReport } from '../core/report/model.js';
import type { Lang } from '../i18n/messages.js';
import type { KnowledgeBase } from '../kb/schema.js';
import type { Store } from '../store/database.js';
import { loadReportInputs } from '../store/report-inputs.js';
import type { TenantScope } from '../store/tenant.js';
import { loadClauseLibrary } from './clauses-file.js';
import { councilDocx } from './council-docx.js';
import { councilHtml } from './council-html.js';
import { councilMarkdown } from './council-md.js';
import { councilPdf } from './council-pdf.js';

export const COUNCIL_FORMATS = {
  md: { type: 'text/markdown; charset=utf-8', extension: 'md' },
  html: { type: 'text/html; charset=utf-8', extension: 'html' },
  docx: { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extension: 'docx' },
  pdf: { type: 'application/pdf', extension: 'pdf' },
} as const;
export type CouncilFormat = keyof typeof COUNCIL_FORMATS;

/** The years the options are compared over: the span `camaudit plan` uses by default. */
export const REPORT_PLAN_YEARS = 5;

export interface CouncilOptions {
  lang: Lang;
  publicEdition: boolean;
  now: string;
}

export async function councilReport(store: Store, scope: TenantScope, org: Organisation, kb: KnowledgeBase, opts: CouncilOptions): Promise<CouncilReport> {
  const inputs = await loadReportInputs(store, scope, opts.now);
  const scenarios = buildScenarios({
    devices: inputs.devices, findings: inputs.findings, cost: DEFAULT_COST_MODEL, budgetPerYear: null, capacityPerYear: null,
    startYear: Number(opts.now.slice(0, 4)), years: REPORT_PLAN_YEARS, now: opts.now,
  });
  return buildCouncilReport({
    lang: opts.lang, publicEdition: opts.publicEdition, now: opts.now, org, kb,
    devices: inputs.devices, findings: inputs.findings, waived: inputs.waived,
    assessment: { at: inputs.assessment.at, kbVersion: inputs.assessment.kbVersion, policyName: inputs.assessment.policyName },
    scenarios, years: REPORT_PLAN_YEARS,
    clauses: clauseDocument(await loadClauseLibrary(), kb.legal, kb.meta.version, opts.lang),
  });
}

export async function renderCouncil(report: CouncilReport, format: CouncilFormat): Promise<Buffer> {
  if (format === 'md') return Buffer.from(councilMarkdown(report), 'utf8');
  if (format === 'docx') return councilDocx(report);
  const html = councilHtml(report);
  return format === 'pdf' ? councilPdf(html) : Buffer.from(html, 'utf8');
}
