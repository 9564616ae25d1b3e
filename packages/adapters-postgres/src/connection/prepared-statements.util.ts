import type { CompiledQuery } from 'kysely';
import pg from 'pg';

/** Statement name of each query kept prepared, by its SQL text (the only thing that reaches the pg client). */
const statementNames = new Map<string, string>();

/**
 * Marks a query compiled once as one to keep prepared on every PostgreSQL connection: its first run on a connection
 * parses it under `name`, later runs only bind and execute it. Measured on `findById` (three tables), one read at a
 * time (bench/src/experiments/prepared-statement.experiment.ts): the PostgreSQL backend spent 176–210 µs of CPU per
 * unnamed read and 48 µs per prepared one, this process 153–156 vs 99–114 µs. Only for queries built once, so the
 * statements on each connection stay a fixed, small set. They select named columns, so a later migration that adds
 * columns does not invalidate them (one that drops or retypes a selected column fails them until reconnect).
 */
export function keepPrepared<R>(query: CompiledQuery<R>, name: string): CompiledQuery<R> {
  const known = [...statementNames].find(([, existing]) => existing === name);
  if (known !== undefined && known[0] !== query.sql) throw new Error(`prepared statement ${name} is already another query`);
  statementNames.set(query.sql, name);
  return query;
}

/**
 * The pool's client class when prepared statements are on: a query whose text was marked with `keepPrepared` runs
 * as that named statement; every other query runs as node-postgres would run it. Kysely hands the driver only the
 * SQL text and the parameters, so this is where the name can be added, for pool reads and transactions alike.
 */
export class PreparingClient extends pg.Client {
  // node-postgres declares query() with a dozen overloads; this override only looks at the (text, values) form.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(config: any, values?: any, callback?: any): any {
    const name = typeof config === 'string' && Array.isArray(values) && callback === undefined ? statementNames.get(config) : undefined;
    if (name === undefined) return super.query(config, values, callback);
    // Built from (text, values) and named afterwards: given a { name, text, values } object, node-postgres copies it
    // through its property descriptors first (cloneQueryConfig), ~10 µs of the event loop per call in a profile.
    return new Promise((resolve, reject) => {
      const query = new pg.Query(config, values, (error, result) => (error ? reject(error) : resolve(result)));
      (query as { name?: string }).name = name;
      super.query(query);
    });
  }
}
