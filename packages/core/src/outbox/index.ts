// Exports of src/outbox: the relay that moves committed outbox events to the broker.
export { OutboxRelay, type OutboxRelayDependencies } from './outbox-relay.js';
export { DEFAULT_OUTBOX_RELAY_OPTIONS, type OutboxRelayOptions } from './outbox-relay.options.js';
export type { OutboxRelayMetrics } from './outbox-relay-metrics.js';
export { computeRetryAt, DEFAULT_BACKOFF, type BackoffPolicy } from './retry-backoff.js';
export type { StoreOutageEvent } from './store-outage.js';
