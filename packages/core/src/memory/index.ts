// In-memory implementations of the storage ports (unit tests, embedded single-process mode) and simple publishers.
export { InMemoryAccountStore } from './in-memory-account-store.js';
export { InMemorySessionStore } from './in-memory-session-store.js';
export { InMemoryLoginThrottle } from './in-memory-login-throttle.js';
export { DEFAULT_LOGIN_THROTTLE_LIMITS } from './login-throttle-defaults.js';
export { RecordingEventPublisher } from './recording-event-publisher.js';
export { LogEventPublisher } from './log-event-publisher.js';
