import { afterAll, describe, expect, it } from 'vitest';
import { createUser, recordLoginFailure } from '../../src/store/users.js';
import { ENGINES, freshStore } from '../helpers/engines.js';

describe.each(ENGINES)('accounts on $name', (engine) => {
  afterAll(() => engine.cleanup());

  it('counts failed sign-ins arriving at once each once, and locks at the limit', async () => {
    const store = await freshStore(engine);
    const now = '2026-11-29T09:00:00.000Z';
    const user = await createUser(store, { actor: 'test', source: 'test' }, { email: 'target@alpha.example', displayName: 't' }, now);
    const results = await Promise.all(Array.from({ length: 8 }, () => recordLoginFailure(store, user.id, { maxAttempts: 100, lockoutMinutes: 15 }, now)));
    expect(results.every((r) => !r.locked)).toBe(true);
    const row = await store.db.selectFrom('users').select('failed_logins').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(Number(row.failed_logins)).toBe(8);
    const locks = await Promise.all(Array.from({ length: 4 }, () => recordLoginFailure(store, user.id, { maxAttempts: 10, lockoutMinutes: 15 }, now)));
    expect(locks.filter((r) => r.locked).length).toBeGreaterThanOrEqual(1);
    const after = await store.db.selectFrom('users').select('locked_until').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(after.locked_until).toBe('2026-11-29T09:15:00.000Z');
    await store.close();
  });
});
