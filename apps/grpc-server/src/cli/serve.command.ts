import { Command } from 'commander';
import { registerSecurityMetrics } from '../http/security-metrics.util.js';
import { Registry } from 'prom-client';
import type { PasswordHasher } from '@authsvc/core';
import { ConfigError } from '../config/config.errors.js';
import { checkServeRules } from '../config/config.rules.js';
import type { AppConfig } from '../config/config.types.js';
import { createApp, type App, type CreateAppOptions } from '../composition/app.factory.js';
import { createGrpcServer, type GrpcServerHandle } from '../grpc/index.js';
import { createConnectServer, type ConnectServerHandle } from '../connect/connect.server.js';
import { createHttpSideServer, type HttpSideServer } from '../http/http-side.server.js';
import { registerRpcMetrics } from '../http/rpc-metrics.util.js';
import { registerRuntimeMetrics, type HashPoolStats } from '../http/runtime-metrics.util.js';
import type { AppLogger } from '../logging/logger.factory.js';
import type { CliIo } from './cli-io.util.js';
import { loadGrpcTls } from './tls-files.config.js';
import { runService, withServiceOptions, type ServiceOptions } from './service-process.util.js';

/** A running server and how to stop it. */
export interface RunningServer {
  app: App;
  grpcPort: number;
  httpPort: number | undefined;
  /** The Connect and gRPC-Web port, when web.port turns it on. */
  webPort: number | undefined;
  /** Stops accepting, finishes in-flight calls up to grpc.shutdownTimeout, then closes relay, producer, Redis, database. */
  stop(): Promise<void>;
}

/** The worker pool's occupancy, when the hasher has one (the bcrypt hasher does; a test's fake may not). */
function poolStatsOf(hasher: PasswordHasher): (() => HashPoolStats) | undefined {
  const withStats = hasher as PasswordHasher & { stats?: () => HashPoolStats };
  return typeof withStats.stats === 'function' ? () => withStats.stats!() : undefined;
}

/**
 * Builds the app, starts the gRPC server and the optional HTTP side port, and logs where it listens and what it runs
 * on. `options` reach createApp (a test replaces a part there).
 */
export async function startServer(config: AppConfig, logger: AppLogger, options: Omit<CreateAppOptions, 'logger'> = {}): Promise<RunningServer> {
  const exposure = checkServeRules(config);
  if (exposure.length > 0) throw new ConfigError(exposure);
  const tls = await loadGrpcTls(config);
  const registry = new Registry();
  const onSecurityEvent = registerSecurityMetrics(registry);
  const app = createApp(config, { logger, onSecurityEvent, ...options });
  const onRpcCompleted = registerRpcMetrics(registry);
  let stopRuntimeMetrics = (): void => {};
  let grpc: GrpcServerHandle | undefined;
  let http: HttpSideServer | undefined;
  let web: ConnectServerHandle | undefined;
  let drain = (): void => {};

  const stop = async () => {
    drain();
    await Promise.all([grpc?.shutdown(config.grpc.shutdownTimeout), web?.shutdown(config.grpc.shutdownTimeout)]);
    if (http) await http.close();
    stopRuntimeMetrics();
    await app.close();
  };

  try {
    const service = await app.get('service');
    const health = await app.get('health');
    drain = () => health.drain();
    if (config.outbox.relayEnabled) await app.get('relay');
    if (config.mail.deliveryEnabled) await app.get('mailDelivery');
    await app.get('accountPurge');
    const relayStore = await app.get('relayStore');
    const mailStore = await app.get('mailStore');
    const hashPool = poolStatsOf(await app.get('passwordHasher'));
    stopRuntimeMetrics = registerRuntimeMetrics(registry, {
      ...(hashPool ? { hashPool } : {}),
      outbox: () => relayStore.stats(new Date()),
      mail: () => mailStore.stats(new Date()),
    });

    grpc = createGrpcServer({
      service,
      logger: logger.child({ component: 'grpc' }),
      health,
      limits: { maxMessageBytes: config.grpc.maxMessageBytes },
      ...(tls ? { tls } : {}),
      onRpcCompleted,
      clientAddress: { trustedProxies: config.grpc.trustedProxies ?? [], header: config.grpc.clientAddressHeader },
    });
    const grpcPort = await grpc.listen(config.grpc.host, config.grpc.port);
    const security = tls === undefined ? 'plaintext' : tls.clientCa ? 'mutual TLS' : 'TLS';
    logger.info({ host: config.grpc.host, port: grpcPort }, `gRPC listening on ${config.grpc.host}:${grpcPort} (${security})`);

    let httpPort: number | undefined;
    if (config.http.port !== 0) {
      http = createHttpSideServer({ registry, jwks: () => service.getJwks(), health, logger });
      httpPort = await http.listen(config.http.host, config.http.port);
      logger.info({ host: config.http.host, port: httpPort }, `HTTP side port on http://${config.http.host}:${httpPort} (/metrics, /.well-known/jwks.json, /livez, /readyz)`);
    }
    let webPort: number | undefined;
    if (config.web.port !== undefined) {
      web = createConnectServer({
        service,
        logger: logger.child({ component: 'connect' }),
        onRpcCompleted,
        clientAddress: { trustedProxies: config.grpc.trustedProxies ?? [], header: config.grpc.clientAddressHeader },
        allowedOrigins: config.web.allowedOrigins ?? [],
        maxMessageBytes: config.grpc.maxMessageBytes,
      });
      webPort = await web.listen(config.web.host, config.web.port);
      const origins = config.web.allowedOrigins?.join(', ') || 'none (only callers that send no Origin)';
      logger.info({ host: config.web.host, port: webPort }, `Connect and gRPC-Web on http://${config.web.host}:${webPort}, allowed origins: ${origins}`);
    }
    const adapters = app.adapters();
    logger.info(`database: ${adapters.database}`);
    logger.info(`sessions and attempt counters: ${adapters.sessions}`);
    logger.info(`events: ${adapters.events}`);
    logger.info(`outbox relay: ${adapters.relay}`);
    logger.info(`mail: ${adapters.mail}`);
    return { app, grpcPort, httpPort, webPort, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** `serve` (the default command): the gRPC server and, unless turned off, the outbox relay. */
export function serveCommand(io: CliIo): Command {
  return withServiceOptions(new Command('serve').description('run the gRPC server (and, unless turned off, the outbox relay)')).action((options: ServiceOptions) =>
    runService(io, options, async ({ config }, logger) => (await startServer(config, logger)).stop),
  );
}
