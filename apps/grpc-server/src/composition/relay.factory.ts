import type { EventPublisher, OutboxRelayStore } from '@authsvc/core';
import type { AppConfig } from '../config/config.types.js';
import type { AppLogger } from '../logging/create-logger.js';

/** Starts the outbox relay; resolves to a function that stops it (finishing the batch in flight). */
export async function startRelay(_config: AppConfig, logger: AppLogger, _store: OutboxRelayStore, _publisher: EventPublisher): Promise<() => Promise<void>> {
  logger.warn('outbox relay not wired yet');
  return async () => {};
}
