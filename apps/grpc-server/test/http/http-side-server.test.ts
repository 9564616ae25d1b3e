import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { createHttpSideServer, type HttpSideServer } from '../../src/http/http-side.server.js';
import { registerRpcMetrics } from '../../src/http/rpc-metrics.util.js';
import { registerRuntimeMetrics } from '../../src/http/runtime-metrics.util.js';
import { ManualHealthReporter } from '../../src/grpc/health-reporter.port.js';
import { createLogger } from '../../src/logging/logger.factory.js';

const JWKS = { keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'abc', kid: 'k1', alg: 'EdDSA', use: 'sig' }] };

describe('HTTP side port', () => {
  let server: HttpSideServer;
  let base: string;
  let stopRuntime: () => void;
  let health: ManualHealthReporter;
  let onRpcCompleted: (method: string, code: string, durationMs: number) => void;
  let outboxCalls = 0;

  beforeEach(async () => {
    const registry = new Registry();
    onRpcCompleted = registerRpcMetrics(registry);
    outboxCalls = 0;
    stopRuntime = registerRuntimeMetrics(registry, {
      hashPool: () => ({ queued: 3, active: 2, threads: 2, hashes: 11, verifications: 42 }),
      outbox: async () => {
        outboxCalls += 1;
        return { backlog: 7, oldestPendingAgeMs: 4_500, failing: 1 };
      },
    });
    health = new ManualHealthReporter('SERVING');
    server = createHttpSideServer({ registry, jwks: async () => JWKS, health, logger: createLogger({ level: 'silent' }) });
    base = `http://127.0.0.1:${await server.listen('127.0.0.1', 0)}`;
  });

  afterEach(async () => {
    stopRuntime();
    await server.close();
  });

  it('serves the public key set at /.well-known/jwks.json', async () => {
    const res = await fetch(`${base}/.well-known/jwks.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual(JWKS);
  });

  it('/livez is 200 even when not ready; /readyz follows the health status', async () => {
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    health.set('NOT_SERVING');
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.text()).toBe('NOT_SERVING\n');
    expect((await fetch(`${base}/livez`)).status).toBe(200);
    health.set('SERVING');
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });

  it('/metrics exposes RPC latency and counts by method and code', async () => {
    onRpcCompleted('/auth.v1.AuthService/Login', 'OK', 120);
    onRpcCompleted('/auth.v1.AuthService/Login', 'OK', 80);
    onRpcCompleted('/auth.v1.AuthService/Login', 'UNAUTHENTICATED', 3);
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain('grpc_server_handled_total{grpc_method="/auth.v1.AuthService/Login",grpc_code="OK"} 2');
    expect(text).toContain('grpc_server_handled_total{grpc_method="/auth.v1.AuthService/Login",grpc_code="UNAUTHENTICATED"} 1');
    expect(text).toContain('grpc_server_handling_seconds_bucket{le="0.1",grpc_method="/auth.v1.AuthService/Login",grpc_code="OK"} 1');
    expect(text).toContain('grpc_server_handling_seconds_count{grpc_method="/auth.v1.AuthService/Login",grpc_code="OK"} 2');
  });

  it('/metrics exposes event-loop delay, the password-hash pool and the outbox backlog with one stats query', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/nodejs_event_loop_delay_seconds\{quantile="0.99"\} [\d.e-]+/);
    expect(text).toContain('authsvc_password_hash_queue_size 3');
    expect(text).toContain('authsvc_password_hash_active 2');
    expect(text).toContain('authsvc_password_hash_operations_total{op="hash"} 11');
    expect(text).toContain('authsvc_password_hash_operations_total{op="verify"} 42');
    expect(text).toContain('authsvc_outbox_backlog 7');
    expect(text).toContain('authsvc_outbox_oldest_pending_age_seconds 4.5');
    expect(text).toContain('authsvc_outbox_failing 1');
    expect(outboxCalls).toBe(1);
  });

  it('answers 404 for unknown paths and 405 for other methods', async () => {
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    const post = await fetch(`${base}/livez`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});
