import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { decodeStatusDetails, type StatusDetail } from './status-details.codec.js';

/** The `google.rpc.ErrorInfo.domain` of every error the service defines. */
export const ERROR_DOMAIN = 'auth.v1';

/** The header and error trailer in which the server echoes (or assigns) a request id. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** One wrong field of a refused request (google.rpc.BadRequest), by its proto field name. */
export interface FieldViolation {
  field: string;
  description: string;
}

/**
 * A failed call, with the server's rich error details decoded. It is a grpc-js ServiceError too (`code`, `details`,
 * `metadata`), so code written against grpc-js keeps working.
 */
export class AuthServiceError extends Error implements ServiceError {
  override readonly name = 'AuthServiceError';
  /** The gRPC status code. */
  readonly code: status;
  /** The status message (grpc-js calls it `details`). */
  readonly details: string;
  /** The trailers of the failed call. */
  readonly metadata: Metadata;
  /** The stable error code of the service (google.rpc.ErrorInfo.reason, e.g. SESSION_REVOKED); undefined when the server sent none. */
  readonly reason: string | undefined;
  /** The wrong fields of an INVALID_ARGUMENT (google.rpc.BadRequest); empty otherwise. */
  readonly fieldViolations: readonly FieldViolation[];
  /** How long the server asks the caller to wait before trying again (google.rpc.RetryInfo), in milliseconds. */
  readonly retryDelayMs: number | undefined;
  /** The request id: google.rpc.RequestInfo's (an INTERNAL error's correlation id), else the `x-request-id` trailer. */
  readonly requestId: string | undefined;
  /** Every detail of the google.rpc.Status, decoded. */
  readonly statusDetails: readonly StatusDetail[];
  /** How many attempts the client made before giving up. */
  readonly attempts: number;

  constructor(error: Pick<ServiceError, 'code' | 'details' | 'metadata'>, attempts = 1) {
    super(`${status[error.code] ?? error.code}: ${error.details}`, { cause: error });
    this.code = error.code;
    this.details = error.details;
    this.metadata = error.metadata ?? new Metadata();
    this.attempts = attempts;
    this.statusDetails = decodeStatusDetails(this.metadata)?.details ?? [];
    let reason: string | undefined;
    let requestId: string | undefined;
    let retryDelayMs: number | undefined;
    const violations: FieldViolation[] = [];
    for (const detail of this.statusDetails) {
      if (detail.kind === 'ErrorInfo' && detail.value.domain === ERROR_DOMAIN) reason = detail.value.reason;
      if (detail.kind === 'BadRequest') violations.push(...detail.value.fieldViolations.map(({ field, description }) => ({ field, description })));
      if (detail.kind === 'RequestInfo' && detail.value.requestId) requestId = detail.value.requestId;
      if (detail.kind === 'RetryInfo' && detail.value.retryDelay) {
        const { seconds, nanos } = detail.value.retryDelay;
        retryDelayMs = seconds * 1_000 + Math.ceil(nanos / 1_000_000);
      }
    }
    const echoed = this.metadata.get(REQUEST_ID_HEADER)[0];
    this.reason = reason;
    this.fieldViolations = violations;
    this.retryDelayMs = retryDelayMs;
    this.requestId = requestId ?? (typeof echoed === 'string' ? echoed : undefined);
  }

  /** The status name: UNAUTHENTICATED, INVALID_ARGUMENT, ... */
  get codeName(): string {
    return status[this.code] ?? String(this.code);
  }
}

/** Whether `error` is a failed call of an AuthClient. */
export function isAuthServiceError(error: unknown): error is AuthServiceError {
  return error instanceof AuthServiceError;
}
