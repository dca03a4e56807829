// The answer of GET /api/v1/organisations/:org/overview (src/core/overview/overview.ts).
import type { DeviceQuery, SourceLike } from './overview-logic';

export interface Figure {
  count: number;
  filter: DeviceQuery;
}

export interface Measure {
  id: string;
  jurisdiction: string;
  body: string;
  date: string;
  scope: string[];
  confidence: 'high' | 'medium' | 'low';
  uncertain: string | null;
  sources: SourceLike[];
}

export interface Overview {
  organisation: { slug: string; name: string };
  at: string;
  assessment: { at: string; kbVersion: string; policyName: string } | null;
  kb: { version: string; date: string };
  inService: string[];
  inventory: {
    devices: Figure;
    sites: { withDevices: number; register: number };
    makers: (Figure & { key: string; known: boolean; name: string | null; country: string | null; restricted: boolean; sites: number })[];
    oem: Figure & {
      brands: (Figure & {
        brand: string;
        maker: { id: string; name: string };
        record: { id: string; relationship: string; confidence: 'high' | 'medium' | 'low'; uncertain: string | null; sources: SourceLike[] } | null;
      })[];
    };
    categories: (Figure & { key: string; sites: number })[];
    publicSpace: Figure & { sites: number };
    buildings: Figure & { sites: number };
    noSite: Figure;
  };
  exposure: {
    connectivity: (Figure & { key: string })[];
    internetExposed: Figure;
    vendorCloudNetworks: Figure;
    vendorCloudFindings: Figure;
    kev: Figure & {
      vulnerabilities: { id: string; title: string; maker: { id: string; name: string }; dispute: string | null; exploitation: string; sources: SourceLike[] }[];
    };
  };
  risk: {
    bySeverity: (Figure & { key: string; findings: number })[];
    findings: { active: number; open: number; lapsed: number; waived: number };
    devicesWithFindings: number;
    waiversInForce: number;
  };
  plan: {
    adopted: boolean;
    scenarios: string[];
    items: { planned: number; in_progress: number; done: number };
    overdue: number;
    budget: { planned: number; spent: number; remaining: number };
  };
  procurement: {
    policy: { name: string; origin: 'organisation' | 'default'; unknownMeasures: string[] };
    restrictedMakers: (Figure & { id: string; name: string; country: string; measures: Measure[] })[];
    restrictedDevices: Figure;
  };
}

/** GET /api/v1/clauses: only what the overview counts. */
export interface ClauseDocument {
  categories: { id: string; clauses: { id: string }[] }[];
}
