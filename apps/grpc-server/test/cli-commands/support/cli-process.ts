import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const appDir = fileURLToPath(new URL('../../..', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real command line (`src/main.ts` from the TypeScript sources, as the e2e suite does, or the built
 * `dist/main.js` with AUTHSVC_E2E_ENTRY=dist) with only the given environment, stdin not a terminal.
 */
export function runCli(args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<CliResult> {
  return runCliScript('src/main.ts', env, args, timeoutMs);
}

/** Runs one entry script of src/ (its dist/ twin with AUTHSVC_E2E_ENTRY=dist). */
export function runCliScript(script: string, env: Record<string, string>, args: string[] = [], timeoutMs = 120_000): Promise<CliResult> {
  const entry =
    process.env['AUTHSVC_E2E_ENTRY'] === 'dist'
      ? [join(appDir, script.replace(/^src\//, 'dist/').replace(/\.ts$/, '.js'))]
      : ['--experimental-transform-types', '--no-warnings', '--conditions=@authsvc/source', '--import', join(appDir, 'test/e2e/support/source-loader.mjs'), join(appDir, script)];
  const child = spawn(process.execPath, [...entry, ...args], {
    cwd: appDir,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`\`${args.join(' ')}\` did not finish within ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
