import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const appDir = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * How the server is started: from the TypeScript sources by default (Node 24 with type transforms and
 * a `.js`->`.ts` resolve hook, so the suite always tests the current code without a build), or
 * `AUTHSVC_E2E_ENTRY=dist` to run the built `dist/main.js` exactly as deployed.
 */
function command(args: string[]): { file: string; args: string[] } {
  if (process.env['AUTHSVC_E2E_ENTRY'] === 'dist') return { file: process.execPath, args: [join(appDir, 'dist/main.js'), ...args] };
  return {
    file: process.execPath,
    args: [
      '--experimental-transform-types',
      '--no-warnings',
      '--conditions=@authsvc/source',
      '--import',
      join(appDir, 'test/e2e/support/source-loader.mjs'),
      join(appDir, 'src/main.ts'),
      ...args,
    ],
  };
}

export interface ServerProcess {
  /** host:port of the gRPC server. */
  address: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Parsed JSON log lines. */
  logLines(): Record<string, unknown>[];
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Settings every e2e server gets: a free port, its own data folder, fast hashing, a small throttle. */
export function baseEnvironment(dataDir: string): Record<string, string> {
  return {
    AUTH_DATA_DIR: dataDir,
    AUTH_GRPC_HOST: '127.0.0.1',
    AUTH_GRPC_PORT: '0',
    AUTH_HTTP_PORT: '0',
    AUTH_LOG_LEVEL: 'info',
    AUTH_PASSWORD_BCRYPT_COST: '4',
    AUTH_PASSWORD_HASH_THREADS: '1',
    AUTH_THROTTLE_MAX_FAILURES: '3',
    AUTH_GRPC_SHUTDOWN_TIMEOUT: '5s',
  };
}

export function temporaryDataDir(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'authsvc-e2e-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Runs a one-shot command of the server's CLI (e.g. `keys generate`); resolves with its stdout. */
export async function runCommand(args: string[], env: Record<string, string> = {}): Promise<string> {
  const { file, args: argv } = command(args);
  const { stdout } = await promisify(execFile)(file, argv, { cwd: appDir, env: { PATH: process.env['PATH'] ?? '', ...env }, timeout: 90_000 });
  return stdout;
}

/** An admin account made by the operator command `create-admin` (the API cannot make one). */
export interface AdminCredentials {
  login: string;
  password: string;
}

/** Runs `create-admin` with the server's settings; call it before the server starts (PGlite is single-process). */
export async function createAdminAccount(env: Record<string, string>): Promise<AdminCredentials> {
  const username = `admin_${Date.now().toString(36)}`;
  const password = `admin-pw-${Math.random().toString(36).slice(2)}`;
  await runCommand(['create-admin', '--username', username, '--email', `${username}@example.com`, '--country', 'NL'], { ...env, AUTH_ADMIN_PASSWORD: password });
  return { login: username, password };
}

/** Starts `main serve` and resolves once it logs the port it listens on. */
export async function startServerProcess(env: Record<string, string>, timeoutMs = 90_000): Promise<ServerProcess> {
  const { file, args } = command(['serve']);
  // Only what the server needs: the test runner's own AUTH_* or CI settings must not leak in.
  const child: ChildProcess = spawn(file, args, {
    cwd: appDir,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = /"port":(\d+)[^\n]*gRPC listening|gRPC listening on [^:\s]+:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1] ?? match[2]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });

  return {
    address: `127.0.0.1:${port}`,
    output: () => output,
    logLines: () =>
      output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}
