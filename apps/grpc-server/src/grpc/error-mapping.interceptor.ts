import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { isDomainError, type DomainError } from '@authsvc/core';
import type { Interceptor } from './call-context.types.js';
import { richError, type ErrorDetail } from './error-details.codec.js';
import { REQUEST_ID_HEADER } from './request-id.interceptor.js';

/** `google.rpc.ErrorInfo.domain` of every error this API defines. */
export const ERROR_DOMAIN = 'auth.v1';

/** A failed call as the client receives it, plus what the access log records about it. */
export class RpcFailure extends Error {
  constructor(
    readonly code: status,
    readonly error: Partial<ServiceError>,
    /** The domain error code, or `null` for an unexpected failure (or a call the transport refused). */
    readonly reason: string | null,
    /** The access log's extra fields: the reason of a domain error, the whole unexpected error (with its stack). */
    readonly logFields: Readonly<Record<string, unknown>>,
  ) {
    super(error.details ?? status[code]);
    this.name = 'RpcFailure';
  }
}

function domainDetails(error: DomainError): ErrorDetail[] {
  const details: ErrorDetail[] = [{ kind: 'ErrorInfo', value: { reason: error.code, domain: ERROR_DOMAIN, metadata: {} } }];
  if (error.violations.length > 0) {
    details.push({
      kind: 'BadRequest',
      value: { fieldViolations: error.violations.map((v) => ({ field: v.field, description: v.description, reason: '' })) },
    });
  }
  if (error.retryAfterMs !== undefined) {
    const ms = Math.max(0, Math.ceil(error.retryAfterMs));
    details.push({ kind: 'RetryInfo', value: { retryDelay: { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 } } });
  }
  return details;
}

/**
 * Turns whatever a call threw into a gRPC status. A DomainError answers with its status from core's table and its
 * message, which is client-safe by contract; anything else is a bug or an outage and becomes INTERNAL with only a
 * correlation id (the request id), never its message or stack. An RpcFailure is already one and stays as it is.
 */
export function mapError(error: unknown, requestId: string): RpcFailure {
  if (error instanceof RpcFailure) return error;
  const trailers = new Metadata();
  trailers.set(REQUEST_ID_HEADER, requestId);
  if (isDomainError(error)) {
    const code = status[error.status];
    return new RpcFailure(code, richError(code, error.message, domainDetails(error), trailers), error.code, { reason: error.code });
  }
  const message = `internal error (correlation id ${requestId})`;
  const details: ErrorDetail[] = [{ kind: 'RequestInfo', value: { requestId, servingData: '' } }];
  return new RpcFailure(status.INTERNAL, richError(status.INTERNAL, message, details, trailers), null, { err: error });
}

/** Whatever the inner steps and the handler throw leaves as an RpcFailure. */
export const mapErrors: Interceptor = (next) => async (call) => {
  try {
    return await next(call);
  } catch (error) {
    throw mapError(error, call.requestId);
  }
};
