import { createAuthClient, type AuthClient } from '@authsvc/client';
import { createTokenVerifier, TokenRejectedError, type TokenVerifier } from '@authsvc/client/verifier';
import { freePort, temporaryDir } from '@authsvc/test-support';
import { startServerProcess, type ServerProcess } from '@authsvc/test-support/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aUser } from '../grpc/support/grpc-harness.support.js';
import { baseEnvironment } from './support/server-environment.support.js';

// Another service's view of the real server: @authsvc/client's verifier against the server's JWKS (HTTP side port and
// GetJwks) and its ValidateToken, with access tokens living 2 s so that "until expiry" fits in a test.
const ISSUER = 'authsvc-e2e';
const AUDIENCE = 'playlists';
const rejection = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => 'accepted',
    (error: unknown) => (error instanceof TokenRejectedError ? error.reason : `not a rejection: ${String(error)}`),
  );

describe('the token verifier against a real server process', () => {
  const dataDir = temporaryDir('authsvc-e2e-');
  let server: ServerProcess;
  let client: AuthClient;
  let jwksUrl: string;
  /** Verifiers as another service would build them: keys over HTTP or gRPC, revocation checked or not. */
  let local: TokenVerifier;
  let checked: TokenVerifier;
  let overGrpc: TokenVerifier;

  beforeAll(async () => {
    const httpPort = await freePort();
    server = await startServerProcess({
      env: { ...baseEnvironment(dataDir.path), AUTH_HTTP_PORT: String(httpPort), AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE, AUTH_JWT_ACCESS_TOKEN_TTL: '2s' },
    });
    client = createAuthClient({ address: server.address });
    jwksUrl = `http://127.0.0.1:${httpPort}/.well-known/jwks.json`;
    // No clock skew allowed here, so that expiry shows within the test; the default is 5 s.
    local = createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks: jwksUrl, revocation: 'none', clockToleranceSeconds: 0 });
    checked = createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks: jwksUrl, revocation: 'check', client, clockToleranceSeconds: 0 });
    overGrpc = createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks: client, revocation: 'check' });
  }, 120_000);

  afterAll(async () => {
    client?.close();
    await server?.stop('SIGTERM');
    dataDir.remove();
  }, 60_000);

  async function signIn(): Promise<{ accountId: string; accessToken: string; refreshToken: string }> {
    const input = aUser();
    await client.registerUser(input);
    const { accountId, tokens } = await client.login({ login: input.username, password: input.password });
    return { accountId, accessToken: tokens!.accessToken, refreshToken: tokens!.refreshToken };
  }

  it('accepts a fresh access token, with keys from the HTTP side port or from GetJwks', async () => {
    const { accountId, accessToken } = await signIn();
    for (const verifier of [local, checked, overGrpc]) {
      expect(await verifier.verify(accessToken)).toMatchObject({ subject: accountId, role: 'USER' });
    }
  });

  it("refuses a revoked session's token with 'check', and accepts it with 'none' until it expires", async () => {
    const { accessToken, refreshToken } = await signIn();
    await client.logout({ refreshToken });
    expect(await rejection(checked.verify(accessToken))).toBe('revoked');
    expect(await rejection(overGrpc.verify(accessToken))).toBe('revoked');
    expect(await rejection(local.verify(accessToken))).toBe('accepted');
    const { expiresAt } = await local.verify(accessToken);
    await new Promise((resolve) => setTimeout(resolve, expiresAt.getTime() - Date.now() + 50));
    expect(await rejection(local.verify(accessToken))).toBe('expired');
  }, 15_000);

  it('refuses a token for another audience, and a refresh token', async () => {
    const { accessToken, refreshToken } = await signIn();
    const elsewhere = createTokenVerifier({ issuer: ISSUER, audience: 'billing', jwks: jwksUrl, revocation: 'none' });
    expect(await rejection(elsewhere.verify(accessToken))).toBe('invalid');
    expect(await rejection(local.verify(refreshToken))).toBe('invalid');
  });
});
