import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.ts';

export default mergeConfig(
  sharedConfig,
  defineConfig({
    test: {
      hookTimeout: 180_000,
      testTimeout: 120_000,
      include: ['test/**/*.test.ts'],
      globalSetup: ['test/global-setup.support.ts'],
      // Every file starts its own server processes and service instances: one file at a time on 2 cores.
      fileParallelism: false,
    },
  }),
);
