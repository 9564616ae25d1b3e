import { defineConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.ts';

const test = {
  ...sharedConfig.test,
  // PGlite's start-up (initdb in WebAssembly) takes tens of seconds when the machine is busy.
  hookTimeout: 180_000,
  testTimeout: 60_000,
};

/**
 * Contract cases that hold one transaction open while another session reads. PGlite is a single session (one
 * transaction at a time for the whole process), so on PGlite such a case would wait for itself forever. They run
 * on the PostgreSQL server only; vitest reports them as skipped on PGlite. README "Embedded mode" explains.
 */
export const NEEDS_TWO_SESSIONS = [
  'hides them from readers outside until commit',
  'makes appended events claimable only once their unit of work commits',
];
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export default defineConfig({
  resolve: sharedConfig.resolve,
  ssr: sharedConfig.ssr,
  test: {
    // Reporters are run-wide options: they belong here, not in the projects (.ci/run reads the JSON report).
    reporters: sharedConfig.test.reporters,
    ...('outputFile' in sharedConfig.test ? { outputFile: sharedConfig.test.outputFile } : {}),
    projects: [
      {
        extends: true,
        test: { ...test, name: 'adapters-postgres', include: ['test/**/*.test.ts', 'src/**/*.test.ts'], exclude: ['test/contracts.pglite.test.ts'] },
      },
      {
        extends: true,
        test: {
          ...test,
          name: 'pglite-contracts',
          include: ['test/contracts.pglite.test.ts'],
          testNamePattern: new RegExp(`^(?!.*(${NEEDS_TWO_SESSIONS.map(escape).join('|')}))`),
        },
      },
    ],
  },
});
