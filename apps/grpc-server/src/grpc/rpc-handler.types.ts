import type { AuthService, Operation } from '@authsvc/core';
import type { CallContext } from './call-context.types.js';

/** One RPC: its row in core's authorization table and the thin handler: decode, call the use case, encode. */
export interface RpcHandler<Req, Res> {
  operation: Operation;
  handle(service: AuthService, request: Req, call: CallContext): Promise<Res>;
}

/** Builds a handler with its request and response types inferred. */
export function rpc<Req, Res>(handler: RpcHandler<Req, Res>): RpcHandler<Req, Res> {
  return handler;
}
