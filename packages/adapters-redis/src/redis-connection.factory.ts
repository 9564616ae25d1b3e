import type { ConnectionOptions } from 'node:tls';
import { Cluster, Redis, type ClusterOptions, type Command, type RedisOptions } from 'ioredis';
import { dependencyUnavailable, reportingOutages, type OutageListener } from '@authsvc/core';
import { translateRedisError } from './redis.errors.js';
import type { RedisClient } from './redis-script.util.js';

/** Where Redis is and how long to wait for it. Built by the composition root from its configuration. */
export interface RedisConnectionOptions {
  /** redis://[user:password@]host:port[/db], or rediss:// for TLS. With Sentinel or Cluster, only its credentials (and db) are used. */
  url?: string;
  /** TLS settings; `true` for the system CAs. Implied by a rediss:// URL. */
  tls?: boolean | ConnectionOptions;
  /** Prefix of every key this service writes (no braces). */
  keyPrefix: string;
  /** Sentinel addresses; with `sentinelName`, the master is found through them and followed across failovers. */
  sentinels?: { host: string; port: number }[];
  sentinelName?: string;
  /** Cluster seed nodes; when set, a Redis Cluster client is used. */
  cluster?: { host: string; port: number }[];
  /** Longest wait for any one command before it fails with DEPENDENCY_UNAVAILABLE. */
  commandTimeoutMs: number;
  /** Longest wait for a TCP/TLS connection to be established. */
  connectTimeoutMs: number;
  /** Upper bound of the delay between reconnection attempts (default 2000 ms). */
  maxReconnectDelayMs?: number;
  /** Told of every command that fails because Redis cannot serve (see translateRedisError), as it happens. */
  onOutage?: OutageListener;
}

/** An open Redis client plus what the composition root needs around it. */
export interface RedisConnection {
  client: RedisClient;
  keyPrefix: string;
  /** Resolves once the client can serve commands; DEPENDENCY_UNAVAILABLE after `timeoutMs`. */
  ready(timeoutMs: number): Promise<void>;
  /**
   * Health probe: true when Redis took a write (a key of its own, `<prefix>health`, expiring after 10 s) within the
   * command timeout. A write, because a Redis that answers reads but refuses writes (a replica after a failover, out
   * of memory) cannot serve logins or rotations either. Never throws.
   */
  ping(): Promise<boolean>;
  /** Closes the connection (QUIT when connected). */
  close(): Promise<void>;
}

/**
 * Creates the client. Fail-fast by design: no offline queue (a command issued while disconnected fails at once
 * instead of waiting and running later, after its caller already got an error), a timeout on every command,
 * no automatic re-sending of unanswered commands after a reconnect, and endless reconnection with capped
 * back-off so the service recovers without a restart. A READONLY reply makes it reconnect (without re-sending): the
 * server it talks to became a replica, and a new connection finds the new master (through Sentinel, or the DNS name
 * a managed Redis moves to it).
 */
export function createRedisClient(options: RedisConnectionOptions): RedisConnection {
  const url = options.url ? new URL(options.url) : undefined;
  const tls = toTls(options.tls, url);
  const maxDelay = options.maxReconnectDelayMs ?? 2_000;
  const reconnectDelay = (attempt: number): number => Math.min(50 * 2 ** Math.min(attempt, 10), maxDelay);
  const common = {
    username: url?.username ? decodeURIComponent(url.username) : undefined,
    password: url?.password ? decodeURIComponent(url.password) : undefined,
    tls,
    commandTimeout: options.commandTimeoutMs,
    connectTimeout: options.connectTimeoutMs,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    reconnectOnError: (error: Error) => error.message.startsWith('READONLY'),
    lazyConnect: false,
    // Commands issued in the same tick (concurrent calls' redemptions and checks) leave in one write and their replies
    // usually come back in one read: a socket write is most of what a Redis command costs this process's event loop.
    enableAutoPipelining: true,
  } satisfies Partial<RedisOptions>;

  let client: RedisClient;
  if (options.cluster && options.cluster.length > 0) {
    const clusterOptions: ClusterOptions = {
      enableOfflineQueue: false,
      enableAutoPipelining: true,
      clusterRetryStrategy: reconnectDelay,
      slotsRefreshTimeout: options.commandTimeoutMs,
      redisOptions: common,
      // With TLS, connect by hostname (not a resolved IP) so certificates naming the host verify.
      ...(tls ? { dnsLookup: (address: string, callback: (err: null, address: string) => void) => callback(null, address) } : {}),
    };
    client = new Cluster(options.cluster, clusterOptions);
  } else {
    const db = url && url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
    const base: RedisOptions = { ...common, db, enableOfflineQueue: false, retryStrategy: reconnectDelay };
    client =
      options.sentinels && options.sentinels.length > 0
        ? new Redis({
            ...base,
            sentinels: options.sentinels,
            name: options.sentinelName ?? 'mymaster',
            sentinelCommandTimeout: options.commandTimeoutMs,
            sentinelRetryStrategy: reconnectDelay,
            enableTLSForSentinelMode: tls !== undefined,
          })
        : new Redis({ ...base, host: url?.hostname || '127.0.0.1', port: url?.port ? Number(url.port) : 6379 });
  }
  // Without a listener ioredis prints every failed reconnection; failures surface through the commands instead.
  client.on('error', () => {});
  if (options.onOutage) reportOutages(client, options.onOutage);
  const healthKey = `${options.keyPrefix}health`;
  return {
    client,
    keyPrefix: options.keyPrefix,
    ready: (timeoutMs) => waitUntilReady(client, timeoutMs),
    ping: async () => {
      try {
        return (await client.set(healthKey, String(Date.now()), 'PX', 10_000)) === 'OK';
      } catch {
        return false;
      }
    },
    close: async () => {
      if (client.status === 'ready') await client.quit().catch(() => client.disconnect());
      else client.disconnect();
    },
  };
}

/**
 * Every command of every adapter goes through the client's sendCommand (scripts, the handshake and the probe included),
 * so watching its outcomes there reports outages without any adapter knowing of it.
 */
function reportOutages(client: RedisClient, onOutage: OutageListener): void {
  const report = reportingOutages(translateRedisError, onOutage);
  const target = client as unknown as { sendCommand(command: Command, ...rest: unknown[]): unknown };
  const send = target.sendCommand.bind(client);
  target.sendCommand = (command, ...rest) => {
    const result = send(command, ...rest);
    command.promise.catch(report);
    return result;
  };
}

function toTls(tls: RedisConnectionOptions['tls'], url: URL | undefined): ConnectionOptions | undefined {
  if (tls === false) return undefined;
  if (tls === true || (tls === undefined && url?.protocol === 'rediss:')) return {};
  return tls;
}

async function waitUntilReady(client: RedisClient, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(dependencyUnavailable('redis'));
    }, timeoutMs);
    const onReady = (): void => {
      clearTimeout(timer);
      resolve();
    };
    client.once('ready', onReady);
  });
}
