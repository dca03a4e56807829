// The phase-out plan as a workbook for the people who budget it: a comparison sheet (cost and
// residual risk per year, side by side) and one sheet per scenario with its dated actions.
// Every text cell that a spreadsheet would run as a formula is neutralised: site names, brands
// and models come from registers and scans.
import ExcelJS from 'exceljs';
import type { AssessDevice } from '../core/assess/types.js';
import { neutralise } from '../core/import/values.js';
import type { Scenario } from '../core/plan/types.js';

type Cell = string | number | null;

const cell = (v: Cell | undefined): Cell => (typeof v === 'string' ? neutralise(v) : v ?? null);

/** Rows of the comparison sheet: a header, one row per year, totals, unresolved devices and those with findings outside the plan. */
export function comparisonRows(scenarios: readonly Scenario[], lang: 'nl' | 'en'): Cell[][] {
  const header: Cell[] = [lang === 'nl' ? 'jaar' : 'year'];
  for (const s of scenarios) header.push(`${s.title[lang]}: ${lang === 'nl' ? 'kosten (EUR)' : 'cost (EUR)'}`, `${s.title[lang]}: ${lang === 'nl' ? 'restrisico' : 'residual risk'}`);
  const years = scenarios[0]?.costPerYear.map((c) => c.year) ?? [];
  const rows: Cell[][] = [header];
  years.forEach((year, i) => {
    const row: Cell[] = [year];
    for (const s of scenarios) row.push(s.costPerYear[i]?.cost ?? null, s.residualRisk[i]?.risk ?? null);
    rows.push(row);
  });
  rows.push([lang === 'nl' ? 'totaal' : 'total', ...scenarios.flatMap((s) => [s.totalCost, null])]);
  rows.push([lang === 'nl' ? 'apparaten onopgelost' : 'devices unresolved', ...scenarios.flatMap((s) => [s.unresolved.length, null])]);
  rows.push([lang === 'nl' ? 'apparaten met bevindingen buiten het plan' : 'devices with findings outside the plan', ...scenarios.flatMap((s) => [s.outsidePlan.length, null])]);
  return rows;
}

const ACTION_HEADERS = {
  en: ['item', 'device', 'site', 'kind', 'brand', 'maker', 'model', 'action', 'year', 'due', 'cost (EUR)', 'resolves', 'risk before', 'risk after'],
  nl: ['item', 'apparaat', 'locatie', 'soort', 'merk', 'fabrikant', 'model', 'actie', 'jaar', 'uiterlijk', 'kosten (EUR)', 'lost op', 'risico voor', 'risico na'],
};

/** Rows of a scenario sheet: a header and one row per planned action. */
export function actionRows(scenario: Scenario, devices: ReadonlyMap<string, AssessDevice>, makerName: (id: string | null) => string, lang: 'nl' | 'en'): Cell[][] {
  return [ACTION_HEADERS[lang], ...scenario.actions.map((a) => {
    const d = devices.get(a.deviceId);
    return [a.id, a.deviceId, d?.site?.name ?? null, d?.kind ?? null, d?.brand ?? null, makerName(d?.manufacturer ?? null), d?.model ?? null,
      a.action, a.year, a.dueDate, a.cost, a.resolves.join(', '), a.riskBefore, a.riskAfter];
  })];
}

/** Writes the workbook, streaming rows so a plan for a large register stays within memory. */
export async function writePlanWorkbook(
  file: string,
  scenarios: readonly Scenario[],
  devices: ReadonlyMap<string, AssessDevice>,
  makerName: (id: string | null) => string,
  lang: 'nl' | 'en',
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
  const sheets: [string, Cell[][]][] = [
    [lang === 'nl' ? 'vergelijking' : 'comparison', comparisonRows(scenarios, lang)],
    ...scenarios.map((s): [string, Cell[][]] => [s.name, actionRows(s, devices, makerName, lang)]),
  ];
  for (const [name, rows] of sheets) {
    const sheet = workbook.addWorksheet(name);
    for (const row of rows) sheet.addRow(row.map(cell)).commit();
    sheet.commit();
  }
  await workbook.commit();
}
