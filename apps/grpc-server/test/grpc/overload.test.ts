import { status, type ServiceError } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aUser, expectStatus, startHarness, type Harness } from './support/grpc-harness.support.js';

/** One hash thread at cost 12 (a few hundred ms per hash here) and room for one waiting hash. */
describe('overload: a full password-hash queue refuses at once', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ hashCost: 12, hashQueueLimit: 1 });
  });
  afterAll(() => h.close());

  it('a registration beyond the queue gets RESOURCE_EXHAUSTED (OVERLOADED) with RetryInfo, fast, and stores nothing', async () => {
    const [first, second, third] = [aUser(), aUser(), aUser()];
    const firstStarted = Date.now();
    let firstMs = 0;
    const running = h.client.call('registerUser', first).then((response) => ((firstMs = Date.now() - firstStarted), response));
    await new Promise((resolve) => setTimeout(resolve, 20)); // the first hash has started
    const waiting = h.client.call('registerUser', second);
    await new Promise((resolve) => setTimeout(resolve, 20)); // the second waits in the queue
    const started = Date.now();
    const refused = (await h.client.call('registerUser', third).then(
      () => expect.fail('a third registration must be refused'),
      (error: unknown) => error,
    )) as ServiceError;
    const refusedAfterMs = Date.now() - started;

    const details = expectStatus(refused, status.RESOURCE_EXHAUSTED, 'OVERLOADED');
    expect(details.details.find((d) => d.kind === 'RetryInfo')).toBeDefined();
    await expect(Promise.all([running, waiting])).resolves.toHaveLength(2);
    // Refused without waiting for a hash: sooner than the registration that holds the only thread.
    expect(refusedAfterMs).toBeLessThan(firstMs);
    // Nothing was written for it: its names are free once the queue has room.
    await expect(h.client.call('registerUser', third)).resolves.toMatchObject({ user: { username: third.username } });
  });
});
