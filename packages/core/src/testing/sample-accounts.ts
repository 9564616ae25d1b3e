import type { ArtistAccount, UserAccount } from '../domain/account.js';
import { EVENT_SCHEMA_VERSION, type OutboxEvent } from '../domain/account-event.js';
import { testUuidV7, uniqueSuffix } from './test-ids.js';

/** A bcrypt-shaped placeholder: stores must keep it verbatim, nothing verifies it. */
const PLACEHOLDER_HASH = '$2b$10$abcdefghijklmnopqrstuuJ9Yk7m0dCgqVZVb3W6mO0aY1r2kZc3e';

/** A valid user with a fresh UUID and a username/email no other call returns. */
export function aUserAccount(overrides: Partial<Omit<UserAccount, 'kind'>> = {}): UserAccount {
  const now = overrides.createdAt ?? new Date();
  const username = overrides.username ?? `user_${uniqueSuffix()}`;
  return {
    id: testUuidV7(now),
    kind: 'user',
    role: 'USER',
    username,
    email: `mail_${uniqueSuffix()}@example.com`,
    passwordHash: PLACEHOLDER_HASH,
    createdAt: now,
    updatedAt: now,
    gender: 'prefer_not_to_say',
    country: 'SE',
    age: 33,
    ...overrides,
  };
}

/** A valid artist with a fresh UUID and a username/email/author no other call returns. */
export function anArtistAccount(overrides: Partial<Omit<ArtistAccount, 'kind'>> = {}): ArtistAccount {
  const now = overrides.createdAt ?? new Date();
  const suffix = uniqueSuffix();
  const username = overrides.username ?? `artist_${suffix}`;
  return {
    id: testUuidV7(now),
    kind: 'artist',
    role: 'ARTIST',
    username,
    email: `mail_${uniqueSuffix()}@example.com`,
    passwordHash: PLACEHOLDER_HASH,
    createdAt: now,
    updatedAt: now,
    author: `The Band ${suffix}`,
    producer: 'Northern Records',
    country: 'IS',
    description: 'Ambient post-rock from Reykjavík 🎵',
    ...overrides,
  };
}

/** A `user.created` event for a fresh account id (the key), with CloudEvents-style headers. */
export function anOutboxEvent(overrides: Partial<OutboxEvent> = {}): OutboxEvent {
  const createdAt = overrides.createdAt ?? new Date();
  const id = overrides.id ?? testUuidV7(createdAt);
  const type = overrides.type ?? 'user.created';
  const key = overrides.key ?? testUuidV7(createdAt);
  const username = `user_${uniqueSuffix()}`;
  return {
    id,
    type,
    topic: type,
    key,
    payload: {
      schema_version: EVENT_SCHEMA_VERSION,
      account: {
        id: key,
        kind: 'user',
        role: 'USER',
        username,
        email: `${username}@example.com`,
        country: 'SE',
        gender: 'female',
        age: 41,
        created_at: createdAt.toISOString(),
        updated_at: createdAt.toISOString(),
        nested: { list: [1, 'två', null, true], empty: {} },
      },
    },
    headers: {
      ce_specversion: '1.0',
      ce_id: id,
      ce_type: type,
      ce_source: '/authsvc',
      'content-type': 'application/json',
    },
    createdAt,
    ...overrides,
  };
}
