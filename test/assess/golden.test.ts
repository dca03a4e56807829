// Golden test on the demo organisation: `assess --json` and `plan --json` are compared byte for
// byte with committed files, and the "done when" is checked on the same output. Run with
// UPDATE_GOLDEN=1 to write the files after an intended change (a KB update, a new rule), then
// review the diff.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/assess/types.js';
import type { Scenario } from '../../src/core/plan/types.js';
import { main } from '../../src/cli/main.js';

const GOLDEN = join(import.meta.dirname, '..', 'fixtures', 'golden');
const ASSESSED_AT = '2026-06-01T09:00:00.000Z';
const PLAN_ARGS = ['plan', '--budget', '150000', '--capacity', '40', '--years', '5'];

let dir: string;
let db: string;

/** The CLI in-process with a fixed clock: due dates and waiver expiry depend on the date. */
async function run(args: string[], now = ASSESSED_AT) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['--db', db, ...args], {
    out: (t) => out.push(t), err: (t) => err.push(t), env: { CAMAUDIT_ACTOR: 'cli:test' }, now: () => now,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function golden(name: string, actual: string): void {
  const file = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, actual + '\n');
  }
  expect(existsSync(file), `${file} is missing; create it with UPDATE_GOLDEN=1`).toBe(true);
  // Compared as text: a reordered key or a changed number format is a change too.
  expect(actual + '\n' === readFileSync(file, 'utf8'), `${name} differs from the golden file; review, then UPDATE_GOLDEN=1`).toBe(true);
}

/** The demo's labels and who really makes them (lab/demo.ts), independent of identification. */
const MAKER_OF_LABEL: Record<string, string> = {
  Hikvision: 'hikvision', HiWatch: 'hikvision', HiLook: 'hikvision', EZVIZ: 'hikvision', Annke: 'hikvision', LTS: 'hikvision',
  Dahua: 'dahua', Lorex: 'dahua', Amcrest: 'dahua', Imou: 'dahua',
  Axis: 'axis', Bosch: 'bosch', Hanwha: 'hanwha', Mobotix: 'mobotix', Avigilon: 'avigilon', Milestone: 'milestone',
};

