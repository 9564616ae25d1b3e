import { Counter, Histogram, type Registry } from 'prom-client';

/** RPC latency and outcome by method and status code, fed by the gRPC server's onRpcCompleted hook. */
export function registerRpcMetrics(registry: Registry): (method: string, code: string, durationMs: number) => void {
  const latency = new Histogram({
    name: 'grpc_server_handling_seconds',
    help: 'Time from receiving a call to sending its status, by method and gRPC status code.',
    labelNames: ['grpc_method', 'grpc_code'],
    // Hash-bound calls (login, register) take ~100 ms per bcrypt round; token checks take well under 1 ms.
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const handled = new Counter({
    name: 'grpc_server_handled_total',
    help: 'Completed calls by method and gRPC status code.',
    labelNames: ['grpc_method', 'grpc_code'],
    registers: [registry],
  });
  return (method, code, durationMs) => {
    const labels = { grpc_method: method, grpc_code: code };
    latency.observe(labels, durationMs / 1_000);
    handled.inc(labels);
  };
}
