/**
 * Injection tokens of the app's own infrastructure (core's TOKENS cover the ports). Registered with
 * explicit values or factories only: no decorators, no emitted metadata.
 */
export const INFRA_TOKENS = {
  Config: Symbol.for('authsvc.app.Config'),
  Logger: Symbol.for('authsvc.app.Logger'),
  Database: Symbol.for('authsvc.app.Database'),
  Redis: Symbol.for('authsvc.app.Redis'),
  PublisherLifecycle: Symbol.for('authsvc.app.PublisherLifecycle'),
  Health: Symbol.for('authsvc.app.Health'),
} as const;
