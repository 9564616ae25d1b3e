import {
  BcryptPasswordHasher,
  createAuthService,
  JoseAccessTokens,
  RandomIdGenerator,
  SystemClock,
  TOKENS,
  type AuthService,
  type AuthServiceDependencies,
  type OutboxRelayStore,
  type PublicKeySet,
} from '@authsvc/core';
import { createPostgresStores } from '@authsvc/adapters-postgres';
import type { AppConfig } from '../config/config.types.js';
import type { AppLogger } from '../logging/create-logger.js';
import { openDatabase, pingDatabase } from './database.factory.js';
import { DependencyHealth, type DependencyProbe } from './dependency-health.js';
import { createChildContainer, instanceCachingFactory, type DependencyContainer } from './di-container.js';
import { openEventPublisher } from './event-publisher.factory.js';
import { INFRA_TOKENS } from './infra.tokens.js';
import { loadRefreshTokenSecret } from './refresh-secret.loader.js';
import { ResourceStack } from './resource-stack.js';
import { openSessionBackends } from './session-backends.factory.js';
import { loadSigningKeys } from './signing-keys.loader.js';
import { startRelay } from './relay.factory.js';
import { topicsOf } from './topics.js';

/** Which adapter serves each port, for the start-up lines (no secrets). */
export interface AdapterChoice {
  database: string;
  sessions: string;
  events: string;
  relay: string;
}

export interface App {
  container: DependencyContainer;
  service: AuthService;
  health: DependencyHealth;
  publicKeys: PublicKeySet;
  relayStore: OutboxRelayStore;
  hasher: BcryptPasswordHasher;
  adapters: AdapterChoice;
  /** Closes in reverse order of opening: relay, hasher, producer, Redis, database. */
  close(): Promise<void>;
  closingOrder(): string[];
}

export interface BuildAppOptions {
  /** Interval of the dependency probes; 2 s by default. */
  healthIntervalMs?: number;
}

/**
 * The composition root: opens every adapter the configuration picks, registers them in a child container
 * under explicit tokens, and builds the service from them. On failure, whatever was opened is closed again.
 */
export async function buildApp(config: AppConfig, logger: AppLogger, options: BuildAppOptions = {}): Promise<App> {
  // Secrets first: a configuration mistake should stop the process before anything is opened.
  const keys = await loadSigningKeys(config, logger);
  const refreshTokenSecret = await loadRefreshTokenSecret(config, logger);
  const tokens = await JoseAccessTokens.create({ issuer: config.jwt.issuer, audience: config.jwt.audience, keys });

  const resources = new ResourceStack();
  try {
    const database = await openDatabase(config, logger);
    resources.push('database', () => database.handle.close());
    const stores = createPostgresStores(database.handle);

    const backends = await openSessionBackends(config, logger);
    if (backends.redis) resources.push('redis', () => backends.redis!.close());

    const events = await openEventPublisher(config, logger);
    resources.push('event publisher', () => events.close());

    const hasher = new BcryptPasswordHasher({ cost: config.password.bcryptCost, threads: config.password.hashThreads, maxQueued: config.password.hashQueueLimit });
    resources.push('password hasher', () => hasher.close());

    const probes: DependencyProbe[] = [{ name: 'database', check: () => pingDatabase(database.handle) }];
    if (backends.redis) probes.push({ name: 'redis', check: () => backends.redis!.ping() });
    const health = new DependencyHealth(probes, logger, options.healthIntervalMs);
    await health.start();
    resources.push('health probes', () => health.stop());

    const c = createChildContainer();
    c.register(INFRA_TOKENS.Config, { useValue: config });
    c.register(INFRA_TOKENS.Logger, { useValue: logger });
    c.register(INFRA_TOKENS.Database, { useValue: database.handle });
    c.register(INFRA_TOKENS.Health, { useValue: health });
    if (backends.redis) c.register(INFRA_TOKENS.Redis, { useValue: backends.redis });
    c.register(TOKENS.AccountReader, { useValue: stores.accounts });
    c.register(TOKENS.UnitOfWork, { useValue: stores.unitOfWork });
    c.register(TOKENS.OutboxRelayStore, { useValue: stores.relayStore });
    c.register(TOKENS.EventPublisher, { useValue: events.publisher });
    c.register(TOKENS.SessionStore, { useValue: backends.sessions });
    c.register(TOKENS.LoginThrottle, { useValue: backends.loginThrottle });
    c.register(TOKENS.PasswordHasher, { useValue: hasher });
    c.register(TOKENS.AccessTokenSigner, { useValue: tokens });
    c.register(TOKENS.AccessTokenVerifier, { useValue: tokens });
    c.register(TOKENS.PublicKeySet, { useValue: tokens });
    c.register(TOKENS.Clock, { useValue: new SystemClock() });
    c.register(TOKENS.IdGenerator, { useValue: new RandomIdGenerator() });
    c.register(TOKENS.AuthService, {
      useFactory: instanceCachingFactory((r) => {
        const deps: AuthServiceDependencies = {
          accounts: r.resolve(TOKENS.AccountReader),
          unitOfWork: r.resolve(TOKENS.UnitOfWork),
          sessions: r.resolve(TOKENS.SessionStore),
          loginThrottle: r.resolve(TOKENS.LoginThrottle),
          passwordHasher: r.resolve(TOKENS.PasswordHasher),
          tokenSigner: r.resolve(TOKENS.AccessTokenSigner),
          tokenVerifier: r.resolve(TOKENS.AccessTokenVerifier),
          publicKeys: r.resolve(TOKENS.PublicKeySet),
          clock: r.resolve(TOKENS.Clock),
          ids: r.resolve(TOKENS.IdGenerator),
        };
        return createAuthService(deps, {
          accessTokenTtlMs: config.jwt.accessTokenTtl,
          sessionTtlMs: config.session.ttl,
          refreshGraceMs: config.session.refreshGrace,
          refreshTokenSecret,
          topics: topicsOf(config),
        });
      }),
    });
    const service = c.resolve<AuthService>(TOKENS.AuthService);

    let relay = 'off (outbox.relayEnabled=false)';
    if (config.outbox.relayEnabled) {
      const outboxRelay = await startRelay(config, logger, stores.relayStore, events.publisher);
      resources.push('outbox relay', () => outboxRelay.stop());
      c.register(TOKENS.OutboxRelay, { useValue: outboxRelay });
      relay = `in process, every ${config.outbox.pollInterval} ms or on commit`;
    }

    return {
      container: c,
      service,
      health,
      publicKeys: tokens,
      relayStore: stores.relayStore,
      hasher,
      adapters: { database: database.description, sessions: backends.description, events: events.description, relay },
      close: () => resources.close(logger),
      closingOrder: () => resources.closingOrder(),
    };
  } catch (error) {
    await resources.close(logger);
    throw error;
  }
}
