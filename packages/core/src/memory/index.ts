// In-memory implementations of the storage ports (unit tests, embedded single-process mode) and simple publishers.
export { InMemoryAccountStore } from './in-memory-account-store.adapter.js';
export { InMemorySessionStore } from './in-memory-session-store.adapter.js';
export { InMemoryRateLimiter } from './in-memory-rate-limiter.adapter.js';
export { RecordingEventPublisher } from './recording-event-publisher.adapter.js';
export { LogEventPublisher } from './log-event-publisher.adapter.js';
export { InMemorySecondFactorStore } from './in-memory-second-factor-store.adapter.js';
