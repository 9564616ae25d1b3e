import { randomUUID } from 'node:crypto';
import { Metadata } from '@grpc/grpc-js';
import type { Interceptor } from './call-context.types.js';

export const REQUEST_ID_HEADER = 'x-request-id';

// A caller-chosen id is echoed into logs and metadata: keep it short and free of control
// characters so it can neither forge log lines nor bloat them.
const ACCEPTABLE = /^[\w.:/+=@-]{1,128}$/;

/** The caller's `x-request-id` when it is acceptable, else a fresh UUID. */
export function requestIdOf(metadata: Metadata): string {
  const [value] = metadata.get(REQUEST_ID_HEADER);
  return typeof value === 'string' && ACCEPTABLE.test(value) ? value : randomUUID();
}

/**
 * Sends the call's request id back in the response headers at once, so even a call that never ends can be traced.
 * Not an async function: it passes the inner steps' promise on as it is (an async step that only returns `next`
 * costs a promise and three microtask turns per call); `pipelined` turns a synchronous throw into a rejection.
 */
export const echoRequestId: Interceptor = (next) => (call) => {
  const headers = new Metadata();
  headers.set(REQUEST_ID_HEADER, call.requestId);
  call.transport.sendMetadata(headers);
  return next(call);
};
