import type { PublicProfile } from './account.model.js';
import type { SecurityEventPayload, SecurityEventType } from './security-event.model.js';

/** Event types written to the outbox. Each is published to the topic of the same name unless configured otherwise. */
export const EVENT_TYPES = [
  'user.created',
  'artist.created',
  'user.updated',
  'artist.updated',
  'user.deleted',
  'artist.deleted',
  'user.restored',
  'artist.restored',
  'user.erased',
  'artist.erased',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Version of the JSON payload schema (docs/events.md). Bump on any incompatible change. */
export const EVENT_SCHEMA_VERSION = 1;

/**
 * The JSON payload of every account event: the public profile at the time of the change (`*.deleted` adds
 * `deleted_at` and `erase_after`); `*.erased` carries only the id and the kind, the rest being gone.
 */
export interface AccountEventPayload {
  schema_version: typeof EVENT_SCHEMA_VERSION;
  account: Record<string, unknown>;
}

/** An event as the use case writes it to the outbox, in the same unit of work as the change it reports. */
export interface OutboxEvent {
  /** Unique id (UUID v7); consumers deduplicate by it (CloudEvents `ce_id`). */
  id: string;
  /** An account event's type, or a security event's (security-event.model.ts). */
  type: EventType | SecurityEventType;
  topic: string;
  /** Partition key: the account id, so one account's events stay in order. */
  key: string;
  payload: AccountEventPayload | SecurityEventPayload;
  headers: Record<string, string>;
  createdAt: Date;
}

/** The public profile as JSON: snake_case keys, ISO-8601 times, no password hash. */
export function profileToEventJson(profile: PublicProfile): Record<string, unknown> {
  const common = {
    id: profile.id,
    kind: profile.kind,
    role: profile.role,
    username: profile.username,
    email: profile.email,
    country: profile.country,
    created_at: profile.createdAt.toISOString(),
    updated_at: profile.updatedAt.toISOString(),
    email_verified: profile.emailVerifiedAt !== null,
    email_verified_at: profile.emailVerifiedAt?.toISOString() ?? null,
  };
  if (profile.kind === 'user') {
    return { ...common, gender: profile.gender, age: profile.age };
  }
  return { ...common, author: profile.author, producer: profile.producer, description: profile.description };
}
