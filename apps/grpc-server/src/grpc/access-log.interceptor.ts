import { performance } from 'node:perf_hooks';
import { status } from '@grpc/grpc-js';
import type { GrpcLogger } from './grpc-logger.types.js';
import type { CallContext, Interceptor } from './call-context.types.js';
import { mapError } from './error-mapping.interceptor.js';

/** Called once per completed call with the status name (OK, INVALID_ARGUMENT...), for metrics. */
export type RpcCompletedHook = (method: string, code: string, durationMs: number) => void;

/** The account a call acts for, as the inner steps name it; one small object per call instead of closures. */
class ActingFor {
  accountId: string | null = null;

  /** Bound once per call: the steps receive it as `call.actingFor`, a plain function. */
  readonly set = (id: string | null | undefined): void => {
    this.accountId = id ?? null;
  };
}

/**
 * One log line per call (request id, method, status, duration, the account it acted for, the client address; never a body), at error
 * level for INTERNAL, and the metrics hook. Wraps error mapping, so it sees the status the client gets.
 */
export function accessLog(logger: GrpcLogger, onRpcCompleted?: RpcCompletedHook): Interceptor {
  /** Written straight into the line (no spread of an empty object on every successful call). */
  const finish = (call: CallContext, actingFor: ActingFor, code: status, fields: Readonly<Record<string, unknown>> | undefined): void => {
    const durationMs = Math.round((performance.now() - call.startedAt) * 1000) / 1000;
    const codeName = status[code];
    const line: Record<string, unknown> = {
      requestId: call.requestId,
      method: call.operation,
      code: codeName,
      durationMs,
      accountId: actingFor.accountId,
      clientAddress: call.clientAddress,
    };
    if (fields !== undefined) for (const key of Object.keys(fields)) line[key] = fields[key];
    if (code === status.INTERNAL) logger.error(line, 'rpc failed');
    else logger.info(line, 'rpc');
    onRpcCompleted?.(call.operation, codeName ?? String(code), durationMs);
  };
  return (next) => async (call) => {
    const actingFor = new ActingFor();
    try {
      const response = await next({ ...call, actingFor: actingFor.set });
      finish(call, actingFor, status.OK, undefined);
      return response;
    } catch (error) {
      const failure = mapError(error, call.requestId);
      finish(call, actingFor, failure.code, failure.logFields);
      throw failure;
    }
  };
}
