import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { reportingOutages, type OutageListener } from '@authsvc/core';
import { connectionFailure } from '../errors/postgres.errors.js';
import type { Schema } from '../schema/database-schema.types.js';
import type { DatabaseHandle } from './database-handle.types.js';
import { PgNotificationListener } from './pg-notification-listener.adapter.js';
import { PreparingClient } from './prepared-statements.util.js';
import { poolTypes } from './timestamptz-parser.util.js';
import { translatingDialect } from './translating-dialect.util.js';

export interface PostgresDatabaseOptions {
  /** postgres://user:password@host:port/database */
  url: string;
  /** Most connections the pool opens. Default 10. */
  poolSize?: number;
  /** Server-side limit of one statement, in ms. Default 5000; 0 disables. */
  statementTimeoutMs?: number;
  /** How long to wait for a connection (new or from the pool), in ms. Default 5000. */
  connectionTimeoutMs?: number;
  /** TLS settings passed to node-postgres (`true`, or tls.connect options such as `ca`). Default: none. */
  ssl?: pg.ClientConfig['ssl'];
  /** Shown in pg_stat_activity. Default "authsvc". */
  applicationName?: string;
  /**
   * Keep the hot read queries prepared on each connection (see `keepPrepared`). Default true. Turn off behind a
   * connection pooler in transaction mode that does not track named statements (PgBouncer before 1.21, or 1.21+
   * with max_prepared_statements = 0): there a connection's next transaction may reach another server session.
   */
  preparedStatements?: boolean;
  /** Told of every failure that means the database cannot serve (a lost or refused connection...), as it happens. */
  onOutage?: OutageListener;
}

/** A pool on a PostgreSQL server, plus a dedicated connection for LISTEN opened on first use. */
export function createPostgresDatabase(options: PostgresDatabaseOptions): DatabaseHandle {
  const clientConfig: pg.ClientConfig = {
    connectionString: options.url,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
    statement_timeout: options.statementTimeoutMs ?? 5_000,
    application_name: options.applicationName ?? 'authsvc',
    types: poolTypes,
    ...(options.ssl === undefined ? {} : { ssl: options.ssl }),
  };
  const pool = new pg.Pool({ ...clientConfig, max: options.poolSize ?? 10, ...(options.preparedStatements === false ? {} : { Client: PreparingClient }) });
  // An idle client that loses its server emits here; without a handler node would crash. The pool drops it.
  pool.on('error', () => {});
  // A checked-out client whose server goes away (admin shutdown, killed backend) emits 'error' too; its running query
  // already rejects with that error, which the dialect translates, so the event itself needs nothing but a listener.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Schema>({ dialect: translatingDialect(new PostgresDialect({ pool }), options.onOutage) });
  const listener = new PgNotificationListener(clientConfig);
  const failedToConnect = reportingOutages(connectionFailure, options.onOutage);
  let closed: Promise<void> | undefined;
  return {
    kind: 'postgres',
    db,
    // LISTEN has a connection of its own: failing to open it is failing to connect.
    listen: (channel, onNotify) => listener.listen(channel, onNotify).catch((error: unknown) => Promise.reject(failedToConnect(error))),
    close: () => (closed ??= (async () => {
      await listener.close();
      await db.destroy();
    })()),
  };
}
