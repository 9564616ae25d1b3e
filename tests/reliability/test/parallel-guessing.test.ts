import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@authsvc/test-support';
import { codeName, decodeStatusDetails, reasonOf, type TestClient } from '@authsvc/test-support/grpc';
import type { ServiceError } from '@grpc/grpc-js';
import { aUser, clientFor } from './support/clients.support.js';
import { expectNoSecrets } from './support/log-secrecy.support.js';
import { sharedServices, Stack } from './support/stack.support.js';

const services = await sharedServices();
/** The documented default of throttle.maxFailures: password checks per login name and client address in 15 minutes. */
const LIMIT = 10;
const GUESSES = 200;

/**
 * Password verifications the server processes' hash workers really ran, from their /metrics: counted by the worker
 * pool as each verification finishes, so a server that answered RESOURCE_EXHAUSTED early cannot make it lower.
 */
async function verifications(metricsUrls: string[]): Promise<number> {
  let total = 0;
  for (const url of metricsUrls) {
    const text = await (await fetch(url)).text();
    const match = /^authsvc_password_hash_operations_total\{op="verify"\} (\d+)$/m.exec(text);
    if (!match) throw new Error(`no verification counter at ${url}`);
    total += Number(match[1]);
  }
  return total;
}

describe.skipIf(!services)('password guessing in parallel, against two server processes on one Redis', () => {
  let stack: Stack;
  let clients: TestClient[];
  let metrics: string[];
  const figures: Record<string, unknown> = {};

  beforeAll(async () => {
    // The documented limits (throttle.* unset), and 127.0.0.1 trusted as a proxy, so a test can name other client
    // addresses with X-Forwarded-For; a call without the header counts as 127.0.0.1 itself. A Redis command timeout of
    // 5 s instead of 1: 200 calls at once on a loaded 2-core machine can keep Redis's answers past a second, and an
    // attempt counted whose answer came too late is refused as UNAVAILABLE without a verification, which would make
    // the two runs compared below differ for a reason that has nothing to do with the accounts.
    stack = new Stack(services!, { AUTH_GRPC_TRUSTED_PROXIES: '127.0.0.1/32', AUTH_REDIS_COMMAND_TIMEOUT: '5s' });
    await stack.prepare();
    const ports = [await freePort(), await freePort()];
    const servers = await Promise.all(ports.map((port, i) => stack.startServer(`guessing-${i}`, { AUTH_HTTP_PORT: String(port) })));
    clients = servers.map((server) => clientFor(server.address));
    metrics = ports.map((port) => `http://127.0.0.1:${port}/metrics`);
  });

  afterAll(async () => {
    console.info(`parallel guessing: ${JSON.stringify(figures)}`);
    for (const client of clients ?? []) client.close();
    await stack?.destroy();
  });

  /** Sends `GUESSES` wrong passwords for `login` at once, half to each server; returns the replies and the verifications they cost. */
  async function guessInParallel(login: (i: number) => string): Promise<{ replies: Record<string, number>; verified: number; throttled: ServiceError[] }> {
    const before = await verifications(metrics);
    const throttled: ServiceError[] = [];
    const replies: Record<string, number> = {};
    await Promise.all(
      Array.from({ length: GUESSES }, async (_, i) => {
        let reply: string;
        try {
          await clients[i % 2]!.call('login', { login: login(i), password: `wrong-guess-${i}` });
          reply = 'OK';
        } catch (error) {
          reply = `${codeName(error)} ${reasonOf(error as ServiceError)}`;
          if (codeName(error) === 'RESOURCE_EXHAUSTED') throttled.push(error as ServiceError);
        }
        replies[reply] = (replies[reply] ?? 0) + 1;
      }),
    );
    return { replies, verified: (await verifications(metrics)) - before, throttled };
  }

  it(`${GUESSES} concurrent wrong guesses at one account verify at most ${LIMIT} passwords, across both instances`, async () => {
    const victim = aUser();
    stack.secrets.push(victim.password);
    await clients[0]!.call('registerUser', victim);
    const { replies, verified, throttled } = await guessInParallel(() => victim.username);
    figures['knownAccount'] = { replies, verified };
    expect(verified).toBeLessThanOrEqual(LIMIT);
    // Every verification answered a guess, and every other guess was refused before any hash.
    expect(replies).toEqual({ 'UNAUTHENTICATED INVALID_CREDENTIALS': verified, 'RESOURCE_EXHAUSTED LOGIN_THROTTLED': GUESSES - verified });
    expect(verified).toBeGreaterThan(0);
    expect(decodeStatusDetails(throttled[0]!.metadata)?.details.map((d) => d.kind)).toContain('RetryInfo');
    // The owner, at another address (behind the trusted proxy), is not locked out by the attacker at 127.0.0.1.
    const owner = await clients[1]!.call('login', { login: victim.username, password: victim.password }, { metadata: { 'x-forwarded-for': '198.51.100.23' } });
    stack.secrets.push(owner.tokens!.accessToken, owner.tokens!.refreshToken);
    expect(owner.username).toBe(victim.username);
    expect(await clients[0]!.outcome('login', { login: victim.username, password: victim.password })).toBe('RESOURCE_EXHAUSTED');
  });

  it('an unknown login name, spelled five ways at once, gets the same replies and the same number of verifications', async () => {
    const known = aUser();
    stack.secrets.push(known.password);
    await clients[0]!.call('registerUser', known);
    const spellings = (name: string) => [name, ` ${name} `, name.toUpperCase(), `\u00a0${name}`, `${name.toUpperCase()}  `];
    const unknownName = `${known.username}x`;
    const forKnown = await guessInParallel((i) => spellings(known.username)[i % 5]!);
    const forUnknown = await guessInParallel((i) => spellings(unknownName)[i % 5]!);
    figures['spellings'] = { known: { replies: forKnown.replies, verified: forKnown.verified }, unknown: { replies: forUnknown.replies, verified: forUnknown.verified } };
    expect(forKnown.verified).toBeLessThanOrEqual(LIMIT);
    expect(forUnknown.verified).toBe(forKnown.verified);
    expect(forUnknown.replies).toEqual(forKnown.replies);
  });

  it('never writes a password, token or key to the logs', () => {
    expect(expectNoSecrets(stack.output(), stack.secrets)).toBeGreaterThan(1);
  });
});
