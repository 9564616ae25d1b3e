import type { EventType } from '@authsvc/core';
import type { AppConfig } from '../config/config.types.js';

/** The topic of each event type, from kafka.topics.*. */
export function topicsOf(config: AppConfig): Record<EventType, string> {
  const t = config.kafka.topics;
  return { 'user.created': t.userCreated, 'artist.created': t.artistCreated, 'user.updated': t.userUpdated, 'artist.updated': t.artistUpdated };
}
