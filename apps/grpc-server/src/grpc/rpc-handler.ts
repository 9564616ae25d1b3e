import type { AuthService, Caller, Operation } from '@authsvc/core';

/** What the pipeline knows about a call when it reaches the handler. */
export interface RpcContext {
  requestId: string;
  /** The authenticated principal, or null on RPCs that need none. */
  caller: Caller;
  /** Fires at the call's deadline or when the client cancels; handed to the use case. */
  signal: AbortSignal;
  /** Names the account an anonymous call turned out to act for (Login, registrations, RefreshToken, Logout), for the access log. */
  actingFor(accountId: string | null | undefined): void;
}

/**
 * One RPC: its row in core's authorization table, how to find the account it acts on (for
 * `self` rules), and the thin handler: decode, call the use case, encode.
 */
export interface RpcHandler<Req, Res> {
  operation: Operation;
  targetId?: (request: Req) => string;
  handle(service: AuthService, request: Req, context: RpcContext): Promise<Res>;
}

/** Builds a handler with its request and response types inferred. */
export function rpc<Req, Res>(handler: RpcHandler<Req, Res>): RpcHandler<Req, Res> {
  return handler;
}
