// grpc.health.v1 Check against the configured gRPC port; used by the container HEALTHCHECK (healthcheck.command.ts).
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { credentials, makeClientConstructor, type ChannelCredentials, type Client, type ServiceError } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import type { AppConfig } from '../config/config.types.js';

type HealthClient = Client & {
  check(request: { service: string }, options: { deadline: Date }, callback: (error: ServiceError | null, response?: { status: string }) => void): void;
};

/** Where to reach the server from inside its own container: a wildcard bind address is probed on loopback. */
export function probeAddress(config: AppConfig): string {
  const host = config.grpc.host === '0.0.0.0' || config.grpc.host === '::' ? '127.0.0.1' : config.grpc.host;
  return `${host.includes(':') ? `[${host}]` : host}:${config.grpc.port}`;
}

/**
 * Plaintext, or TLS when the server has a certificate. The probe checks its own server over loopback, so it trusts
 * exactly the certificate the server presents from its own file: as a trust anchor even when a CA signed it
 * (allowPartialTrustChain; without it only a self-signed certificate would verify), and without the host-name check
 * (the certificate names the public host, not 127.0.0.1). Under mutual TLS the probe has no client certificate of
 * its own, so it refuses with a message pointing at /readyz instead of failing the handshake obscurely.
 */
function channelCredentials(config: AppConfig): ChannelCredentials {
  if (config.grpc.tlsCert === undefined) return credentials.createInsecure();
  if (config.grpc.tlsClientCa !== undefined) {
    throw new Error('the gRPC port requires client certificates (grpc.tlsClientCa is set) and this probe has none: check GET /readyz on the HTTP side port (http.port) instead');
  }
  const trustServerCertificate = createSecureContext({ ca: readFileSync(config.grpc.tlsCert), allowPartialTrustChain: true });
  return credentials.createFromSecureContext(trustServerCertificate, { checkServerIdentity: () => undefined });
}

/** grpc.health.v1.Health/Check on the configured port: the status name, or the error's message. */
export async function checkServing(config: AppConfig, timeoutMs = 3_000): Promise<{ ok: boolean; status: string }> {
  const Health = makeClientConstructor(healthService as never, 'grpc.health.v1.Health');
  const client = new Health(probeAddress(config), channelCredentials(config)) as unknown as HealthClient;
  try {
    const status = await new Promise<string>((resolve) =>
      client.check({ service: '' }, { deadline: new Date(Date.now() + timeoutMs) }, (error, response) => resolve(error ? `error: ${error.details || error.message}` : String(response?.status))),
    );
    return { ok: status === 'SERVING', status };
  } finally {
    client.close();
  }
}