interface DemoDevice { id: string; brand: string; model: string | null; firmware: string | null; status: string }
let devices: DemoDevice[];
let findings: Finding[];
let assessText: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'camaudit-golden-'));
  db = join(dir, 'demo.db');
  expect((await run(['demo'])).code).toBe(0);
  // Device ids are random UUIDs; the plan breaks ties by id. Renaming every device to its
  // register reference makes the input, and so the output, the same on every run.
  const sqlite = new Database(db);
  sqlite.prepare('UPDATE devices SET id = external_ref').run();
  sqlite.close();
  devices = JSON.parse((await run(['--json', 'devices', 'list', '--limit', '10000'])).out) as DemoDevice[];
  const assessed = await run(['--json', 'assess']);
  expect(assessed.code).toBe(0);
  assessText = assessed.out;
  findings = JSON.parse(assessText) as Finding[];
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('golden: the demo organisation under the default policy', () => {
  it('assess --json matches the golden file, and an incremental re-run prints the same bytes', async () => {
    golden('demo-assess.json', assessText);
    const again = await run(['--json', 'assess']);
    expect(again.out === assessText).toBe(true);
  });

  it('plan --json matches the golden file', async () => {
    const plan = await run(['--json', ...PLAN_ARGS]);
    expect(plan.code).toBe(0);
    golden('demo-plan.json', plan.out);
  });

  it('accuses every Hikvision and Dahua device, OEM labels included, with sources', () => {
    const chinese = devices.filter((d) => ['hikvision', 'dahua'].includes(MAKER_OF_LABEL[d.brand]!));
    const oem = chinese.filter((d) => !['Hikvision', 'Dahua'].includes(d.brand));
    expect(chinese.length).toBeGreaterThan(80);
    expect(new Set(oem.map((d) => d.brand))).toEqual(new Set(['HiWatch', 'HiLook', 'EZVIZ', 'Annke', 'LTS', 'Lorex', 'Amcrest', 'Imou']));
    for (const d of chinese) {
      const f = findings.find((x) => x.deviceId === d.id && x.rule === 'restricted_manufacturer');
      expect(f, `${d.id} (${d.brand})`).toBeDefined();
      expect(f!.sources.length, `${d.id} sources`).toBeGreaterThan(0);
      expect(f!.evidence.some((e) => e.ref === 'device.manufacturer' && e.value === MAKER_OF_LABEL[d.brand])).toBe(true);
      if (oem.includes(d)) expect(f!.evidence.some((e) => e.ref.startsWith('kb:brand:')), `${d.id} brand → maker evidence`).toBe(true);
    }
  });

  it('does not accuse the other makers', () => {
    const others = devices.filter((d) => !['hikvision', 'dahua'].includes(MAKER_OF_LABEL[d.brand]!));
    expect(new Set(others.map((d) => d.brand))).toEqual(new Set(['Axis', 'Bosch', 'Hanwha', 'Mobotix', 'Avigilon', 'Milestone']));
    const accused = new Set(findings.filter((f) => ['restricted_manufacturer', 'human_rights'].includes(f.rule)).map((f) => f.deviceId));
    expect(others.filter((d) => accused.has(d.id))).toEqual([]);
  });

  it('rates firmware in a CISA KEV range as critical', () => {
    // The demo's DS-2CD2132F-IS cameras run firmware inside CVE-2017-7921's range.
    const affected = devices.filter((d) => d.model === 'DS-2CD2132F-IS' && d.firmware !== null);
    expect(affected.length).toBeGreaterThan(0);
    for (const d of affected) {
      const f = findings.find((x) => x.deviceId === d.id && x.rule === 'known_exploited_vulnerability');
      expect(f, d.id).toMatchObject({ severity: 'critical', dueDate: '2026-07-01' });
      expect(f!.evidence.some((e) => e.ref === 'kb:vulnerability:CVE-2017-7921')).toBe(true);
    }
    expect(findings.filter((f) => f.rule === 'known_exploited_vulnerability').every((f) => f.severity === 'critical')).toBe(true);
  });

  it('computes the three scenarios with costs and residual risk per year', async () => {
    const plan = JSON.parse((await run(['--json', ...PLAN_ARGS])).out) as { scenarios: Scenario[] };
    expect(plan.scenarios.map((s) => s.name)).toEqual(['replace_now', 'end_of_life', 'risk_based']);
    const risk = (s: Scenario) => s.residualRisk.map((r) => r.risk);
    for (const s of plan.scenarios) {
      expect(s.costPerYear.map((c) => c.year)).toEqual([2026, 2027, 2028, 2029, 2030]);
      expect(s.totalCost).toBe(s.costPerYear.reduce((n, c) => n + c.cost, 0));
      expect(s.totalCost).toBeGreaterThan(0);
      expect(risk(s)).toEqual([...risk(s)].sort((a, b) => b - a));
    }
    const risked = plan.scenarios.find((s) => s.name === 'risk_based')!;
    expect(risked.costPerYear.every((c) => c.cost <= 150_000)).toBe(true);
  });

  it('a waiver sets a finding aside until it expires, then the finding is back; an unused waiver is reported', async () => {
    const cloud = findings.find((f) => f.rule === 'vendor_cloud')!;
    const waived = await run(['waive', cloud.deviceId, 'vendor_cloud', '--reason', 'remote support contract until the replacement', '--until', '2026-09-30', '--approver', 'J. de Vries']);
    expect(waived.code).toBe(0);
    const unused = await run(['waive', cloud.deviceId, 'telnet_open', '--reason', 'port closed by the installer', '--until', '2026-09-30']);
    expect(unused.code).toBe(0);

    const during = JSON.parse((await run(['--json', 'assess'], '2026-09-30T20:00:00.000Z')).out) as Finding[];
    expect(during.some((f) => f.deviceId === cloud.deviceId && f.rule === 'vendor_cloud')).toBe(false);
    expect(during.filter((f) => f.deviceId === cloud.deviceId).map((f) => f.rule)).toEqual(
      findings.filter((f) => f.deviceId === cloud.deviceId && f.rule !== 'vendor_cloud').map((f) => f.rule),
    );
    const text = await run(['assess'], '2026-09-30T20:00:00.000Z');
    expect(text.out).toContain('1 set aside by waivers');
    expect(text.out).toMatch(new RegExp(`waived: ${cloud.deviceId.slice(0, 8)} vendor_cloud until 2026-09-30, approved by J\\. de Vries`));
    expect(text.out).toMatch(new RegExp(`unused waiver [0-9a-f]{8}: ${cloud.deviceId.slice(0, 8)} telnet_open`));

    const after = JSON.parse((await run(['--json', 'assess'], '2026-10-01T08:00:00.000Z')).out) as Finding[];
    expect(after.find((f) => f.deviceId === cloud.deviceId && f.rule === 'vendor_cloud')).toEqual(cloud);
    const list = JSON.parse((await run(['--json', 'waive', 'list'], '2026-10-01T08:00:00.000Z')).out) as { rule: string; inForce: boolean }[];
    expect(list.map((w) => [w.rule, w.inForce])).toEqual([['telnet_open', false], ['vendor_cloud', false]]);
  });
});
