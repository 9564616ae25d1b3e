import {
  PhcPasswordHasher, JoseAccessTokens, RandomIdGenerator, SystemClock, createAuthService, type AuthService, type OutageListener,
  type Role, type SecurityEvent,
} from '@authsvc/core';
import type { AppConfig } from '../config/config.types.js';
import type { AppLogger } from '../logging/logger.factory.js';
import type { AppOverrides, AppParts, PartName } from './app-parts.types.js';
import { openDatabase } from './database.factory.js';
import { DependencyHealth, type DependencyProbe } from './dependency-health.worker.js';
import { createChildContainer, instanceCachingFactory } from './di-container.util.js';
import { openEventPublisher } from './event-publisher.factory.js';
import { loadRefreshTokenSecret } from './refresh-secret.factory.js';
import { loadSecretBox } from './mfa-keys.factory.js';
import { startRelay } from './relay.factory.js';
import { ResourceStack } from './resource-stack.util.js';
import { openSessionBackends, rateLimiterOn, sessionStoreOn } from './redis.factory.js';
import { loadSigningKeys } from './signing-keys.factory.js';
import { topicsOf } from './topics.config.js';
import { attemptLimitsOf } from './attempt-limits.config.js';
import { openMailSender, startMailDelivery, tokenLifetimesOf } from './mail.factory.js';
import { startAccountPurge } from './account-purge.worker.js';

/** Which adapter serves each port, for the start-up lines (no secrets). */
export interface AdapterChoice {
  database: string;
  sessions: string;
  events: string;
  relay: string;
  mail: string;
}

export interface CreateAppOptions {
  logger: AppLogger;
  /** Parts to use instead of building them (see AppParts); they are not closed by the app. */
  overrides?: AppOverrides;
  /** Interval of the dependency probes; 2 s by default. */
  healthIntervalMs?: number;
  /** Told of every security event as the service records it (the metrics of /metrics). */
  onSecurityEvent?: (event: SecurityEvent) => void;
}

/** The application: every part, built lazily on first use, and one way to close what was opened. */
export interface App {
  readonly config: AppConfig;
  readonly logger: AppLogger;
  /** The named part, built (and its resources opened) on first use; the same instance on every later call. */
  get<K extends PartName>(name: K): Promise<AppParts[K]>;
  /** The adapter behind each kind of port, as far as this process opened them. */
  adapters(): AdapterChoice;
  /** Closes what was opened, in reverse order of opening (a part always opens after the parts it uses). Idempotent. */
  close(): Promise<void>;
  /** Names of the opened resources in the order `close` will close them. */
  closingOrder(): string[];
}

const PART_NAMES = [
  'database', 'accounts', 'unitOfWork', 'relayStore', 'secondFactors', 'secretBox', 'securityEvents', 'redis', 'sessions',
  'rateLimiter', 'eventPublisher', 'passwordHasher', 'accessTokens', 'refreshTokenSecret', 'clock', 'ids', 'service', 'health',
  'relay', 'accountImport', 'mailStore', 'mailSender', 'mailDelivery', 'accountPurge',
] as const satisfies readonly PartName[];

/** One injection token per part, resolved only through `App.get`. */
const PART_TOKENS = Object.fromEntries(PART_NAMES.map((name) => [name, Symbol(`authsvc.${name}`)])) as Record<PartName, symbol>;

/**
 * The composition root, used by every entry point (serve, relay, the operator commands, the tests, the bench and the
 * example): reads the whole recipe of the app in one place. Each part is a cached factory in its own tsyringe child
 * container, so nothing is opened that the caller never asks for (the relay process never connects to Redis), and
 * an override replaces a part in one line for every part built from it.
 */
