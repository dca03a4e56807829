// The Dutch and English title and summary of each notification event. Written for the person on
// the receiving end of an e-mail: what happened, to which entity (by id, so it can be looked up),
// and what it means. Only what the organisation's own register and the knowledge base hold.
import type { MakerFacts } from '../assess/rules/knowledge.js';
import { measureLabel, type Text } from '../assess/rules/text.js';
import type { Waiver } from '../assess/waivers.js';
import type { DeviceKind } from '../model.js';
import type { PlanAction } from '../plan/types.js';
import type { Vulnerability } from '../../kb/schema.js';
import type { AuditChainProblem, NotifyDevice, NotifyPlanItem } from './events.js';

interface Texts {
  title: Text;
  summary: Text;
}

const KIND: Readonly<Record<DeviceKind, Text>> = {
  camera: { nl: 'Camera', en: 'Camera' },
  recorder: { nl: 'Recorder', en: 'Recorder' },
  encoder: { nl: 'Encoder', en: 'Encoder' },
  intercom: { nl: 'Intercom', en: 'Intercom' },
  other: { nl: 'Apparaat', en: 'Device' },
};

const ACTION: Readonly<Record<PlanAction, Text>> = {
  disable_vendor_cloud: { nl: 'clouddienst van de fabrikant uitzetten', en: 'switch off the vendor cloud service' },
  isolate_network: { nl: 'netwerk afschermen', en: 'isolate the network' },
  update_firmware: { nl: 'firmware bijwerken', en: 'update the firmware' },
  close_port: { nl: 'poort sluiten', en: 'close the port' },
  activate_device: { nl: 'apparaat activeren', en: 'activate the device' },
  replace: { nl: 'vervangen', en: 'replace' },
  decommission: { nl: 'buiten gebruik stellen', en: 'decommission' },
  dispose: { nl: 'afvoeren', en: 'dispose of' },
};

/** "Camera DS-2CD2132F-IS (merk HiWatch) op Parkeergarage Centrum" */
function deviceDescription(device: NotifyDevice, maker: MakerFacts): Text {
  const kind = KIND[device.kind];
  const model = device.model ? ` ${device.model}` : '';
  const brand = device.brand && device.brand !== maker.name ? device.brand : null;
  return {
    nl: `${kind.nl}${model}${brand ? ` (merk ${brand})` : ''}${device.site ? ` op ${device.site.name}` : ''}`,
    en: `${kind.en}${model}${brand ? ` (brand ${brand})` : ''}${device.site ? ` at ${device.site.name}` : ''}`,
  };
}

export function restrictedDeviceTexts(device: NotifyDevice, maker: MakerFacts): Texts {
  const what = deviceDescription(device, maker);
  const measures = maker.measures.map((r) => `"${measureLabel(r)}"`).join('; ');
  const since = device.firstSeen.slice(0, 10);
  return {
    title: { nl: `Nieuw apparaat van een beperkte fabrikant: ${maker.name}`, en: `New device from a restricted manufacturer: ${maker.name}` },
    summary: {
      nl: `${what.nl} is gemaakt door ${maker.name}. Het beleid van de organisatie volgt ${maker.measures.length === 1 ? 'een maatregel die' : 'maatregelen die'} deze fabrikant ${maker.measures.length === 1 ? 'noemt' : 'noemen'}: ${measures}. Het apparaat staat sinds ${since} in het register (id ${device.id}).`,
      en: `${what.en} was made by ${maker.name}. The organisation's policy adopts ${maker.measures.length === 1 ? 'a measure that names' : 'measures that name'} this manufacturer: ${measures}. The device has been in the register since ${since} (id ${device.id}).`,
    },
  };
}

export function kevTexts(record: Vulnerability, model: string, deviceIds: readonly string[]): Texts {
  const n = deviceIds.length;
  const since = record.kev.date_added ? { nl: ` sinds ${record.kev.date_added}`, en: ` since ${record.kev.date_added}` } : { nl: '', en: '' };
  return {
    title: { nl: `Actief misbruikt lek ${record.id} in model ${model}`, en: `Actively exploited vulnerability ${record.id} in model ${model}` },
    summary: {
      nl: `De Amerikaanse cyberveiligheidsdienst CISA meldt${since.nl} dat ${record.id} ("${record.title}") actief wordt misbruikt. Het treft ${n === 1 ? 'een apparaat' : `${n} apparaten`} van model ${model} in het register: ${deviceIds.join(', ')}.`,
      en: `The US cyber-security agency CISA lists ${record.id} ("${record.title}") as actively exploited${since.en}. It affects ${n === 1 ? 'one device' : `${n} devices`} of model ${model} in the register: ${deviceIds.join(', ')}.`,
    },
  };
}

export function planOverdueTexts(item: NotifyPlanItem): Texts {
  const action = ACTION[item.action];
  const state = item.status === 'in_progress' ? { nl: 'is begonnen maar niet af', en: 'was started but is not done' } : { nl: 'is niet begonnen', en: 'has not been started' };
  return {
    title: { nl: `Deadline gemist: ${action.nl} (apparaat ${item.deviceId.slice(0, 8)})`, en: `Deadline missed: ${action.en} (device ${item.deviceId.slice(0, 8)})` },
    summary: {
      nl: `Planitem ${item.id} (${action.nl}) moest uiterlijk ${item.dueDate} klaar zijn en ${state.nl}.`,
      en: `Plan item ${item.id} (${action.en}) was due by ${item.dueDate} and ${state.en}.`,
    },
  };
}

export function waiverExpiredTexts(w: Waiver): Texts {
  return {
    title: { nl: `Risicoacceptatie verlopen: ${w.rule} (apparaat ${w.deviceId.slice(0, 8)})`, en: `Waiver expired: ${w.rule} (device ${w.deviceId.slice(0, 8)})` },
    summary: {
      nl: `Waiver ${w.id} voor regel ${w.rule} op apparaat ${w.deviceId}, goedgekeurd door ${w.approver}, gold tot en met ${w.until}. De bevinding telt weer mee in de beoordeling.`,
      en: `Waiver ${w.id} for rule ${w.rule} on device ${w.deviceId}, approved by ${w.approver}, held until ${w.until}. The finding counts again in the assessment.`,
    },
  };
}

export function auditChainTexts(problem: AuditChainProblem): Texts {
  return {
    title: { nl: `Audittrail klopt niet meer vanaf regel ${problem.firstBadSeq}`, en: `Audit trail fails verification at entry ${problem.firstBadSeq}` },
    summary: {
      nl: `De controle van de audittrail faalt bij regel ${problem.firstBadSeq}: ${problem.detail.nl}. Een regel is gewijzigd of verwijderd; zoek uit wie toegang tot de database had.`,
      en: `Verifying the audit trail fails at entry ${problem.firstBadSeq}: ${problem.detail.en}. An entry was changed or deleted; find out who had access to the database.`,
    },
  };
}
