// `camaudit assess`: judges every device in service against the policy and the knowledge base,
// sets aside what waivers accept, and prints what is left — most serious first, each finding
// with its reason in the reader's language. `--json` prints the active findings only (waived
// ones are not in the array; `assess` text output and `waive list` show them).
import type { Command } from 'commander';
import { CamauditError } from '../../core/errors.js';
import type { Policy } from '../../core/assess/policy.js';
import { RULES, SEVERITIES, SEVERITY_RANK, type Finding, type Severity } from '../../core/assess/types.js';
import { applyWaivers, type WaiverOutcome } from '../../core/assess/waivers.js';
import { t, type Lang } from '../../i18n/messages.js';
import { loadActiveKnowledge } from '../../kb/active.js';
import { makerName } from '../../kb/query.js';
import type { KnowledgeBase } from '../../kb/schema.js';
import { runAssessment, type AssessmentResult } from '../../store/assessments.js';
import type { Store } from '../../store/database.js';
import type { TenantScope } from '../../store/tenant.js';
import { listWaivers } from '../../store/waivers.js';
import { EXIT } from '../exit-codes.js';
import { resolveOrganisation, scopeFor, withStore, type GlobalOptions, type Io } from '../context.js';
import { printJson, printTable, type CommandContext } from '../program.js';
import { rollUp, type RiskRollUp } from '../../core/assess/risk.js';
import { policyWarnings } from '../../core/assess/assess.js';
import { getOrganisationPolicy } from '../../store/policies.js';
import { loadPolicy } from '../../ingest/policy.js';

export interface Assessed {
  result: AssessmentResult;
  outcome: WaiverOutcome;
  kb: KnowledgeBase;
  policy: Policy;
}

/** Runs the (incremental) assessment and applies the waivers in force: what `assess` and `plan` both start from. */
export async function assessOrganisation(store: Store, g: GlobalOptions, scope: TenantScope, policyFile: string | undefined, now: string): Promise<Assessed> {
  const policy = await loadPolicy(policyFile, policyFile === undefined ? await getOrganisationPolicy(store, scope) : null);
  const { kb } = await loadActiveKnowledge(store, g.kbOverlay);
  const result = await runAssessment(store, scope, kb, policy, now);
  const outcome = applyWaivers(result.findings, await listWaivers(store, scope), now);
  return { result, outcome, kb, policy };
}

export function parseSeverity(text: string, flag: string): Severity {
  if (!(SEVERITIES as readonly string[]).includes(text)) {
    throw new CamauditError('usage', `${flag} "${text}": expected one of ${SEVERITIES.join(', ')}`);
  }
  return text as Severity;
}

