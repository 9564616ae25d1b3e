import type { EventType } from '@authsvc/core';
import type { AppConfig } from '../config/config.types.js';

/** Every topic this service publishes to: the account events' and the security topic. */
export function allTopicsOf(config: AppConfig): string[] {
  return [...new Set([...Object.values(topicsOf(config)), config.kafka.topics.security])];
}

/** The topic of each event type, from kafka.topics.*. */
export function topicsOf(config: AppConfig): Record<EventType, string> {
  const t = config.kafka.topics;
  return {
    'user.created': t.userCreated,
    'artist.created': t.artistCreated,
    'user.updated': t.userUpdated,
    'artist.updated': t.artistUpdated,
    'user.deleted': t.userDeleted,
    'artist.deleted': t.artistDeleted,
    'user.restored': t.userRestored,
    'artist.restored': t.artistRestored,
    'user.erased': t.userErased,
    'artist.erased': t.artistErased,
  };
}
