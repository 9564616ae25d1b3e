import type { EventType } from '@authsvc/core';
import type { AppConfig } from '../config/config.types.js';

/** Every topic this service publishes to: the account events' and the security topic. */
export function allTopicsOf(config: AppConfig): string[] {
  return [...new Set([...Object.values(topicsOf(config)), config.kafka.topics.security])];
}

/** The topic of each event type, from kafka.topics.*. */
export function topicsOf(config: AppConfig): Record<EventType, string> {
  const t = config.kafka.topics;
  return { 'user.created': t.userCreated, 'artist.created': t.artistCreated, 'user.updated': t.userUpdated, 'artist.updated': t.artistUpdated };
}
