import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JsonWebKeySet } from '@authsvc/core';
import type { Registry } from 'prom-client';
import type { HealthReporter } from '../grpc/health-reporter.port.js';
import type { AppLogger } from '../logging/logger.factory.js';

export interface HttpSideServerDeps {
  registry: Registry;
  jwks: () => Promise<JsonWebKeySet>;
  health: HealthReporter;
  logger: AppLogger;
}

export interface HttpSideServer {
  /** Starts listening; resolves to the bound port. */
  listen(host: string, port: number): Promise<number>;
  close(): Promise<void>;
}

type Handler = (res: ServerResponse) => Promise<void>;

function send(res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store', ...headers });
  res.end(body);
}

/** The operational side port: /metrics, /.well-known/jwks.json, /livez, /readyz. Nothing here needs authentication or reveals a secret. */
export function createHttpSideServer(deps: HttpSideServerDeps): HttpSideServer {
  const routes: Record<string, Handler> = {
    '/metrics': async (res) => send(res, 200, deps.registry.contentType, await deps.registry.metrics()),
    '/.well-known/jwks.json': async (res) =>
      // Short cache: after a key rotation verifiers must see the new key before its tokens arrive.
      send(res, 200, 'application/json', JSON.stringify(await deps.jwks()), { 'cache-control': 'public, max-age=60' }),
    '/livez': async (res) => send(res, 200, 'text/plain; charset=utf-8', 'ok\n'),
    '/readyz': async (res) => {
      const status = deps.health.getStatus();
      send(res, status === 'SERVING' ? 200 : 503, 'text/plain; charset=utf-8', `${status}\n`);
    },
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://side-port').pathname;
    const handler = routes[path];
    if (!handler) return send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n', { allow: 'GET, HEAD' });
    handler(res).catch((error: unknown) => {
      deps.logger.error({ err: error, path }, 'HTTP side port request failed');
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;

  return {
    listen: (host, port) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
