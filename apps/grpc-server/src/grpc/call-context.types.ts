import type { Deadline, Metadata } from '@grpc/grpc-js';
import type { Caller, Operation } from '@authsvc/core';

/**
 * What the steps need of the transport a call came in on: grpc-js's ServerUnaryCall is one; the Connect and gRPC-Web
 * server adapts its calls to it (connect/connect-call.codec.ts), so both run the same steps and handlers.
 */
export interface CallTransport {
  /** The peer as `address:port` (grpc-js's spelling). */
  getPeer(): string;
  /** When the client's deadline passes (Infinity when it set none). */
  getDeadline(): Deadline;
  /** Sends the response headers now. */
  sendMetadata(responseHeaders: Metadata): void;
  /** Listens for the call being cancelled: its deadline passed, or the client cancelled or went away. */
  once(event: 'cancelled', listener: () => void): unknown;
  removeListener(event: 'cancelled', listener: () => void): unknown;
}

/**
 * What every step of one call can read. A step that learns something passes a changed copy inward
 * (`next({ ...call, caller })`); none changes the one it was given.
 */
export interface CallContext {
  /** The RPC, by its name in core's authorization table. */
  readonly operation: Operation;
  /** The decoded request message. */
  readonly request: unknown;
  /** The metadata the client sent. */
  readonly metadata: Metadata;
  /** The client's `x-request-id` when acceptable, else a fresh UUID: in the response headers, error trailers and logs. */
  readonly requestId: string;
  /** `performance.now()` when the call arrived. */
  readonly startedAt: number;
  /** Fires at the call's deadline or when the client cancels (from the deadline step on); handed to core. */
  readonly signal: AbortSignal;
  /** The authenticated principal (from the authentication step on), null on RPCs that need none. */
  readonly caller: Caller;
  /** Names the account the call turned out to act for, for the access log. */
  readonly actingFor: (accountId: string | null | undefined) => void;
  /** The client's IP address (from the client-address step on): the peer's, or a trusted proxy's forwarded one; undefined if unknown. */
  readonly clientAddress: string | undefined;
  /** The client's `user-agent` header (from the client-address step on), kept with a new session; undefined if absent. */
  readonly userAgent: string | undefined;
  /** The transport's side of the call, for the steps that speak to it: response headers, the deadline, cancellation. */
  readonly transport: CallTransport;
}

/** One call, from its context to its response; rejects with what went wrong. */
export type UnaryFn = (call: CallContext) => Promise<unknown>;

/** One concern of every call, wrapped around the rest of the chain (connect-es's shape). */
export type Interceptor = (next: UnaryFn) => UnaryFn;
