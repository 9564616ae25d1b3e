import { Registry } from 'prom-client';
import type { AppConfig } from '../config/config.types.js';
import { buildApp, type App } from '../composition/build-app.js';
import { createGrpcServer, type GrpcServerHandle } from '../grpc/index.js';
import { createHttpSideServer, type HttpSideServer } from '../http/http-side-server.js';
import { registerRpcMetrics } from '../http/rpc-metrics.js';
import { registerRuntimeMetrics } from '../http/runtime-metrics.js';
import type { AppLogger } from '../logging/create-logger.js';
import { loadGrpcTls } from './load-tls.js';

/** A running server and how to stop it. */
export interface RunningServer {
  app: App;
  grpcPort: number;
  httpPort: number | undefined;
  /** Stops accepting, finishes in-flight calls up to grpc.shutdownTimeout, then closes relay, producer, Redis, database. */
  stop(): Promise<void>;
}

/** Builds the app, starts the gRPC server and the optional HTTP side port, and logs where it listens and what it runs on. */
export async function startServer(config: AppConfig, logger: AppLogger): Promise<RunningServer> {
  const tls = await loadGrpcTls(config);
  const app = await buildApp(config, logger);
  const registry = new Registry();
  const onRpcCompleted = registerRpcMetrics(registry);
  const stopRuntimeMetrics = registerRuntimeMetrics(registry, { hashPool: () => app.hasher.stats(), outbox: () => app.relayStore.stats(new Date()) });
  let grpc: GrpcServerHandle | undefined;
  let http: HttpSideServer | undefined;

  const stop = async () => {
    app.health.drain();
    if (grpc) await grpc.shutdown(config.grpc.shutdownTimeout);
    if (http) await http.close();
    stopRuntimeMetrics();
    await app.close();
  };

  try {
    grpc = createGrpcServer({
      service: app.service,
      logger: logger.child({ component: 'grpc' }),
      health: app.health,
      limits: { maxMessageBytes: config.grpc.maxMessageBytes },
      ...(tls ? { tls } : {}),
      onRpcCompleted,
    });
    const grpcPort = await grpc.listen(config.grpc.host, config.grpc.port);
    const security = tls === undefined ? 'plaintext' : tls.clientCa ? 'mutual TLS' : 'TLS';
    logger.info({ host: config.grpc.host, port: grpcPort }, `gRPC listening on ${config.grpc.host}:${grpcPort} (${security})`);

    let httpPort: number | undefined;
    if (config.http.port !== 0) {
      http = createHttpSideServer({ registry, jwks: () => app.service.getJwks(), health: app.health, logger });
      httpPort = await http.listen(config.http.host, config.http.port);
      logger.info({ host: config.http.host, port: httpPort }, `HTTP side port on http://${config.http.host}:${httpPort} (/metrics, /.well-known/jwks.json, /livez, /readyz)`);
    }
    logger.info(`database: ${app.adapters.database}`);
    logger.info(`sessions and login throttle: ${app.adapters.sessions}`);
    logger.info(`events: ${app.adapters.events}`);
    logger.info(`outbox relay: ${app.adapters.relay}`);
    return { app, grpcPort, httpPort, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
