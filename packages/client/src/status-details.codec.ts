import type { Metadata } from '@grpc/grpc-js';
import { BadRequest, ErrorInfo, RequestInfo, RetryInfo } from '@authsvc/proto/google/rpc/error_details';
import { Status } from '@authsvc/proto/google/rpc/status';

/** The trailer in which a gRPC server sends a google.rpc.Status with rich error details. */
export const STATUS_DETAILS_TRAILER = 'grpc-status-details-bin';

/** One detail of a google.rpc.Status, decoded; a type this client does not know is kept by its URL. */
export type StatusDetail =
  | { kind: 'ErrorInfo'; value: ErrorInfo }
  | { kind: 'BadRequest'; value: BadRequest }
  | { kind: 'RetryInfo'; value: RetryInfo }
  | { kind: 'RequestInfo'; value: RequestInfo }
  | { kind: 'unknown'; typeUrl: string };

const TYPE_PREFIX = 'type.googleapis.com/google.rpc.';

function decodeDetail(typeUrl: string, value: Uint8Array): StatusDetail {
  // The whole URL is compared, not its last segment: the type is resolved by it.
  switch (typeUrl) {
    case `${TYPE_PREFIX}ErrorInfo`:
      return { kind: 'ErrorInfo', value: ErrorInfo.decode(value) };
    case `${TYPE_PREFIX}BadRequest`:
      return { kind: 'BadRequest', value: BadRequest.decode(value) };
    case `${TYPE_PREFIX}RetryInfo`:
      return { kind: 'RetryInfo', value: RetryInfo.decode(value) };
    case `${TYPE_PREFIX}RequestInfo`:
      return { kind: 'RequestInfo', value: RequestInfo.decode(value) };
    default:
      return { kind: 'unknown', typeUrl };
  }
}

/**
 * The google.rpc.Status of a failed call's `grpc-status-details-bin` trailer; null when there is none or it is not a
 * Status. Written apart from the server's encoder, so that a test decoding with it checks the encoding, not a mirror.
 */
export function decodeStatusDetails(trailers: Metadata): { status: Status; details: StatusDetail[] } | null {
  const [raw] = trailers.get(STATUS_DETAILS_TRAILER);
  if (!(raw instanceof Buffer)) return null;
  try {
    const status = Status.decode(raw);
    return { status, details: status.details.map((any) => decodeDetail(any.typeUrl, any.value)) };
  } catch {
    return null;
  }
}
