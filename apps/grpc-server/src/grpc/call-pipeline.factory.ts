import { performance } from 'node:perf_hooks';
import type { handleUnaryCall, Metadata, ServerUnaryCall, ServiceError } from '@grpc/grpc-js';
import type { AuthService, Operation } from '@authsvc/core';
import type { GrpcLogger } from './grpc-logger.types.js';
import type { CallContext, CallTransport, Interceptor, UnaryFn } from './call-context.types.js';
import type { RpcHandler } from './rpc-handler.types.js';
import { accessLog, type RpcCompletedHook } from './access-log.interceptor.js';
import { authentication } from './authentication.interceptor.js';
import { clientAddress, type ClientAddressOptions } from './client-address.interceptor.js';
import { deadline } from './deadline.interceptor.js';
import { mapError, mapErrors } from './error-mapping.interceptor.js';
import { echoRequestId, requestIdOf } from './request-id.interceptor.js';

export interface PipelineDependencies {
  service: AuthService;
  logger: GrpcLogger;
  onRpcCompleted?: RpcCompletedHook;
  /** Trusted proxies and their header; by default the peer's address is the client's. */
  clientAddress?: ClientAddressOptions;
}

/** The steps of every call, outermost first. Authorization is not among them: each use case decides it in core. */
function interceptors(deps: PipelineDependencies): Interceptor[] {
  return [
    echoRequestId,
    clientAddress(deps.clientAddress),
    accessLog(deps.logger, deps.onRpcCompleted),
    mapErrors,
    deadline,
    authentication(deps.service),
  ];
}

/**
 * The signal of a call before the deadline step gives it its own: it never fires, and nothing before that step
 * listens to it, so every call shares this one (an AbortController per call was a few µs and garbage for nothing).
 */
const NOT_YET_ABORTABLE: AbortSignal = new AbortController().signal;

/** The context a call starts the pipeline with, whatever its transport. */
export function callContext(transport: CallTransport, operation: Operation, request: unknown, metadata: Metadata): CallContext {
  return {
    operation,
    request,
    metadata,
    requestId: requestIdOf(metadata),
    startedAt: performance.now(),
    // Never fires: the deadline step replaces it with the call's own.
    signal: NOT_YET_ABORTABLE,
    caller: null,
    actingFor: () => undefined,
    clientAddress: undefined,
    userAgent: undefined,
    transport,
  };
}

/** A handler behind every step of the pipeline: what each transport calls with the context of a call. */
export type PipelinedRpc<Res> = (call: CallContext) => Promise<Res>;

/** Puts each handler behind the interceptors; the grpc-js server and the Connect/gRPC-Web server both run through it. */
export function pipelined(deps: PipelineDependencies): <Req, Res>(handler: RpcHandler<Req, Res>) => PipelinedRpc<Res> {
  const steps = interceptors(deps);
  return <Req, Res>(handler: RpcHandler<Req, Res>): PipelinedRpc<Res> => {
    const handle: UnaryFn = (call) => handler.handle(deps.service, call.request as Req, call);
    const chain = steps.reduceRight<UnaryFn>((next, interceptor) => interceptor(next), handle);
    // Some steps are plain functions that pass the inner promise on: whatever they throw is a rejection all the same.
    return ((call) => {
      try {
        return chain(call);
      } catch (error) {
        return Promise.reject(error as Error);
      }
    }) as PipelinedRpc<Res>;
  };
}

/**
 * Turns handlers into grpc-js unary handlers that run through the interceptors. (A wrapper rather than grpc-js
 * server interceptors: those cannot see the decoded request.)
 */
export function callPipeline(deps: PipelineDependencies): <Req, Res>(handler: RpcHandler<Req, Res>) => handleUnaryCall<Req, Res> {
  const through = pipelined(deps);
  return <Req, Res>(handler: RpcHandler<Req, Res>): handleUnaryCall<Req, Res> => {
    const run = through(handler);
    return (transport, callback) => {
      const call = callContext(transport as ServerUnaryCall<unknown, unknown>, handler.operation, transport.request, transport.metadata);
      run(call).then(
        (response) => callback(null, response as Res),
        (error: unknown) => callback(mapError(error, call.requestId).error as ServiceError),
      );
    };
  };
}
