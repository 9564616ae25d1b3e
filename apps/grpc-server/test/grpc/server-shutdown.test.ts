import { status } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './support/grpc-harness.js';
import { checkHealth } from './support/infrastructure-clients.js';

const slowJwks = (h: Harness, delayMs: number): void => {
  const original = h.core.service.getJwks.bind(h.core.service);
  h.core.service.getJwks = async () => {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    return original();
  };
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
    slowJwks(h, 300);
    const inFlight = h.client.call('getJwks', {});
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stopped = h.server.shutdown(5_000);
    await expect(inFlight).resolves.toMatchObject({ jwksJson: expect.stringContaining('keys') });
    await stopped;
    await expect(h.client.call('getJwks', {}, { deadline: new Date(Date.now() + 1_000) })).rejects.toMatchObject({
      code: expect.toBeOneOf([status.UNAVAILABLE, status.DEADLINE_EXCEEDED]),
    });
  });

  it('reports NOT_SERVING as soon as shutdown starts', async () => {
    h = await startHarness();
    slowJwks(h, 400);
    const inFlight = h.client.call('getJwks', {});
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stopped = h.server.shutdown(5_000);
    // The draining server still answers on existing connections... or refuses new ones: either way not SERVING.
    const health = await checkHealth(h.address, '').catch(() => 'UNREACHABLE');
    expect(health).not.toBe('SERVING');
    await inFlight;
    await stopped;
  });

  it('force-closes calls still running at the deadline', async () => {
    h = await startHarness();
    slowJwks(h, 10_000);
    const inFlight = h.client.failure('getJwks', {});
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await h.server.shutdown(200);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((await inFlight).code).toBeOneOf([status.CANCELLED, status.UNAVAILABLE, status.INTERNAL]);
  });
});
