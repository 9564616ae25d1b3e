import { status } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthServiceError, backoffMs, createAuthClient, DEFAULT_RETRY_POLICY, READ_ONLY_RPCS, SAFE_TO_RETRY_RPCS, retryDelay, retriesMethod, type AuthClient } from '../src/index.js';
import { rpcFailure, startFakeAuthServer, type FakeAuthServer, type FakeHandlers } from './support/fake-auth-server.support.js';

const policy = { ...DEFAULT_RETRY_POLICY, initialBackoffMs: 100, maxBackoffMs: 1_000 };
const unavailable = (attempts: number, extra: { retryDelayMs?: number; msLeft?: number } = {}) => ({ code: status.UNAVAILABLE, retryDelayMs: extra.retryDelayMs, attempts, msLeft: extra.msLeft ?? Infinity });

describe('the retry policy', () => {
  it('retries by default the RPCs that have no effect when they answered UNAVAILABLE, every RPC when widened, a list when given', () => {
    expect(READ_ONLY_RPCS).toEqual(['getUser', 'getArtist', 'validateToken', 'getJwks', 'listSessions', 'listSecurityEvents', 'searchAccounts', 'listPasskeys']);
    expect(SAFE_TO_RETRY_RPCS).toEqual([...READ_ONLY_RPCS, 'login', 'logout', 'refreshToken', 'updateUser', 'updateArtist']);
    for (const rpc of SAFE_TO_RETRY_RPCS) expect(retriesMethod(policy, rpc)).toBe(true);
    for (const rpc of ['registerUser', 'registerArtist', 'changePassword', 'setRole', 'revokeSessions', 'revokeSession', 'disableAccount', 'enableAccount', 'exportAccountData', 'deleteAccount', 'restoreAccount', 'resetSecondFactors'] as const) expect(retriesMethod(policy, rpc), rpc).toBe(false);
    expect(retriesMethod({ ...policy, methods: 'read-only' }, 'login')).toBe(false);
    expect(retriesMethod({ ...policy, methods: 'all' }, 'refreshToken')).toBe(true);
    expect(retriesMethod({ ...policy, methods: ['logout'] }, 'logout')).toBe(true);
    expect(retriesMethod({ ...policy, methods: ['logout'] }, 'getUser')).toBe(false);
  });

  it('waits a random time below a ceiling that doubles up to the maximum (full jitter)', () => {
    const top = () => 0.999_999;
    expect([1, 2, 3, 4, 5, 10].map((retry) => backoffMs(policy, retry, top))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffMs(policy, 3, () => 0)).toBe(0);
    const draws = Array.from({ length: 200 }, () => backoffMs(policy, 2));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(200);
    expect(new Set(draws).size).toBeGreaterThan(20);
  });

  it('retries UNAVAILABLE only, as many times as allowed, and never past the deadline', () => {
    const half = () => 0.5;
    expect(retryDelay(policy, unavailable(1), half)).toBe(50);
    expect(retryDelay(policy, unavailable(3), half)).toBe(200);
    expect(retryDelay(policy, unavailable(4), half)).toBeNull();
    for (const code of [status.DEADLINE_EXCEEDED, status.RESOURCE_EXHAUSTED, status.INTERNAL, status.UNAUTHENTICATED, status.CANCELLED]) {
      expect(retryDelay(policy, { ...unavailable(1), code }), status[code]).toBeNull();
    }
    expect(retryDelay(policy, unavailable(1, { msLeft: 40 }), half)).toBeNull();
  });

  it("waits the server's RetryInfo delay instead of its own guess, unless it is longer than accepted", () => {
    expect(retryDelay(policy, unavailable(1, { retryDelayMs: 700 }))).toBe(700);
    expect(retryDelay(policy, unavailable(1, { retryDelayMs: 6_000 }))).toBeNull();
    expect(retryDelay(policy, unavailable(1, { retryDelayMs: 700, msLeft: 500 }))).toBeNull();
  });
});

