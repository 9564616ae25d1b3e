import type { IncomingMessage } from 'node:http';
import { register } from 'node:module';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { onTracingStop } from './tracing-shutdown.util.js';

let started = false;

/** Only the browser-facing RPCs (Connect and gRPC-Web, `/auth.v1.AuthService/...`) get HTTP server spans; metrics and probes do not. */
const isRpcRequest = (request: IncomingMessage): boolean => request.url?.startsWith('/auth.v1.') ?? false;

/**
 * Starts the OpenTelemetry SDK for traces only, configured by the standard `OTEL_*` variables (exporter, endpoint,
 * protocol, sampler, service name; `authsvc` unless OTEL_SERVICE_NAME names another). Must run before the drivers
 * are loaded: the official instrumentations patch grpc-js, pg and ioredis as they are required.
 *
 * No span attribute holds a secret: pg spans carry the parameterised statement (never its values), Redis spans only
 * the command name (keys name accounts and addresses), gRPC spans no metadata (the bearer token), HTTP spans no
 * headers. Kafka sends get explicit spans in @authsvc/adapters-kafka instead of instrumentation-kafkajs: that
 * instrumentation parents every message of a batch on the relay's context and overwrites the `traceparent` header,
 * which would cut each event off the trace of the call that wrote it.
 */
export async function startTracing(env: Readonly<Record<string, string | undefined>>): Promise<void> {
  if (started) return;
  // ioredis has no ES module entry: imported from ESM it bypasses `require`, so its instrumentation needs the
  // import-in-the-middle loader hook, limited to it (pg and grpc-js are patched through `require`).
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, { data: { include: ['ioredis'] } });
  // The instrumentations hook `require` as they are constructed, and must be in place before the SDK is loaded: its
  // OTLP/gRPC exporter loads grpc-js, which would then be in the module cache, unpatched.
  const instrumentations = [
    new GrpcInstrumentation(),
    new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => !isRpcRequest(request), ignoreOutgoingRequestHook: () => true }),
    // Statements inside a traced call only (ioredis's default too): the relay's poll would otherwise start a trace of
    // its own every poll interval.
    new PgInstrumentation({ enhancedDatabaseReporting: false, requireParentSpan: true }),
    new IORedisInstrumentation({ dbStatementSerializer: (command) => command }),
  ];
  const { NodeSDK } = await import('@opentelemetry/sdk-node');
  const sdk = new NodeSDK({
    ...(env['OTEL_SERVICE_NAME'] ? {} : { serviceName: 'authsvc' }),
    // Traces only: logs stay on stdout and metrics on /metrics.
    logRecordProcessors: [],
    metricReaders: [],
    instrumentations,
  });
  sdk.start();
  started = true;
  onTracingStop(() => sdk.shutdown());
}
