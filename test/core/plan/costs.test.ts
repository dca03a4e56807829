import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CamauditError } from '../../../src/core/errors.js';
import { DEVICE_KINDS } from '../../../src/core/model.js';
import { DEFAULT_COST_MODEL, DEFAULT_COST_MODEL_FILE, MAX_EUROS, parseCostModel, replacementCost } from '../../../src/core/plan/costs.js';
import { MITIGATIONS } from '../../../src/core/plan/worklist.js';

const DEFAULT_TEXT = readFileSync(DEFAULT_COST_MODEL_FILE, 'utf8');

function refusal(text: string): CamauditError {
  try {
    parseCostModel(text, 'org/costs.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(CamauditError);
    return err as CamauditError;
  }
  throw new Error('the cost model was accepted');
}

describe('default cost model', () => {
  it('loads policies/costs.yaml with prices for every device kind', () => {
    expect(DEFAULT_COST_MODEL_FILE.replaceAll('\\', '/')).toMatch(/\/policies\/costs\.yaml$/);
    expect(DEFAULT_COST_MODEL.currency).toBe('EUR');
    expect(Object.keys(DEFAULT_COST_MODEL.kinds).sort()).toEqual([...DEVICE_KINDS].sort());
    for (const kind of DEVICE_KINDS) {
      const k = DEFAULT_COST_MODEL.kinds[kind];
      expect(k.hardware).toBeGreaterThan(0);
      expect(k.installation).toBeGreaterThan(0);
      expect(k.disposal).toBeGreaterThan(0);
    }
    expect(DEFAULT_COST_MODEL.lifetimeYears).toBeGreaterThanOrEqual(5);
    expect(Object.isFrozen(DEFAULT_COST_MODEL.kinds.camera)).toBe(true);
  });

  it('prices every quick mitigation the plan can take, including closing a port and activating a device', () => {
    for (const action of MITIGATIONS) expect(DEFAULT_COST_MODEL.actions[action]).toBeGreaterThan(0);
    expect(DEFAULT_TEXT).toMatch(/close_port: \d+/);
    expect(DEFAULT_TEXT).toMatch(/activate_device: \d+/);
  });

  it('prices a recorder disposal above a camera disposal: recorders hold disks to wipe or shred', () => {
    expect(DEFAULT_COST_MODEL.kinds.recorder.disposal).toBeGreaterThan(DEFAULT_COST_MODEL.kinds.camera.disposal);
  });

  it('says in the file that the figures are assumptions to replace with contract prices', () => {
    expect(DEFAULT_TEXT).toMatch(/PLANNING ASSUMPTIONS, NOT QUOTES/);
    expect(DEFAULT_TEXT).toMatch(/contract prices/);
  });

  it('adds up a replacement: hardware, installation, decommissioning and disposal', () => {
    const c = DEFAULT_COST_MODEL;
    expect(replacementCost(c, 'recorder')).toBe(c.kinds.recorder.hardware + c.kinds.recorder.installation + c.actions.decommission + c.kinds.recorder.disposal);
  });
});

describe('parseCostModel', () => {
  it('reads a complete model', () => {
    const model = parseCostModel(DEFAULT_TEXT.replace('hardware: 650', 'hardware: 720'), 'org/costs.yaml');
    expect(model.kinds.camera.hardware).toBe(720);
    expect(model.actions).toEqual(DEFAULT_COST_MODEL.actions);
  });

  it('refuses a misspelt key, naming the file, the misspelling and where it is', () => {
    const err = refusal(DEFAULT_TEXT.replace('hardware: 650', 'hardwre: 650'));
    expect(err.code).toBe('invalid_input');
    expect(err.message).toContain('org/costs.yaml');
    expect(err.message).toMatch(/"kinds\.camera"/);
    expect(err.message).toMatch(/hardwre/);
  });

  it('refuses an unknown key next to complete prices', () => {
    expect(refusal(DEFAULT_TEXT.replace('  decommission: 70', '  decommission: 70\n  repaint: 40')).message).toMatch(/^org\/costs\.yaml: "actions": .*repaint/);
    expect(refusal(`${DEFAULT_TEXT}\nvat: 21\n`).message).toMatch(/^org\/costs\.yaml: the cost model: .*vat/);
  });

  it('refuses a negative cost, naming the field', () => {
    const err = refusal(DEFAULT_TEXT.replace('disposal: 180', 'disposal: -180'));
    expect(err.message).toMatch(/^org\/costs\.yaml: "kinds\.recorder\.disposal": /);
    expect(err.location).toEqual({ file: 'org/costs.yaml', column: 'kinds.recorder.disposal' });
  });

  it('refuses a price above the maximum, naming the field', () => {
    expect(MAX_EUROS).toBe(1_000_000);
    expect(parseCostModel(DEFAULT_TEXT.replace('hardware: 2800', 'hardware: 1000000'), 'org/costs.yaml').kinds.recorder.hardware).toBe(1_000_000);
    expect(refusal(DEFAULT_TEXT.replace('hardware: 2800', 'hardware: 1000001')).message).toMatch(/^org\/costs\.yaml: "kinds\.recorder\.hardware": /);
    expect(refusal(DEFAULT_TEXT.replace('close_port: 60', 'close_port: 1e15')).message).toMatch(/"actions\.close_port"/);
  });

  it('refuses cents: prices are whole euros', () => {
    expect(refusal(DEFAULT_TEXT.replace('update_firmware: 90', 'update_firmware: 89.5')).message).toMatch(/"actions\.update_firmware"/);
  });

  it('refuses a model without a device kind', () => {
    const text = DEFAULT_TEXT.replace(/ {2}intercom:\n(?: {4}.*\n)+/, '');
    expect(text).not.toContain('intercom:');
    expect(refusal(text).message).toMatch(/"kinds\.intercom"/);
  });

  it('refuses another currency and a zero lifetime', () => {
    expect(refusal(DEFAULT_TEXT.replace('currency: EUR', 'currency: USD')).message).toMatch(/"currency"/);
    expect(refusal(DEFAULT_TEXT.replace('lifetimeYears: 8', 'lifetimeYears: 0')).message).toMatch(/"lifetimeYears"/);
  });

  it('refuses text that is not YAML or not a mapping', () => {
    expect(refusal('kinds: [camera').message).toMatch(/^org\/costs\.yaml: not valid YAML/);
    expect(refusal('just text').message).toMatch(/^org\/costs\.yaml: the cost model: /);
  });
});
