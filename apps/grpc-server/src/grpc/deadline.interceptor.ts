import { status, type ServiceError } from '@grpc/grpc-js';
import { callAborted } from '@authsvc/core';
import type { CallTransport, Interceptor } from './call-context.types.js';
import { RpcFailure } from './error-mapping.interceptor.js';

function deadlinePassed(call: CallTransport): boolean {
  const deadline = call.getDeadline();
  const at = deadline instanceof Date ? deadline.getTime() : deadline;
  return Number.isFinite(at) && at <= Date.now();
}

/**
 * A call whose deadline has already passed is refused unprocessed. Otherwise the deadline and cancellation become
 * the call's AbortSignal, which core honours between steps. grpc-js answers DEADLINE_EXCEEDED itself when the
 * deadline passes and then reports the call cancelled, as it does when the client cancels or goes away; the
 * signal's reason tells core which of the two it was (a `TimeoutError` means the deadline).
 */
export const deadline: Interceptor = (next) => async (call) => {
  if (deadlinePassed(call.transport)) {
    const late: Partial<ServiceError> = { code: status.DEADLINE_EXCEEDED, details: 'deadline exceeded before processing' };
    throw new RpcFailure(status.DEADLINE_EXCEEDED, late, null, {});
  }
  const controller = new AbortController();
  const onCancelled = (): void => {
    const name = deadlinePassed(call.transport) ? 'TimeoutError' : 'AbortError';
    controller.abort(new DOMException(name === 'TimeoutError' ? 'the deadline passed' : 'the client cancelled the call', name));
  };
  call.transport.once('cancelled', onCancelled);
  try {
    return await next({ ...call, signal: controller.signal });
  } catch (error) {
    // Core reports an abort as DEADLINE_EXCEEDED or CANCELLED; the raw reason can only come from outside it.
    throw controller.signal.aborted && error === controller.signal.reason ? callAborted(controller.signal) : error;
  } finally {
    // A finished call must not keep its listener.
    call.transport.removeListener('cancelled', onCancelled);
  }
};
