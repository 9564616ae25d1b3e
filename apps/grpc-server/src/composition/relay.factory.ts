import { OutboxRelay, type EventPublisher, type OutboxRelayStore } from '@authsvc/core';
import type { AppConfig } from '../config/config.types.js';
import type { AppLogger } from '../logging/create-logger.js';

/** Builds and starts the outbox relay, reporting its troubles to the log (error texts only, never payloads). */
export async function startRelay(config: AppConfig, logger: AppLogger, relayStore: OutboxRelayStore, publisher: EventPublisher): Promise<OutboxRelay> {
  const log = logger.child({ component: 'outbox-relay' });
  const relay = new OutboxRelay(
    {
      relayStore,
      publisher,
      metrics: {
        onFailed: (count, error) => log.warn({ count, err: error }, 'publishing events failed; they will be retried with backoff'),
        onStoreError: (error) => log.error({ err: error }, 'outbox store failed; retrying on the next round'),
        onPruned: (count) => log.info({ count }, 'pruned published outbox events'),
        onAbandoned: (count) => log.warn({ count }, 'stopped before the broker answered; those events stay pending'),
      },
    },
    {
      batchSize: config.outbox.batchSize,
      pollIntervalMs: config.outbox.pollInterval,
      retentionMs: config.outbox.retention,
      stopTimeoutMs: config.grpc.shutdownTimeout,
    },
  );
  await relay.start();
  return relay;
}
