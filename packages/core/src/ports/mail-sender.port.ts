/** A rendered mail, ready for the wire. */
export interface MailMessage {
  /** Globally unique, stable across retries of the same outbox mail (`<id@host>`). */
  messageId: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Hands mails to a mail server (or a drop folder). */
export interface MailSender {
  /** Resolves once the server accepted the mail; rejects (MailSendError when the reply says whether to retry) otherwise. Returns where it went, for the log (never the content). */
  send(message: MailMessage): Promise<{ destination: string }>;
  /** Closes connections. Idempotent. */
  close(): Promise<void>;
}
