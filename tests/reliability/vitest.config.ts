import { defineConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.ts';

// As apps/grpc-server: without "import" in the conditions, node-postgres's CommonJS require('pg-pool') stays CommonJS.
const conditions = ['@authsvc/source', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@authsvc/source'] } },
  test: {
    ...sharedConfig.test,
    hookTimeout: 180_000,
    testTimeout: 120_000,
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Every file starts its own server processes and service instances: one file at a time on 2 cores.
    fileParallelism: false,
  },
});