export function createApp(config: AppConfig, options: CreateAppOptions): App {
  const { logger, overrides = {} } = options;
  const resources = new ResourceStack();
  const container = createChildContainer();
  const get = <K extends PartName>(name: K): Promise<AppParts[K]> => container.resolve<Promise<AppParts[K]>>(PART_TOKENS[name]);
  const part = <K extends PartName>(name: K, build: () => Promise<AppParts[K]>): void => {
    container.register(PART_TOKENS[name], { useFactory: instanceCachingFactory(build) });
  };
  // The adapters report outages as calls meet them; health exists only once its part is built (never in the relay
  // process), and until then there is nobody to tell.
  let health: DependencyHealth | undefined;
  const reportingTo = (dependency: string): OutageListener => (outage) => health?.reportOutage(dependency, outage);
  const adapters: AdapterChoice = {
    database: 'not opened',
    sessions: 'not opened',
    events: 'not opened (this process runs no relay)',
    relay: config.outbox.relayEnabled ? 'not started' : 'off (outbox.relayEnabled=false)',
    mail: config.mail.deliveryEnabled ? 'not started' : 'off (mail.deliveryEnabled=false)',
  };

  part('database', async () => {
    const { database, description } = await openDatabase(config, logger, reportingTo('database'));
    resources.push('database', () => database.close());
    adapters.database = description;
    return database;
  });
  part('accounts', async () => (await get('database')).stores.accounts);
  part('unitOfWork', async () => (await get('database')).stores.unitOfWork);
  part('relayStore', async () => (await get('database')).stores.relayStore);
  part('accountImport', async () => (await get('database')).stores.accountImport);
  part('secondFactors', async () => (await get('database')).stores.secondFactors);
  part('secretBox', () => loadSecretBox(config, logger));
  part('securityEvents', async () => (await get('database')).stores.securityEvents);

  part('redis', async () => {
    const { redis, description } = await openSessionBackends(config, logger, reportingTo('redis'));
    if (redis !== null) resources.push('redis', () => redis.close());
    adapters.sessions = description;
    return redis;
  });
  part('sessions', async () => {
    const { store, close, description } = sessionStoreOn(config, await get('redis'));
    if (close) resources.push('revocation cache', close);
    if (description) adapters.sessions = `${adapters.sessions}, ${description}`;
    return store;
  });
  part('rateLimiter', async () => rateLimiterOn(config, await get('redis')));

  part('eventPublisher', async () => {
    const events = await openEventPublisher(config, logger);
    resources.push('event publisher', () => events.close());
    adapters.events = events.description;
    return events.publisher;
  });

  part('passwordHasher', async () => {
    const { algorithm, bcryptCost, argon2MemoryKib, argon2Iterations, argon2Parallelism, hashThreads, hashThreadNice, hashQueueLimit } = config.password;
    const hasher = new PhcPasswordHasher({
      algorithm,
      bcryptCost,
      argon2id: { memoryKiB: argon2MemoryKib, iterations: argon2Iterations, parallelism: argon2Parallelism },
      threads: hashThreads,
      maxQueued: hashQueueLimit,
      threadNice: hashThreadNice,
    });
    resources.push('password hasher', () => hasher.close());
    return hasher;
  });
  part('accessTokens', async () => {
    const keys = await loadSigningKeys(config, logger);
    return JoseAccessTokens.create({ issuer: config.jwt.issuer, audience: config.jwt.audience, keys });
  });
  part('refreshTokenSecret', () => loadRefreshTokenSecret(config, logger));
  part('clock', async () => new SystemClock());
  part('ids', async () => new RandomIdGenerator());

  part('service', async () => {
    // Secrets first: a configuration mistake stops the process before any connection is opened.
    const tokens = await get('accessTokens');
    const refreshTokenSecret = await get('refreshTokenSecret');
    const secretBox = await get('secretBox');
    if (secretBox === null && config.webauthn.rpId === undefined && config.mfa.requiredForRoles.length > 0) {
      logger.warn(
        `mfa.requiredForRoles (${config.mfa.requiredForRoles.join(',')}) is not enforced: no second factor can be enrolled without mfa.encryptionKeysFile or webauthn.rpId`,
      );
    }
    const service = createAuthService(
      {
        accounts: await get('accounts'),
        unitOfWork: await get('unitOfWork'),
        sessions: await get('sessions'),
        securityEvents: await get('securityEvents'),
        ...(options.onSecurityEvent ? { securityEventObserver: options.onSecurityEvent } : {}),
        newDeviceNoticeFailed: (error: unknown) => logger.warn({ err: error }, 'new-device notice not queued (the sign-in went on)'),
        rateLimiter: await get('rateLimiter'),
        passwordHasher: await get('passwordHasher'),
        tokenSigner: tokens,
        tokenVerifier: tokens,
        publicKeys: tokens,
        clock: await get('clock'),
        ids: await get('ids'),
        secondFactors: await get('secondFactors'),
      },
      {
        accessTokenTtlMs: config.jwt.accessTokenTtl,
        sessionTtlMs: config.session.ttl,
        refreshGraceMs: config.session.refreshGrace,
        refreshTokenSecret,
        topics: topicsOf(config),
        securityTopic: config.kafka.topics.security,
        limits: attemptLimitsOf(config),
        ...(secretBox === null ? {} : { secretBox }),
        totpIssuer: config.mfa.totpIssuer,
        mfaTicketTtlMs: config.mfa.ticketTtl,
        reauthenticationWindowMs: config.mfa.reauthenticationWindow,
        mfaRequiredForRoles: config.mfa.requiredForRoles as Role[],
        ...(config.webauthn.rpId === undefined || config.webauthn.origins === undefined
          ? {}
          : { passkeys: { rpId: config.webauthn.rpId, rpName: config.webauthn.rpName, origins: config.webauthn.origins } }),
        deletionGraceMs: config.accounts.deletionGrace,
        tokenLifetimesMs: tokenLifetimesOf(config),
        requireVerifiedEmail: config.mail.requireVerifiedEmail,
        notifyNewDevices: config.mail.notifyNewDevices,
        passwordResetReplyFloorMs: config.mail.resetReplyFloor,
      },
    );
    // Closed before the stores it writes to: the security events still queued (a logout's, a failed login's) are
    // written first, for at most the shutdown timeout (a database that is down loses them; decision 0009).
    resources.push('security events', () => flushWithin(service, config.grpc.shutdownTimeout, logger));
    return service;
  });

  part('health', async () => {
    const probes: DependencyProbe[] = [];
    // Only what this app runs on: an overridden store needs no database, in-memory sessions need no Redis.
    if (overrides.accounts === undefined) {
      const database = await get('database');
      probes.push({ name: 'database', check: () => database.ping() });
    }
    const redis = overrides.sessions === undefined ? await get('redis') : null;
    if (redis !== null) probes.push({ name: 'redis', check: () => redis.ping() });
    const started = new DependencyHealth(probes, logger, options.healthIntervalMs === undefined ? {} : { intervalMs: options.healthIntervalMs });
    health = started;
    await started.start();
    resources.push('health probes', () => started.stop());
    return started;
  });

  part('relay', async () => {
    const relay = await startRelay(config, logger, await get('relayStore'), await get('eventPublisher'), await get('securityEvents'));
    resources.push('outbox relay', () => relay.stop());
    adapters.relay = `in process, every ${config.outbox.pollInterval} ms or on commit`;
    return relay;
  });

  part('mailStore', async () => (await get('database')).stores.mailStore);
  part('mailSender', async () => {
    const { sender, description } = openMailSender(config);
    resources.push('mail sender', () => sender.close());
    adapters.mail = `${description} (not started)`;
    return sender;
  });
  part('mailDelivery', async () => {
    const secret = await get('refreshTokenSecret');
    const worker = startMailDelivery(config, logger, await get('mailStore'), await get('mailSender'), secret);
    resources.push('mail delivery', () => worker.stop());
    adapters.mail = adapters.mail.replace(' (not started)', `, in process, every ${config.mail.pollInterval} ms`);
    return worker;
  });

  part('accountPurge', async () => {
    const worker = startAccountPurge(await get('service'), logger, config.accounts.purgeInterval);
    resources.push('account purge', () => worker.stop());
    return worker;
  });

  for (const name of Object.keys(overrides) as PartName[]) {
    container.register(PART_TOKENS[name], { useValue: Promise.resolve(overrides[name]) });
  }

  return {
    config,
    logger,
    get,
    adapters: () => ({ ...adapters }),
    close: () => resources.close(logger),
    closingOrder: () => resources.closingOrder(),
  };
}

/** Waits for the service's queued security events to be written, at most `timeoutMs`; logs what could not be. */
async function flushWithin(service: AuthService, timeoutMs: number, logger: AppLogger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const outcome = await Promise.race([service.flushSecurityEvents().then(() => 'flushed' as const), timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') logger.error('security events still queued at shutdown could not be written to the database in time; they are lost');
}
