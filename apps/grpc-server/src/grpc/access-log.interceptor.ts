import { performance } from 'node:perf_hooks';
import { status } from '@grpc/grpc-js';
import type { GrpcLogger } from './grpc-logger.types.js';
import type { Interceptor } from './call-context.types.js';
import { mapError } from './error-mapping.interceptor.js';

/** Called once per completed call with the status name (OK, INVALID_ARGUMENT...), for metrics. */
export type RpcCompletedHook = (method: string, code: string, durationMs: number) => void;

/**
 * One log line per call (request id, method, status, duration, the account it acted for, the client address; never a body), at error
 * level for INTERNAL, and the metrics hook. Wraps error mapping, so it sees the status the client gets.
 */
export function accessLog(logger: GrpcLogger, onRpcCompleted?: RpcCompletedHook): Interceptor {
  return (next) => async (call) => {
    let accountId: string | null = null;
    const finish = (code: status, fields: Readonly<Record<string, unknown>>): void => {
      const durationMs = Math.round((performance.now() - call.startedAt) * 1000) / 1000;
      const line = { requestId: call.requestId, method: call.operation, code: status[code], durationMs, accountId, clientAddress: call.clientAddress, ...fields };
      if (code === status.INTERNAL) logger.error(line, 'rpc failed');
      else logger.info(line, 'rpc');
      onRpcCompleted?.(call.operation, status[code] ?? String(code), durationMs);
    };
    const actingFor = (id: string | null | undefined): void => {
      accountId = id ?? null;
    };
    try {
      const response = await next({ ...call, actingFor });
      finish(status.OK, {});
      return response;
    } catch (error) {
      const failure = mapError(error, call.requestId);
      finish(failure.code, failure.logFields);
      throw failure;
    }
  };
}
