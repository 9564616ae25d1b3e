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

  create(type: EventType, account: Account, now: Date): OutboxEvent {
    const id = this.options.ids.uuid();
    return {
      id,
      type,
      topic: this.options.topics[type],
      key: account.id,
      payload: { schema_version: EVENT_SCHEMA_VERSION, account: profileToEventJson(toPublicProfile(account)) },
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
}
