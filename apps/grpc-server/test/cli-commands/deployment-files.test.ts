import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { temporaryDir } from '@authsvc/test-support';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../../..', import.meta.url));
const dockerfile = readFileSync(join(repo, 'Dockerfile'), 'utf8');
const dir = temporaryDir('authsvc-deploy-');
afterAll(() => dir.remove());

async function lint(content: string): Promise<{ code: number; output: string }> {
  const file = join(dir.path, `Dockerfile.${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, content);
  try {
    const { stdout, stderr } = await run('bash', ['scripts/ci/lint-dockerfile.sh', file], { cwd: repo });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: e.stdout + e.stderr };
  }
}

describe('Dockerfile lint (scripts/ci/lint-dockerfile.sh, in place of hadolint)', () => {
  it('passes the repository Dockerfile', async () => {
    const result = await lint(dockerfile);
    expect(result.output).toContain('passes');
    expect(result.code).toBe(0);
  });

  it.each([
    ['a root user', dockerfile.replace(/^USER node$/m, 'USER root'), 'the last USER is root'],
    ['no HEALTHCHECK', dockerfile.replace(/^HEALTHCHECK .*$/m, ''), 'no HEALTHCHECK'],
    ['a latest tag', dockerfile.replace('node:24-bookworm-slim', 'node:latest'), 'latest tag'],
    ['an ADD of a URL', `${dockerfile}\nADD https://example.com/probe /probe\n`, 'use COPY instead of ADD'],
    ['a shell-form entry point', dockerfile.replace(/^ENTRYPOINT .*$/m, 'ENTRYPOINT node dist/main.js'), 'exec (JSON) form'],
    ['dev dependencies', dockerfile.replace('deploy --prod --legacy', 'deploy --legacy'), 'production-only'],
    ['a side port bound to every interface', dockerfile.replace('AUTH_HTTP_PORT=9464', 'AUTH_HTTP_HOST=0.0.0.0 \\\n    AUTH_HTTP_PORT=9464'), 'AUTH_HTTP_HOST'],
    ['embedded mode allowed on a public address', dockerfile.replace('AUTH_HTTP_PORT=9464', 'AUTH_HTTP_PORT=9464 \\\n    AUTH_ALLOW_INSECURE_EMBEDDED=true'), 'AUTH_ALLOW_INSECURE_EMBEDDED'],
  ])('fails on %s', async (_name, content, message) => {
    const result = await lint(content);
    expect(result.code).toBe(1);
    expect(result.output).toContain(message);
  });
});

const composeInstalled = () =>
  run('docker-compose', ['version', '--short']).then(
    () => true,
    () => false,
  );
// Under CI the validation script installs Debian's docker-compose itself when missing (it needs apt and root).
if (!(await composeInstalled()) && process.env['CI'] === 'true') await run('bash', ['scripts/ci/validate-compose.sh'], { cwd: repo, timeout: 600_000 });
const hasCompose = await composeInstalled();
if (!hasCompose) {
  const line = 'docker-compose validation skipped: run `bash scripts/ci/validate-compose.sh` once (it installs Debian\'s docker-compose).';
  if (process.env['CI'] === 'true') throw new Error(`${line} Under CI=true a skipped suite is a failure.`);
  console.warn(line);
}

describe.skipIf(!hasCompose)('docker-compose.yml (scripts/ci/validate-compose.sh)', () => {
  it('is a valid Compose file with the stack the issue asks for', async () => {
    const { stdout } = await run('bash', ['scripts/ci/validate-compose.sh'], { cwd: repo });
    expect(stdout).toContain('docker-compose.yml is valid');
  });

  it('fails on an invalid depends_on condition and on a ZooKeeper-era Kafka', async () => {
    const compose = readFileSync(join(repo, 'docker-compose.yml'), 'utf8');
    for (const [content, message] of [
      [compose.replaceAll('condition: service_healthy', 'condition: healthy'), 'invalid'],
      [compose.replace('apache/kafka:4.1.1', 'apache/kafka:3.9.0'), 'missing apache/kafka:4 image'],
    ] as const) {
      const file = join(dir.path, `compose.${Math.random().toString(36).slice(2)}.yml`);
      writeFileSync(file, content);
      const failed = await run('bash', ['scripts/ci/validate-compose.sh', file], { cwd: repo }).then(
        () => null,
        (error: { stdout: string; stderr: string }) => error.stdout + error.stderr,
      );
      expect(failed).toContain(message);
    }
  });
});
