import { openDatabase } from '../composition/database.factory.js';
import { openEventPublisher } from '../composition/event-publisher.factory.js';
import { startRelay } from '../composition/relay.factory.js';
import { ResourceStack } from '../composition/resource-stack.js';
import { createPostgresStores } from '@authsvc/adapters-postgres';
import type { AppConfig } from '../config/config.types.js';
import type { AppLogger } from '../logging/create-logger.js';

/**
 * The outbox relay as its own process: database, producer and relay only. Resolves to the stop function
 * (relay stopped, producer flushed, database closed: reverse order of opening).
 */
export async function runRelayProcess(config: AppConfig, logger: AppLogger): Promise<() => Promise<void>> {
  const resources = new ResourceStack();
  try {
    const database = await openDatabase(config, logger);
    resources.push('database', () => database.handle.close());
    const events = await openEventPublisher(config, logger);
    resources.push('event publisher', () => events.close());
    const relay = await startRelay(config, logger, createPostgresStores(database.handle).relayStore, events.publisher);
    resources.push('outbox relay', () => relay.stop());
    logger.info(`database: ${database.description}`);
    logger.info(`events: ${events.description}`);
    logger.info(`outbox relay running, every ${config.outbox.pollInterval} ms or on commit`);
    return () => resources.close(logger);
  } catch (error) {
    await resources.close(logger);
    throw error;
  }
}
