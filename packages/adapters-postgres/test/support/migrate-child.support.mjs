// Runs migrateToLatest from a separate process, against the database URL in argv[2], straight from the
// TypeScript sources (started with test-support's sourceNodeFlags(): Node transforms the types of this package and
// of core, which a migration imports; this hook maps the `.js` import specifiers to their `.ts` files).
import { registerHooks } from 'node:module';
import process from 'node:process';

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (specifier.startsWith('.') && specifier.endsWith('.js')) return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
      throw error;
    }
  },
});

const { createPostgresDatabase } = await import('../../src/connection/postgres-database.factory.ts');
const { migrateToLatest } = await import('../../src/migrations/migrator.util.ts');

const handle = createPostgresDatabase({ url: process.argv[2], poolSize: 2 });
try {
  const applied = await migrateToLatest(handle.db);
  process.stdout.write(JSON.stringify(applied));
} finally {
  await handle.close();
}
