import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { isDomainError, type DomainError } from '@authsvc/core';
import { ERROR_DOMAIN, ERROR_STATUS } from './error-status.table.js';
import { richError, type ErrorDetail } from './error-details.js';
import { REQUEST_ID_HEADER } from './request-id.js';

/** What a failed call becomes on the wire, plus what the access log needs to know about it. */
export interface MappedError {
  error: Partial<ServiceError>;
  code: status;
  /** The domain error code, or `null` for an unexpected failure. */
  reason: string | null;
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
 * Turns whatever a handler threw into a gRPC status. A DomainError's message is client-safe by
 * contract; anything else is a bug or an outage and becomes INTERNAL with only a correlation id
 * (the request id), never its message or stack.
 */
export function mapError(error: unknown, requestId: string): MappedError {
  const trailers = new Metadata();
  trailers.set(REQUEST_ID_HEADER, requestId);
  if (isDomainError(error)) {
    const code = ERROR_STATUS[error.code];
    return { error: richError(code, error.message, domainDetails(error), trailers), code, reason: error.code };
  }
  const message = `internal error (correlation id ${requestId})`;
  const details: ErrorDetail[] = [{ kind: 'RequestInfo', value: { requestId, servingData: '' } }];
  return { error: richError(status.INTERNAL, message, details, trailers), code: status.INTERNAL, reason: null };
}
