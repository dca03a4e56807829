import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { AssessDevice, Finding } from '../../src/core/assess/types.js';
import type { Scenario } from '../../src/core/plan/types.js';
import { writePlanWorkbook } from '../../src/report/plan-workbook.js';

const NOW = '2026-06-01T09:00:00.000Z';
let dir: string;
let db: string;

/** The CLI in-process with a fixed clock. */
async function run(args: string[], now = NOW) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['--db', db, ...args], {
    out: (t) => out.push(t), err: (t) => err.push(t), env: { CAMAUDIT_ACTOR: 'cli:test' }, now: () => now,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const json = async <T>(args: string[], now = NOW): Promise<T> => {
  const r = await run(['--json', ...args], now);
  expect(r.code, r.err).toBe(0);
  return JSON.parse(r.out) as T;
};

let findings: Finding[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'camaudit-assess-'));
  db = join(dir, 'demo.db');
  expect((await run(['demo'])).code).toBe(0);
  findings = await json<Finding[]>(['assess']);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('camaudit assess', () => {
  it('prints the findings array in exactly the Finding shape', () => {
    expect(findings.length).toBeGreaterThan(100);
    const keys = ['deviceId', 'rule', 'severity', 'likelihood', 'impact', 'why', 'evidence', 'sources', 'action', 'dueDate'];
    for (const f of findings) expect(Object.keys(f)).toEqual(f.uncertain === undefined ? keys : [...keys, 'uncertain']);
  });

  it('summarises by severity and rule, then lists findings with their reason in the chosen language', async () => {
    const en = await run(['assess']);
    expect(en.code).toBe(0);
    expect(en.out).toMatch(/^assessment: 208 devices in service \(0 assessed, 208 unchanged since the last run\); policy default, knowledge base /);
    expect(en.out).toMatch(/\nrule +critical +high +medium +low +info +total\n/);
    expect(en.out).toMatch(/\nrestricted_manufacturer +\d+/);
    expect(en.out).toMatch(/\ndevice +site +maker +rule +severity +due +why\n/);
    expect(en.out).toContain('This camera was made by Hikvision');
    const nl = await run(['--lang', 'nl', 'assess']);
    expect(nl.out).toMatch(/^beoordeling: 208 apparaten in gebruik/);
    expect(nl.out).toContain('Deze camera is gemaakt door Hikvision');
    // Risk rolled up for the organisation and per site, highest score first.
    expect(en.out).toMatch(/\nrisk: score \d+ over 208 devices \(\d+ with a critical finding/);
    const sites = en.out.split('\n');
    const head = sites.indexOf('sites with the highest risk');
    const scores = sites.slice(head + 2, head + 12).map((l) => Number(/ {2}(\d+) {2,}\d+/.exec(l)?.[1]));
    expect(scores.length).toBe(10);
    expect([...scores].sort((x, y) => y - x)).toEqual(scores);
    expect(nl.out).toContain('locaties met het hoogste risico');
    // Most serious first: the first table row after the header is a critical one.
    const table = en.out.split('\n').findIndex((l) => l.startsWith('device '));
    expect(en.out.split('\n')[table + 1]).toContain(' critical ');
  });

  it('exits 1 with --fail-on when an active finding reaches the severity, 0 when none does, 2 for a bad severity', async () => {
    const fail = await run(['assess', '--fail-on', 'critical']);
    expect(fail.code).toBe(1);
    expect(fail.err).toMatch(/^\d+ active finding\(s\) at or above critical$/);
    const policy = join(dir, 'no-kev.yaml');
    writeFileSync(policy, 'name: no-kev\nextends: default\nrules:\n  known_exploited_vulnerability: { enabled: false }\n');
    expect((await run(['assess', '--policy', policy, '--fail-on', 'critical'])).code).toBe(0);
    expect((await run(['assess', '--policy', policy, '--fail-on', 'high'])).code).toBe(1);
    const bad = await run(['assess', '--fail-on', 'severe']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('critical, high, medium, low, info');
  });

  it('reads a policy that extends the default, and names the file and setting of a bad one', async () => {
    const quiet = join(dir, 'quiet.yaml');
    writeFileSync(quiet, 'name: quiet\nextends: default\nrules:\n  manufacturer_unidentified: { enabled: false }\n');
    const out = await json<Finding[]>(['assess', '--policy', quiet]);
    expect(out.some((f) => f.rule === 'manufacturer_unidentified')).toBe(false);
    expect(out.some((f) => f.rule === 'restricted_manufacturer')).toBe(true);

    const typo = join(dir, 'typo.yaml');
    writeFileSync(typo, 'name: typo\nextends: default\nthresholds:\n  cvss_hihg: 7\n');
    const r = await run(['assess', '--policy', typo]);
    expect(r.code).toBe(4);
    expect(r.err).toContain(typo);
    expect(r.err).toContain('thresholds');

    const other = join(dir, 'other.yaml');
    writeFileSync(other, 'name: other\nextends: strict\n');
    expect((await run(['assess', '--policy', other])).err).toMatch(/"extends": only "default" can be extended/);
    expect((await run(['assess', '--policy', join(dir, 'missing.yaml')])).code).toBe(3);
  });

  it('refuses deadlines and support periods beyond a century instead of failing on an impossible date', async () => {
    const cases: [string, string][] = [
      ['deadlines:\n  high: 99999999\n', '"deadlines.high"'],
      ['thresholds:\n  support_years: 1000000\n', '"thresholds.support_years"'],
      ['thresholds:\n  max_retention_days: 99999999\n', '"thresholds.max_retention_days"'],
    ];
    for (const [i, [setting, where]] of cases.entries()) {
      const file = join(dir, `huge-${i}.yaml`);
      writeFileSync(file, `name: huge\nextends: default\n${setting}`);
      const r = await run(['assess', '--policy', file]);
      expect([r.code, r.err]).toEqual([4, expect.stringContaining(`${file}: ${where}: `)]);
    }
    const century = join(dir, 'century.yaml');
    writeFileSync(century, 'name: century\nextends: default\ndeadlines:\n  low: 36500\nthresholds:\n  support_years: 100\n');
    expect((await run(['assess', '--policy', century])).code).toBe(0);
  });
});

describe('camaudit waive', () => {
  it('refuses a waiver without reason, with an unknown rule, an unknown device or a past date', async () => {
    const id = findings[0]!.deviceId.slice(0, 8);
    const noReason = await run(['waive', id, 'vendor_cloud', '--until', '2026-12-31']);
    expect([noReason.code, noReason.err]).toEqual([2, 'error: a waiver needs --reason: why the organisation accepts this risk']);
    const badRule = await run(['waive', id, 'cloud', '--reason', 'x', '--until', '2026-12-31']);
    expect(badRule.code).toBe(2);
    expect(badRule.err).toContain('unknown rule "cloud"; rules: restricted_manufacturer, human_rights,');
    expect((await run(['waive', 'ffffffff', 'vendor_cloud', '--reason', 'x', '--until', '2026-12-31'])).code).toBe(3);
    const past = await run(['waive', id, 'vendor_cloud', '--reason', 'x', '--until', '2026-05-31']);
    expect([past.code, past.err]).toEqual([2, 'error: --until 2026-05-31 lies in the past; a waiver must hold until today or later']);
    expect(await json<unknown[]>(['waive', 'list'])).toEqual([]);
  });

  it('waives, lists and revokes; assess --json leaves waived findings out and counts them in the text', async () => {
    const target = findings.find((f) => f.rule === 'internet_exposed')!;
    const created = await json<{ id: string; approver: string; createdBy: string }>(['waive', target.deviceId.slice(0, 10), 'internet_exposed', '--reason', 'port forward needed for the lift contractor', '--until', '2026-08-31']);
    expect(created).toMatchObject({ approver: 'cli:test', createdBy: 'cli:test' });
    const list = await run(['waive', 'list']);
    expect(list.out).toMatch(new RegExp(`${created.id.slice(0, 8)} +${target.deviceId.slice(0, 8)} +internet_exposed +2026-08-31 +in force +cli:test +port forward`));

    const active = await json<Finding[]>(['assess']);
    expect(active).toHaveLength(findings.length - 1);
    expect(active).not.toContainEqual(target);
    expect((await run(['assess'])).out).toContain(`findings: ${findings.length - 1} active, 1 set aside by waivers`);

    const revoked = await run(['waive', 'revoke', created.id.slice(0, 8)]);
    expect(revoked.out).toBe(`waiver ${created.id.slice(0, 8)} revoked: internet_exposed on device ${target.deviceId.slice(0, 8)} counts again`);
    expect(await json<Finding[]>(['assess'])).toContainEqual(target);
    expect((await run(['waive', 'revoke', created.id])).code).toBe(7);
    const wildcard = await run(['waive', 'revoke', '%']);
    expect([wildcard.code, wildcard.err]).toEqual([2, 'error: waiver "%" holds no characters of an id; give the id or its first characters']);
    expect((await run(['waive', 'list', '--all'])).out).toMatch(/revoked 2026-06-01/);
  });
});

describe('camaudit plan', () => {
  it('prints each scenario with cost and residual risk per year, total and unresolved devices', async () => {
    const r = await run(['plan', '--budget', '100000', '--capacity', '30', '--years', '3']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^plan 2026–2028; budget per year: 100,000 EUR; capacity per year: 30 devices; \d+ findings on \d+ devices/);
    for (const title of ['Replace now (replace_now)', 'Replace at end of life (end_of_life)', 'Risk-based within budget (risk_based)']) expect(r.out).toContain(title);
    expect(r.out.match(/\nyear +cost \(EUR\) +residual risk +actions\n2026 +[\d,]+ +\d+ +\d+\n2027 .*\n2028 .*\ntotal [\d,]+ EUR in \d+ actions; at the end \d+ device\(s\) with findings the plan did not reach \(budget, capacity or years\) and \d+ with findings that need work outside the plan \(review, legal basis, retention, identification\)/g)).toHaveLength(3);
    const nl = await run(['--lang', 'nl', 'plan', '--budget', '100000', '--years', '3']);
    expect(nl.out).toContain('budget per jaar: 100.000 EUR; capaciteit per jaar: onbeperkt');
    expect(nl.out).toMatch(/\ntotaal [\d.]+ EUR in \d+ acties; aan het eind \d+ apparaat\/apparaten met bevindingen die het plan niet bereikte .* en \d+ met bevindingen die werk buiten het plan vragen/);
  });

  it('accounts for the risk left at the end: devices the plan did not reach, and devices with work outside it', async () => {
    const { scenarios } = await json<{ scenarios: Scenario[] }>(['plan', '--years', '3']);
    const active = await json<Finding[]>(['assess']);
    const legal = new Set(active.filter((f) => f.rule === 'no_legal_basis').map((f) => f.deviceId));
    expect(legal.size).toBeGreaterThan(0);
    for (const s of scenarios) {
      expect(s.residualRisk.at(-1)!.risk).toBeGreaterThan(0);
      // Unlimited budget and capacity: everything the plan can do now is done (at end of life only
      // what ends within the three years); a missing legal basis is not its work.
      if (s.name !== 'end_of_life') expect(s.unresolved).toEqual([]);
      expect(s.unresolved.length + s.outsidePlan.length).toBeGreaterThan(0);
      for (const id of legal) expect(s.outsidePlan).toContain(id);
    }
    const text = await run(['plan', '--years', '3']);
    expect(text.out).toContain(`at the end 0 device(s) with findings the plan did not reach (budget, capacity or years) and ${scenarios[0]!.outsidePlan.length} with findings that need work outside the plan`);
  });

  it('prints the scenarios as JSON, and one scenario with its actions', async () => {
    const all = await json<{ startYear: number; years: number; scenarios: Scenario[] }>(['plan', '--years', '4']);
    expect(all).toMatchObject({ startYear: 2026, years: 4, budgetPerYear: null, capacityPerYear: null });
    expect(all.scenarios.map((s) => s.name)).toEqual(['replace_now', 'end_of_life', 'risk_based']);
    const one = await json<{ scenarios: Scenario[] }>(['plan', '--scenario', 'end_of_life']);
    expect(one.scenarios.map((s) => s.name)).toEqual(['end_of_life']);
    const text = await run(['plan', '--scenario', 'replace_now']);
    expect(text.out).toMatch(/\nitem +site +maker +model +action +due +cost +resolves\n[0-9a-f]{8}:\w+ /);
  });

  it('refuses unknown scenarios, --save without a scenario, and bad numbers', async () => {
    expect((await run(['plan', '--scenario', 'cheapest'])).err).toContain('replace_now, end_of_life, risk_based');
    expect((await run(['plan', '--save'])).code).toBe(2);
    expect((await run(['plan', '--budget', '-5'])).code).toBe(2);
    expect((await run(['plan', '--years', '0'])).code).toBe(4);
  });

  it('adopts a scenario, walks plan items through the workflow and records a disposal', async () => {
    const saved = await json<{ saved: { created: number } ; scenarios: Scenario[] }>(['plan', '--scenario', 'replace_now', '--save']);
    expect(saved.saved.created).toBe(saved.scenarios[0]!.actions.length);
    const again = await run(['plan', '--scenario', 'replace_now', '--save']);
    expect(again.out).toContain(`scenario replace_now saved as the plan: 0 new items, 0 updated, ${saved.saved.created} unchanged, 0 dropped, 0 kept`);

    const replace = saved.scenarios[0]!.actions.find((a) => a.action === 'replace')!;
    const ref = `${replace.deviceId.slice(0, 8)}:replace`;
    const early = await run(['plan', 'done', ref]);
    expect([early.code, early.err]).toEqual([7, `error: plan item ${ref} is planned; it cannot become done; start it first (camaudit plan start ${ref})`]);
    expect((await run(['plan', 'start', ref, '--note', 'order 4711'])).out).toBe(`plan item ${ref} (replace): planned → in_progress`);
    expect((await run(['plan', 'done', ref], '2026-07-15T10:00:00.000Z')).out).toBe(
      `plan item ${ref} (replace): in_progress → done\ndevice ${replace.deviceId.slice(0, 8)} is now replaced: out of service, no longer assessed or planned`,
    );
    const replaced = await json<{ status: string; history: { source: string; after: unknown }[] }>(['devices', 'show', replace.deviceId]);
    expect(replaced.status).toBe('replaced');
    expect(replaced.history.at(-1)).toMatchObject({ source: 'plan', after: { status: 'replaced' } });
    const replanned = await json<{ scenarios: Scenario[] }>(['plan', '--scenario', 'replace_now'], '2026-07-15T10:00:00.000Z');
    expect(replanned.scenarios[0]!.actions.some((a) => a.deviceId === replace.deviceId)).toBe(false);
    const items = await json<{ id: string; status: string; statusAt: string; statusBy: string; note: string }[]>(['plan', 'list']);
    expect(items.find((i) => i.id === replace.id)).toMatchObject({ status: 'done', statusAt: '2026-07-15T10:00:00.000Z', statusBy: 'cli:test', note: 'order 4711' });

    const dispose = await run(['plan', 'dispose', replace.deviceId.slice(0, 8), '--method', 'certified_wipe', '--certificate', 'VD-2026-0042'], '2026-07-20T10:00:00.000Z');
    expect(dispose.out).toBe(`device ${replace.deviceId.slice(0, 8)} disposed: certified_wipe, certificate VD-2026-0042`);
    const device = await json<{ status: string; history: { action: string; source: string; after: unknown }[] }>(['devices', 'show', replace.deviceId]);
    expect(device.status).toBe('disposed');
    expect(device.history.at(-1)).toMatchObject({ action: 'update', source: 'plan', after: { status: 'disposed' } });
    expect((await run(['plan', 'dispose', replace.deviceId.slice(0, 8), '--method', 'shred', '--certificate', 'x'])).code).toBe(7);
    expect((await run(['plan', 'dispose', replace.deviceId.slice(0, 8), '--method', 'shred'])).code).toBe(2);
  });

  it('writes a workbook with a comparison sheet and a sheet per scenario', async () => {
    const file = join(dir, 'plan.xlsx');
    expect((await run(['plan', '--xlsx', file, '--budget', '100000'])).out).toBe(`plan written to ${file}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['comparison', 'replace_now', 'end_of_life', 'risk_based']);
    expect(wb.getWorksheet('comparison')!.getRow(1).getCell(2).value).toBe('Replace now: cost (EUR)');
    expect(wb.getWorksheet('replace_now')!.rowCount).toBeGreaterThan(10);
  });
});

describe('plan workbook', () => {
  it('neutralises text a spreadsheet would run as a formula', async () => {
    const device: AssessDevice = {
      id: 'd1', kind: 'camera', status: 'active', manufacturer: 'hikvision', brand: '+Brand', model: '@model', firmware: null, identityConfidence: 1,
      installDate: null, analytics: [], legalBasis: null, retentionDays: null, custom: {}, site: { id: 's', name: '=HYPERLINK("http://x")', category: 'other' },
      network: null, facts: [],
    };
    const scenario: Scenario = {
      name: 'replace_now', title: { nl: 'Nu', en: 'Now' }, description: { nl: '', en: '' }, costPerYear: [{ year: 2026, cost: 1 }], totalCost: 1,
      residualRisk: [{ year: 2026, risk: 0 }], unresolved: [], outsidePlan: [],
      actions: [{ id: 'd1:replace', deviceId: 'd1', action: 'replace', year: 2026, dueDate: '2026-12-01', cost: 1, resolves: ['restricted_manufacturer'], riskBefore: 5, riskAfter: 0 }],
    };
    const file = join(dir, 'hostile.xlsx');
    await writePlanWorkbook(file, [scenario], new Map([['d1', device]]), () => '-maker', 'en');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const row = wb.getWorksheet('replace_now')!.getRow(2);
    expect([row.getCell(3).value, row.getCell(5).value, row.getCell(6).value, row.getCell(7).value]).toEqual(["'=HYPERLINK(\"http://x\")", "'+Brand", "'-maker", "'@model"]);
    expect(row.getCell(11).value).toBe(1);
  });
});

describe('camaudit policy', () => {
  it('stores the organisation\'s policy, uses it in every assessment, refuses a bad one whole, and resets', async () => {
    const own = join(dir, 'lindeveld.yaml');
    writeFileSync(own, 'extends: default\nname: lindeveld\nrules:\n  restricted_manufacturer: { severity: critical }\n');
    const shown = await json<{ origin: string }>(['policy', 'show']);
    expect(shown.origin).toBe('default');
    expect((await run(['policy', 'set', own])).out).toContain('policy "lindeveld" from');
    const stored = await json<{ origin: string; file: string; setBy: string; policy: { name: string } }>(['policy', 'show']);
    expect(stored).toMatchObject({ origin: 'organisation', file: 'lindeveld.yaml', setBy: 'cli:test', policy: { name: 'lindeveld' } });
    const restricted = (await json<Finding[]>(['assess'])).filter((f) => f.rule === 'restricted_manufacturer');
    expect(restricted.length).toBeGreaterThan(0);
    expect(new Set(restricted.map((f) => f.severity))).toEqual(new Set(['critical']));
    // An explicit --policy still wins for one run.
    const once = join(dir, 'once.yaml');
    writeFileSync(once, 'extends: default\nname: once\nrules:\n  restricted_manufacturer: { severity: medium }\n');
    const explicit = (await json<Finding[]>(['assess', '--policy', once])).filter((f) => f.rule === 'restricted_manufacturer');
    expect(new Set(explicit.map((f) => f.severity))).toEqual(new Set(['medium']));

    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'extends: default\nname: bad\nmeasures: [no-such-measure]\n');
    const refused = await run(['policy', 'set', bad]);
    expect(refused.code).toBe(4);
    expect(refused.err).toMatch(/no-such-measure/);
    expect((await json<{ policy: { name: string } }>(['policy', 'show'])).policy.name).toBe('lindeveld');

    expect((await run(['policy', 'reset'])).out).toMatch(/removed; the shipped default applies/);
    expect((await json<Finding[]>(['assess'])).filter((f) => f.rule === 'restricted_manufacturer').every((f) => f.severity === 'high')).toBe(true);
  });
});
