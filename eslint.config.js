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
  'reflect-metadata',
  '@authsvc/adapters-*',
  '@authsvc/grpc-server',
];

export const corePurityRule = {
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        {
          group: CORE_FORBIDDEN_IMPORTS.flatMap((p) => [p, `${p}/*`]),
          message: 'packages/core is the pure domain: it must not import a database, cache, broker, transport or DI library, or an adapter. Add a port instead.',
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
    },
  },
  {
    files: ['packages/core/**/*.ts'],
    rules: corePurityRule,
  },
);
