import { defineConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.ts';

// vitest hands resolve.conditions to the worker as `node --conditions`; the shared list holds "import", which makes
// node-postgres's CommonJS `require('pg-pool')` load pg-pool's ESM build (not a class). Keep only what is needed
// (as packages/adapters-postgres does).
const conditions = ['@authsvc/source', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@authsvc/source'] } },
  test: {
    ...sharedConfig.test,
    // PGlite's start-up (initdb in WebAssembly) takes many seconds when the machine is busy.
    hookTimeout: 180_000,
    testTimeout: 60_000,
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
  },
});
