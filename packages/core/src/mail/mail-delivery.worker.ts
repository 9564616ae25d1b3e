import type { TokenPurpose } from '../domain/account-token.model.js';
import type { MailKind } from '../domain/outgoing-mail.model.js';
import type { MailTokenSealer } from '../crypto/mail-token-sealer.codec.js';
import { MailSendError } from '../errors/mail-send.errors.js';
import type { Clock } from '../ports/clock.port.js';
import type { MailBatchOutcome, MailOutboxStats, MailOutboxStore, PendingMail } from '../ports/mail-outbox-store.port.js';
import type { MailMessage, MailSender } from '../ports/mail-sender.port.js';
import { computeRetryAt } from '../outbox/retry-backoff.util.js';
import type { MailDeliveryMetrics } from './mail-delivery-metrics.types.js';
import { DEFAULT_MAIL_DELIVERY_OPTIONS, type MailDeliveryOptions } from './mail-delivery.config.js';
import { renderMail, type MailTemplateSettings } from './mail-templates.model.js';

export interface MailDeliveryDependencies {
  store: MailOutboxStore;
  sender: MailSender;
  /** Opens the sealed tokens; made from the same secret as the service's. */
  sealer: MailTokenSealer;
  templates: MailTemplateSettings;
  /** The From header. */
  from: string;
  /** How long each kind of token works (for the "the link works for ..." line). */
  tokenLifetimesMs: Record<TokenPurpose, number>;
  clock?: Clock;
  metrics?: MailDeliveryMetrics;
  /** Source of jitter in [0, 1); tests pin it. */
  random?: () => number;
}

const SYSTEM_CLOCK: Clock = { now: () => new Date() };
const MAX_ERROR_LENGTH = 500;
const PURPOSE_OF: Record<MailKind, TokenPurpose | null> = {
  'verify-email': 'verify-email',
  'reset-password': 'reset-password',
  'confirm-email-change': 'change-email',
  'email-change-notice': null,
  'new-device': null,
};

/**
 * Sends the mail outbox: each round claims due mails (no other worker can take them meanwhile), renders and sends
 * them one by one, and records each outcome. A mail is marked sent only once the server accepted it, so nothing is
 * lost; it is sent twice only if the process or the database fails between the server's acceptance and the mark
 * (at least once). A failure is retried with exponential backoff; a mail is abandoned (metric + log through
 * `onAbandoned`) after `maxAttempts` tries in all or `maxRejections` permanent refusals (SMTP 5xx).
 */
export class MailDeliveryWorker {
  readonly #deps: MailDeliveryDependencies;
  readonly #options: MailDeliveryOptions;
  readonly #clock: Clock;
  readonly #random: () => number;
  #loop: Promise<void> | null = null;
  #stopRequested = false;
  #endSleep: (() => void) | null = null;
  #lastPruneMs = Number.NEGATIVE_INFINITY;

