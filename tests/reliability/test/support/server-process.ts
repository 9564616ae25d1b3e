import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const appDir = fileURLToPath(new URL('../../../../apps/grpc-server/', import.meta.url));
const loader = fileURLToPath(new URL('./source-loader.mjs', import.meta.url));
/** Every server process's output of the run is appended here too (the log-secrecy test reads it all). */
export const LOG_DIR = join(tmpdir(), 'authsvc-reliability-logs');

/**
 * The server runs from its TypeScript sources (Node 24 type stripping + a .js->.ts resolve hook), so the suite tests
 * the current code without a build; AUTHSVC_E2E_ENTRY=dist runs the built dist/main.js exactly as deployed.
 */
function command(args: string[]): { file: string; args: string[] } {
  if (process.env['AUTHSVC_E2E_ENTRY'] === 'dist') return { file: process.execPath, args: [join(appDir, 'dist/main.js'), ...args] };
  return {
    file: process.execPath,
    args: ['--experimental-transform-types', '--no-warnings', '--conditions=@authsvc/source', '--import', loader, join(appDir, 'src/main.ts'), ...args],
  };
}

export interface ServerProcess {
  readonly address: string;
  readonly pid: number;
  output(): string;
  /** Resident set size in bytes, from /proc. */
  rss(): number;
  alive(): boolean;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function temporaryDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export async function runCommand(args: string[], env: Record<string, string> = {}): Promise<string> {
  const { file, args: argv } = command(args);
  const { stdout } = await promisify(execFile)(file, argv, { cwd: appDir, env: { PATH: process.env['PATH'] ?? '', ...env }, timeout: 90_000 });
  return stdout;
}

let started = 0;

/** Starts `main serve` with exactly `env` (plus PATH/HOME) and resolves once it logs its port. */
export async function startServer(name: string, env: Record<string, string>, timeoutMs = 90_000): Promise<ServerProcess> {
  const { file, args } = command(['serve']);
  started += 1;
  mkdirSync(LOG_DIR, { recursive: true });
  const logFile = join(LOG_DIR, `${name}-${process.pid}-${started}.log`);
  const child: ChildProcess = spawn(file, args, {
    cwd: appDir,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  const onData = (chunk: Buffer): void => {
    const text = chunk.toString('utf8');
    output += text;
    appendFileSync(logFile, text);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within ${timeoutMs} ms:\n${output.slice(-3000)}`)), timeoutMs);
    const check = (): void => {
      const match = /"port":(\d+)[^\n]*gRPC listening|gRPC listening on [^:\s]+:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1] ?? match[2]));
      }
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output.slice(-3000)}`));
    });
  });
  return {
    address: `127.0.0.1:${port}`,
    pid: child.pid!,
    output: () => output,
    alive: () => child.exitCode === null && child.signalCode === null,
    rss: () => {
      const statm = readFileSync(`/proc/${child.pid}/statm`, 'utf8');
      return Number(statm.split(' ')[1]) * 4096;
    },
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      return exited;
    },
  };
}
