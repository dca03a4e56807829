// The shapes of a phase-out plan: what each option costs, which dated actions it takes per
// device, and the risk that remains year by year. Pure data, computed by plan.ts.
import type { DeviceKind } from '../model.js';
import type { AssessDevice, Finding } from '../assess/types.js';

export const PLAN_ACTIONS = ['disable_vendor_cloud', 'isolate_network', 'update_firmware', 'close_port', 'activate_device', 'replace', 'decommission', 'dispose'] as const;
export type PlanAction = (typeof PLAN_ACTIONS)[number];

/** Costs in whole euros, excluding VAT. Defaults and their reasoning: policies/costs.yaml. */
export interface CostModel {
  currency: 'EUR';
  /** Per device kind: new hardware, installation, and disposal with certified storage wipe. */
  kinds: Record<DeviceKind, { hardware: number; installation: number; disposal: number }>;
  /** Labour per device for actions that keep the device. */
  actions: { disable_vendor_cloud: number; isolate_network: number; update_firmware: number; close_port: number; activate_device: number; decommission: number };
  /** Years a replacement device is expected to last; the end of life of an existing one is installDate + this. */
  lifetimeYears: number;
}

export interface PlanInput {
  devices: readonly AssessDevice[];
  findings: readonly Finding[];
  cost: CostModel;
  /** Money per calendar year for the plan; null = unlimited. */
  budgetPerYear: number | null;
  /** Devices the organisation can replace per year (installers, downtime); null = unlimited. */
  capacityPerYear: number | null;
  /** First year of the plan and how many years it covers. */
  startYear: number;
  years: number;
  now: string;
}

export interface PlannedAction {
  /** Stable across runs: `<deviceId>:<action>`. */
  id: string;
  deviceId: string;
  action: PlanAction;
  year: number;
  /** ISO date by which to do it. */
  dueDate: string;
  cost: number;
  /** The findings (rules) this action resolves. */
  resolves: string[];
  /** Device risk score before and after the action. */
  riskBefore: number;
  riskAfter: number;
}

export const SCENARIOS = ['replace_now', 'end_of_life', 'risk_based'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface Scenario {
  name: ScenarioName;
  title: { nl: string; en: string };
  description: { nl: string; en: string };
  actions: PlannedAction[];
  costPerYear: { year: number; cost: number }[];
  totalCost: number;
  /** Sum of device risk scores remaining at the end of each year. */
  residualRisk: { year: number; risk: number }[];
  /** Devices left at the end with a finding the plan has an action for but did not take (budget, capacity or horizon), by id. */
  unresolved: string[];
  /**
   * Devices left at the end with a finding no plan action resolves — a review, a legal basis, a
   * shorter retention, identifying the maker: work for other people than the installer, and
   * residual risk the plan cannot remove. By id.
   */
  outsidePlan: string[];
}
