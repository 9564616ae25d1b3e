import { status } from '@grpc/grpc-js';
import { READ_ONLY_RPCS, SAFE_TO_RETRY_RPCS, type RetryPolicy } from './call-defaults.config.js';
import type { RpcName } from './rpc-methods.types.js';

/** Whether the policy retries this RPC after UNAVAILABLE. */
export function retriesMethod(policy: RetryPolicy, method: RpcName): boolean {
  if (policy.methods === 'all') return true;
  const methods = policy.methods === 'safe' ? SAFE_TO_RETRY_RPCS : policy.methods === 'read-only' ? READ_ONLY_RPCS : policy.methods;
  return methods.includes(method);
}

/**
 * The wait before retry number `retry` (1 for the first): "full jitter", a random point below a ceiling that doubles
 * each time, so that clients failing together do not come back together.
 */
export function backoffMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

export interface FailedAttempt {
  /** The gRPC status of the failure. */
  code: status;
  /** The server's google.rpc.RetryInfo delay, when it sent one. */
  retryDelayMs: number | undefined;
  /** Attempts made so far, this one included. */
  attempts: number;
  /** Time left before the call's deadline (Infinity without one). */
  msLeft: number;
}

/**
 * How long to wait before trying again, or null to give up: only UNAVAILABLE is retried, only as many times as the
 * policy allows, never past the deadline, and after the server's RetryInfo delay when it sent one (its own estimate
 * beats a guess), unless that delay is longer than the policy accepts.
 */
export function retryDelay(policy: RetryPolicy, failure: FailedAttempt, random: () => number = Math.random): number | null {
  if (failure.code !== status.UNAVAILABLE || failure.attempts >= policy.maxAttempts) return null;
  if (failure.retryDelayMs !== undefined && failure.retryDelayMs > policy.maxRetryInfoDelayMs) return null;
  const wait = failure.retryDelayMs ?? backoffMs(policy, failure.attempts, random);
  return wait < failure.msLeft ? wait : null;
}
