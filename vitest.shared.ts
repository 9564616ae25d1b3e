// Shared by every package's vitest.config.ts: resolve workspace packages to their TypeScript
// sources (the "@authsvc/source" export condition) so tests never need a prior build.
import path from 'node:path';

// vitest hands these to its workers as `node --conditions` too: an explicit "import" there would make CommonJS
// packages that require() a dual package (node-postgres's require('pg-pool')) load its ESM build and fail. Node adds
// "import"/"require" by itself according to how a module is loaded, so the list names only what Node would not.
export const sourceConditions = ['@authsvc/source', 'node', 'default'];

// .ci/run sets AUTHSVC_TEST_RESULTS_DIR to collect one JSON report per package and print one
// "N passed, N failed" line for the whole monorepo at the end.
const resultsDir = process.env.AUTHSVC_TEST_RESULTS_DIR;
const reporters = resultsDir ? ['default', 'json'] : ['default'];
const outputFile = resultsDir ? { json: path.join(resultsDir, `${path.basename(process.cwd())}.json`) } : undefined;

export const sharedConfig = {
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions, externalConditions: ['@authsvc/source'] } },
  test: {
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    reporters,
    ...(outputFile ? { outputFile } : {}),
  },
};
