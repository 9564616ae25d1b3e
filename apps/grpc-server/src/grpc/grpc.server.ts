import { Server, ServerCredentials, type ChannelOptions } from '@grpc/grpc-js';
import type { AuthService } from '@authsvc/core';
import { AuthServiceService } from '@authsvc/proto/auth/v1/auth';
import type { GrpcLogger } from './grpc-logger.types.js';
import type { HealthReporter } from './health-reporter.port.js';
import type { RpcCompletedHook } from './access-log.interceptor.js';
import type { ClientAddressOptions } from './client-address.interceptor.js';
import { authServiceImplementation } from './auth-service.rpc.js';
import { addHealthService } from './health.server.js';
import { addReflectionService } from './reflection.server.js';

export interface GrpcServerLimits {
  /** Largest request accepted; bigger ones get RESOURCE_EXHAUSTED. Default 64 KiB: an auth request is tiny. */
  maxMessageBytes: number;
  /** Interval of server keepalive pings on idle connections. Default 2 h (gRPC's default). */
  keepaliveTimeMs: number;
  /** How long to wait for a ping ack before closing the connection. Default 20 s. */
  keepaliveTimeoutMs: number;
  /** Shortest ping interval a client may use; faster pingers get GOAWAY. Default 5 min (gRPC's default). */
  minClientPingIntervalMs: number;
  /** Connections are closed gracefully after this age so load spreads over new instances. Default 30 min. */
  maxConnectionAgeMs: number;
  /** Grace period for in-flight calls on a connection that reached its max age. Default 30 s. */
  maxConnectionAgeGraceMs: number;
}

export const DEFAULT_GRPC_LIMITS: GrpcServerLimits = {
  maxMessageBytes: 64 * 1024,
  keepaliveTimeMs: 2 * 3_600_000,
  keepaliveTimeoutMs: 20_000,
  minClientPingIntervalMs: 5 * 60_000,
  maxConnectionAgeMs: 30 * 60_000,
  maxConnectionAgeGraceMs: 30_000,
};

export interface GrpcTlsOptions {
  cert: Buffer;
  key: Buffer;
  /** When given, clients must present a certificate signed by this CA (mutual TLS). */
  clientCa?: Buffer;
}

export interface GrpcServerDependencies {
  service: AuthService;
  logger: GrpcLogger;
  health: HealthReporter;
  limits?: Partial<GrpcServerLimits>;
  tls?: GrpcTlsOptions;
  onRpcCompleted?: RpcCompletedHook;
  /** Trusted proxies whose forwarded header names the client (grpc.trustedProxies); none by default. */
  clientAddress?: ClientAddressOptions;
}

export interface GrpcServerHandle {
  /** Binds and starts serving; resolves with the bound port (useful with port 0). */
  listen(host: string, port: number): Promise<number>;
  /**
   * Stops accepting calls, lets in-flight calls finish, and force-closes what is left after
   * `deadlineMs`. Health turns NOT_SERVING first so load balancers stop routing here.
   */
  shutdown(deadlineMs: number): Promise<void>;
}

function channelOptions(limits: GrpcServerLimits): ChannelOptions {
  return {
    'grpc.max_receive_message_length': limits.maxMessageBytes,
    'grpc.max_send_message_length': limits.maxMessageBytes,
    'grpc.keepalive_time_ms': limits.keepaliveTimeMs,
    'grpc.keepalive_timeout_ms': limits.keepaliveTimeoutMs,
    'grpc.http2.min_ping_interval_without_data_ms': limits.minClientPingIntervalMs,
    'grpc.keepalive_permit_without_calls': 0,
    'grpc.max_connection_age_ms': limits.maxConnectionAgeMs,
    'grpc.max_connection_age_grace_ms': limits.maxConnectionAgeGraceMs,
  };
}

function credentials(tls: GrpcTlsOptions | undefined): ServerCredentials {
  if (tls === undefined) return ServerCredentials.createInsecure();
  return ServerCredentials.createSsl(tls.clientCa ?? null, [{ private_key: tls.key, cert_chain: tls.cert }], tls.clientCa !== undefined);
}

/** The gRPC transport: AuthService behind the interceptor chain, plus health and reflection. */
export function createGrpcServer(deps: GrpcServerDependencies): GrpcServerHandle {
  const limits = { ...DEFAULT_GRPC_LIMITS, ...deps.limits };
  const server = new Server(channelOptions(limits));
  const implementation = authServiceImplementation({
    service: deps.service,
    logger: deps.logger,
    ...(deps.onRpcCompleted ? { onRpcCompleted: deps.onRpcCompleted } : {}),
    ...(deps.clientAddress ? { clientAddress: deps.clientAddress } : {}),
  });
  server.addService(AuthServiceService, implementation);
  const stopHealth = addHealthService(server, deps.health);
  addReflectionService(server);

  return {
    listen: (host, port) =>
      new Promise((resolve, reject) => {
        // IPv6 literals need brackets in a gRPC target.
        const address = host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
        server.bindAsync(address, credentials(deps.tls), (error, boundPort) => (error ? reject(error) : resolve(boundPort)));
      }),
    shutdown: async (deadlineMs) => {
      stopHealth();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          deps.logger.warn({ deadlineMs }, 'in-flight calls did not finish before the shutdown deadline; closing them');
          server.forceShutdown();
          resolve();
        }, deadlineMs);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}
