// The register as a CycloneDX 1.6 hardware bill of materials: each device a `device` component
// named after its true maker, with its firmware as a sub-component, so a supplier's or auditor's
// supply-chain tooling reads the organisation's cameras the way it reads software dependencies.
import * as CDX from '@cyclonedx/cyclonedx-library';
import type { Organisation } from '../core/model.js';
import { canSee, type Audience } from '../core/register/publication.js';
import type { KnowledgeBase, Vendor } from '../kb/schema.js';
import type { DeviceView } from '../store/devices.js';
import { UNDISCLOSED } from './geojson-export.js';
import { VERSION } from '../version.js';

export interface HbomOptions {
  org: Organisation;
  audience: Audience;
  kb: KnowledgeBase;
  now: string;
}

interface Maker {
  name: string;
  /** Where the knowledge base's claim about this maker comes from (URLs or references). */
  sources: string[];
}

/** A register's maker (a KB vendor id, or a name as a person typed it) as the KB names it. */
function makerResolver(kb: KnowledgeBase): (manufacturer: string | null) => Maker | null {
  const byKey = new Map<string, Vendor>();
  for (const v of kb.vendors) for (const key of [v.id, v.name, ...v.aliases]) byKey.set(key.toLowerCase(), v);
  return (manufacturer) => {
    if (manufacturer === null || manufacturer.trim() === '') return null;
    const vendor = byKey.get(manufacturer.trim().toLowerCase());
    if (vendor === undefined) return { name: manufacturer, sources: [] };
    return { name: vendor.name, sources: vendor.sources.map((s) => s.url ?? s.ref ?? '').filter((s) => s !== '') };
  };
}

/** Whether a device is still the organisation's hardware: a disposed one has left its hands. */
export function inHbom(d: DeviceView): boolean {
  return d.status !== 'disposed';
}

/**
 * Builds the bill of materials of the devices the organisation still holds, each with its status,
 * so a decommissioned camera is not read as one in service. The library's 1.6 model has neither
 * a component nor a metadata `manufacturer` yet, so both are added to the normalised document
 * (components by bom-ref); the JSON schema of 1.6 defines them. `metadata.supplier` stays out:
 * in CycloneDX it names who supplied the equipment, not who keeps the register.
 */
export function buildHbom(options: HbomOptions, devices: Iterable<DeviceView>): object {
  const { org, audience, kb, now } = options;
  const bom = new CDX.Models.Bom();
  bom.metadata.timestamp = new Date(now);
  bom.metadata.tools.components.add(new CDX.Models.Component(CDX.Enums.ComponentType.Application, 'camaudit', { version: VERSION }));
  bom.metadata.properties.add(new CDX.Models.Property('cdx:device:kbVersion', kb.meta.version));
  if (org.cbsCode !== null) bom.metadata.properties.add(new CDX.Models.Property('cdx:device:organisationCode', org.cbsCode));

  const maker = makerResolver(kb);
  const makers = new Map<string, Maker>();
  let n = 0;
  for (const d of devices) {
    if (!inHbom(d)) continue;
    n++;
    const sees = (group: Parameters<typeof canSee>[1]) => audience === 'organisation' || canSee(audience, group, org.publication, d.publication);
    const identity = sees('identity');
    // The public gets a running number: the register's id is an internal reference.
    const ref = sees('serial') ? `device-${d.id}` : `device-${n}`;
    // The kind belongs to the identity group: a closed identity names nothing about the device.
    const label = identity ? d.model ?? d.brand ?? d.kind : UNDISCLOSED;
    const component = new CDX.Models.Component(CDX.Enums.ComponentType.Device, label, { bomRef: ref });
    const prop = (name: string, value: string | number | null) => {
      if (value !== null) component.properties.add(new CDX.Models.Property(`cdx:device:${name}`, String(value)));
    };
    prop('kind', identity ? d.kind : UNDISCLOSED);
    if (identity) {
      // The device export files status under identity too.
      prop('status', d.status);
      prop('brand', d.brand);
      if (d.supplier !== null) component.supplier = new CDX.Models.OrganizationalEntity({ name: d.supplier });
      const made = maker(d.manufacturer);
      if (made !== null) {
        makers.set(ref, made);
        for (const source of made.sources) prop('manufacturerSource', source);
      }
      if (d.identity !== null) {
        prop('identificationConfidence', d.identity.confidence);
        prop('kbVersion', d.identity.kbVersion);
      }
      if (d.firmware !== null) {
        component.components.add(new CDX.Models.Component(CDX.Enums.ComponentType.Firmware, `${d.model ?? d.brand ?? d.kind} firmware`, {
          version: d.firmware, bomRef: `${ref}/firmware`,
        }));
      }
    }
    if (sees('serial') && d.serial !== null) prop('serialNumber', d.serial);
    if (sees('location_area')) prop('siteCategory', d.siteCategory);
    if (sees('network')) prop('connectivity', d.connectivity);
    bom.components.add(component);
  }

  const normalised = new CDX.Serialize.JSON.Normalize.Factory(CDX.Spec.Spec1dot6).makeForBom().normalize(bom, { sortLists: false });
  // 1.6: "the organization that created the BOM".
  Object.assign(normalised, { metadata: { ...normalised.metadata, manufacturer: { name: org.name } } });
  for (const c of normalised.components ?? []) {
    const made = c['bom-ref'] === undefined ? undefined : makers.get(c['bom-ref']);
    if (made !== undefined) Object.assign(c, { manufacturer: { name: made.name } });
  }
  return normalised;
}
