import { afterAll, describe, expect, it } from 'vitest';
import { eventually, temporaryDir } from '@authsvc/test-support';
import { TestClient } from '@authsvc/test-support/grpc';
import { startServerProcess, type ServerProcess } from '@authsvc/test-support/server';
import { aUser } from '../grpc/support/grpc-harness.support.js';
import { baseEnvironment } from '../e2e/support/server-environment.support.js';

/** Distinct ids of the user.created events the log publisher wrote. */
function publishedIds(server: ServerProcess): Set<string> {
  const ids = server
    .logLines()
    .map((line) => /^event user\.created id=(\S+)/.exec(String(line['msg'] ?? ''))?.[1])
    .filter((id): id is string => id !== undefined);
  return new Set(ids);
}

describe('graceful shutdown of the server process', () => {
  const dataDir = temporaryDir('authsvc-e2e-');
  const env = {
    ...baseEnvironment(dataDir.path),
    // Real hashing cost on one thread: the calls queue behind each other, so many are in flight at SIGTERM.
    AUTH_PASSWORD_BCRYPT_COST: '10',
    AUTH_PASSWORD_HASH_THREADS: '1',
    AUTH_GRPC_SHUTDOWN_TIMEOUT: '30s',
  };
  afterAll(() => dataDir.remove());

  it('on SIGTERM during a stream of calls, finishes every call in flight, exits 0, and loses no outbox event', async () => {
    const first = await startServerProcess({ env });
    const client = new TestClient(first.address);
    const users = Array.from({ length: 16 }, () => aUser());
    const calls = users.map((user) => client.call('registerUser', user).then(() => 'OK', (error: { code?: number }) => `failed ${error.code}`));
    // SIGTERM as soon as the first call is done: the others are queued behind the hash pool, in flight.
    await Promise.race(calls);
    const exitCode = await first.stop('SIGTERM');
    client.close();

    expect(await Promise.all(calls)).toEqual(users.map(() => 'OK'));
    expect(exitCode).toBe(0);
    const messages = first.logLines().map((l) => String(l['msg']));
    // The signal really arrived mid-stream: calls completed after the server began shutting down.
    const completedAfterSignal = messages.slice(messages.indexOf('shutting down')).filter((m) => m === 'rpc');
    expect(completedAfterSignal.length).toBeGreaterThan(0);
    expect(messages.at(-1)).toBe('stopped');
    for (const user of users) expect(first.output()).not.toContain(user.password);

    // Every committed registration reaches the broker: published before the stop, or by the next start's relay.
    const second = await startServerProcess({ env });
    try {
      await eventually(() => new Set([...publishedIds(first), ...publishedIds(second)]).size >= users.length, 20_000, 100);
      expect(new Set([...publishedIds(first), ...publishedIds(second)]).size).toBe(users.length);
    } finally {
      expect(await second.stop('SIGINT')).toBe(0);
    }
  }, 240_000);
});
