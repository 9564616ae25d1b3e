import { defineConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.ts';

// vitest hands resolve.conditions to the worker as `node --conditions`; the shared list holds "import", which makes
// node-postgres's CommonJS `require('pg-pool')` load pg-pool's ESM build (a module namespace, not a class). So this
// package keeps only the conditions it needs.
const conditions = ['@authsvc/source', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@authsvc/source'] } },
  test: {
    ...sharedConfig.test,
    // PGlite's start-up (initdb in WebAssembly) takes tens of seconds when the machine is busy.
    hookTimeout: 180_000,
    testTimeout: 60_000,
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
  },
});
