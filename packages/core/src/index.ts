// Public API of @authsvc/core: the domain, its ports, the service that runs every use case, and the in-memory and
// crypto implementations of the ports.

// --- domain
export * from './domain/account.model.js';
export * from './domain/account-search.model.js';
export * from './domain/account-event.model.js';
export * from './domain/second-factor.model.js';
export * from './domain/account-token.model.js';
export * from './domain/outgoing-mail.model.js';
export * from './errors/mail-send.errors.js';
export * from './domain/security-event.model.js';
export * from './domain/known-device.model.js';
export * from './errors/error-codes.errors.js';
export * from './errors/domain.errors.js';
export * from './errors/error-translation.errors.js';
export * from './auth/principal.model.js';

// --- ports
export type * from './ports/account-reader.port.js';
export type * from './ports/account-writer.port.js';
export type * from './ports/outbox-writer.port.js';
export type * from './ports/unit-of-work.port.js';
export type * from './ports/outbox-relay-store.port.js';
export type * from './ports/event-publisher.port.js';
export type * from './ports/session-store.port.js';
export type * from './ports/security-event-store.port.js';
export type * from './ports/known-device-store.port.js';
export type * from './ports/rate-limiter.port.js';
export type * from './ports/password-hasher.port.js';
export type * from './ports/access-tokens.port.js';
export type * from './ports/clock.port.js';
export type * from './ports/id-generator.port.js';
export type * from './ports/account-import-store.port.js';
export type * from './ports/second-factor-store.port.js';
export type * from './ports/account-token-store.port.js';
export type * from './ports/mail-outbox-writer.port.js';
export type * from './ports/mail-outbox-store.port.js';
export type * from './ports/mail-sender.port.js';

// --- rules
export * from './auth/authorization.rules.js';
export * from './validation/index.js';

// --- the service: createAuthService builds every use case from the ports
export type * from './service/auth-service.types.js';
export * from './service/auth-service.config.js';
export * from './service/auth-service.factory.js';
export * from './service/call-options.util.js';
export * from './use-cases/index.js';
export * from './events/account-event.factory.js';

// --- implementations of the ports
export * from './memory/index.js';
export * from './crypto/index.js';
export * from './outbox/index.js';
export * from './mail/index.js';
