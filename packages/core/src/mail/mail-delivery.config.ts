import type { BackoffPolicy } from '../outbox/retry-backoff.util.js';

export interface MailDeliveryOptions {
  /** Mails claimed per round; a full batch means a backlog, and the next round starts at once. */
  batchSize: number;
  /** How often the worker looks for due mail. */
  pollIntervalMs: number;
  /** Retry delays after a failed send (exponential, full jitter). */
  backoff: BackoffPolicy;
  /** Tries in all before a mail is abandoned, whatever the failures (connection refused, 4xx...). */
  maxAttempts: number;
  /** Permanent refusals (SMTP 5xx) before a mail is abandoned: a 5xx may come from a misconfigured relay that gets fixed, so it is not final at once. */
  maxRejections: number;
  /** Sent mails (their rows, without any token) are deleted once older than this. */
  retentionMs: number;
  /** How long stop() lets the batch in flight finish; mails not sent by then stay pending. */
  stopTimeoutMs: number;
  /** The right-hand side of each Message-ID (`<mail id@host>`). */
  messageIdHost: string;
}

export const DEFAULT_MAIL_DELIVERY_OPTIONS: MailDeliveryOptions = {
  batchSize: 20,
  pollIntervalMs: 1_000,
  backoff: { baseMs: 2_000, capMs: 10 * 60_000 },
  maxAttempts: 10,
  maxRejections: 3,
  retentionMs: 7 * 24 * 3_600_000,
  stopTimeoutMs: 10_000,
  messageIdHost: 'authsvc.invalid',
};
