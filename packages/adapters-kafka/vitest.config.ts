import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.ts';

export default mergeConfig(
  sharedConfig,
  defineConfig({
    test: {
      // A broker start (outage suite) or a consumer group join takes tens of seconds on a busy machine.
      hookTimeout: 180_000,
      testTimeout: 180_000,
      // The suites share one broker and a machine with 2 cores: one file at a time keeps timings meaningful.
      fileParallelism: false,
      include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    },
  }),
);
