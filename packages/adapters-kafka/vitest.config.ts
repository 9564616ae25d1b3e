import { defineConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.ts';

// As in adapters-postgres: the shared "import" condition would make node-postgres's CommonJS require('pg-pool')
// (used by the end-to-end suites) load pg-pool's ESM build, so this package keeps only the conditions it needs.
const conditions = ['@authsvc/source', 'node', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@authsvc/source'] } },
  test: {
    ...sharedConfig.test,
    // A broker start (outage suite) or a consumer group join takes tens of seconds on a busy machine.
    hookTimeout: 180_000,
    testTimeout: 180_000,
    // The suites share one broker and a machine with 2 cores: one file at a time keeps timings meaningful.
    fileParallelism: false,
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
  },
});
