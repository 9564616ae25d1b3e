// The image's node_modules is what `pnpm deploy --prod` of this app produces (Dockerfile). Issue #7: test
// tooling got into it through core's optional vitest peer. scripts/ci/check-prod-deps.sh guards that (.ci/run
// runs it on the real deploy, outside turbo: a pnpm deploy nested under turbo's filtered environment misses the
// package store); these tests prove it finds a leak.
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { temporaryDir } from '@authsvc/test-support';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../../..', import.meta.url));
const dir = temporaryDir('authsvc-prod-deps-');
afterAll(() => dir.remove());

async function check(args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run('bash', ['scripts/ci/check-prod-deps.sh', ...args], { cwd: repo, timeout: 30_000 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: e.stdout + e.stderr };
  }
}

/** A fake deploy output holding the given pnpm virtual-store entries and top-level packages. */
function fakeDeploy(name: string, storeEntries: string[], topLevel: string[] = []): string {
  const root = join(dir.path, name);
  for (const entry of storeEntries) mkdirSync(join(root, 'node_modules/.pnpm', entry, 'node_modules'), { recursive: true });
  for (const pkg of topLevel) mkdirSync(join(root, 'node_modules', pkg), { recursive: true });
  return root;
}

const runtime = ['zod@4.6.7', '@grpc+grpc-js@1.14.7', '@authsvc+core@file+packages+core'];

describe('production dependency check (scripts/ci/check-prod-deps.sh)', () => {
  it('passes a deploy holding runtime packages only', async () => {
    const result = await check([fakeDeploy('clean', runtime, ['zod', '@grpc/grpc-js'])]);
    expect(result.output).toContain('none test-only');
    expect(result.code).toBe(0);
  });

  it.each([
    ['vitest pulled in as a peer', ['vitest@5.1.2_@types+node@24.19.4_vite@8.3.8'], [], 'vitest'],
    ['vite alone', ['vite@8.3.8_@types+node@24.19.4_yaml@2.9.1'], [], 'vite'],
    ['a part of vitest', ['@vitest+spy@5.1.2'], [], '@vitest/spy'],
    ['the contract suites as a direct dependency', [], ['@authsvc/core-testing'], '@authsvc/core-testing'],
    ['the contract suites injected by pnpm', ['@authsvc+core-testing@file+packages+core-testing'], [], '@authsvc/core-testing'],
  ])('fails on %s', async (name, storeEntries, topLevel, reported) => {
    const result = await check([fakeDeploy(name.replaceAll(' ', '-'), [...runtime, ...storeEntries], topLevel)]);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(new RegExp(`^  ${reported}$`, 'm'));
  });

  it('does not mistake a runtime package that merely names vitest in its peer suffix', async () => {
    const result = await check([fakeDeploy('peer-suffix', [...runtime, '@authsvc+adapters-redis@file+packages+adapters-redis_vitest@5.1.2'])]);
    expect(result.code).toBe(0);
  });
});
