import { OutboxRelay, type EventPublisher, type OutboxRelayStore, type SecurityEventStore, type StoreOutageEvent } from '@authsvc/core';
import type { AppConfig } from '../config/config.types.js';
import type { AppLogger } from '../logging/logger.factory.js';

const seconds = (ms: number): string => (ms / 1_000).toFixed(1);

/**
 * A database outage in three kinds of line rather than one error per poll: the error when it starts, a reminder with
 * the count at most once a minute while it lasts, and one line when it is over.
 */
function logStoreOutage(log: AppLogger, event: StoreOutageEvent): void {
  if (event.state === 'down') {
    log.error({ err: event.error }, 'outbox store failed; the relay retries with backoff and reports when it is back');
  } else if (event.state === 'still-down') {
    const { failures, downMs } = event;
    log.warn({ err: event.error, failures, downMs }, `outbox store still failing: ${failures} failures in a row over ${seconds(downMs)} s`);
  } else {
    const { failures, downMs } = event;
    log.info({ failures, downMs }, `outbox store recovered after ${failures} ${failures === 1 ? 'failure' : 'failures'} / ${seconds(downMs)} s`);
  }
}

/** Builds and starts the outbox relay, reporting its troubles to the log (error texts only, never payloads). */
export async function startRelay(
  config: AppConfig,
  logger: AppLogger,
  relayStore: OutboxRelayStore,
  publisher: EventPublisher,
  auditStore?: SecurityEventStore,
): Promise<OutboxRelay> {
  const log = logger.child({ component: 'outbox-relay' });
  const relay = new OutboxRelay(
    {
      relayStore,
      publisher,
      ...(auditStore ? { auditStore } : {}),
      metrics: {
        onFailed: (count, error) => log.warn({ count, err: error }, 'publishing events failed; they will be retried with backoff'),
        // Every failure, for whoever debugs; the outage itself is logged by onStoreOutage.
        onStoreError: (error) => log.debug({ err: error }, 'outbox store call failed'),
        onStoreOutage: (event) => logStoreOutage(log, event),
        onPruned: (count) => log.info({ count }, 'pruned published outbox events'),
        onAuditPruned: (count) => log.info({ count }, 'pruned security events past audit retention'),
        onAbandoned: (count) => log.warn({ count }, 'stopped before the broker answered; those events stay pending'),
      },
    },
    {
      batchSize: config.outbox.batchSize,
      pollIntervalMs: config.outbox.pollInterval,
      retentionMs: config.outbox.retention,
      auditRetentionMs: config.outbox.auditRetention,
      stopTimeoutMs: config.grpc.shutdownTimeout,
    },
  );
  await relay.start();
  return relay;
}
