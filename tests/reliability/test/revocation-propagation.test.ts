import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeName, reasonOf, type TestClient } from '@authsvc/test-support/grpc';
import { aUser, clientFor } from './support/clients.support.js';
import { expectNoSecrets } from './support/log-secrecy.support.js';
import { LOG_DIR } from './support/server-logs.support.js';
import { sharedServices, Stack } from './support/stack.support.js';

const services = await sharedServices();
const TRIALS = 1_000;
const P99_LIMIT_MS = 50;

// The guarantee of docs/decisions/0013 between two server processes, each answering revocation checks from its own
// Redis-invalidated cache: after a logout on one returns, the other refuses its token within 50 ms at p99, and never
// accepts it again.
describe.skipIf(!services)('revocation between two server processes with the revocation cache', () => {
  let stack: Stack;
  let a: TestClient;
  let b: TestClient;
  const figures: Record<string, unknown> = {};

  beforeAll(async () => {
    stack = new Stack(services!);
    await stack.prepare();
    const first = await stack.startServer('revocation-a');
    const second = await stack.startServer('revocation-b');
    a = clientFor(first.address);
    b = clientFor(second.address);
  });

  afterAll(async () => {
    mkdirSync(LOG_DIR, { recursive: true });
    writeFileSync(join(LOG_DIR, 'figures-revocation.json'), JSON.stringify(figures, null, 2));
    console.info(`revocation between processes: ${JSON.stringify(figures)}`);
    a?.close();
    b?.close();
    await stack?.destroy();
  });

  it('both processes run with the revocation cache (the start-up line says so)', () => {
    expect(stack.output().match(/revocation cache on/g)?.length).toBe(2);
  });

  it(`a logout on one is refused by the other within ${P99_LIMIT_MS} ms of its reply at p99 over ${TRIALS} trials, and never accepted after`, async () => {
    const input = aUser();
    stack.secrets.push(input.password);
    await a.call('registerUser', input);
    // Until the first refusal arrives back from the other process: from the Logout's reply (the revocation is done
    // and its caller told; 0 when the other process refused earlier), which the limit applies to, and from the start
    // of the Logout call (reported only: it adds the Logout's own work, a PostgreSQL write among it, on a loaded machine).
    const latencies: number[] = [];
    const afterReply: number[] = [];
    // The accepted checks answered after the Logout's reply: how late each was sent and answered (staleness seen).
    const staleSent: number[] = [];
    const staleAnswered: number[] = [];
    for (let trial = 0; trial < TRIALS; trial += 1) {
      const tokens = (await a.call('login', { login: input.username, password: input.password })).tokens!;
      if (trial < 3) stack.secrets.push(tokens.accessToken, tokens.refreshToken);
      // Checked twice on the other process: the second answer can come from its cache.
      for (let i = 0; i < 2; i += 1) expect(await b.outcome('validateToken', { accessToken: tokens.accessToken })).toBe('OK');
      const start = performance.now();
      let repliedAt = Number.POSITIVE_INFINITY;
      const logout = a.call('logout', { refreshToken: tokens.refreshToken }).then(() => (repliedAt = performance.now()));
      for (;;) {
        const sentAt = performance.now();
        const outcome = await b.outcome('validateToken', { accessToken: tokens.accessToken });
        if (outcome === 'OK' && performance.now() > repliedAt) {
          staleSent.push(Math.max(0, sentAt - repliedAt));
          staleAnswered.push(performance.now() - repliedAt);
        }
        if (outcome !== 'OK') {
          expect(outcome).toBe('UNAUTHENTICATED');
          break;
        }
        if (performance.now() - start > 5_000) throw new Error(`trial ${trial}: still accepted 5 s after the logout began`);
      }
      const refusedAt = performance.now();
      latencies.push(refusedAt - start);
      await logout;
      afterReply.push(Math.max(0, refusedAt - repliedAt));
      for (let i = 0; i < 3; i += 1) {
        const refused = await b.failure('validateToken', { accessToken: tokens.accessToken });
        expect([codeName(refused), reasonOf(refused)]).toEqual(['UNAUTHENTICATED', 'SESSION_REVOKED']);
      }
    }
    const quantile = (values: number[], q: number) => Number([...values].sort((x, y) => x - y)[Math.ceil(TRIALS * q) - 1]!.toFixed(2));
    const summary = (values: number[]) => ({ p50Ms: quantile(values, 0.5), p99Ms: quantile(values, 0.99), maxMs: quantile(values, 1) });
    const max = (values: number[]) => Number(Math.max(0, ...values).toFixed(2));
    Object.assign(figures, {
      trials: TRIALS,
      fromLogoutStart: summary(latencies),
      fromLogoutReply: summary(afterReply),
      acceptedAfterReply: { checks: staleSent.length, latestSentMs: max(staleSent), latestAnsweredMs: max(staleAnswered) },
    });
    expect(quantile(afterReply, 0.99)).toBeLessThan(P99_LIMIT_MS);
  }, 600_000);

  it('never writes a password, token or key to the logs', () => {
    expectNoSecrets(stack.output(), stack.secrets);
  });
});
