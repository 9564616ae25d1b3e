import { DomainError } from '../errors/domain.errors.js';

/** Per-call options that every AuthService method accepts as its last argument. */
export interface CallOptions {
  /**
   * Ends the call early: once it fires, the operation starts no further step (no store call, no password hash,
   * no commit; a hash still waiting for a worker is dropped from the queue) and rejects with DEADLINE_EXCEEDED
   * when the signal's reason is a `TimeoutError` (as from `AbortSignal.timeout(ms)`), CANCELLED otherwise.
   * A step already running finishes, bounded by its store's own timeout; a commit that happened stays.
   */
  signal?: AbortSignal;
  /**
   * The address of the client the call comes from (an IP address; the gRPC edge takes it from the peer, or from a
   * forwarded header sent by a trusted proxy). Logins and registrations are limited per client address when it is
   * given; without it only the per-login-name limits apply. An embedding app passes the address it trusts.
   */
  clientAddress?: string;
  /** The client's user agent (the gRPC edge takes the `user-agent` header), kept with a new session; truncated to 256 characters. */
  userAgent?: string;
}

/** The domain error for a call whose signal fired. */
export function callAborted(signal: AbortSignal): DomainError {
  const reason: unknown = signal.reason;
  const timedOut = reason instanceof Error && reason.name === 'TimeoutError';
  return timedOut
    ? new DomainError('DEADLINE_EXCEEDED', { cause: reason })
    : new DomainError('CANCELLED', { cause: reason });
}

/** Throws the domain error of an aborted call; cheap enough to put before every step. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw callAborted(signal);
}

/**
 * Runs one operation under its call options: refuses to start when the signal has already fired, and turns the
 * signal's own reason (thrown by `signal.throwIfAborted()` or by a port that honours the signal) into the
 * domain error, so callers only ever see DEADLINE_EXCEEDED or CANCELLED.
 */
export async function runCall<T>(call: CallOptions | undefined, operation: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
  const signal = call?.signal;
  if (signal === undefined) return operation(undefined);
  try {
    throwIfAborted(signal);
    return await operation(signal);
  } catch (error) {
    if (signal.aborted && error === signal.reason) throw callAborted(signal);
    throw error;
  }
}
