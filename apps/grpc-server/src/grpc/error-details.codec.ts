import { Metadata, type ServiceError, type status } from '@grpc/grpc-js';
import { Any } from '@authsvc/proto/google/protobuf/any';
import { Status } from '@authsvc/proto/google/rpc/status';
import { BadRequest, ErrorInfo, RequestInfo, RetryInfo } from '@authsvc/proto/google/rpc/error_details';

export const STATUS_DETAILS_HEADER = 'grpc-status-details-bin';
const TYPE_PREFIX = 'type.googleapis.com/';

/** One rich error detail, as the standard google.rpc messages define them. */
export type ErrorDetail =
  | { kind: 'ErrorInfo'; value: ErrorInfo }
  | { kind: 'BadRequest'; value: BadRequest }
  | { kind: 'RetryInfo'; value: RetryInfo }
  | { kind: 'RequestInfo'; value: RequestInfo };

function pack(detail: ErrorDetail): Any {
  const typeUrl = `${TYPE_PREFIX}google.rpc.${detail.kind}`;
  switch (detail.kind) {
    case 'ErrorInfo':
      return { typeUrl, value: Buffer.from(ErrorInfo.encode(detail.value).finish()) };
    case 'BadRequest':
      return { typeUrl, value: Buffer.from(BadRequest.encode(detail.value).finish()) };
    case 'RetryInfo':
      return { typeUrl, value: Buffer.from(RetryInfo.encode(detail.value).finish()) };
    case 'RequestInfo':
      return { typeUrl, value: Buffer.from(RequestInfo.encode(detail.value).finish()) };
  }
}

/**
 * A grpc-js error carrying a google.rpc.Status (code, message, details) in the standard
 * `grpc-status-details-bin` trailer, which grpcurl and every gRPC rich-error library decode (@authsvc/client among them).
 */
export function richError(code: status, message: string, details: readonly ErrorDetail[], trailers = new Metadata()): Partial<ServiceError> {
  const encoded = Status.encode({ code, message, details: details.map(pack) }).finish();
  trailers.set(STATUS_DETAILS_HEADER, Buffer.from(encoded));
  return { code, details: message, metadata: trailers };
}
