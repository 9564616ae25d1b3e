import type { Account } from '../domain/account.model.js';
import { toPublicProfile } from '../domain/account.model.js';
import type { EventType, OutboxEvent } from '../domain/account-event.model.js';
import { EVENT_SCHEMA_VERSION, profileToEventJson } from '../domain/account-event.model.js';
import type { IdGenerator } from '../ports/id-generator.port.js';

export interface AccountEventFactoryOptions {
  ids: IdGenerator;
  topics: Record<EventType, string>;
  /** CloudEvents `source` attribute. */
  eventSource: string;
}

/**
 * Builds the outbox event that reports a change to an account. Headers follow the CloudEvents 1.0
 * Kafka protocol binding in binary mode, so consumers can route and deduplicate without parsing the payload.
 */
export class AccountEventFactory {
  constructor(private readonly options: AccountEventFactoryOptions) {}

  create(type: EventType, account: Account, now: Date, body: Record<string, unknown> = profileToEventJson(toPublicProfile(account))): OutboxEvent {
    const id = this.options.ids.uuid();
    return {
      id,
      type,
      topic: this.options.topics[type],
      key: account.id,
      payload: { schema_version: EVENT_SCHEMA_VERSION, account: body },
      headers: {
        ce_specversion: '1.0',
        ce_id: id,
        ce_type: type,
        ce_source: this.options.eventSource,
        ce_time: now.toISOString(),
        ce_subject: account.id,
        'content-type': 'application/json',
      },
      createdAt: now,
    };
  }

  /** `user.created` or `artist.created`, by the account's kind. */
  created(account: Account, now: Date): OutboxEvent {
    return this.create(account.kind === 'user' ? 'user.created' : 'artist.created', account, now);
  }

  /** `user.updated` or `artist.updated`, by the account's kind. */
  updated(account: Account, now: Date): OutboxEvent {
    return this.create(account.kind === 'user' ? 'user.updated' : 'artist.updated', account, now);
  }

  /** `user.deleted` or `artist.deleted`: the profile, when it was deleted and from when housekeeping may erase it. */
  deleted(account: Account, eraseAfter: Date, now: Date): OutboxEvent {
    const body = { ...profileToEventJson(toPublicProfile(account)), deleted_at: account.deletedAt?.toISOString() ?? now.toISOString(), erase_after: eraseAfter.toISOString() };
    return this.create(account.kind === 'user' ? 'user.deleted' : 'artist.deleted', account, now, body);
  }

  /** `user.restored` or `artist.restored`: an admin cancelled the deletion; the profile as it is. */
  restored(account: Account, now: Date): OutboxEvent {
    return this.create(account.kind === 'user' ? 'user.restored' : 'artist.restored', account, now);
  }

  /** `user.erased` or `artist.erased`: the account's personal data is gone; consumers erase their copies. Only the id and the kind. */
  erased(account: Pick<Account, 'id' | 'kind'>, now: Date): OutboxEvent {
    return this.create(account.kind === 'user' ? 'user.erased' : 'artist.erased', account as Account, now, { id: account.id, kind: account.kind, erased_at: now.toISOString() });
  }
}
