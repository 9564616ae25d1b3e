import type { AuthService, Caller, Operation } from '@authsvc/core';

/** What the pipeline knows about a call when it reaches the handler. */
export interface RpcContext {
  requestId: string;
  /** The authenticated principal, or null on RPCs that need none. */
  caller: Caller;
}

/**
 * One RPC: its row in core's authorization table, how to find the account it acts on (for
 * `self` rules), and the thin handler: decode, call the use case, encode.
 */
export interface RpcHandler<Req, Res> {
  operation: Operation;
  targetId?: (request: Req) => string;
  /** The account an anonymous call turned out to act for (Login, registrations), for the access log. */
  accountOf?: (response: Res) => string | undefined;
  handle(service: AuthService, request: Req, context: RpcContext): Promise<Res>;
}

/** Builds a handler with its request and response types inferred. */
export function rpc<Req, Res>(handler: RpcHandler<Req, Res>): RpcHandler<Req, Res> {
  return handler;
}
