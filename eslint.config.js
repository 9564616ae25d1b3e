// One ESLint config for the whole monorepo. The rule that matters most: core stays pure.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Packages core must never import: storage, broker, transport and DI libraries, and any adapter. */
export const CORE_FORBIDDEN_IMPORTS = [
  'pg',
  'pg-*',
  'kysely',
  'kysely-*',
  '@electric-sql/*',
  'ioredis',
  'redis',
  'kafkajs',
  '@grpc/*',
  'nice-grpc*',
  'tsyringe',
  'nodemailer',
  'reflect-metadata',
  '@authsvc/adapters-*',
  '@authsvc/grpc-server',
];

/** Test tooling: the runner, the contract suites and the shared test support. Shipped code must not import them (issue #7). */
export const TEST_ONLY_IMPORTS = ['vitest', '@vitest/*', 'vite', '@authsvc/core-testing', '@authsvc/test-support'];

/** A relative import into another workspace package's sources bypasses its exports (and turbo's build order). */
const crossPackageSourcePattern = {
  group: ['**/apps/*/src', '**/apps/*/src/**', '**/packages/*/src', '**/packages/*/src/**'],
  message: 'Import another workspace package by its name (what its package.json exports), never its src/ by a relative path.',
};

const corePurityPattern = {
  group: CORE_FORBIDDEN_IMPORTS.flatMap((p) => [p, `${p}/*`]),
  message: 'packages/core is the pure domain: it must not import a database, cache, broker, transport or DI library, or an adapter. Add a port instead.',
};

export const corePurityRule = {
  'no-restricted-imports': ['error', { patterns: [corePurityPattern, crossPackageSourcePattern] }],
};

/** Core's sources outside tests also stay free of test tooling: whatever they import ships in the production image. */
export const coreSourcePurityRule = {
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        corePurityPattern,
        crossPackageSourcePattern,
        {
          group: TEST_ONLY_IMPORTS.flatMap((p) => [p, `${p}/*`]),
          message: 'packages/core/src ships to production: test tooling (vitest, @authsvc/core-testing, @authsvc/test-support) belongs in test/ or a *.test.ts file.',
        },
      ],
    },
  ],
};

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/generated/**', '**/.turbo/**', '**/.data/**', '**/.kafka/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'no-console': 'off',
      'no-restricted-imports': ['error', { patterns: [crossPackageSourcePattern] }],
    },
  },
  {
    files: ['packages/core/**/*.ts'],
    rules: corePurityRule,
  },
  {
    files: ['packages/core/src/**/*.ts'],
    ignores: ['packages/core/src/**/*.test.ts'],
    rules: coreSourcePurityRule,
  },
  {
    // The shipped code of the adapters and the app: no test tooling, and no test fixtures of core either.
    files: ['packages/adapters-*/src/**/*.ts', 'apps/*/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            crossPackageSourcePattern,
            {
              group: [...TEST_ONLY_IMPORTS.flatMap((p) => [p, `${p}/*`]), '@authsvc/core/fixtures'],
              message: 'This code ships to production: test tooling and test fixtures belong in test/.',
            },
          ],
        },
      ],
    },
  },
  {
    // @authsvc/client ships to other teams' services: no test tooling, no part of the server, and no run-time Express
    // (an optional peer: the middleware is typed with node:http, which Express's request and response extend).
    files: ['packages/client/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            crossPackageSourcePattern,
            {
              group: [...TEST_ONLY_IMPORTS.flatMap((p) => [p, `${p}/*`]), '@authsvc/core', '@authsvc/core/*', '@authsvc/grpc-server', '@authsvc/adapters-*', 'express', 'express/*'],
              message: '@authsvc/client is published on its own: it may use @authsvc/proto, grpc-js and jose, never test tooling, the server or Express at run time.',
            },
          ],
        },
      ],
    },
  },
);