describe('the client against a server answering UNAVAILABLE', () => {
  let server: FakeAuthServer | undefined;
  let client: AuthClient | undefined;
  afterEach(async () => {
    client?.close();
    await server?.close();
  });

  /** A server whose RPCs fail `failures` times with UNAVAILABLE (and RetryInfo when given), then succeed. */
  async function flaky(failures: number, retryDelayMs?: number): Promise<FakeAuthServer> {
    let left = failures;
    const fail = <T>(answer: T) => () => {
      if (left-- > 0) throw rpcFailure(status.UNAVAILABLE, 'a store is unavailable', { reason: 'DEPENDENCY_UNAVAILABLE', ...(retryDelayMs === undefined ? {} : { retryDelayMs }) });
      return answer;
    };
    const handlers: FakeHandlers = {
      getUser: fail({ user: undefined }),
      login: fail({ accountId: 'a', username: 'ada', role: 1, tokens: undefined, mfaTicket: '', secondFactors: [] }),
      refreshToken: fail({ tokens: undefined }),
      registerUser: fail({ user: undefined }),
    };
    return (server = await startFakeAuthServer(handlers));
  }

  it('retries a read until it succeeds', async () => {
    await flaky(2);
    client = createAuthClient({ address: server!.address, retry: { initialBackoffMs: 10 } });
    await expect(client.getUser({ id: 'x' })).resolves.toEqual({ user: undefined });
    expect(server!.calls('getUser')).toBe(3);
  });

  it('does not retry by default a write that may have taken effect, and says how many attempts it made', async () => {
    await flaky(1);
    client = createAuthClient({ address: server!.address, retry: { initialBackoffMs: 10 } });
    const failure = await client.registerUser({ username: 'ada', email: 'ada@example.com', password: 'pw', gender: 1, country: 'GB', age: 36 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AuthServiceError);
    expect(failure).toMatchObject({ code: status.UNAVAILABLE, reason: 'DEPENDENCY_UNAVAILABLE', attempts: 1 });
    expect(server!.calls('registerUser')).toBe(1);
  });

  it("retries every RPC once the caller widens the policy, and obeys a call's own retry flag", async () => {
    await flaky(2);
    client = createAuthClient({ address: server!.address, retry: { methods: 'all', initialBackoffMs: 10 } });
    await expect(client.refreshToken({ refreshToken: 'r' })).resolves.toBeDefined();
    expect(server!.calls('refreshToken')).toBe(3);
    await server!.close();
    await flaky(1);
    client.close();
    client = createAuthClient({ address: server!.address, retry: { initialBackoffMs: 10 } });
    await expect(client.getUser({ id: 'x' }, { retry: false })).rejects.toMatchObject({ code: status.UNAVAILABLE });
    await expect(client.login({ login: 'ada', password: 'pw' }, { retry: true })).resolves.toBeDefined();
    expect(server!.calls('login')).toBe(1);
  });

  it('waits the RetryInfo delay the server sends before retrying', async () => {
    await flaky(1, 300);
    client = createAuthClient({ address: server!.address, retry: { initialBackoffMs: 1 } });
    await client.getUser({ id: 'x' });
    const [first, second] = server!.received.getUser!;
    expect(second! - first!).toBeGreaterThanOrEqual(290);
  });

  it('keeps retrying within the deadline, and stops there', async () => {
    await flaky(100);
    client = createAuthClient({ address: server!.address, deadlines: { getUser: 400 }, retry: { initialBackoffMs: 100, maxAttempts: 100 } });
    const started = Date.now();
    const failure = (await client.getUser({ id: 'x' }).catch((error: unknown) => error)) as AuthServiceError;
    // Which of the two it is depends on whether the deadline fell in a wait (the client gives up) or in a call.
    expect(['UNAVAILABLE', 'DEADLINE_EXCEEDED']).toContain(failure.codeName);
    expect(failure.attempts).toBeGreaterThan(1);
    expect(Date.now() - started).toBeLessThan(1_400);
  });

  it('retries a read when no server listens, up to maxAttempts', async () => {
    await flaky(0);
    const address = server!.address;
    await server!.close();
    server = undefined;
    client = createAuthClient({ address, retry: { initialBackoffMs: 5, maxAttempts: 3 } });
    await expect(client.getJwks({})).rejects.toMatchObject({ code: status.UNAVAILABLE, attempts: 3 });
    await expect(client.setRole({ id: 'a', role: 1 })).rejects.toMatchObject({ code: status.UNAVAILABLE, attempts: 1 });
  });
});

describe('deadlines and cancellation', () => {
  let server: FakeAuthServer;
  let client: AuthClient | undefined;
  afterEach(async () => {
    client?.close();
    await server?.close();
  });

  it('gives every call its default deadline, which the caller may change per RPC or per call', async () => {
    server = await startFakeAuthServer({ getUser: () => new Promise(() => {}), getArtist: () => new Promise(() => {}) });
    client = createAuthClient({ address: server.address, deadlines: { getUser: 150 } });
    const started = Date.now();
    await expect(client.getUser({ id: 'x' })).rejects.toMatchObject({ code: status.DEADLINE_EXCEEDED });
    expect(Date.now() - started).toBeLessThan(1_000);
    await expect(client.getArtist({ id: 'x' }, { deadline: 100 })).rejects.toMatchObject({ code: status.DEADLINE_EXCEEDED });
  });

  it('cancels a call when its signal aborts', async () => {
    server = await startFakeAuthServer({ getUser: () => new Promise(() => {}) });
    client = createAuthClient({ address: server.address });
    const controller = new AbortController();
    const call = client.getUser({ id: 'x' }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(call).rejects.toMatchObject({ code: status.CANCELLED });
  });
});
