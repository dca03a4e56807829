// What the council report reads from the register: the devices in service (as the assessment
// sees them, plus the fields only the appendix shows), the latest assessment's findings with the
// waivers in force applied, and that assessment's run. Reads in bulk, never per device.
import { ASSESSABLE_STATUSES } from '../core/assess/inputs.js';
import type { Finding } from '../core/assess/types.js';
import { applyWaivers } from '../core/assess/waivers.js';
import { CamauditError } from '../core/errors.js';
import type { PublicationPolicy } from '../core/model.js';
import type { ReportDevice } from '../core/report/council.js';
import { loadAssessDevices } from './assess-inputs.js';
import { listAssessmentRuns, listFindings, type AssessmentRun } from './assessments.js';
import type { Store } from './database.js';
import type { TenantScope } from './tenant.js';
import { listWaivers } from './waivers.js';

export interface ReportInputs {
  devices: ReportDevice[];
  findings: Finding[];
  waived: number;
  assessment: AssessmentRun;
}

export async function loadReportInputs(store: Store, scope: TenantScope, now: string): Promise<ReportInputs> {
  const assessment = (await listAssessmentRuns(store, scope))[0];
  // The report states a risk judgement; without an assessment it would state none as if all were well.
  if (!assessment) throw new CamauditError('conflict', 'the organisation has not been assessed yet: run `camaudit assess` (or POST …/assessments) first');
  const devices = await loadAssessDevices(store.db, scope);
  const extra = new Map((await store.db.selectFrom('devices')
    .select(['id', 'ip', 'mac', 'serial', 'lat', 'lon', 'publication_json'])
    .where('org_id', '=', scope.orgId).where('status', 'in', ASSESSABLE_STATUSES).execute()).map((r) => [r.id, r]));
  const present = new Set(devices.map((d) => d.id));
  const findings = (await listFindings(store, scope)).filter((f) => present.has(f.deviceId));
  const { active } = applyWaivers(findings, await listWaivers(store, scope), now);
  return {
    assessment,
    findings: active,
    waived: findings.length - active.length,
    devices: devices.map((d) => {
      const r = extra.get(d.id);
      return {
        ...d, ip: r?.ip ?? null, mac: r?.mac ?? null, serial: r?.serial ?? null,
        position: r && r.lat !== null && r.lon !== null ? { lat: r.lat, lon: r.lon } : null,
        publication: r ? (JSON.parse(r.publication_json) as Partial<PublicationPolicy>) : {},
      };
    }),
  };
}
