import { describe, expect, it } from 'vitest';
import { historyValue } from '../../../src/core/register/merge.js';

describe('historyValue', () => {
  const identity = { manufacturer: 'dahua', statedManufacturer: 'Lorex', confidence: 0.35, kbVersion: 'v1', evidence: [{ rule: 'x' }], conflicts: [], checks: [] };

  it('lists what a creation gave, and only the verdict of an identification', () => {
    expect(historyValue({ brand: 'Lorex', model: null, analytics: [], custom: {}, identity }, 'create')).toEqual({
      brand: 'Lorex', identity: { manufacturer: 'dahua', confidence: 0.35, kbVersion: 'v1' },
    });
  });

  it('keeps cleared fields in a change', () => {
    expect(historyValue({ legalBasis: null, identity: null }, 'update')).toEqual({ legalBasis: null, identity: null });
  });
});
