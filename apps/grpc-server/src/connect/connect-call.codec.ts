import { EventEmitter } from 'node:events';
import { Metadata } from '@grpc/grpc-js';
import { ConnectError, type Code, type HandlerContext } from '@connectrpc/connect';
import { Status } from '@authsvc/proto/google/rpc/status';
import type { CallTransport } from '../grpc/call-context.types.js';
import { STATUS_DETAILS_HEADER } from '../grpc/error-details.codec.js';
import type { RpcFailure } from '../grpc/error-mapping.interceptor.js';

const TYPE_PREFIX = 'type.googleapis.com/';

/** A Connect or gRPC-Web request's headers as the pipeline reads them (grpc-js metadata); binary and malformed values are left out. */
export function metadataOf(headers: Headers): Metadata {
  const metadata = new Metadata();
  headers.forEach((value, key) => {
    if (key.endsWith('-bin')) return;
    try {
      metadata.add(key, value);
    } catch {
      // A value grpc-js refuses (a control character) would be refused by a gRPC client too: the pipeline never sees it.
    }
  });
  return metadata;
}

/**
 * A Connect handler's call as the pipeline's transport: the peer the socket reported, the deadline from the
 * protocol's timeout header, response headers into the HTTP response, and `cancelled` when Connect aborts the call
 * (its deadline passed, or the client went away).
 */
export function connectTransport(context: HandlerContext, peer: string): CallTransport {
  const events = new EventEmitter();
  const timeoutMs = context.timeoutMs();
  const deadline = timeoutMs === undefined ? Infinity : Date.now() + timeoutMs;
  const onAbort = (): void => void events.emit('cancelled');
  context.signal.addEventListener('abort', onAbort, { once: true });
  return {
    getPeer: () => peer,
    getDeadline: () => deadline,
    sendMetadata: (headers) => {
      for (const [key, value] of Object.entries(headers.getMap())) if (typeof value === 'string') context.responseHeader.set(key, value);
    },
    once: (event, listener) => events.once(event, listener),
    removeListener: (event, listener) => events.removeListener(event, listener),
  };
}

/**
 * The pipeline's failure as a ConnectError: the same code (Connect's codes are gRPC's), message, google.rpc details
 * (ErrorInfo, BadRequest, RetryInfo, RequestInfo) and trailers (those the response headers did not already carry). Connect sends the details in its JSON
 * error body, gRPC-Web in `grpc-status-details-bin`, exactly as the grpc-js server does.
 */
export function connectErrorOf(failure: RpcFailure, sentHeaders: Headers): ConnectError {
  const metadata = new Headers();
  let details: { type: string; value: Uint8Array }[] = [];
  for (const [key, value] of Object.entries(failure.error.metadata?.getMap() ?? {})) {
    if (key === STATUS_DETAILS_HEADER && Buffer.isBuffer(value)) {
      details = Status.decode(value).details.map((any) => ({ type: any.typeUrl.replace(TYPE_PREFIX, ''), value: new Uint8Array(any.value) }));
    } else if (typeof value === 'string' && !sentHeaders.has(key)) {
      // Connect and gRPC-Web clients see headers and trailers together: what the headers carried (x-request-id) once.
      metadata.set(key, value);
    }
  }
  const error = new ConnectError(failure.error.details ?? '', failure.code as number as Code, metadata);
  error.details.push(...details);
  return error;
}
