import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.ts';

export default mergeConfig(
  sharedConfig,
  defineConfig({
    test: {
      // PGlite's start-up (initdb in WebAssembly) takes many seconds when the machine is busy.
      hookTimeout: 180_000,
      testTimeout: 60_000,
      include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    },
  }),
);
