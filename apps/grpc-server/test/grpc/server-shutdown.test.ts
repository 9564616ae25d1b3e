import { status } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './support/grpc-harness.support.js';
import { checkHealth } from './support/infrastructure-clients.support.js';

/** Makes GetJwks take `delayMs`; resolves once a call is running inside the handler (so it is truly in flight). */
const slowJwks = (h: Harness, delayMs: number): Promise<void> => {
  const original = h.core.service.getJwks.bind(h.core.service);
  let entered: () => void = () => {};
  const started = new Promise<void>((resolve) => {
    entered = resolve;
  });
  h.core.service.getJwks = async () => {
    entered();
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    return original();
  };
  return started;
};

describe('shutdown', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.core.close();
    h?.client.close();
    h = undefined;
  });

  it('lets an in-flight call finish, then stops accepting new ones', async () => {
    h = await startHarness();
    const started = slowJwks(h, 300);
    const inFlight = h.client.call('getJwks', {});
    await started;
    const stopped = h.server.shutdown(5_000);
    await expect(inFlight).resolves.toMatchObject({ jwksJson: expect.stringContaining('keys') });
    await stopped;
    await expect(h.client.call('getJwks', {}, { deadline: new Date(Date.now() + 1_000) })).rejects.toMatchObject({
      code: expect.toBeOneOf([status.UNAVAILABLE, status.DEADLINE_EXCEEDED]),
    });
  });

  it('reports NOT_SERVING as soon as shutdown starts', async () => {
    h = await startHarness();
    const started = slowJwks(h, 400);
    const inFlight = h.client.call('getJwks', {});
    await started;
    const stopped = h.server.shutdown(5_000);
    // The draining server still answers on existing connections... or refuses new ones: either way not SERVING.
    const health = await checkHealth(h.address, '').catch(() => 'UNREACHABLE');
    expect(health).not.toBe('SERVING');
    await inFlight;
    await stopped;
  });

  it('force-closes calls still running at the deadline', async () => {
    h = await startHarness();
    const started = slowJwks(h, 10_000);
    const inFlight = h.client.failure('getJwks', {});
    await started;
    const stopAt = Date.now();
    await h.server.shutdown(200);
    expect(Date.now() - stopAt).toBeLessThan(2_000);
    expect((await inFlight).code).toBeOneOf([status.CANCELLED, status.UNAVAILABLE, status.INTERNAL]);
  });
});