/** The policy outcome of `--fail-on`: the active findings at or above the severity; any fails the run. */
export function atOrAbove(findings: readonly Finding[], threshold: Severity): Finding[] {
  return findings.filter((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[threshold]);
}

function printSummary(io: Io, lang: Lang, findings: readonly Finding[]): void {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(`${f.rule}:${f.severity}`, (counts.get(`${f.rule}:${f.severity}`) ?? 0) + 1);
  const rows = RULES.filter((r) => SEVERITIES.some((s) => counts.has(`${r}:${s}`)))
    .map((r) => [r, ...SEVERITIES.map((s) => counts.get(`${r}:${s}`) ?? ''), SEVERITIES.reduce((n, s) => n + (counts.get(`${r}:${s}`) ?? 0), 0)]);
  const totals = SEVERITIES.map((s) => findings.filter((f) => f.severity === s).length);
  printTable(io, [t(lang, 'assess.rule'), ...SEVERITIES, t(lang, 'assess.total')], [...rows, [t(lang, 'assess.total'), ...totals, findings.length]]);
}

const TOP_SITES = 10;

function printRollUp(io: Io, lang: Lang, risk: RiskRollUp): void {
  const o = risk.organisation;
  io.out(t(lang, 'assess.organisationRisk', { score: o.score, devices: o.devices, ...o.bySeverity }));
  const sites = risk.sites.filter((s) => s.score > 0).sort((a, b) => b.score - a.score || (a.name ?? '').localeCompare(b.name ?? '')).slice(0, TOP_SITES);
  if (sites.length === 0) return;
  io.out('');
  io.out(t(lang, 'assess.sitesByRisk'));
  printTable(io, [t(lang, 'assess.site'), t(lang, 'assess.score'), t(lang, 'assess.devices'), ...SEVERITIES.filter((s) => s !== 'info')],
    sites.map((s) => [s.name ?? '—', s.score, s.devices, ...SEVERITIES.filter((x) => x !== 'info').map((x) => s.bySeverity[x] || '')]));
}

function printAssessment(io: Io, lang: Lang, a: Assessed): void {
  const { result, outcome, kb, policy } = a;
  // Adopted measures that can never produce a finding are worth saying, not silently ignoring.
  for (const w of policyWarnings(kb, policy)) io.err(t(lang, 'import.warning', { message: w.why[lang] }));
  io.out(t(lang, 'assess.summary', {
    devices: result.devices.length, assessed: result.assessed, unchanged: result.unchanged, policy: policy.name, version: kb.meta.version,
  }));
  io.out(t(lang, 'assess.counts', { active: outcome.active.length, waived: outcome.waived.length }));
  if (outcome.active.length > 0) {
    io.out('');
    printSummary(io, lang, outcome.active);
    io.out('');
    printRollUp(io, lang, rollUp(result.devices, outcome.active));
    io.out('');
    const devices = new Map(result.devices.map((d) => [d.id, d]));
    printTable(io, [t(lang, 'assess.device'), t(lang, 'assess.site'), t(lang, 'assess.maker'), t(lang, 'assess.rule'), t(lang, 'assess.severity'), t(lang, 'assess.due'), t(lang, 'assess.why')],
      [...outcome.active].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]).map((f) => {
        const d = devices.get(f.deviceId);
        return [f.deviceId.slice(0, 8), d?.site?.name, makerName(kb, d?.manufacturer ?? null), f.rule, f.severity, f.dueDate, f.why[lang]];
      }));
  }
  for (const { finding, waiver } of outcome.waived) {
    io.out(t(lang, 'assess.waivedFinding', { device: finding.deviceId.slice(0, 8), rule: finding.rule, until: waiver.until, approver: waiver.approver, id: waiver.id.slice(0, 8) }));
  }
  for (const w of outcome.unusedWaivers) {
    io.out(t(lang, 'assess.unusedWaiver', { id: w.id.slice(0, 8), device: w.deviceId.slice(0, 8), rule: w.rule, until: w.until }));
  }
}

export function registerAssess(program: Command, ctx: CommandContext): void {
  program
    .command('assess')
    .description('assess every device in service against the policy; --json prints the active findings (waived ones left out); exit 1 with --fail-on when a finding reaches the severity')
    .option('--policy <file>', 'policy file (extends the default with "extends: default"); default policies/default.yaml')
    .option('--fail-on <severity>', `exit with code 1 when an active finding is at or above: ${SEVERITIES.join(', ')}`)
    .action(async (opts: { policy?: string; failOn?: string }) => {
      const g = ctx.globals();
      const threshold = opts.failOn === undefined ? null : parseSeverity(opts.failOn, '--fail-on');
      const now = ctx.io.now();
      const assessed = await withStore(g, async (store) => {
        const org = await resolveOrganisation(store, g, now);
        return assessOrganisation(store, g, scopeFor(org, g, 'assess'), opts.policy, now);
      });
      if (g.json) printJson(ctx.io, assessed.outcome.active);
      else printAssessment(ctx.io, g.lang, assessed);
      const failing = threshold === null ? [] : atOrAbove(assessed.outcome.active, threshold);
      if (threshold !== null && failing.length > 0) {
        ctx.io.err(t(g.lang, 'assess.failOn', { n: failing.length, severity: threshold }));
        // Exit code 1, like a refused import: the run worked, its result is what fails.
        ctx.setExit(EXIT.findingsAtOrAbove);
      }
    });
}
