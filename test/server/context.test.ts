import { afterAll, describe, expect, it } from 'vitest';
import { organisationCache } from '../../src/server/context.js';
import { createOrganisation, deleteOrganisation } from '../../src/store/organisations.js';
import { ENGINES, freshStore } from '../helpers/engines.js';

const engine = ENGINES[0]!;
afterAll(() => engine.cleanup());

describe('the organisation cache', () => {
  it('answers from memory for its lifetime, then from the database again', async () => {
    const store = await freshStore(engine);
    const org = await createOrganisation(store, { slug: 'alpha', name: 'Gemeente Alpha' }, '2026-11-29T09:00:00.000Z');
    let t = 0;
    const lookup = organisationCache(store, 10_000, () => t);
    expect((await lookup('alpha'))?.id).toBe(org.id);
    expect(await lookup('gamma')).toBeNull();
    await deleteOrganisation(store, 'alpha', { actor: 'test', source: 'test' }, '2026-11-29T09:00:01.000Z');
    t = 9_999;
    expect((await lookup('alpha'))?.id).toBe(org.id);
    t = 10_000;
    expect(await lookup('alpha')).toBeNull();
    await store.close();
  });
});
