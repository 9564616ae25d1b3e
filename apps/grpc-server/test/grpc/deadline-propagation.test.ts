import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aUser, startHarness, type Harness } from './support/grpc-harness.support.js';

/**
 * The real server over core's in-memory service with ONE hash thread at cost 12 (a few hundred ms per hash here),
 * so a second registration certainly waits in the hash queue behind the first.
 */
describe('a deadline reaches core: work for a caller that gave up is not done', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ hashCost: 12 });
  });
  afterAll(() => h.close());

  it('a registration whose deadline passes while its hash is queued is dropped: the client gets DEADLINE_EXCEEDED and no account exists', async () => {
    const blocker = aUser();
    const late = aUser();
    const started = Date.now();
    const first = h.client.call('registerUser', blocker);
    // Sent once the blocker's hash has surely started (it arrives first), with a deadline shorter than that hash.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const failure = await h.client.failure('registerUser', late, { deadline: new Date(Date.now() + 80) });
    expect(failure.code).toBe(status.DEADLINE_EXCEEDED);
    await first;
    const blockerMs = Date.now() - started;

    // Without propagation the queued hash would run after the blocker's and the account would be committed
    // for a client that was told DEADLINE_EXCEEDED: its names would now be taken.
    await expect(h.client.call('registerUser', late)).resolves.toMatchObject({ user: { username: late.username } });

    const line = h.logger.rpcLines('RegisterUser').find((l) => l.fields['code'] !== 'OK');
    expect(line?.fields).toMatchObject({ code: 'DEADLINE_EXCEEDED', accountId: null });
    // The server gave up at the deadline, not after running a hash behind the blocker.
    expect(Number(line?.fields['durationMs'])).toBeLessThan(blockerMs);
  });
});
