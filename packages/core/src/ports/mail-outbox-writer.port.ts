import type { OutgoingMail } from '../domain/outgoing-mail.model.js';

/** Write side of the mail outbox, used by use cases inside a unit of work. */
export interface MailOutboxWriter {
  /** Adds mails that become visible to the delivery worker only when the unit of work commits. */
  enqueue(mails: readonly OutgoingMail[]): Promise<void>;
}
