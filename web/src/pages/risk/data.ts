// What the risk page reads besides one page of findings: every finding (for the counts), the
// register's devices by id (for names and links), and the shapes the findings API answers with.
import { useEffect, useMemo, useState } from 'react';
import { api, orgPath, queryString, type Page, type Query } from '../../api';

export interface Finding {
  id: string;
  deviceId: string;
  rule: string;
  severity: string;
  likelihood: string;
  impact: string;
  why: { nl: string; en: string };
  evidence: { ref: string; value: string }[];
  sources: { url?: string; title?: string; ref?: string }[];
  action: string;
  dueDate: string | null;
  uncertain?: string;
  status: string;
  waiver: { id: string; until: string; approver: string; reason: string } | null;
}

export interface Assessment {
  id: string;
  at: string;
  kbVersion: string;
  policyName: string;
  assessed: number;
  findings: number;
}

export interface FindingPage extends Page<Finding> {
  assessment: Assessment | null;
}

export interface Waiver {
  id: string;
  deviceId: string;
  rule: string;
  reason: string;
  approver: string;
  until: string;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
  revokedBy: string | null;
  state: string;
}

interface DeviceRow {
  id: string;
  kind: string;
  brand: string | null;
  model: string | null;
  ip: string | null;
  externalRef: string | null;
  siteName: string | null;
}

/** Every item of a list, page after page; `tick` asks again. */
export function useAllPages<T>(path: string | null, query: Query, tick: number): { items: T[] | undefined; error: Error | undefined } {
  const [state, setState] = useState<{ items?: T[]; error?: Error; key?: string }>({});
  const key = path === null ? null : `${path}${queryString(query)}#${tick}`;
  useEffect(() => {
    if (key === null || path === null) return;
    const controller = new AbortController();
    void (async () => {
      const items: T[] = [];
      let cursor: string | null | undefined;
      try {
        do {
          const page = await api<Page<T>>(path, { query: { ...query, limit: 1000, cursor: cursor ?? undefined }, signal: controller.signal });
          items.push(...page.items);
          cursor = page.nextCursor;
        } while (cursor);
        setState({ items, key });
      } catch (error) {
        if (!controller.signal.aborted) setState({ error: error as Error, key });
      }
    })();
    return () => controller.abort();
    // The key stands for path, query and tick together.
  }, [key]);
  return { items: state.items, error: state.error };
}

export interface DeviceName {
  id: string;
  /** Reference, make and model, and site: how people recognise a device in a list. */
  name: string;
  ip: string | null;
}

export function deviceName(d: DeviceRow): string {
  const make = [d.brand, d.model].filter(Boolean).join(' ');
  return [d.externalRef, make || d.ip, d.siteName].filter(Boolean).join(' · ') || d.id.slice(0, 8);
}

/** The register's devices by id. */
export function useDeviceNames(org: string): Map<string, DeviceName> | undefined {
  const devices = useAllPages<DeviceRow>(orgPath(org, '/devices'), { sort: 'id' }, 0);
  return useMemo(() => devices.items && new Map(devices.items.map((d) => [d.id, { id: d.id, name: deviceName(d), ip: d.ip }])), [devices.items]);
}
