import { Counter, Histogram, type Registry } from 'prom-client';

/** The latency and count series of one method and status code, bound once. */
interface RpcSeries {
  observe(seconds: number): void;
  inc(): void;
}

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
  // Label-bound children, made on a pair's first call and kept: a labels object, its validation and a closure per
  // call otherwise. The pairs are bounded (the service's RPCs times the gRPC codes).
  const byMethod = new Map<string, Map<string, RpcSeries>>();
  const seriesOf = (method: string, code: string): RpcSeries => {
    let byCode = byMethod.get(method);
    if (byCode === undefined) byMethod.set(method, (byCode = new Map()));
    let series = byCode.get(code);
    if (series === undefined) {
      const labels = { grpc_method: method, grpc_code: code };
      series = { observe: latency.labels(labels).observe, inc: handled.labels(labels).inc };
      byCode.set(code, series);
    }
    return series;
  };
  return (method, code, durationMs) => {
    const series = seriesOf(method, code);
    series.observe(durationMs / 1_000);
    series.inc();
  };
}