  constructor(deps: MailDeliveryDependencies, options: Partial<MailDeliveryOptions> = {}) {
    this.#deps = deps;
    this.#options = { ...DEFAULT_MAIL_DELIVERY_OPTIONS, ...options };
    this.#clock = deps.clock ?? SYSTEM_CLOCK;
    this.#random = deps.random ?? Math.random;
    if (this.#options.maxAttempts < 1 || this.#options.maxRejections < 1) throw new RangeError('maxAttempts and maxRejections must be at least 1');
  }

  get running(): boolean {
    return this.#loop !== null;
  }

  /** Starts the loop; the first round runs at once. Idempotent. */
  start(): void {
    if (this.#loop) return;
    this.#stopRequested = false;
    this.#loop = this.#run();
  }

  /** Lets the mail being sent finish (within `stopTimeoutMs`), then stops; unsent mails of the batch stay pending. */
  async stop(): Promise<void> {
    const loop = this.#loop;
    if (!loop) return;
    this.#stopRequested = true;
    this.#endSleep?.();
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, this.#options.stopTimeoutMs).unref());
    await Promise.race([loop, timeout]);
    this.#loop = null;
  }

  /** Wakes the loop (e.g. after a commit that queued mail). */
  wake(): void {
    this.#endSleep?.();
  }

  stats(): Promise<MailOutboxStats> {
    return this.#deps.store.stats(this.#clock.now());
  }

  /** One round: claims, sends and settles one batch; returns how many mails it claimed. Tests call it directly. */
  async deliverOnce(): Promise<number> {
    return this.#deps.store.processBatch(this.#options.batchSize, (mails) => this.#deliver(mails), this.#clock.now());
  }

  async #run(): Promise<void> {
    while (!this.#stopRequested) {
      let waitMs = this.#options.pollIntervalMs;
      try {
        const claimed = await this.deliverOnce();
        if (claimed >= this.#options.batchSize) waitMs = 0;
        await this.#pruneIfDue();
      } catch (error) {
        this.#emit(() => this.#deps.metrics?.onStoreError?.(error));
      }
      if (!this.#stopRequested && waitMs > 0) await this.#sleep(waitMs);
    }
  }

  async #deliver(mails: readonly PendingMail[]): Promise<MailBatchOutcome> {
    const sent: string[] = [];
    const failed: { id: string; error: string; retryAt: Date; rejected: boolean }[] = [];
    const abandoned: { id: string; error: string }[] = [];
    for (const mail of mails) {
      // Stopping: the rest of the batch stays pending, unmarked, for the next round of any worker.
      if (this.#stopRequested) break;
      let message: MailMessage;
      try {
        message = this.#render(mail);
      } catch (error) {
        // A token sealed under another secret can never be opened: retrying would not help.
        abandoned.push({ id: mail.id, error: errorText(error) });
        this.#emit(() => this.#deps.metrics?.onAbandoned?.({ id: mail.id, kind: mail.kind, attempts: mail.attempts + 1 }, error));
        continue;
      }
      try {
        const { destination } = await this.#deps.sender.send(message);
        sent.push(mail.id);
        this.#emit(() => this.#deps.metrics?.onSent?.({ id: mail.id, kind: mail.kind }, destination));
      } catch (error) {
        const rejected = error instanceof MailSendError && error.permanent;
        const attempts = mail.attempts + 1;
        const rejections = mail.rejections + (rejected ? 1 : 0);
        if (attempts >= this.#options.maxAttempts || rejections >= this.#options.maxRejections) {
          abandoned.push({ id: mail.id, error: errorText(error) });
          this.#emit(() => this.#deps.metrics?.onAbandoned?.({ id: mail.id, kind: mail.kind, attempts }, error));
        } else {
          const retryAt = computeRetryAt(mail.attempts, this.#clock.now(), this.#options.backoff, this.#random);
          failed.push({ id: mail.id, error: errorText(error), retryAt, rejected });
          this.#emit(() => this.#deps.metrics?.onFailed?.({ id: mail.id, kind: mail.kind, attempts }, error, retryAt, rejected));
        }
      }
    }
    return { sent, failed, abandoned };
  }

  #render(mail: PendingMail): MailMessage {
    const purpose = PURPOSE_OF[mail.kind];
    const token = mail.sealedToken === null ? null : this.#deps.sealer.open(mail.sealedToken);
    const content = renderMail(this.#deps.templates, {
      kind: mail.kind,
      username: mail.username,
      token,
      newEmail: mail.newEmail,
      device: mail.device ? { ...mail.device, at: mail.createdAt } : null,
      validForMs: purpose === null ? null : this.#deps.tokenLifetimesMs[purpose],
    });
    return { messageId: `<${mail.id}@${this.#options.messageIdHost}>`, from: this.#deps.from, to: mail.to, ...content };
  }

  async #pruneIfDue(): Promise<void> {
    const nowMs = this.#clock.now().getTime();
    if (nowMs - this.#lastPruneMs < 3_600_000) return;
    this.#lastPruneMs = nowMs;
    await this.#deps.store.pruneSent(new Date(nowMs - this.#options.retentionMs), 1_000);
  }

  #sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#endSleep = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#endSleep = done;
    });
  }

  #emit(hook: () => void): void {
    try {
      hook();
    } catch {
      // a metrics hook must not stop delivery
    }
  }
}

/** The error for the store and the log: its class and message, bounded; never the mail. */
function errorText(error: unknown): string {
  return (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, MAX_ERROR_LENGTH);
}
