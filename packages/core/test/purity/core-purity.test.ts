// Proves the lint that keeps core pure really bites: a deliberate bad import in a file under
// packages/core must be reported, and core's package.json must not depend on an adapter technology.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const coreFile = path.join(repoRoot, 'packages/core/src/purity-fixture.ts');
const adapterFile = path.join(repoRoot, 'packages/adapters-postgres/src/purity-fixture.ts');

// One ESLint for the file: loading the config and its plugins is the slow part (seconds on a busy machine).
let eslint: ESLint;

async function restrictedImportErrors(source: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('core purity lint', () => {
  beforeAll(async () => {
    eslint = new ESLint({ cwd: repoRoot });
    await eslint.calculateConfigForFile(coreFile);
  }, 120_000);

  it.each([
    ["import pg from 'pg';"],
    ["import { Kysely } from 'kysely';"],
    ["import Redis from 'ioredis';"],
    ["import { Kafka } from 'kafkajs';"],
    ["import * as grpc from '@grpc/grpc-js';"],
    ["import { container } from 'tsyringe';"],
    ["import { createPostgresStores } from '@authsvc/adapters-postgres';"],
    ["export { x } from '@grpc/reflection';"],
  ])('rejects %s in packages/core', async (source) => {
    const errors = await restrictedImportErrors(`${source}\n`, coreFile);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('packages/core is the pure domain');
  });

  it('accepts the libraries core is allowed to use', async () => {
    const source = "import { SignJWT } from 'jose';\nimport bcrypt from 'bcryptjs';\nimport { Worker } from 'node:worker_threads';\nexport { SignJWT, bcrypt, Worker };\n";
    expect(await restrictedImportErrors(source, coreFile)).toEqual([]);
  });

  it('does not restrict adapters, which exist to use these libraries', async () => {
    expect(await restrictedImportErrors("import pg from 'pg';\nexport { pg };\n", adapterFile)).toEqual([]);
  });

  it("core's package.json depends on no storage, broker, transport or DI library", () => {
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'packages/core/package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    const names = ['dependencies', 'peerDependencies', 'optionalDependencies'].flatMap((k) => Object.keys(manifest[k] ?? {}));
    const forbidden = names.filter((n) => /^(pg|kysely|ioredis|redis|kafkajs|tsyringe)$|^@grpc\/|^@authsvc\/adapters-|^pg-|^kysely-|^@electric-sql\//.test(n));
    expect(forbidden).toEqual([]);
  });
});
