import type { SignInDevice } from './known-device.model.js';

/** The mails the service sends; each has its template (plain text and HTML). */
export const MAIL_KINDS = ['verify-email', 'reset-password', 'confirm-email-change', 'email-change-notice', 'new-device'] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

/**
 * A mail as a use case writes it to the mail outbox, in the same unit of work as its token. It carries no rendered
 * text: the delivery worker renders the template when it sends, and the token travels sealed (AES-256-GCM under a
 * key derived from the service's secret, see MailTokenSealer), so the database holds no usable token.
 */
export interface OutgoingMail {
  /** UUID v7; the Message-ID of the sent mail derives from it, so a mail sent twice is recognisable as one. */
  id: string;
  kind: MailKind;
  /** Recipient address, as the account typed it. */
  to: string;
  accountId: string;
  /** The account's username, for the greeting. */
  username: string;
  /** The sealed token of the link (null for a notice, which has no link). */
  sealedToken: string | null;
  /** For email-change-notice: the address the change goes to (shown to the old address's owner). */
  newEmail: string | null;
  /** For new-device: the device of the sign-in (its time is `createdAt`). Absent or null for every other kind. */
  device?: SignInDevice | null;
  createdAt: Date;
}
