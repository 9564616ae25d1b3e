// Shared by every package's vitest.config.ts: resolve workspace packages to their TypeScript
// sources (the "@authsvc/source" export condition) so tests never need a prior build.
export const sourceConditions = ['@authsvc/source', 'import', 'module', 'node', 'default'];

export const sharedConfig = {
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions, externalConditions: ['@authsvc/source'] } },
  test: {
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
};
