import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeName, reasonOf, type TestClient } from '@authsvc/test-support/grpc';
import { aUser, clientFor, RoundRobin } from './support/clients.support.js';
import { RegistrationStream, sleep } from './support/load.support.js';
import { expectNoSecrets } from './support/log-secrecy.support.js';
import { LOG_DIR } from './support/server-logs.support.js';
import { sharedServices, Stack } from './support/stack.support.js';

const services = await sharedServices();

describe.skipIf(!services)('three server processes on one PostgreSQL, Redis and Kafka', () => {
  let stack: Stack;
  let rr: RoundRobin;
  let writer: TestClient;
  const figures: Record<string, unknown> = {};

  beforeAll(async () => {
    stack = new Stack(services!, { AUTH_THROTTLE_MAX_FAILURES: '1000' });
    await stack.prepare();
    // The first runs the migrations alone; the others start together on the migrated database.
    const first = await stack.startServer('instance-a');
    // A fourth process without a relay writes part of the backlog the three relays must share.
    const [b, c, w] = await Promise.all([stack.startServer('instance-b'), stack.startServer('instance-c'), stack.startServer('writer', { AUTH_OUTBOX_RELAY_ENABLED: 'false' })]);
    rr = new RoundRobin([first, b, c].map((s) => clientFor(s.address)));
    writer = clientFor(w.address);
  });

  afterAll(async () => {
    mkdirSync(LOG_DIR, { recursive: true });
    writeFileSync(join(LOG_DIR, 'figures-instances.json'), JSON.stringify(figures, null, 2));
    console.info(`several instances: ${JSON.stringify(figures)}`);
    rr?.close();
    writer?.close();
    await stack?.destroy();
  });

  async function signUp(): Promise<{ id: string; username: string; password: string; accessToken: string; refreshToken: string }> {
    const input = aUser();
    stack.secrets.push(input.password);
    const { user } = await rr.pick().call('registerUser', input);
    const tokens = (await rr.pick().call('login', { login: input.username, password: input.password })).tokens!;
    stack.secrets.push(tokens.accessToken, tokens.refreshToken);
    return { id: user!.id, username: input.username, password: input.password, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
  }

  it('a logout on one instance is honoured by the others at once', async () => {
    for (let round = 0; round < 5; round += 1) {
      const me = await signUp();
      const [a, b, c] = rr.clients as [TestClient, TestClient, TestClient];
      expect(await c.outcome('getUser', { id: me.id }, { token: me.accessToken })).toBe('OK');
      await a.call('logout', { refreshToken: me.refreshToken });
      const afterB = await b.failure('getUser', { id: me.id }, { token: me.accessToken });
      const afterC = await c.failure('validateToken', { accessToken: me.accessToken });
      expect([codeName(afterB), reasonOf(afterB), codeName(afterC), reasonOf(afterC)]).toEqual(['UNAUTHENTICATED', 'SESSION_REVOKED', 'UNAUTHENTICATED', 'SESSION_REVOKED']);
      expect(await b.outcome('refreshToken', { refreshToken: me.refreshToken })).toBe('UNAUTHENTICATED');
    }
  });

  it('refresh-token reuse is detected across instances and revokes the session everywhere', async () => {
    const me = await signUp();
    const [a, b, c] = rr.clients as [TestClient, TestClient, TestClient];
    const second = (await a.call('refreshToken', { refreshToken: me.refreshToken })).tokens!;
    const third = (await b.call('refreshToken', { refreshToken: second.refreshToken })).tokens!;
    stack.secrets.push(second.accessToken, second.refreshToken, third.accessToken, third.refreshToken);
    const reuse = await c.failure('refreshToken', { refreshToken: me.refreshToken });
    expect([codeName(reuse), reasonOf(reuse)]).toEqual(['UNAUTHENTICATED', 'REFRESH_TOKEN_REUSED']);
    for (const client of [a, b, c]) expect(await client.outcome('validateToken', { accessToken: third.accessToken })).toBe('UNAUTHENTICATED');
    expect(await a.outcome('refreshToken', { refreshToken: third.refreshToken })).toBe('UNAUTHENTICATED');
  });

  it('the relays share the backlog and publish each outbox event once', async () => {
    let turn = 0;
    const stream = new RegistrationStream(() => (turn++ % 4 === 3 ? writer : rr.pick()), 4);
    await sleep(6_000);
    await stream.stop();
    stack.secrets.push(...stream.passwords);
    expect(stream.outcomes).toEqual({ OK: stream.total });
    const accounts = await stack.query<{ id: string }>(`select id::text as id from accounts where kind = 'user'`);
    const messages = await stack.readTopic(stack.topics.USER_CREATED, accounts.length, 60_000);
    const byEvent = new Map<string, number>();
    for (const m of messages) byEvent.set(m.eventId, (byEvent.get(m.eventId) ?? 0) + 1);
    const byProducer: Record<string, number> = {};
    for (const m of messages) byProducer[m.producerId] = (byProducer[m.producerId] ?? 0) + 1;
    const keys = new Set(messages.map((m) => m.key));
    Object.assign(figures, {
      requests: stream.total,
      accounts: accounts.length,
      messages: messages.length,
      lost: accounts.filter((a) => !keys.has(a.id)).length,
      duplicates: [...byEvent.values()].reduce((sum, n) => sum + n - 1, 0),
      eventsPerRelay: Object.values(byProducer).sort((x, y) => y - x),
    });
    expect(figures['lost']).toBe(0);
    expect(figures['duplicates']).toBe(0);
    expect([...byEvent.keys()].every((id) => id !== '')).toBe(true);
    // Three relays, three producers: at least two of them took a real share of the work.
    expect(Object.values(byProducer).filter((n) => n >= messages.length * 0.05).length).toBeGreaterThanOrEqual(2);
  }, 120_000);

  it('never writes a password, token or key to the logs', () => {
    expectNoSecrets(stack.output(), stack.secrets);
  });
});
