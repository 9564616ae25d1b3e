import { InMemoryRateLimiter, InMemorySessionStore, type OutageListener, type RateLimiter, type SessionStore } from '@authsvc/core';
import { createRedisClient, RedisLivenessCache, RedisRateLimiter, RedisSessionStore, type RedisConnection } from '@authsvc/adapters-redis';
import type { AppConfig } from '../config/config.types.js';
import { redactUrl } from '../config/redaction.config.js';
import type { AppLogger } from '../logging/logger.factory.js';

/** The Redis connection sessions and the attempt counters share, or null for in-memory ones (single instance only). */
export interface OpenedRedis {
  redis: RedisConnection | null;
  description: string;
}

const CONNECT_TIMEOUT_MS = 5_000;

function hostPorts(list: readonly string[] | undefined): { host: string; port: number }[] | undefined {
  return list?.map((entry) => {
    const at = entry.lastIndexOf(':');
    return at < 0 ? { host: entry, port: 26379 } : { host: entry.slice(0, at), port: Number(entry.slice(at + 1)) };
  });
}

function urlWithPassword(url: string, password: string | undefined): string {
  if (password === undefined) return url;
  const parsed = new URL(url);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

/**
 * Redis when redis.url is set, else nothing (sessions and attempt counters in memory). A Redis that is down at start-up
 * does not stop the server: health reports NOT_SERVING until it answers. `onOutage` hears of every command that fails
 * because Redis cannot serve, as it happens.
 */
export async function openSessionBackends(config: AppConfig, logger: AppLogger, onOutage?: OutageListener): Promise<OpenedRedis> {
  if (config.redis.url === undefined) return { redis: null, description: 'in memory (single instance)' };
  const sentinels = hostPorts(config.redis.sentinels);
  const cluster = hostPorts(config.redis.clusterNodes);
  const redis = createRedisClient({
    url: urlWithPassword(config.redis.url, config.redis.password),
    keyPrefix: config.redis.keyPrefix,
    commandTimeoutMs: config.redis.commandTimeout,
    connectTimeoutMs: CONNECT_TIMEOUT_MS,
    ...(onOutage === undefined ? {} : { onOutage }),
    ...(sentinels ? { sentinels, sentinelName: config.redis.sentinelName } : {}),
    ...(cluster ? { cluster } : {}),
  });
  try {
    await redis.ready(CONNECT_TIMEOUT_MS);
  } catch {
    logger.warn({ timeoutMs: CONNECT_TIMEOUT_MS }, 'Redis is not reachable yet; serving NOT_SERVING until it is');
  }
  const topology = cluster ? ' (cluster)' : sentinels ? ' (sentinel)' : '';
  return { redis, description: `Redis ${redactUrl(config.redis.url)}${topology}, key prefix ${config.redis.keyPrefix}` };
}

/** A session store and what closing it takes (the revocation cache's connections), with a line for the start-up log. */
export interface OpenedSessionStore {
  store: SessionStore;
  close?: () => Promise<void>;
  description: string;
}

/**
 * The session store on Redis, or in memory without it. On a standalone or Sentinel Redis its revocation checks go
 * through the liveness cache unless redis.revocationCache is off; Cluster has no single server to track keys on, so
 * there every check reads Redis.
 */
export function sessionStoreOn(config: AppConfig, redis: RedisConnection | null): OpenedSessionStore {
  if (redis === null) return { store: new InMemorySessionStore(), description: '' };
  const cache = config.redis.revocationCache ? RedisLivenessCache.for(redis.client, { maxSilenceMs: config.redis.revocationCacheMaxSilence }) : null;
  if (cache === null) {
    const why = config.redis.revocationCache ? 'off (cluster)' : 'off (redis.revocationCache=false)';
    return { store: new RedisSessionStore(redis.client, config.redis.keyPrefix), description: `revocation cache ${why}` };
  }
  return {
    store: new RedisSessionStore(redis.client, config.redis.keyPrefix, cache),
    close: () => cache.close(),
    description: 'revocation cache on',
  };
}

/** The rate limiter on Redis, or in memory without it. */
export function rateLimiterOn(config: AppConfig, redis: RedisConnection | null): RateLimiter {
  return redis === null ? new InMemoryRateLimiter() : new RedisRateLimiter(redis.client, config.redis.keyPrefix);
}
