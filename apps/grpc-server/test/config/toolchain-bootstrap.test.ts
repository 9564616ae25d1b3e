import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { temporaryDir } from '@authsvc/test-support';
import { afterAll, describe, expect, it } from 'vitest';

// scripts/bootstrap.mjs, behind the README's `npm start` / `npm test` and .ci/run: it fetches the Node of .nvmrc and the
// pinned pnpm when the machine lacks them. Here npm is a stand-in that records what it is asked and lays out fake
// binaries, so the decisions are checked in milliseconds without the registry; scripts/ci/bare-machine-check.sh
// (.ci/run) does the real fetch from a fresh clone.
const repo = fileURLToPath(new URL('../../../..', import.meta.url));
const read = (file: string) => readFileSync(join(repo, file), 'utf8');
const NODE_MAJOR = read('.nvmrc').trim();
const PNPM_VERSION = (JSON.parse(read('package.json')) as { packageManager: string }).packageManager.replace('pnpm@', '');
const BOOTSTRAP = join(repo, 'scripts/bootstrap.mjs');
/** A Node of another major than the project's, as a bare machine has: the distribution's. */
const OTHER_NODE = ['/usr/bin/node'].find((node) => existsSync(node) && !execFileSync(node, ['--version'], { encoding: 'utf8' }).startsWith(`v${NODE_MAJOR}.`));

describe('the toolchain files', () => {
  it('name one Node major: .nvmrc, .node-version, engines and the Docker image', () => {
    expect(NODE_MAJOR).toMatch(/^\d+$/);
    expect(read('.node-version').trim()).toBe(NODE_MAJOR);
    expect((JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node).toBe(`>=${NODE_MAJOR}.0.0 <${Number(NODE_MAJOR) + 1}`);
    expect(read('Dockerfile')).toContain(`ARG NODE_IMAGE=node:${NODE_MAJOR}-`);
  });

  it("are what the README's commands and .ci/run use", () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect([scripts['start'], scripts['test']]).toEqual(['node scripts/bootstrap.mjs start', 'node scripts/bootstrap.mjs test']);
    expect(read('.ci/run')).toContain('TOOLCHAIN="$(node scripts/bootstrap.mjs env)"');
    expect(read('README.md').split('\n').slice(0, 6).join('\n')).toMatch(/```bash\nnpm start +# run: .*\nnpm test +# test: /);
  });
});

describe.skipIf(!OTHER_NODE && process.env['CI'] !== 'true')('the bootstrap on a machine with another Node', () => {
  const dir = temporaryDir('authsvc-bootstrap-');
  afterAll(() => dir.remove());
  const fakeBin = join(dir.path, 'fake-bin');
  const npmLog = join(dir.path, 'npm.log');
  mkdirSync(fakeBin, { recursive: true });
  writeFileSync(
    join(fakeBin, 'npm'),
    [
      '#!/bin/sh',
      'echo "$@" >> "$FAKE_NPM_LOG"',
      '[ -n "$FAKE_NPM_FAIL" ] && exit 1',
      'while [ $# -gt 0 ]; do case "$1" in --prefix) prefix="$2"; shift 2;; *) spec="$1"; shift;; esac; done',
      'mkdir -p "$prefix/bin"',
      `case "$spec" in node@*) printf '#!/bin/sh\\necho v${NODE_MAJOR}.99.0\\n' > "$prefix/bin/node";; pnpm@*) printf '#!/bin/sh\\necho ${PNPM_VERSION}\\n' > "$prefix/bin/pnpm";; esac`,
      'chmod +x "$prefix/bin/"*',
      '',
    ].join('\n'),
  );
  chmodSync(join(fakeBin, 'npm'), 0o755);

  function bootstrapEnv(toolchain: string, extra: Record<string, string> = {}) {
    expect(OTHER_NODE, 'a Node of another major in /usr/bin (the distribution Node this check is about)').toBeDefined();
    return spawnSync(OTHER_NODE!, [BOOTSTRAP, 'env'], {
      encoding: 'utf8',
      env: { PATH: `${fakeBin}:/usr/bin:/bin`, HOME: dir.path, AUTHSVC_TOOLCHAIN_DIR: toolchain, FAKE_NPM_LOG: npmLog, ...extra },
    });
  }

  it('fetches the Node of .nvmrc and the pinned pnpm with npm into the cache folder, and puts them first on PATH', () => {
    const toolchain = join(dir.path, 'cache');
    const result = bootstrapEnv(toolchain);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe(`export PATH='${toolchain}/pnpm-${PNPM_VERSION}/bin:${toolchain}/node${NODE_MAJOR}/bin:${fakeBin}:/usr/bin:/bin'\n`);
    expect(readFileSync(npmLog, 'utf8').trim().split('\n')).toEqual([
      `install --global --prefix ${toolchain}/node${NODE_MAJOR} --no-fund --no-audit --loglevel=error node@${NODE_MAJOR}`,
      `install --global --prefix ${toolchain}/pnpm-${PNPM_VERSION} --no-fund --no-audit --loglevel=error pnpm@${PNPM_VERSION}`,
    ]);
    expect(result.stderr).toContain(`bootstrap: node v${NODE_MAJOR}.99.0, pnpm ${PNPM_VERSION}`);

    const again = bootstrapEnv(toolchain);
    expect([again.status, again.stdout]).toEqual([0, result.stdout]);
    expect(readFileSync(npmLog, 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('stops with a message naming the registry when the fetch fails', () => {
    const result = bootstrapEnv(join(dir.path, 'empty-cache'), { FAKE_NPM_FAIL: '1' });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/npm install node@\d+ failed .*npm registry/);
  });
});

describe('the bootstrap with the right Node and pnpm', () => {
  it('fetches nothing and keeps them first on PATH', () => {
    const toolchain = temporaryDir('authsvc-bootstrap-');
    try {
      const result = spawnSync(process.execPath, [BOOTSTRAP, 'env'], { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', HOME: toolchain.path, AUTHSVC_TOOLCHAIN_DIR: join(toolchain.path, 'cache') } });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout.startsWith(`export PATH='${dirname(process.execPath)}:`)).toBe(true);
      expect(existsSync(join(toolchain.path, 'cache'))).toBe(false);
    } finally {
      toolchain.remove();
    }
  });
});
