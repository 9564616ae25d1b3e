import { performance } from 'node:perf_hooks';
import { Metadata, status, type handleUnaryCall, type ServerUnaryCall, type ServiceError } from '@grpc/grpc-js';
import { DomainError, authorize, callAborted, requiresAccessToken, type AuthService, type Caller } from '@authsvc/core';
import type { GrpcLogger } from './grpc-logger.js';
import type { RpcHandler } from './rpc-handler.js';
import { mapError } from './error-mapping.js';
import { readBearerToken } from './bearer-token.js';
import { REQUEST_ID_HEADER, requestIdOf } from './request-id.js';

/** Called once per completed call with the status name (OK, INVALID_ARGUMENT...), for metrics. */
export type RpcCompletedHook = (method: string, code: string, durationMs: number) => void;

export interface PipelineDependencies {
  service: AuthService;
  logger: GrpcLogger;
  onRpcCompleted?: RpcCompletedHook;
}

/** Authentication: the bearer token becomes a principal on RPCs that need one; others ignore it. */
async function authenticate(
  service: AuthService,
  operation: RpcHandler<unknown, unknown>['operation'],
  metadata: Metadata,
  signal: AbortSignal,
): Promise<Caller> {
  if (!requiresAccessToken(operation)) return null;
  const token = readBearerToken(metadata);
  if (token === null) throw new DomainError('UNAUTHENTICATED', `${operation} requires an access token (authorization: Bearer <token>)`);
  if (token === undefined) throw new DomainError('ACCESS_TOKEN_INVALID', 'the authorization metadata is not "Bearer <token>"');
  return service.authenticate(token, { signal });
}

function deadlinePassed(call: ServerUnaryCall<unknown, unknown>): boolean {
  const deadline = call.getDeadline();
  const at = deadline instanceof Date ? deadline.getTime() : deadline;
  return Number.isFinite(at) && at <= Date.now();
}

/**
 * The call's deadline and cancellation as an AbortSignal for core. grpc-js answers DEADLINE_EXCEEDED itself when
 * the deadline passes and then reports the call cancelled, as it does when the client cancels or goes away; the
 * reason tells core which of the two it was (a `TimeoutError` means the deadline). Returns a detach function:
 * a finished call must not keep its listener.
 */
function abortOnCancel(call: ServerUnaryCall<unknown, unknown>): { signal: AbortSignal; detach: () => void } {
  const controller = new AbortController();
  const onCancelled = (): void => {
    const name = deadlinePassed(call) ? 'TimeoutError' : 'AbortError';
    controller.abort(new DOMException(name === 'TimeoutError' ? 'the deadline passed' : 'the client cancelled the call', name));
  };
  call.once('cancelled', onCancelled);
  return { signal: controller.signal, detach: () => call.removeListener('cancelled', onCancelled) };
}

/**
 * Wraps a handler in the interceptor chain, in this order: request id + access log,
 * deadline (refused when already past; afterwards an AbortSignal that core honours between steps),
 * authentication, authorization (core's table), the handler, error mapping.
 * (A wrapper rather than grpc-js server interceptors: those cannot see the decoded request,
 * which the `self` rules of authorization need.)
 */
export function unary<Req, Res>(deps: PipelineDependencies, handler: RpcHandler<Req, Res>): handleUnaryCall<Req, Res> {
  const method = handler.operation;
  return (call, callback) => {
    const started = performance.now();
    const requestId = requestIdOf(call.metadata);
    const headers = new Metadata();
    headers.set(REQUEST_ID_HEADER, requestId);
    call.sendMetadata(headers);
    let caller: Caller = null;
    let accountId: string | null = null;

    const finish = (code: status, fields: Record<string, unknown>): void => {
      const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
      const line = { requestId, method, code: status[code], durationMs, accountId: caller?.accountId ?? accountId, ...fields };
      if (code === status.INTERNAL) deps.logger.error(line, 'rpc failed');
      else deps.logger.info(line, 'rpc');
      deps.onRpcCompleted?.(method, status[code] ?? String(code), durationMs);
    };

    if (deadlinePassed(call)) {
      finish(status.DEADLINE_EXCEEDED, {});
      callback({ code: status.DEADLINE_EXCEEDED, details: 'deadline exceeded before processing' } as ServiceError);
      return;
    }

    const { signal, detach } = abortOnCancel(call);
    const actingFor = (id: string | null | undefined): void => {
      accountId = id ?? null;
    };
    const run = async (): Promise<Res> => {
      caller = await authenticate(deps.service, handler.operation, call.metadata, signal);
      authorize(handler.operation, caller, handler.targetId?.(call.request));
      return handler.handle(deps.service, call.request, { requestId, caller, signal, actingFor });
    };

    run().then(
      (response) => {
        detach();
        finish(status.OK, {});
        callback(null, response);
      },
      (error: unknown) => {
        detach();
        // Core reports an abort as DEADLINE_EXCEEDED or CANCELLED; the raw reason can only come from outside it.
        const mapped = mapError(signal.aborted && error === signal.reason ? callAborted(signal) : error, requestId);
        // Only unexpected failures carry their error (with stack) into the log; a domain error's
        // reason is enough, and its message may name user input.
        finish(mapped.code, mapped.reason === null ? { err: error } : { reason: mapped.reason });
        callback(mapped.error as ServiceError);
      },
    );
  };
}
