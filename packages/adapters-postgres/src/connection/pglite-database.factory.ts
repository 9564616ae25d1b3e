import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect } from 'kysely';
import type { Schema } from '../schema/database-schema.types.js';
import type { DatabaseHandle } from './database-handle.types.js';

export interface PgliteDatabaseOptions {
  /** Folder that holds the data, created if missing and kept across restarts; undefined keeps everything in memory. */
  dataDir?: string;
}

/**
 * An embedded PostgreSQL (PGlite, WebAssembly) in this process. One connection: kysely's PGlite dialect
 * queues every query and transaction behind the one open, so a unit of work never interleaves with another.
 * Only one process may open a given dataDir at a time.
 */
export async function createPgliteDatabase(options: PgliteDatabaseOptions = {}): Promise<DatabaseHandle> {
  if (options.dataDir !== undefined) await mkdir(options.dataDir, { recursive: true });
  const pglite = await PGlite.create(options.dataDir === undefined ? {} : { dataDir: options.dataDir });
  const db = new Kysely<Schema>({ dialect: new PGliteDialect({ pglite }) });
  let closed: Promise<void> | undefined;
  return {
    kind: 'pglite',
    db,
    listen: async (channel, listener) => {
      const unsubscribe = await pglite.listen(channel, listener);
      return async () => {
        if (!pglite.closed) await unsubscribe();
      };
    },
    close: () => (closed ??= (async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    })()),
  };
}
