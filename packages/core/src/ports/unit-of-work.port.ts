import type { AccountReader } from './account-reader.port.js';
import type { AccountWriter } from './account-writer.port.js';
import type { OutboxWriter } from './outbox-writer.port.js';
import type { AccountTokenStore } from './account-token-store.port.js';
import type { MailOutboxWriter } from './mail-outbox-writer.port.js';
import type { SecurityEventWriter } from './security-event-store.port.js';
import type { KnownDeviceStore } from './known-device-store.port.js';

/** Repositories bound to one transaction. */
export interface TransactionScope {
  accounts: AccountReader & AccountWriter;
  outbox: OutboxWriter;
  /** Mailed single-use tokens. */
  tokens: AccountTokenStore;
  /** Mails to send once the unit of work commits. */
  mail: MailOutboxWriter;
  /** The audit trail of security events (written with their outbox rows by SecurityEventRecorder). */
  securityEvents: SecurityEventWriter;
  /** The devices each account signed in from (new-device notices). */
  devices: KnownDeviceStore;
}

/** Runs work atomically: every write through `scope` commits together or not at all. */
export interface UnitOfWork {
  /** Commits when `work` resolves, rolls back when it throws (and rethrows). May re-run `work` on a serialization failure or deadlock, so `work` must have no side effects outside `scope`. */
  run<T>(work: (scope: TransactionScope) => Promise<T>): Promise<T>;
}
