import { reportingOutages, type OutageListener } from '@authsvc/core';
import type { AbortableOperationOptions, CompiledQuery, DatabaseConnection, Dialect, Driver, QueryCompiler, QueryResult, TransactionSettings } from 'kysely';
import { connectionFailure, translatePostgresError } from '../errors/postgres.errors.js';

type CompileQuery = QueryCompiler['compileQuery'];

/**
 * The one place where this package reads its driver's failures. Every query of every store, transaction control
 * included, runs through the dialect's driver; wrapping it means no store translates anything. A failure to obtain
 * a connection is an outage whatever it says (refused, timed out, a database that takes no connections or no longer
 * exists, too many clients); a failure of a statement is translated by `translatePostgresError`. `onOutage` hears
 * of every outage as it happens.
 */
export function translatingDialect(dialect: Dialect, onOutage?: OutageListener): Dialect {
  const translate = reportingOutages(translatePostgresError, onOutage);
  const failedToConnect = reportingOutages(connectionFailure, onOutage);
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => new TranslatingDriver(dialect.createDriver(), translate, failedToConnect),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
  };
}

async function translated<T>(translate: (error: unknown) => unknown, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw translate(error);
  }
}

class TranslatingConnection implements DatabaseConnection {
  readonly inner: DatabaseConnection;
  readonly #translate: (error: unknown) => unknown;

  constructor(inner: DatabaseConnection, translate: (error: unknown) => unknown) {
    this.inner = inner;
    this.#translate = translate;
  }

  executeQuery<R>(query: CompiledQuery, options?: AbortableOperationOptions): Promise<QueryResult<R>> {
    return translated(this.#translate, () => this.inner.executeQuery<R>(query, options));
  }

  streamQuery<R>(query: CompiledQuery, chunkSize: number, options?: AbortableOperationOptions): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize, options);
  }
}

class TranslatingDriver implements Driver {
  // One wrapper per driver connection: kysely and the inner driver both recognize a connection by its identity.
  readonly #wrappers = new WeakMap<DatabaseConnection, TranslatingConnection>();

  readonly #inner: Driver;
  readonly #translate: (error: unknown) => unknown;
  readonly #failedToConnect: (error: unknown) => unknown;

  constructor(inner: Driver, translate: (error: unknown) => unknown, failedToConnect: (error: unknown) => unknown) {
    this.#inner = inner;
    this.#translate = translate;
    this.#failedToConnect = failedToConnect;
  }

  init(options?: AbortableOperationOptions): Promise<void> {
    return this.#inner.init(options);
  }

  async acquireConnection(options?: AbortableOperationOptions): Promise<DatabaseConnection> {
    const connection = await translated(this.#failedToConnect, () => this.#inner.acquireConnection(options));
    let wrapper = this.#wrappers.get(connection);
    if (wrapper === undefined) {
      wrapper = new TranslatingConnection(connection, this.#translate);
      this.#wrappers.set(connection, wrapper);
    }
    return wrapper;
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return translated(this.#translate, () => this.#inner.beginTransaction(unwrap(connection), settings));
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return translated(this.#translate, () => this.#inner.commitTransaction(unwrap(connection)));
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return translated(this.#translate, () => this.#inner.rollbackTransaction(unwrap(connection)));
  }

  savepoint(connection: DatabaseConnection, name: string, compileQuery: CompileQuery): Promise<void> {
    return translated(this.#translate, () => this.#inner.savepoint!(unwrap(connection), name, compileQuery));
  }

  rollbackToSavepoint(connection: DatabaseConnection, name: string, compileQuery: CompileQuery): Promise<void> {
    return translated(this.#translate, () => this.#inner.rollbackToSavepoint!(unwrap(connection), name, compileQuery));
  }

  releaseSavepoint(connection: DatabaseConnection, name: string, compileQuery: CompileQuery): Promise<void> {
    return translated(this.#translate, () => this.#inner.releaseSavepoint!(unwrap(connection), name, compileQuery));
  }

  releaseConnection(connection: DatabaseConnection, options?: AbortableOperationOptions): Promise<void> {
    return this.#inner.releaseConnection(unwrap(connection), options);
  }

  destroy(options?: AbortableOperationOptions): Promise<void> {
    return this.#inner.destroy(options);
  }
}

const unwrap = (connection: DatabaseConnection): DatabaseConnection =>
  connection instanceof TranslatingConnection ? connection.inner : connection;
