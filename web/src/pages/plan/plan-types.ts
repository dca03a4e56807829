// The plan API's answers as the plan page reads them (src/server/routes/plan.ts).
import type { ItemStatus } from './plan-logic';

export const SCENARIO_NAMES = ['replace_now', 'end_of_life', 'risk_based'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export interface ScenarioSummary {
  name: ScenarioName;
  title: { nl: string; en: string };
  totalCost: number;
  actions: number;
  /** Devices the scenario's actions touch. */
  devices: number;
  unresolved: number;
  outsidePlan: number;
  residualRiskAtEnd: number | null;
  costPerYear: { year: number; cost: number }[];
  residualRisk: { year: number; risk: number }[];
}

export interface CostModel {
  currency: 'EUR';
  kinds: Record<string, { hardware: number; installation: number; disposal: number }>;
  actions: Record<string, number>;
  lifetimeYears: number;
}

export interface ScenarioComparison {
  assessment: { id: string; at: string; findings: number };
  startYear: number;
  years: number;
  budget: number | null;
  capacity: number | null;
  riskNow: number;
  /** The prices the comparison used: the default model or the overrides sent. */
  costs: CostModel;
  comparison: ScenarioSummary[];
}

/** What a comparison was asked with; adopting and the workbook use the same. */
export interface PlanParams {
  budget?: number;
  capacity?: number;
  years: number;
  costs?: CostModel;
}

export interface PlanItem {
  id: string;
  deviceId: string;
  action: string;
  scenario: ScenarioName;
  year: number;
  dueDate: string;
  cost: number;
  status: ItemStatus;
  statusAt: string;
  statusBy: string;
  note: string | null;
  overdue: boolean;
}

export interface Disposal {
  id: string;
  deviceId: string;
  planItem: string | null;
  method: string;
  certificate: string;
  disposedAt: string;
  recordedBy: string;
}

/** The few device fields the plan shows next to an item. */
export interface DeviceLabel {
  id: string;
  externalRef: string | null;
  brand: string | null;
  model: string | null;
  siteName: string | null;
  status: string;
}

export function deviceText(device: DeviceLabel | undefined, id: string): string {
  if (!device) return id.slice(0, 8);
  const name = device.externalRef ?? id.slice(0, 8);
  const what = [device.brand, device.model].filter(Boolean).join(' ');
  return [name, what, device.siteName].filter(Boolean).join(' · ');
}
