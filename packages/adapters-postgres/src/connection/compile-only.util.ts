import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import type { Schema } from '../schema/database-schema.types.js';

/**
 * A Kysely that only compiles SQL and never connects (PostgreSQL and PGlite share the compiler): the hot queries are
 * built and compiled with it once, at load, and only their parameters change from call to call.
 */
export const compileOnly = new Kysely<Schema>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});
