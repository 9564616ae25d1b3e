// Proves the lint that keeps core pure really bites: a deliberate bad import in a file under
// packages/core must be reported, and core's package.json must not depend on an adapter technology.
// Core's shipped sources must not import test tooling either: since issue #7 the contract suites live in
// @authsvc/core-testing, and whatever core imports or declares outside devDependencies reaches the image.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const coreFile = path.join(repoRoot, 'packages/core/src/purity-fixture.ts');
const coreSrcDir = path.join(repoRoot, 'packages/core/src');
const fixturesDir = path.join(coreSrcDir, 'fixtures');
const coreFixturesFile = path.join(fixturesDir, 'purity-fixture.ts');
const coreUnitTestFile = path.join(repoRoot, 'packages/core/src/purity-fixture.test.ts');
const coreTestFile = path.join(repoRoot, 'packages/core/test/purity-fixture.test.ts');
const coreTestingFile = path.join(repoRoot, 'packages/core-testing/src/purity-fixture.ts');
const adapterFile = path.join(repoRoot, 'packages/adapters-postgres/src/purity-fixture.ts');

// One ESLint for the file: loading the config and its plugins is the slow part (seconds on a busy machine).
let eslint: ESLint;

/** Every module specifier a source file imports or re-exports (static, side-effect and dynamic imports). */
function importedSpecifiers(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const pattern = /\b(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g;
  return [...source.matchAll(pattern)].map((match) => match[1]!);
}

/** The .ts files under `dir`, recursively. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => path.join(dir, name));
}

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

  it.each([
    ["import { describe } from 'vitest';"],
    ["import { defineConfig } from 'vitest/config';"],
    ["import { sessionStoreContract } from '@authsvc/core-testing';"],
  ])('rejects test tooling in the shipped sources of packages/core, the fixtures included: %s', async (source) => {
    for (const file of [coreFile, coreFixturesFile]) {
      const errors = await restrictedImportErrors(`${source}\n`, file);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain('packages/core/src ships to production');
    }
  });

  it('the fixtures (@authsvc/core/fixtures) import nothing outside core: only core modules and node: built-ins', () => {
    const files = sourceFiles(fixturesDir);
    expect(files.map((f) => path.basename(f))).toContain('index.ts');
    const outside = files.flatMap((file) =>
      importedSpecifiers(file)
        .filter((spec) => !spec.startsWith('node:'))
        .filter((spec) => !spec.startsWith('.') || path.relative(coreSrcDir, path.resolve(path.dirname(file), spec)).startsWith('..'))
        .map((spec) => `${path.relative(repoRoot, file)}: ${spec}`),
    );
    expect(outside).toEqual([]);
  });

  it("core's shipped code outside the fixtures never imports them: test data must not reach a use case", () => {
    const importers = sourceFiles(coreSrcDir)
      .filter((file) => !file.startsWith(fixturesDir + path.sep) && !file.endsWith('.test.ts'))
      .filter((file) => importedSpecifiers(file).some((spec) => spec.startsWith('.') && path.resolve(path.dirname(file), spec).startsWith(fixturesDir + path.sep)));
    expect(importers.map((file) => path.relative(repoRoot, file))).toEqual([]);
  });

  it("accepts vitest in core's tests and in @authsvc/core-testing, which only test code imports", async () => {
    const source = "import { describe } from 'vitest';\nexport { describe };\n";
    for (const file of [coreUnitTestFile, coreTestFile, coreTestingFile]) expect(await restrictedImportErrors(source, file)).toEqual([]);
  });

  it('still rejects a storage library in a test file of packages/core', async () => {
    expect(await restrictedImportErrors("import pg from 'pg';\nexport { pg };\n", coreTestFile)).toHaveLength(1);
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

  it("core's package.json declares test tooling as devDependencies only, and never the contract suites", () => {
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'packages/core/package.json'), 'utf8')) as Record<string, unknown>;
    const fields = ['dependencies', 'peerDependencies', 'optionalDependencies', 'peerDependenciesMeta'];
    const shipped = fields.flatMap((k) => Object.keys((manifest[k] as Record<string, unknown> | undefined) ?? {}));
    expect(shipped.filter((n) => /^(vitest|vite)$|^@vitest\/|^@authsvc\/core-testing$/.test(n))).toEqual([]);
    // core-testing depends on core: a devDependency back would be a package cycle turbo cannot order.
    expect(Object.keys((manifest['devDependencies'] as Record<string, string> | undefined) ?? {})).not.toContain('@authsvc/core-testing');
    // Two entry points: the domain, and the framework-free fixtures that core's tests and core-testing share.
    const exportsMap = (manifest['exports'] as Record<string, Record<string, string>> | undefined) ?? {};
    expect(Object.keys(exportsMap)).toEqual(['.', './fixtures']);
    expect(exportsMap['./fixtures']?.['@authsvc/source']).toBe('./src/fixtures/index.ts');
  });
});
