// the relay that moves committed outbox events to the broker.
export { OutboxRelay, type OutboxRelayDependencies } from './outbox-relay.worker.js';
export { DEFAULT_OUTBOX_RELAY_OPTIONS, type OutboxRelayOptions } from './outbox-relay.config.js';
export type { OutboxRelayMetrics } from './outbox-relay-metrics.types.js';
export { computeRetryAt, DEFAULT_BACKOFF, type BackoffPolicy } from './retry-backoff.util.js';
export type { StoreOutageEvent } from './store-outage.util.js';
