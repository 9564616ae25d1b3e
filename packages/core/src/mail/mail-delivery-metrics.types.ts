import type { MailKind } from '../domain/outgoing-mail.model.js';

/** Hooks the worker calls so the composition root can count and log; each is optional and must not throw. Never given a token. */
export interface MailDeliveryMetrics {
  /** The server accepted mail `id` of `kind`; `destination` says where it went (an SMTP host, a file). */
  onSent?(mail: { id: string; kind: MailKind }, destination: string): void;
  /** A send failed and is retried at `retryAt`; `rejected`: the server refused it permanently (5xx). */
  onFailed?(mail: { id: string; kind: MailKind; attempts: number }, error: unknown, retryAt: Date, rejected: boolean): void;
  /** The mail is given up for good after `attempts` tries. */
  onAbandoned?(mail: { id: string; kind: MailKind; attempts: number }, error: unknown): void;
  /** The mail outbox itself (the database) failed a round. */
  onStoreError?(error: unknown): void;
}
