import { describe, expect, it } from 'vitest';
import { FIELD_GROUPS as SERVER_GROUPS, PUBLICATION_LEVELS as SERVER_LEVELS } from '../../src/core/model.js';
import { changedLevels, FIELD_GROUPS, PUBLICATION_LEVELS, type PublicationPolicy } from '../../web/src/pages/admin/publication-logic.js';

const POLICY: PublicationPolicy = {
  identity: 'public', location_area: 'public', location_exact: 'organisation', network: 'secret', serial: 'organisation', governance: 'public',
};

describe('publication levels in the administration page', () => {
  it('names the same groups and levels as the server, in the same order', () => {
    expect([...FIELD_GROUPS]).toEqual([...SERVER_GROUPS]);
    expect([...PUBLICATION_LEVELS]).toEqual([...SERVER_LEVELS]);
  });

  it('sends only the groups whose level changed', () => {
    expect(changedLevels(POLICY, { ...POLICY })).toEqual({});
    expect(changedLevels(POLICY, { ...POLICY, location_exact: 'secret', governance: 'organisation' })).toEqual({ location_exact: 'secret', governance: 'organisation' });
    expect(changedLevels({ ...POLICY, network: 'public' }, POLICY)).toEqual({ network: 'secret' });
  });
});
