import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// node-options.env holds the server's V8 heap bounds once; every start command must pass it to node.
const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../../..', import.meta.url));
const read = (file: string) => readFileSync(join(repo, file), 'utf8');
const envFile = join(repo, 'apps/grpc-server/node-options.env');

/** The heap limit node reports when started with the env file (and an optional NODE_OPTIONS of its own), in MiB. */
async function heapLimitMiB(env: Record<string, string> = {}): Promise<number> {
  const { stdout } = await run(process.execPath, [`--env-file=${envFile}`, '-p', 'require("node:v8").getHeapStatistics().heap_size_limit / 2 ** 20'], { env: { PATH: process.env['PATH'] ?? '', ...env } });
  return Number(stdout.trim());
}

describe('node-options.env, the server process heap bounds', () => {
  it('is passed by every start command: the image entry point, pnpm start and authsvc, the package start, the bench', () => {
    expect(read('Dockerfile')).toMatch(/^ENTRYPOINT \[.*"node", "--env-file=node-options\.env", "dist\/main\.js"\]$/m);
    const root = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    // `npm start` / `pnpm start` run scripts/bootstrap.mjs, which runs the root `serve` script with the right Node.
    expect(root.scripts['start']).toBe('node scripts/bootstrap.mjs start');
    expect(read('scripts/bootstrap.mjs')).toContain("start: ['run', 'serve']");
    expect(root.scripts['serve']).toContain('node --env-file=apps/grpc-server/node-options.env apps/grpc-server/dist/main.js serve');
    expect(root.scripts['authsvc']).toBe('node --env-file=apps/grpc-server/node-options.env apps/grpc-server/dist/main.js');
    const app = JSON.parse(read('apps/grpc-server/package.json')) as { scripts: Record<string, string> };
    expect(app.scripts['start']).toBe('node --env-file=node-options.env dist/main.js serve');
    // The bench starts the server through the shared spawner, which adds the file when asked.
    expect(read('bench/src/infra/auth-server.process.ts')).toContain('nodeOptionsFile: true,');
    expect(read('packages/test-support/src/server/server-process.support.ts')).toContain("options.nodeOptionsFile ? [`--env-file=${join(APP_DIR, 'node-options.env')}`]");
  });

  it('bounds the heap of a node started with it (old space 192 MiB + young generation 3 x 16 MiB)', async () => {
    expect(await heapLimitMiB()).toBe(240);
  });

  it('gives way to a NODE_OPTIONS set in the environment', async () => {
    expect(await heapLimitMiB({ NODE_OPTIONS: '--max-old-space-size=512 --max-semi-space-size=16' })).toBe(560);
  });
});
