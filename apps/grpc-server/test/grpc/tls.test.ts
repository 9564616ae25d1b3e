import { credentials, type ChannelCredentials } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthClient } from '@authsvc/client';
import type { GetJwksResponse } from '@authsvc/proto/auth/v1/auth';
import { createGrpcServer, ManualHealthReporter, type GrpcServerHandle } from '../../src/grpc/index.js';
import { CapturedLogger } from './support/captured-logger.support.js';
import { inMemoryAuthService, type InMemoryService } from './support/in-memory-auth-service.support.js';
import { createTestPki, type TestPki } from './support/test-certificates.support.js';

/** One GetJwks through the client with these credentials, not retried: a refused handshake must show as it is. */
function getJwks(address: string, creds: ChannelCredentials): Promise<GetJwksResponse> {
  const client = createAuthClient({ address, credentials: creds, retry: { maxAttempts: 1 } });
  return client.getJwks({}).finally(() => client.close());
}

describe('TLS on the gRPC port', () => {
  let pki: TestPki;
  let core: InMemoryService;
  const servers: GrpcServerHandle[] = [];
  beforeAll(async () => {
    pki = createTestPki();
    core = await inMemoryAuthService();
  });
  afterAll(async () => {
    for (const server of servers) await server.shutdown(500);
    await core.close();
  });

  async function serve(tls: { cert: Buffer; key: Buffer; clientCa?: Buffer }): Promise<string> {
    const server = createGrpcServer({ service: core.service, logger: new CapturedLogger(), health: new ManualHealthReporter(), tls });
    servers.push(server);
    return `localhost:${await server.listen('127.0.0.1', 0)}`;
  }

  it('serves TLS clients that trust the CA, and refuses plaintext', async () => {
    const address = await serve({ cert: pki.serverCert, key: pki.serverKey });
    await expect(getJwks(address, credentials.createSsl(pki.ca))).resolves.toHaveProperty('jwksJson');
    await expect(getJwks(address, credentials.createInsecure())).rejects.toBeDefined();
  });

  it('with a client CA, requires a client certificate it signed (mutual TLS)', async () => {
    const address = await serve({ cert: pki.serverCert, key: pki.serverKey, clientCa: pki.ca });
    await expect(getJwks(address, credentials.createSsl(pki.ca, pki.clientKey, pki.clientCert))).resolves.toHaveProperty('jwksJson');
    await expect(getJwks(address, credentials.createSsl(pki.ca))).rejects.toBeDefined();
  });
});
